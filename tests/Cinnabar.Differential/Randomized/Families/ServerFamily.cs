using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>
/// Server-wide commands: databases (SELECT, DBSIZE, FLUSHDB/FLUSHALL, SWAPDB), INFO, CONFIG, COMMAND, DEBUG,
/// TIME/LASTSAVE. CONFIG SET only touches the parameters <see cref="Settable"/> lists, which every replay resets.
/// </summary>
public sealed class ServerFamily : ICommandFamily
{
    /// <summary>Parameters the generator may change, with the value each replay starts from (Redis's defaults, and all events on).</summary>
    public static readonly (string Name, string Start, string[] Values)[] Settable =
    [
        ("notify-keyspace-events", "KEA", ["KEA", "", "Kg$", "E$lshzxe", "Kx", "AKE", "Kd", "Kt", "bad!"]),
        ("hash-max-listpack-entries", "128", ["128", "2", "0"]),
        ("hash-max-listpack-value", "64", ["64", "3"]),
        ("set-max-intset-entries", "512", ["512", "3"]),
        ("zset-max-listpack-entries", "128", ["128", "2"]),
        ("zset-max-listpack-value", "64", ["64", "3"]),
        ("list-max-listpack-size", "-2", ["-2", "4", "1", "-1"]),
        ("maxmemory-policy", "noeviction", ["noeviction", "volatile-lru", "allkeys-lru"]),
    ];

