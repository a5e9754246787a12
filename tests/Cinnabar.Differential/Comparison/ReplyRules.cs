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
        ["PUBSUB CHANNELS"] = Unordered, ["PUBSUB SHARDCHANNELS"] = Unordered,
        // CONFIG GET lists matching parameters in the order of Redis's dictionary: names and values compared as pairs.
        ["CONFIG GET"] = (_, o, c) => RespCompare.SameMultiset(o, c, pairs: true),
        // SORT BY: see SortRule.
        ["SORT"] = SortRule, ["SORT_RO"] = SortRule,
        // Random picks: same shape, same count, distinct when the count is positive (the randomized run also
        // checks membership, see RandomChecks). SPOP: the same, then the run removes what either server popped.
        ["SPOP"] = RandomPick(pairs: false), ["SRANDMEMBER"] = RandomPick(pairs: false),
        ["HRANDFIELD"] = RandomPick(pairs: true), ["ZRANDMEMBER"] = RandomPick(pairs: true),
        ["RANDOMKEY"] = (_, o, c) => Property(o.IsNull == c.IsNull && (o.IsNull || c.Type == o.Type), "RANDOMKEY: null-ness or type differs"),
        // Cursor values depend on the hash table layout; a finished scan (cursor 0 on both) must list the same
        // elements. (The randomized run compares only full iterations, by their union.)
        ["SCAN"] = ScanPage, ["SSCAN"] = ScanPage, ["HSCAN"] = ScanPage, ["ZSCAN"] = ScanPage,
        // Clocks: the two servers run a command at different instants (see ClockSkewMs); remaining times are
        // compared within that skew, absolute ones likewise.
        ["TTL"] = Tolerance(1, seconds: true), ["EXPIRETIME"] = Tolerance(1, seconds: true),
        ["PTTL"] = Tolerance(50, seconds: false), ["PEXPIRETIME"] = Tolerance(50, seconds: false),
        // The LRU clock counts whole seconds and is read from a timer tick: 2 s of slack besides the skew.
        ["OBJECT IDLETIME"] = Tolerance(2, seconds: true),
        // The LFU counter: from 5 a key's first access makes 6 for sure, later increments happen with probability
        // 1/((counter-5)*10+1) (Redis draws a random number): exact up to 6, then within 3 of each other.
        ["OBJECT FREQ"] = (_, o, c) => Property(o.Type == ':' && c.Type == ':' && Long(o) >= 6 && Long(c) >= 6 && Math.Abs(Long(o) - Long(c)) <= 3,
            "OBJECT FREQ: not the same counter (exact up to 6, then within 3: the increments are random)"),
        ["TIME"] = (_, o, c) => Property(c.Type == '*' && c.Children.Count == 2
            && Math.Abs(Long(o.Children[0]) - Long(c.Children[0])) <= 2 + ClockSkewMs / 1000 && Long(c.Children[1]) is >= 0 and < 1_000_000, "TIME: not [unix seconds within the clock skew, microseconds]"),
        // The start time of each server (neither saves during the tests): the fixture starts both within seconds.
        ["LASTSAVE"] = (_, o, c) => Property(c.Type == ':' && Math.Abs(Long(o) - Long(c)) <= 30, "LASTSAVE: not within 30 s of Redis's (both servers start with the suite)"),
        ["DEBUG"] = DebugObject,
        // Connection identity: ids count every connection a server ever accepted (the harness opens different
        // numbers on each), addresses and ages are per process; everything else is compared field by field.
        ["CLIENT ID"] = (_, o, c) => Property(c.Type == ':' && Long(c) > 0, "CLIENT ID: not a positive integer"),
        ["CLIENT LIST"] = ClientList, ["CLIENT INFO"] = ClientList,
        ["HELLO"] = Hello,
        ["INFO"] = Info,
        // Server metadata: Cinnabar's table is built from the 7.2 reference, the oracle is 7.0 (see CommandRules).
        ["COMMAND"] = CommandRules.Entries, ["COMMAND INFO"] = CommandRules.Entries, ["COMMAND COUNT"] = CommandRules.Count,
        ["COMMAND DOCS"] = CommandRules.Docs, ["COMMAND LIST"] = CommandRules.List,
        // Streams: idle times are milliseconds since a delivery or a consumer's last read, and "*" takes its ID
        // from each server's clock; everything else in these replies is compared exactly.
        ["XPENDING"] = PendingEntries, ["XINFO CONSUMERS"] = ConsumerIdle, ["XADD"] = GeneratedStreamId,
        // SLOWLOG GET: ids count every entry since start, times and durations are each server's, and so are client
        // addresses; the arguments logged and the client name must match (see SlowlogEntries).
        ["SLOWLOG GET"] = SlowlogEntries,
        // Memory figures are each server's own (its allocator, its objects): only the reply's type is compared.
        ["MEMORY STATS"] = SameType, ["MEMORY DOCTOR"] = SameType,
        ["LATENCY HISTOGRAM"] = LatencyHistograms,
        // Latencies in ms and ages in seconds are each server's timings; the text around them must match.
        ["LATENCY GRAPH"] = SameTextButNumbers, ["LATENCY DOCTOR"] = SameTextButNumbers,
    };

    /// <summary>The rule for a command: by "CONTAINER SUB" first, then by name, else exact.</summary>
    public static Rule For(IReadOnlyList<byte[]> command)
    {
        string name = Encoding.UTF8.GetString(command[0]);
        if (WrappedInScript(command) is { } inner) return (_, o, c) => For(inner)(inner, o, c);
        if (command.Count > 1 && ByCommand.TryGetValue(name + " " + Encoding.UTF8.GetString(command[1]), out var sub)) return sub;
        return ByCommand.TryGetValue(name, out var rule) ? rule : Exact;
    }

    /// <summary>
    /// The command a generated script runs (see ScriptingFamily: ARGV[1] is the name, KEYS then the rest of ARGV
    /// its arguments): its reply is the script's, so the command's own rule applies (SDIFF's order, TTL's skew).
    /// </summary>
    private static List<byte[]>? WrappedInScript(IReadOnlyList<byte[]> command)
    {
        string name = Encoding.UTF8.GetString(command[0]).ToUpperInvariant();
        if (name is not ("EVAL" or "EVALSHA" or "EVAL_RO" or "EVALSHA_RO") || command.Count < 4) return null;
        if (!int.TryParse(Encoding.ASCII.GetString(command[2]), NumberStyles.None, CultureInfo.InvariantCulture, out int keys) || command.Count < 4 + keys) return null;
        return [command[3 + keys], .. command.Skip(3).Take(keys), .. command.Skip(4 + keys)];
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

    /// <summary>A text reply's content: a RESP3 verbatim string without its "txt:" format prefix.</summary>
    private static string Body(RespValue v) => v.Type == '=' && v.Text.StartsWith("txt:", StringComparison.Ordinal) ? v.Text[4..] : v.Text;

    private static string? Property(bool holds, string failure) => holds ? null : failure;

    private static string? SameType(IReadOnlyList<byte[]> _, RespValue o, RespValue c) =>
        Property(o.Type == c.Type, $"type differs: '{o.Type}' vs '{c.Type}'");

    private static long Long(RespValue v) => long.Parse(v.Text, CultureInfo.InvariantCulture);

    /// <summary>
    /// In a randomized replay, the most two servers' clocks can disagree about one command: they run a pipelined
    /// batch at once, so a command runs on each at most one batch apart, and an expiry set and read two batches
    /// apart (the replayer sets twice its longest batch, plus 50 ms). 0 for scripted cases, sent one at a time.
    /// </summary>
    [ThreadStatic] public static long ClockSkewMs;

    private static Rule Tolerance(long oneByOne, bool seconds) => (_, o, c) =>
    {
        long delta = ClockSkewMs == 0 ? oneByOne : seconds ? ClockSkewMs / 1000 + oneByOne : ClockSkewMs;
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

    // Where SORT's order is free: BY a pattern without '*' does not sort at all (a set comes in its table order),
    // and with ALPHA, elements whose BY weights are equal (or both missing) keep whatever order Redis's quicksort
    // leaves (Redis breaks numeric ties by the element, not alphabetic ones): a multiset then (the generator never
    // adds LIMIT, GET or STORE there, which would pick, group or keep that order). ALPHA alone compares with
    // strcoll, which stops at a NUL byte ("" and "\0" tie): the replies are compared up to each element's first NUL.
    private static string? SortRule(IReadOnlyList<byte[]> cmd, RespValue o, RespValue c)
    {
        var words = cmd.Select(a => Encoding.Latin1.GetString(a)).ToList();
        int by = words.FindIndex(2, w => w.Equals("BY", StringComparison.OrdinalIgnoreCase));
        bool alpha = words.Any(w => w.Equals("ALPHA", StringComparison.OrdinalIgnoreCase));
        if (by >= 0 && by + 1 < words.Count && (!words[by + 1].Contains('*') || alpha)) return RespCompare.SameMultiset(o, c);
        if (!alpha || o.Type != c.Type || o.Children.Count != c.Children.Count) return "replies differ";
        static string CString(RespValue v) => v.IsNull ? "(nil)" : Encoding.Latin1.GetString(v.Payload).Split('\0')[0];
        for (int i = 0; i < o.Children.Count; i++)
            if (CString(o.Children[i]) != CString(c.Children[i])) return $"element {i} differs (compared up to its first NUL byte, as strcoll does)";
        return null;
    }

    /// <summary>
    /// DEBUG OBJECT: every field compared except the address, the LRU clock reading and the idle time (within the
    /// clock skew; not at all for shared integers, whose idle time is that of a process-wide shared object).
    /// </summary>
    private static string? DebugObject(IReadOnlyList<byte[]> cmd, RespValue o, RespValue c)
    {
        if (cmd.Count < 2 || !Encoding.ASCII.GetString(cmd[1]).Equals("OBJECT", StringComparison.OrdinalIgnoreCase) || o.Type != '+' || c.Type != '+')
            return "replies differ";
        var of = o.Text.Split(' ');
        var cf = c.Text.Split(' ');
        if (of.Length != cf.Length) return "DEBUG OBJECT: the fields differ";
        bool shared = of.Contains("refcount:2147483647");
        for (int i = 0; i < of.Length; i++)
        {
            string name = of[i].Split(':')[0];
            if (name != cf[i].Split(':')[0]) return $"DEBUG OBJECT: field {i} is {of[i]} vs {cf[i]}";
            if (name is "at" or "lru") continue;
            if (name == "lru_seconds_idle")
            {
                if (!shared && Math.Abs(long.Parse(of[i][17..]) - long.Parse(cf[i][17..])) > 2 + ClockSkewMs / 1000) return $"DEBUG OBJECT: {of[i]} vs {cf[i]}";
                continue;
            }
            if (of[i] != cf[i]) return $"DEBUG OBJECT: {of[i]} vs {cf[i]}";
        }
        return null;
    }

    // Per-process facts of a connection: compared as integers (or addresses), not by value.
    private static readonly HashSet<string> CountedClientFields =
        ["id", "fd", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem"];

    // Redis 7.2's fields, which the 7.0 oracle does not print.
    private static readonly HashSet<string> NewerClientFields = ["lib-name", "lib-ver"];

    /// <summary>
    /// CLIENT LIST / CLIENT INFO: the same connections (the harness's own, named "harness", left out) with the same
    /// fields in the same order; names, databases, flags, subscriptions, MULTI state, last command, user and
    /// protocol compared exactly; ids, descriptors and buffer sizes as integers; addresses as loopback addresses;
    /// ages and idle times within the clock skew. Only 7.2's lib-name and lib-ver are excused.
    /// </summary>
    private static string? ClientList(IReadOnlyList<byte[]> cmd, RespValue o, RespValue c)
    {
        if (o.Type != c.Type) return "type differs";
        static List<List<string[]>> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\r').Split(' ').Select(p => p.Split('=', 2)).Where(p => !NewerClientFields.Contains(p[0])).ToList())
            .Where(fields => !fields.Any(f => f[0] == "name" && f.ElementAtOrDefault(1) == DiffEnvironment.HarnessName))
            .ToList();
        var ol = Lines(Body(o));
        var cl = Lines(Body(c));
        if (ol.Count != cl.Count) return $"{ol.Count} connections listed by Redis, {cl.Count} by Cinnabar";
        for (int line = 0; line < ol.Count; line++)
        {
            var of = ol[line];
            var cf = cl[line];
            var on = string.Join(' ', of.Select(p => p[0]));
            var cn = string.Join(' ', cf.Select(p => p[0]));
            if (on != cn) return $"line {line + 1}: field names differ: '{on}' vs '{cn}'";
            for (int i = 0; i < of.Count; i++)
            {
                string name = of[i][0], ov = of[i].ElementAtOrDefault(1) ?? "", cv = cf[i].ElementAtOrDefault(1) ?? "";
                bool same = name switch
                {
                    _ when CountedClientFields.Contains(name) => long.TryParse(cv, out _),
                    "addr" or "laddr" => cv.StartsWith("127.0.0.1:", StringComparison.Ordinal),
                    "age" or "idle" => long.TryParse(cv, out var cs) && Math.Abs(long.Parse(ov) - cs) <= 2 + ClockSkewMs / 1000,
                    _ => ov == cv,
                };
                if (!same) return $"line {line + 1}: field {name} differs: '{ov}' vs '{cv}'";
            }
        }
        return null;
    }

    /// <summary>HELLO: every field exact except the connection id (a positive integer) and the version (Cinnabar reports the 7.2 it follows).</summary>
    private static string? Hello(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        if (o.Type != c.Type || o.Children.Count != c.Children.Count) return "shape differs";
        for (int i = 0; i < o.Children.Count; i += 2)
        {
            if (!o.Children[i].SameBytes(c.Children[i])) return $"field {i / 2} differs: {o.Children[i]} vs {c.Children[i]}";
            string key = o.Children[i].Text;
            var ov = o.Children[i + 1];
            var cv = c.Children[i + 1];
            bool same = key switch
            {
                "id" => cv.Type == ':' && Long(cv) > 0,
                "version" => cv.Type == ov.Type && cv.Text.StartsWith("7.", StringComparison.Ordinal),
                _ => ov.SameBytes(cv),
            };
            if (!same) return $"{key} differs: {ov} vs {cv}";
        }
        return null;
    }

    /// <summary>
    /// INFO: the same "# Section" headers in the same order, every line name:value, and the values that the
    /// commands run so far decide, exact: the Keyspace lines (keys, expires; avg_ttl too when active expiry is off,
    /// as in randomized runs, since it is an estimate of the expiry cycle), and for every command its calls,
    /// rejected and failed calls (not its time), and every error counter.
    /// </summary>
    private static string? Info(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        if (o.Type != c.Type) return "type differs";
        static List<string> Sections(string t) => t.Split("\r\n").Where(l => l.StartsWith("# ", StringComparison.Ordinal)).ToList();
        var os = Sections(Body(o));
        var cs = Sections(Body(c));
        if (!os.SequenceEqual(cs)) return $"sections differ: [{string.Join(",", os)}] vs [{string.Join(",", cs)}]";
        var bad = Body(c).Split("\r\n").FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#') && !l.Contains(':'));
        if (bad != null) return $"line without name:value: '{bad}'";
        static List<string> Deterministic(string text) => text.Split("\r\n").Select(line =>
        {
            if (line.StartsWith("db", StringComparison.Ordinal) && line.Contains(":keys=", StringComparison.Ordinal))
                return ClockSkewMs > 0 ? line : line[..line.IndexOf(",avg_ttl=", StringComparison.Ordinal)];
            if (line.StartsWith("cmdstat_", StringComparison.Ordinal))
                return line[..line.IndexOf(':')] + ":" + string.Join(",", line[(line.IndexOf(':') + 1)..].Split(',').Where(f => f.StartsWith("calls=", StringComparison.Ordinal) || f.Contains("_calls=", StringComparison.Ordinal)));
            return line.StartsWith("errorstat_", StringComparison.Ordinal) ? line : null;
        }).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var od = Deterministic(Body(o));
        var cd = Deterministic(Body(c));
        var missing = od.Except(cd).FirstOrDefault();
        var extra = cd.Except(od).FirstOrDefault();
        return missing == null && extra == null ? null : $"INFO differs: Redis has '{missing}', Cinnabar '{extra}'";
    }

    /// <summary>SLOWLOG GET: the same number of entries, each with the same arguments and client name.</summary>
    private static string? SlowlogEntries(IReadOnlyList<byte[]> _, RespValue o, RespValue c)
    {
        if (o.Type != c.Type || o.Children.Count != c.Children.Count) return "entry count differs";
        for (int i = 0; i < o.Children.Count; i++)
        {
            var a = o.Children[i].Children;
            var b = c.Children[i].Children;
            if (a.Count != b.Count || a.Count < 6) return $"entry {i}: shape differs";
            if (!a[3].SameBytes(b[3]) || !a[5].SameBytes(b[5])) return $"entry {i}: arguments or client name differ: {a[3].Show(200)} {a[5]} vs {b[3].Show(200)} {b[5]}";
        }
        return null;
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


    /// <summary>Milliseconds two servers' clocks may disagree on a stream's idle time or generated ID: 1 s for scripted cases.</summary>
    private static long TimeSkewMs => ClockSkewMs == 0 ? 1000 : ClockSkewMs;

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
