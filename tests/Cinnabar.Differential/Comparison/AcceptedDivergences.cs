namespace Cinnabar.Differential.Comparison;

/// <summary>
/// accepted-divergences.txt: commands whose difference from Redis is known and accepted, with the why.
/// A mismatch on such a command is reported but does not fail; the compatibility report marks it ◐.
/// </summary>
public static class AcceptedDivergences
{
    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "accepted-divergences.txt");

    public static IReadOnlyDictionary<string, string> All { get; } = Load();

    /// <summary>The explanation for "CONTAINER SUB" or NAME, or null.</summary>
    public static string? For(string? command) =>
        command != null && All.TryGetValue(command, out var why) ? why : null;

    private static Dictionary<string, string> Load()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(FilePath)) return result;
        foreach (var line in File.ReadAllLines(FilePath))
        {
            var t = line.Trim();
            if (t.Length == 0 || t.StartsWith('#')) continue;
            int bar = t.IndexOf('|');
            if (bar < 0) throw new FormatException("accepted-divergences.txt: expected 'NAME | explanation': " + t);
            result[t[..bar].Trim()] = t[(bar + 1)..].Trim();
        }
        return result;
    }
}
