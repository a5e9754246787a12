using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>
/// Lists (one listpack node, and many-node quicklists from the bulk builder's long values), and their blocking
/// pops, which a second connection issues and the main one serves.
/// </summary>
public sealed class ListFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        yield return Simple("LPUSH", () => L("LPUSH", g.Key(), g.Repeat(g.Member, 1, 3)), 15);
        yield return Simple("RPUSH", () => L("RPUSH", g.Key(), g.Repeat(g.Member, 1, 3)), 15);
        // 100-300 values of 65-200 bytes: several 8 KB quicklist nodes.
        yield return Simple("RPUSH", () => L("RPUSH", g.Key(), g.Repeat(() => g.Chance(70) ? g.LongValue() : g.Member(), 100, 300)), 2);
        yield return Simple("LPUSHX", () => L("LPUSHX", g.Key(), g.Repeat(g.Member, 1, 2)));
        yield return Simple("RPUSHX", () => L("RPUSHX", g.Key(), g.Repeat(g.Member, 1, 2)));
        yield return Simple("LPOP", () => L("LPOP", g.Key(), g.Maybe(40, g.SmallInt())));
        yield return Simple("RPOP", () => L("RPOP", g.Key(), g.Maybe(40, g.SmallInt())));
        yield return Simple("LLEN", () => L("LLEN", g.Key()));
        yield return Simple("LRANGE", () => L("LRANGE", g.Key(), Index(g), Index(g)));
        yield return Simple("LINDEX", () => L("LINDEX", g.Key(), Index(g)));
        yield return Simple("LSET", () => L("LSET", g.Key(), Index(g), g.Chance(10) ? g.LongValue() : g.Member()));
        yield return Simple("LINSERT", () => L("LINSERT", g.Key(), g.Pick("BEFORE", "AFTER", "bad"), g.Member(), g.Member()));
        yield return Simple("LREM", () => L("LREM", g.Key(), g.SmallInt(), g.Member()));
        yield return Simple("LTRIM", () => L("LTRIM", g.Key(), Index(g), Index(g)));
        yield return Simple("LPOS", () => L("LPOS", g.Key(), g.Member(), g.Maybe(30, "RANK", g.SmallInt()), g.Maybe(30, "COUNT", g.SmallInt()), g.Maybe(20, "MAXLEN", g.SmallInt())));
        // LPOS on a short list of three repeated members, rebuilt each time: RANK, COUNT and MAXLEN then meet
        // matches at their very edges (a MAXLEN that stops one element early or late changes the answer).
        yield return new Producer("LPOS", () => Step.Of(L("DEL", PosKey)).Call(L("RPUSH", PosKey, g.Repeat(() => g.Pick("a", "b", "c"), 1, 12)))
            .Call(L("LPOS", PosKey, g.Pick("a", "b", "c", "d"), g.Maybe(40, "RANK", g.Pick("1", "2", "3", "-1", "-2", "-3")),
                g.Maybe(40, "COUNT", g.Pick("0", "1", "2", "3")), g.Maybe(60, "MAXLEN", g.Next(0, 13).ToString()))), 6);
        yield return Simple("LMOVE", () => L("LMOVE", g.Key(), g.Key(), Side(g), g.Pick("LEFT", "RIGHT", "UP")));
        yield return Simple("RPOPLPUSH", () => L("RPOPLPUSH", g.Key(), g.Key()));
        yield return Simple("LMPOP", () => L("LMPOP", g.Pick("1", "2", "0"), g.Repeat(g.Key, 1, 2), g.Pick("LEFT", "RIGHT", "MIDDLE"), g.Maybe(40, "COUNT", g.SmallInt())));

        // Blocking pops: answered at once when there is data (or an error), else served by the main connection.
        yield return Blocking.Producer(g, "BLPOP", keys => L("BLPOP", keys, Timeout(g)), Push);
        yield return Blocking.Producer(g, "BRPOP", keys => L("BRPOP", keys, Timeout(g)), Push);
        yield return Blocking.Producer(g, "BLMOVE", keys => L("BLMOVE", keys[0], g.Key(), Side(g), Side(g), Timeout(g)), Push);
        yield return Blocking.Producer(g, "BRPOPLPUSH", keys => L("BRPOPLPUSH", keys[0], g.Key(), Timeout(g)), Push);
        yield return Blocking.Producer(g, "BLMPOP", keys => L("BLMPOP", Timeout(g), keys.Count.ToString(), keys, Side(g), g.Maybe(40, "COUNT", g.SmallInt())), Push);
    }

    /// <summary>The key of the LPOS list (outside the shared key pool, so other commands do not change it between its steps).</summary>
    private const string PosKey = "lpos";

    private static List<string> Push(Gen g, string key) => L(g.Pick("LPUSH", "RPUSH"), key, g.Repeat(g.Member, 1, 3));

    private static string Index(Gen g) => g.Chance(80) ? g.SmallInt() : g.Next(-320, 320).ToString();
    private static string Side(Gen g) => g.Pick("LEFT", "RIGHT");

    // 0 waits until served; the rest are errors (negative, not a number) or, for a client served at once, unused.
    private static string Timeout(Gen g) => g.Chance(90) ? g.Pick("0", "0", "100", "0.5e3") : g.Pick("-1", "abc", "inf", "-0.5");
}
