using System.Text.Json;

namespace Cinnabar.Commands;

/// <summary>
/// What COMMAND DOCS and COMMAND INFO show that the 7.2 reference (commands.json) lacks: summaries,
/// complexity, history, argument details, command tips and key-spec notes. Taken from the oracle Redis by
/// tools/generate-command-docs.py into the embedded command-docs.json; read once, on first use.
/// </summary>
public static class CommandDocsSupplement
{
    private static readonly Lazy<Data> Loaded = new(Load);

    private sealed record Data(
        Dictionary<string, JsonElement> Docs,
        Dictionary<string, string[]> Tips,
        Dictionary<string, string[]> Notes);

    /// <summary>The oracle's COMMAND DOCS entry for a command ("get", "config|get"), or null.</summary>
    public static JsonElement? Docs(string displayName)
    {
        var data = Loaded.Value;
        int bar = displayName.IndexOf('|');
        if (bar < 0) return data.Docs.TryGetValue(displayName, out var d) ? d : null;
        // Subcommand docs live inside their container's entry, as Redis nests them.
        if (!data.Docs.TryGetValue(displayName[..bar], out var parent)) return null;
        if (!parent.TryGetProperty("subcommands", out var subs)) return null;
        return subs.TryGetProperty(displayName, out var sub) ? sub : null;
    }

    /// <summary>Command tips ("nondeterministic_output", "request_policy:all_shards" …), empty when none.</summary>
    public static string[] Tips(string displayName) =>
        Loaded.Value.Tips.TryGetValue(displayName, out var t) ? t : [];

    /// <summary>The note of each key spec ("" when a spec has none), or null when the command has no notes.</summary>
    public static string[]? KeySpecNotes(string displayName) =>
        Loaded.Value.Notes.TryGetValue(displayName, out var n) ? n : null;

    private static Data Load()
    {
        using var stream = typeof(CommandDocsSupplement).Assembly.GetManifestResourceStream("Cinnabar.command-docs.json")
            ?? throw new InvalidOperationException("command-docs.json resource missing");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        var docs = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in root.GetProperty("docs").EnumerateObject()) docs[p.Name] = p.Value.Clone();
        return new Data(docs, StringArrays(root.GetProperty("tips")), StringArrays(root.GetProperty("notes")));
    }

    private static Dictionary<string, string[]> StringArrays(JsonElement obj)
    {
        var result = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in obj.EnumerateObject())
            result[p.Name] = p.Value.EnumerateArray().Select(x => x.GetString() ?? "").ToArray();
        return result;
    }
}
