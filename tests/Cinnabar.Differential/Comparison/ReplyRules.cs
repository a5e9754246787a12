using System.Globalization;
using System.Text;
using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Comparison;

/// <summary>
/// THE place where a reply may be compared other than byte for byte. Every rule is narrow: it names the
/// command, says why the bytes legitimately differ, and still checks everything that does not.
/// Error replies are always compared exactly, whatever the command.
/// </summary>
public static class ReplyRules
{
    /// <summary>Returns null when the replies are equivalent for this command, else what differs.</summary>
    public delegate string? Rule(IReadOnlyList<byte[]> command, RespValue oracle, RespValue cinnabar);

    /// <summary>Byte for byte.</summary>
    public static readonly Rule Exact = (_, o, c) => o.SameBytes(c) ? null : "replies differ";

    /// <summary>The elements of a reply in unspecified order (sets, hashes, KEYS): compared as a multiset.</summary>
    public static readonly Rule Unordered = (_, o, c) => RespCompare.SameMultiset(o, c);

    private static readonly Dictionary<string, Rule> ByCommand = new(StringComparer.OrdinalIgnoreCase)
    {
        // Unordered by nature: hash-table iteration order is an implementation detail.
        ["SMEMBERS"] = Unordered, ["SINTER"] = Unordered, ["SUNION"] = Unordered, ["SDIFF"] = Unordered,
        ["HGETALL"] = Unordered, ["HKEYS"] = Unordered, ["HVALS"] = Unordered, ["KEYS"] = Unordered,
        ["CONFIG GET"] = Unordered, ["COMMAND GETKEYS"] = Exact, ["COMMAND GETKEYSANDFLAGS"] = Exact,
        // SPOP removes random members: same shape and count, distinct members (a full pop is caught by what follows).
        ["SPOP"] = RandomPick(pairs: false),
        // Random choices: same shape, same count, distinct when the count is positive.
        ["SRANDMEMBER"] = RandomPick(pairs: false), ["HRANDFIELD"] = RandomPick(pairs: true), ["ZRANDMEMBER"] = RandomPick(pairs: true),
        ["RANDOMKEY"] = (_, o, c) => Property(o.IsNull == c.IsNull && (o.IsNull || c.Type == o.Type), "RANDOMKEY: null-ness or type differs"),
        // Cursor values depend on the hash table layout; a finished scan (cursor 0 on both) must list the same elements.
        ["SCAN"] = ScanPage, ["SSCAN"] = ScanPage, ["HSCAN"] = ScanPage, ["ZSCAN"] = ScanPage,
        // Clocks: the servers are started and called at slightly different instants.
        // Scripted cases send one command at a time: ±1 s, ±50 ms. In a pipelined replay the two servers may run
        // the same command at instants as far apart as the replay has lasted (a loaded machine stalls one of
        // them), so the tolerance there is the replay's elapsed time plus 1 s (see PipelinedSkewMs).
        ["TTL"] = Tolerance(1, seconds: true), ["EXPIRETIME"] = Tolerance(1, seconds: true),
        ["PTTL"] = Tolerance(50, seconds: false), ["PEXPIRETIME"] = Tolerance(50, seconds: false),
        ["TIME"] = (_, o, c) => Property(c.Type == '*' && c.Children.Count == 2
            && Math.Abs(Long(o.Children[0]) - Long(c.Children[0])) <= 2 && Long(c.Children[1]) is >= 0 and < 1_000_000, "TIME: not [unix seconds ±2, microseconds]"),
        // A key set with an expiry time already past (SET ... PXAT 1, as Redis 7.0 allows) is counted until the
        // active expiry cycle or an access reclaims it: when that happens depends on each server's timer.
        ["DBSIZE"] = (_, o, c) => Property(c.Type == ':' && Math.Abs(Long(o) - Long(c)) <= 8, "DBSIZE: not an integer within 8 (the generator's key space) of Redis's"),
        ["LASTSAVE"] = SameType, ["OBJECT IDLETIME"] = Tolerance(2, seconds: true), ["OBJECT FREQ"] = Exact,
        ["MEMORY USAGE"] = (_, o, c) => Property(o.Type == c.Type && o.IsNull == c.IsNull, "MEMORY USAGE: type or null-ness differs"),
        ["DEBUG OBJECT"] = (_, o, c) => Property(c.Type == '+' && c.Text.StartsWith("Value at:", StringComparison.Ordinal)
            && Field(o.Text, "encoding") == Field(c.Text, "encoding"), "DEBUG OBJECT: not 'Value at:...' with the same encoding"),
        // Connection identity: ids, addresses, ages differ; names, db, flags and the rest must match.
        ["CLIENT ID"] = SameType, ["CLIENT LIST"] = ClientList, ["CLIENT INFO"] = ClientList,
        ["HELLO"] = Hello,
        ["INFO"] = Info,
        // Server metadata: Cinnabar's table is built from the 7.2 reference, the oracle is 7.0.
        ["COMMAND"] = CommandTableListing, ["COMMAND INFO"] = CommandInfo, ["COMMAND COUNT"] = SameType,
        ["COMMAND DOCS"] = CommandDocs, ["COMMAND LIST"] = CommandTableListing,
        ["DUMP"] = (_, o, c) => Property(o.IsNull == c.IsNull && o.Type == c.Type, "DUMP: null-ness differs (payload bytes are not compared)"),
        // Streams: idle times are milliseconds since a delivery or a consumer's last read, and "*" takes its ID
        // from each server's clock; everything else in these replies is compared exactly.
        ["XPENDING"] = PendingEntries, ["XINFO CONSUMERS"] = ConsumerIdle, ["XADD"] = GeneratedStreamId,
        ["SLOWLOG GET"] = SameType, ["MEMORY STATS"] = SameType, ["MEMORY DOCTOR"] = SameType,
        ["LATENCY HISTOGRAM"] = LatencyHistograms,
        // Latencies in ms and ages in seconds are each server's timings; the text around them must match.
        ["LATENCY GRAPH"] = SameTextButNumbers, ["LATENCY DOCTOR"] = SameTextButNumbers,
    };