    public IEnumerable<Producer> Producers(Gen g)
    {
        yield return Simple("SELECT", () => L("SELECT", g.Db()));
        yield return Simple("DBSIZE", () => L("DBSIZE"));
        yield return Simple("FLUSHDB", () => L("FLUSHDB", g.Maybe(50, g.Pick("ASYNC", "SYNC", "BAD"))), 2);
        yield return Simple("FLUSHALL", () => L("FLUSHALL", g.Maybe(50, g.Pick("ASYNC", "SYNC", "BAD"))), 1);
        yield return Simple("SWAPDB", () => L("SWAPDB", g.Db(), g.Db()), 3);
        yield return Simple("INFO", () => L("INFO", g.Chance(80) ? L(g.Pick("keyspace", "commandstats", "errorstats", "keyspace", "server", "clients", "stats", "memory", "persistence", "nosuch")) : L(g.Pick("default", "all", "everything"))), 4);
        yield return Simple("TIME", () => L("TIME"), 1);
        yield return Simple("LASTSAVE", () => L("LASTSAVE"), 1);
        yield return Simple("CONFIG GET", () => L("CONFIG", "GET", g.Repeat(() => g.Pick([.. Settable.Select(s => s.Name), "maxmemory", "hash-max-*", "zset-*-value", "nosuch", "databases", "timeout"]), 1, 2)));
        yield return Simple("CONFIG SET", () =>
        {
            var (name, _, values) = Settable[g.Next(Settable.Length)];
            return L("CONFIG", "SET", name, g.Pick(values));
        }, 4);
        yield return Simple("CONFIG RESETSTAT", () => L("CONFIG", "RESETSTAT"), 1);
        yield return Simple("CONFIG REWRITE", () => L("CONFIG", "REWRITE"), 1);
        yield return Simple("CONFIG HELP", () => L("CONFIG", "HELP"), 1);
        yield return Simple("COMMAND", () => L("COMMAND"), 1);
        yield return Simple("COMMAND COUNT", () => L("COMMAND", "COUNT"), 1);
        yield return Simple("COMMAND LIST", () => L("COMMAND", "LIST", g.Maybe(30, "FILTERBY", g.Pick("PATTERN", "ACLCAT", "MODULE"), g.Pick("z*", "hash", "nosuch"))), 1);
        yield return Simple("COMMAND INFO", () => L("COMMAND", "INFO", g.Repeat(() => g.Pick("get", "set", "zadd", "client|list", "nosuch", "config"), 0, 2)), 2);
        yield return Simple("COMMAND DOCS", () => L("COMMAND", "DOCS", g.Repeat(() => g.Pick("get", "lpush", "nosuch"), 1, 2)), 2);
        yield return Simple("COMMAND GETKEYS", () => L("COMMAND", "GETKEYS", KeyedCommand(g)), 3);
        yield return Simple("COMMAND GETKEYSANDFLAGS", () => L("COMMAND", "GETKEYSANDFLAGS", KeyedCommand(g)), 3);
        yield return Simple("COMMAND HELP", () => L("COMMAND", "HELP"), 1);
        yield return Simple("ROLE", () => L("ROLE"), 1);
        // Without replicas WAIT answers at once; a timeout never runs out.
        yield return Simple("WAIT", () => L("WAIT", g.Pick("0", "0", "-1", "abc"), g.Pick("0", "100", "-1", "abc")), 1);
        yield return Simple("LOLWUT", () => L("LOLWUT", g.Maybe(30, "VERSION", g.Pick("5", "6", "7", "abc"))), 1);
        // Every replay starts with slowlog-log-slower-than -1 and latency-monitor-threshold 0: nothing is logged, so
        // the logs compare exactly whatever each server's speed (their formats are checked by the case files).
        yield return Simple("SLOWLOG GET", () => L("SLOWLOG", "GET", g.Maybe(50, g.Pick("1", "10", "-1", "abc"))), 1);
        yield return Simple("SLOWLOG LEN", () => L("SLOWLOG", "LEN"), 1);
        yield return Simple("SLOWLOG RESET", () => L("SLOWLOG", "RESET"), 1);
        yield return Simple("SLOWLOG HELP", () => L("SLOWLOG", "HELP"), 1);
        yield return Simple("LATENCY LATEST", () => L("LATENCY", "LATEST"), 1);
        yield return Simple("LATENCY HISTORY", () => L("LATENCY", "HISTORY", g.Pick("command", "fast-command", "nosuch")), 1);
        yield return Simple("LATENCY RESET", () => L("LATENCY", "RESET", g.Repeat(() => g.Pick("command", "fast-command", "nosuch"), 0, 2)), 1);
        yield return Simple("LATENCY HELP", () => L("LATENCY", "HELP"), 1);
        yield return Simple("LATENCY DOCTOR", () => L("LATENCY", "DOCTOR"), 1);
        yield return Simple("LATENCY GRAPH", () => L("LATENCY", "GRAPH", g.Pick("command", "fast-command", "nosuch")), 1);
        yield return Simple("LATENCY HISTOGRAM", () => L("LATENCY", "HISTOGRAM", g.Repeat(() => g.Pick("get", "set", "nosuch", "client|list", "zadd"), 0, 2)), 1);
        yield return Simple("MEMORY HELP", () => L("MEMORY", "HELP"), 1);
        yield return Simple("DEBUG", () => L("DEBUG", g.Pick("OBJECT", "OBJECT", "SLEEP", "NOSUCH", "PROTOCOL"), g.Chance(80) ? g.Pick(g.Key(), "0", "attrib", "map") : ""), 3);
    }

    private static List<string> KeyedCommand(Gen g) => g.Pick("SET", "GET", "MSET", "ZUNIONSTORE", "SORT", "LMPOP", "BLPOP", "NOSUCH", "PING", "DEL") switch
    {
        "SET" => L("SET", g.Key(), g.Value()),
        "GET" => L("GET", g.Key()),
        "MSET" => L("MSET", g.KeyValues(1, 3)),
        "ZUNIONSTORE" => L("ZUNIONSTORE", g.Key(), g.Pick("2", "1", "0", "x"), g.Key(), g.Key()),
        "SORT" => L("SORT", g.Key(), g.Maybe(50, "STORE", g.Key())),
        "LMPOP" => L("LMPOP", g.Pick("1", "2", "0"), g.Key(), g.Key(), "LEFT"),
        "BLPOP" => L("BLPOP", g.Key(), g.Key(), "0"),
        var other => L(other, g.Key()),
    };
}
