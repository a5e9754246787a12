using Cinnabar.Differential.Comparison;
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
        yield return Simple("SORT", () => L("SORT", g.Key(), SortOptions(g, store: true)));
        yield return Simple("SORT_RO", () => L("SORT_RO", g.Key(), SortOptions(g, store: false)));
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