    /// <summary>The rule for a command: by "CONTAINER SUB" first, then by name, else exact.</summary>
    public static Rule For(IReadOnlyList<byte[]> command)
    {
        string name = Encoding.UTF8.GetString(command[0]);
        if (command.Count > 1 && ByCommand.TryGetValue(name + " " + Encoding.UTF8.GetString(command[1]), out var sub)) return sub;
        return ByCommand.TryGetValue(name, out var rule) ? rule : Exact;
    }

    /// <summary>Compares two replies to one command; errors and closed connections are always exact.</summary>
    public static string? Compare(IReadOnlyList<byte[]> command, RespValue oracle, RespValue cinnabar, Rule? forced = null)
    {
        if (oracle.IsError || cinnabar.IsError || oracle.Type == '\0' || cinnabar.Type == '\0')
            return oracle.SameBytes(cinnabar) ? null : "replies differ";
        if (oracle.SameBytes(cinnabar)) return null;
        try
        {
            // A case line's @unordered never replaces a command's own rule for SCAN pages (cursor, then elements).
            var own = For(command);
            if (forced == Unordered && own == (Rule)ScanPage) forced = null;
            return (forced ?? own)(command, oracle, cinnabar);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            return "reply shape differs (" + e.GetType().Name + ")";
        }
    }

    private static string? Property(bool holds, string failure) => holds ? null : failure;

    private static string? SameType(IReadOnlyList<byte[]> _, RespValue o, RespValue c) =>
        Property(o.Type == c.Type, $"type differs: '{o.Type}' vs '{c.Type}'");

    private static long Long(RespValue v) => long.Parse(v.Text, CultureInfo.InvariantCulture);

    /// <summary>Set (to the replay's elapsed ms + 1000) while comparing a pipelined replay; 0 for one-by-one cases.</summary>
    [ThreadStatic] public static long PipelinedSkewMs;

    private static Rule Tolerance(long oneByOne, bool seconds) => (_, o, c) =>
    {
        long delta = PipelinedSkewMs == 0 ? oneByOne : seconds ? PipelinedSkewMs / 1000 + 1 : PipelinedSkewMs;
        if (o.Type != c.Type || o.Type != ':') return "replies differ";
        long a = Long(o), b = Long(c);
        if (a < 0 || b < 0) return a == b ? null : "replies differ"; // -1 / -2 are exact answers
        return Math.Abs(a - b) <= delta ? null : $"differs by more than {delta}";
    };

