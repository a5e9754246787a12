using Cinnabar.Differential.Comparison;
using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>Sorted sets in both encodings (the bulk builder crosses 128 members and 64-byte members), ranges, algebra, blocking pops.</summary>
public sealed class SortedSetFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        yield return Simple("ZADD", () => L("ZADD", g.Key(), g.Maybe(20, g.Pick("NX", "XX")), g.Maybe(15, g.Pick("GT", "LT")), g.Maybe(20, "CH"), g.Maybe(10, "INCR"), g.ScoreMembers(1, 3)), 15);
        yield return Simple("ZADD", () => L("ZADD", g.Key(), g.Pairs(100, 200, () => g.Next(-50, 50).ToString(), () => g.Chance(5) ? g.LongValue() : g.BulkMember())), 2);
        yield return Simple("ZREM", () => L("ZREM", g.Key(), g.Repeat(g.Member, 1, 3)));
        yield return Simple("ZSCORE", () => L("ZSCORE", g.Key(), g.Member()));
        yield return Simple("ZMSCORE", () => L("ZMSCORE", g.Key(), g.Repeat(g.Member, 1, 3)));
        yield return Simple("ZINCRBY", () => L("ZINCRBY", g.Key(), g.Float(), g.Member()));
        yield return Simple("ZCARD", () => L("ZCARD", g.Key()));
        yield return Simple("ZCOUNT", () => L("ZCOUNT", g.Key(), Min(g), Max(g)));
        // Lexicographic ranges are defined only over equal scores (Redis's order is otherwise its own walk of
        // the skip list): they run on a key of their own whose members all score 0.
        yield return new Producer("ZLEXCOUNT", () => Lex(g, L("ZLEXCOUNT", LexKey, LexMin(g), LexMax(g))));
        yield return Simple("ZRANGE", () => L("ZRANGE", g.Key(), RangeTail(g)));
        yield return Simple("ZRANGESTORE", () => L("ZRANGESTORE", g.Key(), g.Key(), RangeTail(g, scores: false)));
        yield return Simple("ZRANGEBYSCORE", () => L("ZRANGEBYSCORE", g.Key(), Min(g), Max(g), g.Maybe(30, "WITHSCORES"), Limit(g)));
        yield return Simple("ZREVRANGEBYSCORE", () => L("ZREVRANGEBYSCORE", g.Key(), Max(g), Min(g), g.Maybe(30, "WITHSCORES"), Limit(g)));
        yield return new Producer("ZRANGEBYLEX", () => Lex(g, L("ZRANGEBYLEX", LexKey, LexMin(g), LexMax(g), Limit(g))));
        yield return new Producer("ZREVRANGEBYLEX", () => Lex(g, L("ZREVRANGEBYLEX", LexKey, LexMax(g), LexMin(g), Limit(g))));
        yield return new Producer("ZRANGE", () => Lex(g, L("ZRANGE", LexKey, LexMin(g), LexMax(g), "BYLEX", g.Maybe(30, "REV"), g.Maybe(20, "LIMIT", g.SmallInt(), g.SmallInt()))), 4);
        yield return Simple("ZREVRANGE", () => L("ZREVRANGE", g.Key(), g.SmallInt(), g.SmallInt(), g.Maybe(30, "WITHSCORES")));
        yield return Simple("ZRANK", () => L("ZRANK", g.Key(), g.Member()));
        yield return Simple("ZREVRANK", () => L("ZREVRANK", g.Key(), g.Member()));
        yield return Simple("ZPOPMIN", () => L("ZPOPMIN", g.Key(), g.Maybe(40, g.SmallInt())));
        yield return Simple("ZPOPMAX", () => L("ZPOPMAX", g.Key(), g.Maybe(40, g.SmallInt())));
        yield return Simple("ZMPOP", () => L("ZMPOP", g.Pick("1", "2", "0"), g.Repeat(g.Key, 1, 2), g.Pick("MIN", "MAX", "MID"), g.Maybe(40, "COUNT", g.SmallInt())));
        yield return Simple("ZREMRANGEBYRANK", () => L("ZREMRANGEBYRANK", g.Key(), g.SmallInt(), g.SmallInt()));
        yield return Simple("ZREMRANGEBYSCORE", () => L("ZREMRANGEBYSCORE", g.Key(), Min(g), Max(g)));
        yield return new Producer("ZREMRANGEBYLEX", () => Lex(g, L("ZREMRANGEBYLEX", LexKey, LexMin(g), LexMax(g))));
        yield return Simple("ZUNIONSTORE", () => L("ZUNIONSTORE", g.Key(), Sources(g)));
        yield return Simple("ZINTERSTORE", () => L("ZINTERSTORE", g.Key(), Sources(g)));
        yield return Simple("ZDIFFSTORE", () => L("ZDIFFSTORE", g.Key(), g.Pick("1", "2", "0"), g.Repeat(g.Key, 1, 2)));
        yield return Simple("ZUNION", () => L("ZUNION", Sources(g), g.Maybe(40, "WITHSCORES")));
        yield return Simple("ZINTER", () => L("ZINTER", Sources(g), g.Maybe(40, "WITHSCORES")));
        yield return Simple("ZDIFF", () => L("ZDIFF", g.Pick("1", "2", "0"), g.Repeat(g.Key, 1, 2), g.Maybe(40, "WITHSCORES")));
        yield return Simple("ZINTERCARD", () => L("ZINTERCARD", g.Pick("1", "2", "0", "-1"), g.Repeat(g.Key, 1, 2), g.Maybe(30, "LIMIT", g.SmallInt())));
        yield return new Producer("ZRANDMEMBER", () =>
        {
            string key = g.Key();
            bool withScores = g.Chance(30);
            return new Step { Check = (o, c) => RandomChecks.PickedFrom(c[0], o[1], "ZRANDMEMBER", listingHasValues: true, pickHasValues: withScores) }
                .Call(L("ZRANDMEMBER", key, withScores ? L(g.SmallInt(), "WITHSCORES") : L(g.Maybe(70, g.SmallInt()))))
                .Call(L("ZRANGE", key, "0", "-1", "WITHSCORES"));
        });
        yield return new Producer("ZSCAN", () => new Step().ScanAll(L("ZSCAN", g.Key(), "0", KeyFamily.ScanOptions(g, withType: false))));

        yield return Blocking.Producer(g, "BZPOPMIN", keys => L("BZPOPMIN", keys, Timeout(g)), Add);
        yield return Blocking.Producer(g, "BZPOPMAX", keys => L("BZPOPMAX", keys, Timeout(g)), Add);
        yield return Blocking.Producer(g, "BZMPOP", keys => L("BZMPOP", Timeout(g), keys.Count.ToString(), keys, g.Pick("MIN", "MAX"), g.Maybe(40, "COUNT", g.SmallInt())), Add);
    }

    private const string LexKey = "lex";

    /// <summary>Adds a few members at score 0 to the lex key, then runs the command on it.</summary>
    private static Step Lex(Gen g, List<string> command) =>
        Step.Of(L("ZADD", LexKey, g.Pairs(0, 3, () => "0", () => g.Chance(20) ? g.BulkMember() : g.Member()), "0", "a")).Call(command);

    private static List<string> Add(Gen g, string key) => L("ZADD", key, g.ScoreMembers(1, 3));
    private static string Timeout(Gen g) => g.Chance(90) ? g.Pick("0", "0", "100") : g.Pick("-1", "abc", "inf");
    private static string Min(Gen g) => g.Pick("-inf", "(1", "0", "2.5", "abc", "(-5", "-10");
    private static string Max(Gen g) => g.Pick("+inf", "(5", "10", "3", "nan", "inf");
    private static string LexMin(Gen g) => g.Pick("-", "[a", "(b", "a", "[m1", "+");
    private static string LexMax(Gen g) => g.Pick("+", "[c", "(d", "[m5", "-");
    private static IEnumerable<string> Limit(Gen g) => g.Maybe(20, "LIMIT", g.SmallInt(), g.SmallInt());

    private static List<string> Sources(Gen g)
    {
        var keys = g.Repeat(g.Key, 1, 3);
        var t = L(g.Chance(95) ? keys.Count.ToString() : g.Pick("0", "-1", "5"), keys);
        if (g.Chance(20)) t.AddRange(L("WEIGHTS", keys.Select(_ => g.Float())));
        if (g.Chance(20)) t.AddRange(L("AGGREGATE", g.Pick("SUM", "MIN", "MAX", "BAD")));
        return t;
    }

    private static List<string> RangeTail(Gen g, bool scores = true)
    {
        var t = new List<string>();
        if (g.Chance(50)) t.AddRange([g.SmallInt(), g.SmallInt()]);
        else t.AddRange([Min(g), Max(g), "BYSCORE"]);
        if (g.Chance(30)) t.Add("REV");
        if (g.Chance(20)) t.AddRange(["LIMIT", g.SmallInt(), g.SmallInt()]);
        if (scores && g.Chance(40)) t.Add("WITHSCORES");
        return t;
    }
}
