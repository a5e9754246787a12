using System.Text.RegularExpressions;
using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Comparison;

/// <summary>
/// accepted-divergences.txt: known, accepted differences from the oracle, each narrowed to a command, an argument
/// shape and the two replies. A mismatch that matches an entry is reported in the test output (and the command is
/// marked ◐ in docs/COMPATIBILITY.md) instead of failing; any other mismatch of the same command still fails.
/// </summary>
public static class AcceptedDivergences
{
    /// <summary>
    /// One entry: <see cref="Command"/> the reference name; <see cref="Shape"/> a regular expression for the whole
    /// command in redis-cli quoting; <see cref="Redis"/> and <see cref="Cinnabar"/> regular expressions for the
    /// whole escaped replies (as failure messages show them); <see cref="Only"/>, when given, the only parts in
    /// which the two replies may differ.
    /// </summary>
    public sealed record Entry(string Command, Regex Shape, Regex Redis, Regex Cinnabar, Regex? Only, string Why)
    {
        public override string ToString() => $"{Command} | {Shape} | {Redis} | {Cinnabar} | {(Only == null ? "" : $"only: {Only} | ")}{Why}";

        /// <summary>With "only: REGEX", the replies must be equal once every match of REGEX is removed from both.</summary>
        public bool Accepts(string quoted, string oracle, string cinnabar) =>
            Shape.IsMatch(quoted) && Redis.IsMatch(oracle) && Cinnabar.IsMatch(cinnabar)
            && (Only == null || Only.Replace(oracle, "") == Only.Replace(cinnabar, ""));
    }

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "accepted-divergences.txt");

    public static IReadOnlyList<Entry> All { get; } = Load();

    /// <summary>The entry that accepts this exact mismatch, or null.</summary>
    public static Entry? Match(IReadOnlyList<byte[]> args, RespValue oracle, RespValue cinnabar)
    {
        string? name = Cases.CaseFile.NeededCommand(args);
        if (name == null) return null;
        string quoted = RespValue.Quote(args), o = oracle.ToString(), c = cinnabar.ToString();
        return All.FirstOrDefault(e => e.Command.Equals(name, StringComparison.OrdinalIgnoreCase) && e.Accepts(quoted, o, c));
    }

    /// <summary>The explanations for a command ("CONTAINER SUB" or NAME), joined, or null when it has no entry.</summary>
    public static string? For(string? command)
    {
        var whys = All.Where(e => e.Command.Equals(command, StringComparison.OrdinalIgnoreCase)).Select(e => e.Why).Distinct().ToList();
        return whys.Count == 0 ? null : string.Join("; ", whys);
    }

    private static List<Entry> Load()
    {
        var result = new List<Entry>();
        if (!File.Exists(FilePath)) return result;
        foreach (var line in File.ReadAllLines(FilePath))
        {
            var t = line.Trim();
            if (t.Length == 0 || t.StartsWith('#')) continue;
            var parts = t.Split(" | ");
            bool only = parts.Length == 6 && parts[4].StartsWith("only: ", StringComparison.Ordinal);
            if (parts.Length != 5 && !only)
                throw new FormatException("accepted-divergences.txt: expected 'NAME | command regex | redis reply regex | cinnabar reply regex | [only: regex |] why': " + t);
            static Regex Whole(string pattern) => new("^(?:" + pattern.Trim() + ")$", RegexOptions.CultureInvariant);
            result.Add(new Entry(parts[0].Trim(), Whole(parts[1]), Whole(parts[2]), Whole(parts[3]),
                only ? new Regex(parts[4][6..].Trim(), RegexOptions.CultureInvariant) : null, parts[^1].Trim()));
        }
        return result;
    }
}
