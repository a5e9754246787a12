using Cinnabar.Differential.Comparison;
using Cinnabar.Differential.Support;
using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>The keyspace: existence, types, expiry, renames, copies across databases, KEYS/SCAN/RANDOMKEY, OBJECT, SORT.</summary>
public sealed class KeyFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        yield return Simple("DEL", () => L("DEL", g.Repeat(g.Key, 1, 3)));
        yield return Simple("UNLINK", () => L("UNLINK", g.Repeat(g.Key, 1, 3)));
        yield return Simple("EXISTS", () => L("EXISTS", g.Repeat(g.Key, 1, 3)));
        yield return Simple("TOUCH", () => L("TOUCH", g.Repeat(g.Key, 1, 3)));
        yield return Simple("TYPE", () => L("TYPE", g.Key()));
        string Condition() => g.Pick("NX", "XX", "GT", "LT", "BAD");
        yield return Simple("EXPIRE", () => L("EXPIRE", g.Key(), g.Seconds(), g.Maybe(30, Condition())));
        yield return Simple("PEXPIRE", () => L("PEXPIRE", g.Key(), g.Millis(), g.Maybe(30, Condition())));
        yield return Simple("EXPIREAT", () => L("EXPIREAT", g.Key(), g.UnixSeconds(), g.Maybe(30, Condition())));
        yield return Simple("PEXPIREAT", () => L("PEXPIREAT", g.Key(), g.UnixMillis(), g.Maybe(30, Condition())));
        yield return Simple("TTL", () => L("TTL", g.Key()));
        yield return Simple("PTTL", () => L("PTTL", g.Key()));
        yield return Simple("EXPIRETIME", () => L("EXPIRETIME", g.Key()));
        yield return Simple("PEXPIRETIME", () => L("PEXPIRETIME", g.Key()));
        yield return Simple("PERSIST", () => L("PERSIST", g.Key()));
        yield return Simple("RENAME", () => L("RENAME", g.Key(), g.Key()));
        yield return Simple("RENAMENX", () => L("RENAMENX", g.Key(), g.Key()));
        yield return Simple("COPY", () => L("COPY", g.Key(), g.Key(), g.Maybe(40, "DB", g.Db()), g.Maybe(40, "REPLACE")));
        yield return Simple("MOVE", () => L("MOVE", g.Key(), g.Db()));
        yield return Simple("KEYS", () => L("KEYS", g.Pick("*", "k*", "k[0-2]", "?", "*1", "a*", "k\\*", "[", "b*")));
        // SCAN pages depend on each server's table layout: a scan is compared by the union of a full iteration
        // (after EXISTS over the whole key space has reclaimed expired keys, which SCAN would reclaim in table
        // order). Invalid cursors are single error replies.
        yield return new Producer("SCAN", () => g.Chance(10)
            ? Step.Of(L("SCAN", g.Pick("abc", "1.5", "-"), ScanOptions(g, withType: true)))
            : Purge().ScanAll(L("SCAN", "0", ScanOptions(g, withType: true))));
        // RANDOMKEY picks at random: after the same purge, the pick must be one of the keys KEYS lists.
        yield return new Producer("RANDOMKEY", () => new Step { Check = (o, c) => RandomChecks.PickedFrom(c[1], o[2], "RANDOMKEY") }
            .Call(PurgeArgs).Call(L("RANDOMKEY")).Call(L("KEYS", "*")));
        yield return Simple("OBJECT ENCODING", () => L("OBJECT", "ENCODING", g.Key()));
        yield return Simple("OBJECT REFCOUNT", () => L("OBJECT", "REFCOUNT", g.Key()));
        yield return Simple("OBJECT FREQ", () => L("OBJECT", "FREQ", g.Key()));
        yield return Simple("OBJECT HELP", () => L("OBJECT", "HELP"), 1);
        // DUMP's bytes follow each server's element order for hashtable sets and hashes: compared by kind (the
        // RDB type byte) and length; then Redis's payload is restored on both servers and the values compared.
        yield return new Producer("DUMP", () =>
        {
            string target = g.Key();
            return new Step { Check = (o, c) => SameDumpShape(o[0], c[0]) }
                .Call(L("DUMP", g.Key()), compared: false)
                .CallDynamic((o, _) => [Gen.Bytes("RESTORE"), Gen.Bytes(target), Gen.Bytes("0"), o[0] is { IsNull: false, IsError: false } p ? p.Payload : [], Gen.Bytes("REPLACE")], compared: true)
                .Call(L("DEBUG", "DIGEST-VALUE", target));
        });
        // A relative TTL of a few milliseconds would expire between the two servers' reads: only absolute ones (one
        // long past, one far ahead) or a relative one of years.
        yield return Simple("RESTORE", () => Restore(g, "RESTORE"));
        // What MIGRATE sends in a cluster; outside one both servers run it as RESTORE.
        yield return Simple("RESTORE-ASKING", () => Restore(g, "RESTORE-ASKING"), 2);
        yield return Simple("SORT", () => L("SORT", g.Key(), SortOptions(g, store: true)));
        yield return Simple("SORT_RO", () => L("SORT_RO", g.Key(), SortOptions(g, store: false)));
    }

    private static List<string> Restore(Gen g, string command)
    {
        bool absolute = g.Chance(25);
        string ttl = absolute ? g.Pick("0", "1", "99999999999999") : g.Pick("0", "0", "-1", "abc", "99999999999999");
        return L(command, g.Key(), ttl, g.Pick(RestorePayloads), g.Shuffled([.. g.Maybe(40, "REPLACE"), .. absolute ? ["ABSTTL"] : Array.Empty<string>(),
            .. g.Maybe(10, "IDLETIME", g.Pick("10", "-1", "x")), .. g.Maybe(10, "FREQ", g.Pick("5", "300"))]));
    }

    /// <summary>Payloads redis-server 7.0.15 dumped (a string, an integer, a list, an intset, a sorted set and a hash listpack), a damaged one and a checksum mismatch.</summary>
    private static readonly string[] RestorePayloads = new[]
    {
        "000568656c6c6f0a006372df766534200a", "00c139300a009d94ea2793fc08b9",
        "120102151500000005008161028162020101dffe02816302ff0a007833ac0f6db4b776",
        "0b140400000003000000fdffffff05000000a08601000a006d306c6cccb96cee",
        "111a1a0000000600816302dffd02816102010181620283322e3504ff0a00a68a1ab1a9f2dcc2",
        "10151500000004008266310382763103826632030201ff0a005c5ea813feec1ff5",
        "0e0568656c6c6f0a009becbef9b4ecedb2", "000568656c6c700a006372df766534200a",
    }.Select(hex => System.Text.Encoding.Latin1.GetString(Convert.FromHexString(hex))).ToArray();

    /// <summary>Both null, or both a payload of the same RDB type and length (the order inside may differ).</summary>
    private static string? SameDumpShape(RespValue? oracle, RespValue? cinnabar)
    {
        if (oracle == null || cinnabar == null || oracle.IsNull != cinnabar.IsNull || oracle.IsError != cinnabar.IsError) return $"DUMP: {oracle} vs {cinnabar}";
        if (oracle.IsNull || oracle.IsError) return oracle.SameBytes(cinnabar) ? null : $"DUMP: {oracle} vs {cinnabar}";
        // A quicklist's node boundaries depend on how the list was built (Redis 7.0's SORT STORE fills nodes by the
        // default size whatever list-max-listpack-size says): only its type is compared.
        const byte quicklist = 18;
        bool sameLength = oracle.Payload.Length == cinnabar.Payload.Length || oracle.Payload[0] == quicklist;
        return sameLength && oracle.Payload[0] == cinnabar.Payload[0] ? null
            : $"DUMP payloads differ in type or length: {oracle} vs {cinnabar}";
    }

    /// <summary>EXISTS over every key of the pool: reclaims expired keys in a fixed order (lazy expiry).</summary>
    public static readonly List<string> PurgeArgs = L("EXISTS", Keys);

    public static Step Purge() => Step.Of(PurgeArgs);

    public static IEnumerable<string> ScanOptions(Gen g, bool withType)
    {
        var opts = new List<string>();
        if (g.Chance(40)) opts.AddRange(["MATCH", g.Pick("*", "k*", "k[0-2]", "?", "*1", "a*", "[", "m1*")]);
        if (g.Chance(40)) opts.AddRange(["COUNT", g.Pick("1", "2", "10", "100", "0", "-1", "abc")]);
        if (withType && g.Chance(20)) opts.AddRange(["TYPE", g.Pick("string", "list", "set", "zset", "hash", "nosuch")]);
        return g.Shuffled(opts);
    }

    // BY without '*' does not sort (a set then comes in its table order), and ALPHA leaves ties of BY weights (and
    // of strings equal up to a NUL byte) in no defined order: see ReplyRules.SortRule, which compares those
    // loosely, so they never get LIMIT or GET (or, with ALPHA, STORE), which would pick, group or keep that order.
    private static List<string> SortOptions(Gen g, bool store)
    {
        var opts = new List<string>();
        bool alpha = g.Chance(40);
        bool noSort = g.Chance(15);
        bool byPattern = !noSort && g.Chance(20);
        if (noSort) opts.AddRange(["BY", "nosort"]);
        else if (byPattern) opts.AddRange(["BY", g.Pick("k*", "w_*", "h*->a", "*")]);
        bool free = noSort || byPattern && alpha;
        if (!free && g.Chance(25)) opts.AddRange(["LIMIT", g.SmallInt(), g.SmallInt()]);
        if (!free && g.Chance(25)) foreach (var p in g.Repeat(() => alpha ? "#" : g.Pick("#", "k*", "h*->a", "nosuch*"), 1, 2)) opts.AddRange(["GET", p]);
        if (g.Chance(30)) opts.Add(g.Pick("ASC", "DESC"));
        if (alpha) opts.Add("ALPHA");
        if (store && !alpha && g.Chance(20)) opts.AddRange(["STORE", g.Key()]); // ALPHA ties would be stored in quicksort's order
        if (g.Chance(3)) opts.Add(g.Pick("BADOPT", "LIMIT"));
        return opts;
    }
}
