using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>Strings and counters: SET and its options, GET*, ranges, INCR*, MSET*, LCS.</summary>
public sealed class StringFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        yield return Simple("GET", () => L("GET", g.Key()));
        yield return Simple("SET", () => L("SET", g.Key(), g.Value(), SetOptions(g)), 20);
        yield return Simple("SETNX", () => L("SETNX", g.Key(), g.Value()));
        yield return Simple("SETEX", () => L("SETEX", g.Key(), g.Seconds(), g.Value()));
        yield return Simple("PSETEX", () => L("PSETEX", g.Key(), g.Millis(), g.Value()));
        yield return Simple("GETSET", () => L("GETSET", g.Key(), g.Value()));
        yield return Simple("GETDEL", () => L("GETDEL", g.Key()));
        yield return Simple("GETEX", () => L("GETEX", g.Key(), g.Pick("", "PERSIST", "EX", "PX", "EXAT", "PXAT", "BAD") switch
        {
            "" => [],
            "PERSIST" => ["PERSIST"],
            "EX" => ["EX", g.Seconds()],
            "PX" => ["PX", g.Millis()],
            "EXAT" => ["EXAT", g.UnixSeconds()],
            "PXAT" => ["PXAT", g.UnixMillis()],
            _ => new[] { "BAD" },
        }));
        yield return Simple("MGET", () => L("MGET", g.Repeat(g.Key, 1, 4)));
        yield return Simple("MSET", () => L("MSET", g.KeyValues(1, 3)));
        yield return Simple("MSETNX", () => L("MSETNX", g.KeyValues(1, 3)));
        yield return Simple("APPEND", () => L("APPEND", g.Key(), g.Chance(10) ? g.LongValue() : g.Value()));
        yield return Simple("STRLEN", () => L("STRLEN", g.Key()));
        yield return Simple("INCR", () => L("INCR", g.Key()));
        yield return Simple("DECR", () => L("DECR", g.Key()));
        yield return Simple("INCRBY", () => L("INCRBY", g.Key(), g.Integer()));
        yield return Simple("DECRBY", () => L("DECRBY", g.Key(), g.Integer()));
        yield return Simple("INCRBYFLOAT", () => L("INCRBYFLOAT", g.Key(), g.Float()));
        yield return Simple("GETRANGE", () => L("GETRANGE", g.Key(), g.Integer(), g.Integer()));
        yield return Simple("SUBSTR", () => L("SUBSTR", g.Key(), g.Integer(), g.Integer()));
        yield return Simple("SETRANGE", () => L("SETRANGE", g.Key(), g.Offset(), g.Value()));
        yield return Simple("LCS", () => L("LCS", g.Key(), g.Key(), g.Maybe(30, "LEN"), g.Maybe(30, "IDX"), g.Maybe(20, "MINMATCHLEN", g.SmallInt()), g.Maybe(20, "WITHMATCHLEN")));
    }

    private static IEnumerable<string> SetOptions(Gen g)
    {
        var opts = new List<string>();
        if (g.Chance(30)) opts.Add(g.Pick("NX", "XX", "nx"));
        if (g.Chance(20)) opts.Add("GET");
        if (g.Chance(30))
        {
            switch (g.Next(5))
            {
                case 0: opts.AddRange(["EX", g.Seconds()]); break;
                case 1: opts.AddRange(["PX", g.Millis()]); break;
                case 2: opts.AddRange(["EXAT", g.UnixSeconds()]); break;
                case 3: opts.AddRange(["PXAT", g.UnixMillis()]); break;
                default: opts.Add("KEEPTTL"); break;
            }
        }
        if (g.Chance(3)) opts.Add(g.Pick("EX", "BADOPT", "PX"));
        return g.Shuffled(opts);
    }
}