    private static Rule RandomPick(bool pairs) => (cmd, o, c) =>
    {
        if (o.Type != c.Type || o.IsNull != c.IsNull) return "type or null-ness differs";
        if (!o.IsAggregate) return null; // one random element: any member is right
        if (o.Children.Count != c.Children.Count) return $"count differs: {o.Children.Count} vs {c.Children.Count}";
        bool negative = cmd.Count > 2 && cmd[2].Length > 0 && cmd[2][0] == '-';
        if (!negative)
        {
            var names = RespCompare.Flatten(c).Where((_, i) => !pairs || !WithValues(cmd) || i % 2 == 0).Select(x => x.ToString()).ToList();
            if (names.Distinct().Count() != names.Count) return "positive count returned duplicates";
        }
        return null;
    };

    private static bool WithValues(IReadOnlyList<byte[]> cmd) => cmd.Count > 3;

    private static string? ScanPage(IReadOnlyList<byte[]> cmd, RespValue o, RespValue c)
    {
        if (o.Type != c.Type || o.Children.Count != 2 || c.Children.Count != 2) return "not a [cursor, elements] pair";
        if (!ulong.TryParse(c.Children[0].Text, out _)) return "cursor is not an unsigned integer";
        // Only a scan that starts at 0 and ends at once covers the whole collection; any other cursor's page
        // depends on the table layout (e.g. SCAN -1, which Redis reads as 2^64-1).
        string name = Encoding.ASCII.GetString(cmd[0]).ToUpperInvariant();
        bool fromStart = cmd.Count > (name == "SCAN" ? 1 : 2) && cmd[name == "SCAN" ? 1 : 2] is [(byte)'0'];
        if (fromStart && o.Children[0].Text == "0" && c.Children[0].Text == "0")
        {
            return RespCompare.SameMultiset(o.Children[1], c.Children[1], pairs: name is "HSCAN" or "ZSCAN");
        }
        return null;
    }

    private static string? Field(string text, string name)
    {
        foreach (var part in text.Split(' '))
            if (part.StartsWith(name + ":", StringComparison.Ordinal)) return part[(name.Length + 1)..];
        return null;
    }

