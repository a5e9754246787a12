using System.Text;
using Cinnabar.Commands;
using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Comparison;

/// <summary>
/// COMMAND and its subcommands. Cinnabar's table is Redis 7.2's and holds what Cinnabar implements; the oracle is
/// 7.0.15 with every command. So listings are compared as sets against "the oracle's commands that Cinnabar
/// implements, plus Cinnabar's 7.2-only ones", and each entry both list field by field.
/// </summary>
public static class CommandRules
{
    /// <summary>
    /// Entry fields compared: name, arity, first key, last key, key step, ACL categories. Not compared: flags,
    /// tips, key specs and subcommands, which 7.2 changed for many commands (blocking commands lost noscript,
    /// key specs gained flags).
    /// </summary>
    private static readonly int[] ComparedFields = [0, 1, 3, 4, 5, 6];

    /// <summary>COMMAND, COMMAND INFO: with names, entry by entry in order; without, as sets of entries by name.</summary>
    public static string? Entries(IReadOnlyList<byte[]> cmd, RespValue o, RespValue c)
    {
        if (o.Type != c.Type) return "type differs";
        bool all = cmd.Count == 1 || cmd.Count == 2 && Encoding.ASCII.GetString(cmd[1]).Equals("INFO", StringComparison.OrdinalIgnoreCase);
        if (!all)
        {
            if (o.Children.Count != c.Children.Count) return "entry count differs";
            for (int i = 0; i < o.Children.Count; i++)
                if (Entry(o.Children[i], c.Children[i]) is { } d) return $"entry {i}: {d}";
            return null;
        }
        var oracle = o.Children.ToDictionary(e => e.Children[0].Text);
        var cinnabar = c.Children.ToDictionary(e => e.Children[0].Text);
        if (ListedSetDiffers(oracle.Keys, cinnabar.Keys) is { } listed) return listed;
        var diffs = cinnabar.Where(e => oracle.ContainsKey(e.Key)).Select(e => Entry(oracle[e.Key], e.Value)).OfType<string>().Order().ToList();
        return diffs.Count == 0 ? null : $"{diffs.Count} entries differ: " + string.Join("; ", diffs);
    }

    /// <summary>Fields Redis 7.2 changed, with 7.2's value, which Cinnabar's table has: WITHSCORE made ZRANK/ZREVRANK variadic.</summary>
    private static readonly Dictionary<(string Name, int Field), string> ChangedIn72 = new()
    {
        [("zrank", 1)] = ":-3\r\n", [("zrevrank", 1)] = ":-3\r\n",
    };

    private static string? Entry(RespValue o, RespValue c)
    {
        if (o.IsNull || c.IsNull) return o.IsNull == c.IsNull ? null : "null-ness differs";
        foreach (int f in ComparedFields)
        {
            var a = o.Children[f];
            var b = c.Children[f];
            if (ChangedIn72.TryGetValue((o.Children[0].Text, f), out var newer) && Encoding.ASCII.GetString(b.Raw) == newer) continue;
            bool same = a.IsAggregate ? RespCompare.SameMultiset(a, b) == null : a.SameBytes(b);
            if (!same) return $"field {f} of {o.Children[0].Text} differs: {a.Show(200)} vs {b.Show(200)}";
        }
        return null;
    }

    /// <summary>COMMAND LIST: the oracle's commands that Cinnabar implements, plus Cinnabar's own (7.2-only) ones.</summary>
    public static string? List(IReadOnlyList<byte[]> cmd, RespValue o, RespValue c)
    {
        if (o.Type != c.Type) return "type differs";
        return ListedSetDiffers(o.Children.Select(x => x.Text), c.Children.Select(x => x.Text));
    }

    private static string? ListedSetDiffers(IEnumerable<string> oracleNames, IEnumerable<string> cinnabarNames)
    {
        var oracle = oracleNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var cinnabar = cinnabarNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = oracle.Where(n => DiffEnvironment.Implemented(n) && !cinnabar.Contains(n)).Order().FirstOrDefault();
        if (missing != null) return $"does not list '{missing}', which it implements";
        var foreign = cinnabar.Where(n => !oracle.Contains(n) && DiffEnvironment.OracleKnows(n)).Order().FirstOrDefault();
        return foreign == null ? null : $"lists '{foreign}', which the same query on the oracle does not";
    }

    /// <summary>COMMAND COUNT: the number of top-level commands Cinnabar implements (the oracle counts its own 7.0 table).</summary>
    public static string? Count(IReadOnlyList<byte[]> cmd, RespValue o, RespValue c)
    {
        if (c.Type != ':') return "not an integer";
        if (DiffEnvironment.SelfCheck) return "replies differ";
        int expected = CommandTable.Shared.Reference.Count(d => d.Parent == null && DiffEnvironment.Implemented(d.Name));
        return long.Parse(c.Text) == expected ? null : $"COMMAND COUNT {c.Text}, but Cinnabar implements {expected} top-level commands";
    }

    /// <summary>
    /// COMMAND DOCS: the same commands documented as COMMAND LIST would list them (the oracle's that Cinnabar
    /// implements, plus Cinnabar's 7.2-only ones); the texts are 7.2's.
    /// </summary>
    public static string? Docs(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        if (o.Type != c.Type) return "type differs";
        return ListedSetDiffers(o.Children.Where((_, i) => i % 2 == 0).Select(x => x.Text), c.Children.Where((_, i) => i % 2 == 0).Select(x => x.Text));
    }
}