    // Fields whose values are per-connection facts (ids, addresses, timings, buffer sizes).
    private static readonly HashSet<string> VolatileClientFields =
        ["id", "addr", "laddr", "fd", "age", "idle", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem", "events"];

    private static string? ClientList(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        if (o.Type != c.Type) return "type differs";
        // CLIENT LIST lists every connection of each server: compare the calling connection's line (the last 'cmd=client|list').
        var ol = o.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cl = c.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string Pick(string[] lines) => lines.LastOrDefault(l => l.Contains(" cmd=client|")) ?? lines.LastOrDefault() ?? "";
        var of = Pick(ol).TrimEnd('\r').Split(' ').Select(p => p.Split('=', 2)).ToList();
        var cf = Pick(cl).TrimEnd('\r').Split(' ').Select(p => p.Split('=', 2)).ToList();
        var on = string.Join(' ', of.Select(p => p[0]));
        var cn = string.Join(' ', cf.Select(p => p[0]));
        if (on != cn) return $"field names differ: '{on}' vs '{cn}'";
        for (int i = 0; i < of.Count; i++)
            if (!VolatileClientFields.Contains(of[i][0]) && of[i].ElementAtOrDefault(1) != cf[i].ElementAtOrDefault(1))
                return $"field {of[i][0]} differs: '{of[i].ElementAtOrDefault(1)}' vs '{cf[i].ElementAtOrDefault(1)}'";
        return null;
    }

    private static string? Hello(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        if (o.Type != c.Type || o.Children.Count != c.Children.Count) return "shape differs";
        for (int i = 0; i < o.Children.Count; i += 2)
        {
            if (!o.Children[i].SameBytes(c.Children[i])) return $"field {i / 2} differs: {o.Children[i]} vs {c.Children[i]}";
            string key = o.Children[i].Text;
            if (key is "id" or "version") { if (o.Children[i + 1].Type != c.Children[i + 1].Type) return $"{key}: type differs"; }
            else if (!o.Children[i + 1].SameBytes(c.Children[i + 1])) return $"{key} differs: {o.Children[i + 1]} vs {c.Children[i + 1]}";
        }
        return null;
    }

    /// <summary>INFO: same reply type and the same "# Section" headers in the same order; every line is name:value.</summary>
    private static string? Info(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        if (o.Type != c.Type) return "type differs";
        static List<string> Sections(string t) => t.Split("\r\n").Where(l => l.StartsWith("# ", StringComparison.Ordinal)).ToList();
        var os = Sections(o.Text);
        var cs = Sections(c.Text);
        if (!os.SequenceEqual(cs)) return $"sections differ: [{string.Join(",", os)}] vs [{string.Join(",", cs)}]";
        var bad = c.Text.Split("\r\n").FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#') && !l.Contains(':'));
        return bad == null ? null : $"line without name:value: '{bad}'";
    }

    private static string? SameTextButNumbers(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        static string Shape(RespValue v) => System.Text.RegularExpressions.Regex.Replace(v.Text, "[0-9]+", "N");
        return o.Type != c.Type ? "type differs" : Shape(o) == Shape(c) ? null : "texts differ beyond their numbers";
    }

    /// <summary>The µs keys LATENCY HISTOGRAM can give: the highest value of the HdrHistogram slot at 1024 ns · 2^k.</summary>
    private static readonly HashSet<long> HistogramKeys =
        [1, 2, 4, 8, 16, 33, 66, 132, 264, 528, 1056, 2113, 4227, 8454, 16908, 33816, 67633, 135266, 270532, 541065, 1073741];

    /// <summary>
    /// LATENCY HISTOGRAM: bucket counts are each server's timings, and Redis lists commands in its hash-table
    /// order. The same (command, calls) entries as a multiset; in Cinnabar's, each histogram's keys are steps
    /// Redis can give, in increasing order, with cumulative counts rising to the calls.
    /// </summary>
    private static string? LatencyHistograms(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        if (o.Type != c.Type) return "type differs";
        static List<string> Entries(RespValue v) =>
            Enumerable.Range(0, v.Children.Count / 2).Select(i => v.Children[2 * i].Text + " calls=" + v.Children[2 * i + 1].Children[1].Text)
                .Order(StringComparer.Ordinal).ToList();
        if (!Entries(o).SequenceEqual(Entries(c))) return $"entries differ: [{string.Join(", ", Entries(o))}] vs [{string.Join(", ", Entries(c))}]";
        for (int i = 1; i < c.Children.Count; i += 2)
        {
            var entry = c.Children[i];
            if (entry.Children.Count != 4 || entry.Children[0].Text != "calls" || entry.Children[2].Text != "histogram_usec") return "entry is not {calls, histogram_usec}";
            var steps = entry.Children[3].Children.Select(Long).ToList();
            long previousKey = 0, previousCount = 0;
            for (int s = 0; s < steps.Count; s += 2)
            {
                if (!HistogramKeys.Contains(steps[s]) || steps[s] <= previousKey || steps[s + 1] <= previousCount) return $"step {steps[s]}={steps[s + 1]} out of shape";
                (previousKey, previousCount) = (steps[s], steps[s + 1]);
            }
            if (previousCount != Long(entry.Children[1])) return "last cumulative count is not the calls";
        }
        return null;
    }

    /// <summary>COMMAND INFO: name, arity, first/last key and step must match; flags and categories are 7.2's.</summary>
    private static string? CommandInfo(IReadOnlyList<byte[]> cmd, RespValue o, RespValue c)
    {
        // Without names it lists every command in hash order: each of Cinnabar's must be one the oracle has.
        if (cmd.Count == 2)
        {
            var known = o.Children.Select(e => e.Children[0].Text).ToHashSet();
            // Commands Redis 7.2 added (WAITAOF) cannot be in the 7.0 oracle's list.
            static bool NewIn72(string name) => Cinnabar.Commands.CommandTable.Shared.Reference
                .Any(d => d.Parent == null && d.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && d.Since.StartsWith("7.2", StringComparison.Ordinal));
            var extra = c.Children.Select(e => e.Children[0].Text).FirstOrDefault(n => !known.Contains(n) && !NewIn72(n));
            return o.Type != c.Type ? "type differs" : extra == null ? null : $"lists '{extra}', which the oracle does not have";
        }
        if (o.Type != c.Type || o.Children.Count != c.Children.Count) return "shape differs";
        for (int i = 0; i < o.Children.Count; i++)
        {
            var a = o.Children[i];
            var b = c.Children[i];
            if (a.IsNull || b.IsNull) { if (a.IsNull != b.IsNull) return $"entry {i}: null-ness differs"; continue; }
            foreach (int f in new[] { 0, 1, 3, 4, 5 })
                if (!a.Children[f].SameBytes(b.Children[f])) return $"entry {i} field {f} differs: {a.Children[f]} vs {b.Children[f]}";
        }
        return null;
    }

    /// <summary>COMMAND / COMMAND LIST: every entry Cinnabar lists must be one the oracle lists too (7.2-only commands aside).</summary>
    private static string? CommandTableListing(IReadOnlyList<byte[]> _, RespValue o, RespValue c) =>
        Property(o.Type == c.Type && c.Children.All(x => x.Type == o.Children.FirstOrDefault()?.Type), "shape differs");

    private static string? CommandDocs(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        if (o.Type != c.Type) return "type differs";
        var on = o.Children.Where((_, i) => i % 2 == 0).Select(x => x.Text).Order().ToList();
        var cn = c.Children.Where((_, i) => i % 2 == 0).Select(x => x.Text).Order().ToList();
        return on.SequenceEqual(cn) ? null : $"documented commands differ: [{string.Join(",", on)}] vs [{string.Join(",", cn)}]";
    }
    private static long TimeSkewMs => PipelinedSkewMs == 0 ? 1000 : PipelinedSkewMs;

    private static bool WithinSkew(RespValue o, RespValue c) =>
        o.Type == ':' && c.Type == ':' && Math.Abs(Long(o) - Long(c)) <= TimeSkewMs;

    /// <summary>XPENDING's extended form: [id, consumer, idle ms, deliveries] per entry; idle may differ by the skew.</summary>
    private static string? PendingEntries(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        if (o.Type != c.Type || o.Children.Count != c.Children.Count) return "shape differs";
        for (int i = 0; i < o.Children.Count; i++)
        {
            var a = o.Children[i];
            var b = c.Children[i];
            if (a.Children.Count != 4 || b.Children.Count != 4) { if (!a.SameBytes(b)) return $"element {i} differs"; continue; }
            foreach (int f in new[] { 0, 1, 3 })
                if (!a.Children[f].SameBytes(b.Children[f])) return $"entry {i} field {f} differs: {a.Children[f]} vs {b.Children[f]}";
            if (!WithinSkew(a.Children[2], b.Children[2])) return $"entry {i}: idle differs by more than {TimeSkewMs} ms";
        }
        return null;
    }

    /// <summary>XINFO CONSUMERS: name, pending and idle per consumer; idle may differ by the skew.</summary>
    private static string? ConsumerIdle(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        if (o.Type != c.Type || o.Children.Count != c.Children.Count) return "shape differs";
        for (int i = 0; i < o.Children.Count; i++)
        {
            var a = o.Children[i].Children;
            var b = c.Children[i].Children;
            if (a.Count != b.Count || o.Children[i].Type != c.Children[i].Type) return $"consumer {i}: shape differs";
            for (int f = 0; f < a.Count; f++)
            {
                bool idle = f % 2 == 1 && a[f - 1].Text == "idle";
                if (idle ? !WithinSkew(a[f], b[f]) : !a[f].SameBytes(b[f])) return $"consumer {i} field {f} differs: {a[f]} vs {b[f]}";
            }
        }
        return null;
    }

    /// <summary>XADD with "*" or "ms-*": an ID "ms-seq" on both, with ms within the skew of each other; else exact.</summary>
    private static string? GeneratedStreamId(IReadOnlyList<byte[]> cmd, RespValue o, RespValue c)
    {
        bool generated = cmd.Any(a => a.Length > 0 && a[^1] == '*');
        if (!generated || o.Type != '$' || c.Type != '$' || o.IsNull || c.IsNull) return o.SameBytes(c) ? null : "replies differ";
        var op = o.Text.Split('-');
        var cp = c.Text.Split('-');
        if (op.Length != 2 || cp.Length != 2 || !ulong.TryParse(cp[0], out ulong cms) || !ulong.TryParse(cp[1], out _)) return "not an ms-seq ID";
        ulong oms = ulong.Parse(op[0], CultureInfo.InvariantCulture);
        return (long)Math.Abs((decimal)oms - cms) <= TimeSkewMs ? null : "generated IDs are further apart than the skew";
    }
}
