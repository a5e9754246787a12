using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>
/// Streams: entries with explicit IDs (or "ms-*", which numbers the sequence the same way on both servers), consumer
/// groups, pending entries, claims, trimming, and XREAD/XREADGROUP BLOCK served by another connection's XADD. An ID
/// from the clock ("*") appears only in a step that deletes its stream right after: every later reply would carry it.
/// </summary>
public sealed class StreamFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        // IDs grow through the run so that most XADDs succeed; some go back (an error on both servers).
        long top = 0;
        string NextId()
        {
            if (g.Chance(10)) return g.Pick("0-0", "0-1", "1", "5-*", "abc", "-1", "18446744073709551615-18446744073709551615", "3-");
            top += g.Next(0, 3);
            return g.Chance(30) ? $"{top}-*" : $"{top}-{g.Next(0, 4)}";
        }
        string AnyId() => g.Pick(top.ToString(), $"{g.Next(0, (int)Math.Min(top + 2, 1000))}-{g.Next(0, 3)}", "0", "0-0", "-", "+", "$", ">", "abc", "(1", $"{Math.Max(0, top - 3)}");
        // The IDs last added to each key with an explicit ID: range bounds drawn from them, inclusive or exclusive,
        // land on entries that exist (where an off-by-one shows).
        var added = new Dictionary<string, List<string>>();
        void Remember(string key, string id)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(id, @"^[0-9]+-[0-9]+$")) return;
            if (!added.TryGetValue(key, out var ids)) added[key] = ids = [];
            ids.Add(id);
            if (ids.Count > 16) ids.RemoveAt(0);
        }
        string Added(string key) => added.TryGetValue(key, out var ids) ? ids[g.Next(ids.Count)] : AnyId();
        string Start(string key) => g.Pick("-", "0", "(0-1", $"{Math.Max(0, top - 5)}", $"({Math.Max(0, top - 5)}-0", "abc", "+", "(" + Added(key), Added(key));
        string End(string key) => g.Pick("+", $"{top}", $"{Math.Max(0, top - 2)}-9", "(" + top, "-", "0", "(" + Added(key), Added(key));
        List<string> Fields() => L(g.Pairs(1, 3, g.Member, () => g.Chance(10) ? g.LongValue() : g.Value()));
        string Group() => g.Pick("g1", "g1", "g2", "nosuch");
        string Consumer() => g.Pick("c1", "c2", "c3");
        List<string> Trim() => g.Chance(70)
            ? L(g.Pick("MAXLEN", "MINID"), g.Maybe(40, g.Pick("=", "~")), g.Pick("0", "1", "3", "10", $"{Math.Max(0, top - 4)}", "-1", "abc"), g.Maybe(10, "LIMIT", g.Pick("0", "10", "100")))
            : [];

        yield return Simple("XADD", () =>
        {
            string key = g.Key();
            var options = L(g.Maybe(10, "NOMKSTREAM"), g.Chance(20) ? Trim() : new List<string>());
            string id = NextId();
            Remember(key, id);
            return L("XADD", key, options, id, Fields());
        }, 20);
        // 100-300 entries of one stream: several radix-tree nodes (100 entries per node by default).
        yield return new Producer("XADD", () =>
        {
            string key = g.Key();
            var step = new Step();
            for (int i = 0, n = g.Next(100, 300); i < n; i++)
            {
                step.Call(L("XADD", key, $"{++top}-0", "f", g.Chance(5) ? g.LongValue() : i.ToString()));
                if (i % 20 == 0) Remember(key, $"{top}-0");
            }
            return step;
        }, 1);
        // An ID from each server's clock: the rule for XADD accepts IDs within the clock skew, and the stream goes at once.
        yield return new Producer("XADD", () =>
        {
            string key = g.Key();
            return new Step().Call(L("DEL", key)).Call(L("XADD", key, g.Pick("*", $"{g.Next(0, 5)}-*"), "f", "v")).Call(L("DEL", key));
        }, 1);
        yield return Simple("XLEN", () => L("XLEN", g.Key()));
        yield return Simple("XRANGE", () => { string key = g.Key(); return L("XRANGE", key, Start(key), End(key), g.Maybe(40, "COUNT", g.SmallInt())); });
        yield return Simple("XREVRANGE", () => { string key = g.Key(); return L("XREVRANGE", key, End(key), Start(key), g.Maybe(40, "COUNT", g.SmallInt())); });
        yield return Simple("XDEL", () => L("XDEL", g.Key(), g.Repeat(AnyId, 1, 3)));
        yield return Simple("XTRIM", () => L("XTRIM", g.Key(), g.Pick("MAXLEN", "MINID", "BAD"), g.Maybe(40, g.Pick("=", "~")), g.Pick("0", "2", "10", $"{Math.Max(0, top - 3)}", "-1", "abc"), g.Maybe(15, "LIMIT", g.Pick("0", "10", "-1"))));
        yield return Simple("XREAD", () =>
        {
            var keys = g.Repeat(g.Key, 1, 2);
            return L("XREAD", g.Maybe(40, "COUNT", g.SmallInt()), "STREAMS", keys, keys.Select(_ => AnyId()).Take(g.Chance(95) ? keys.Count : keys.Count - 1));
        });
        yield return Simple("XSETID", () => L("XSETID", g.Key(), AnyId(), g.Maybe(30, "ENTRIESADDED", g.SmallInt()), g.Maybe(20, "MAXDELETEDID", AnyId())), 3);

        // Consumer groups.
        yield return Simple("XGROUP CREATE", () => L("XGROUP", "CREATE", g.Key(), Group(), g.Pick("$", "0", "-", AnyId()), g.Maybe(40, "MKSTREAM"), g.Maybe(15, "ENTRIESREAD", g.SmallInt())), 6);
        yield return Simple("XGROUP SETID", () => L("XGROUP", "SETID", g.Key(), Group(), g.Pick("$", "0", AnyId()), g.Maybe(15, "ENTRIESREAD", g.SmallInt())), 3);
        yield return Simple("XGROUP DESTROY", () => L("XGROUP", "DESTROY", g.Key(), Group()), 2);
        yield return Simple("XGROUP CREATECONSUMER", () => L("XGROUP", "CREATECONSUMER", g.Key(), Group(), Consumer()), 3);
        yield return Simple("XGROUP DELCONSUMER", () => L("XGROUP", "DELCONSUMER", g.Key(), Group(), Consumer()), 3);
        yield return Simple("XGROUP HELP", () => L("XGROUP", "HELP"), 1);
        yield return Simple("XREADGROUP", () =>
        {
            var keys = g.Repeat(g.Key, 1, 2);
            return L("XREADGROUP", "GROUP", Group(), Consumer(), g.Maybe(40, "COUNT", g.SmallInt()), g.Maybe(15, "NOACK"), "STREAMS", keys,
                keys.Select(_ => g.Chance(70) ? ">" : AnyId()));
        }, 12);
        yield return Simple("XACK", () => L("XACK", g.Key(), Group(), g.Repeat(AnyId, 1, 3)), 6);
        // Idle times differ by the clock skew (see ReplyRules.PendingEntries); IDLE filters use 0 or huge values.
        yield return Simple("XPENDING", () => { string key = g.Key(); return L("XPENDING", key, Group(),
            g.Chance(60) ? L(g.Maybe(20, "IDLE", g.Pick("0", "100000000")), Start(key), End(key), g.SmallInt(), g.Maybe(40, Consumer())) : new List<string>()); }, 6);
        yield return Simple("XCLAIM", () => L("XCLAIM", g.Key(), Group(), Consumer(), g.Pick("0", "0", "100000000", "-1", "abc"), g.Repeat(AnyId, 1, 3),
            g.Shuffled(L(g.Maybe(15, "IDLE", g.Pick("0", "5000000")), g.Maybe(15, "TIME", g.Pick("1000", "4102444800000")), g.Maybe(15, "RETRYCOUNT", g.SmallInt()),
                g.Maybe(15, "FORCE"), g.Maybe(25, "JUSTID"), g.Maybe(10, "LASTID", AnyId())))), 5);
        yield return Simple("XAUTOCLAIM", () => { string key = g.Key(); return L("XAUTOCLAIM", key, Group(), Consumer(), g.Pick("0", "0", "100000000", "-1"), Start(key),
            g.Maybe(40, "COUNT", g.Pick("1", "2", "10", "0", "-1")), g.Maybe(25, "JUSTID")); }, 5);
        yield return Simple("XINFO STREAM", () => L("XINFO", "STREAM", g.Key()), 4);
        yield return Simple("XINFO GROUPS", () => L("XINFO", "GROUPS", g.Key()), 4);
        yield return Simple("XINFO CONSUMERS", () => L("XINFO", "CONSUMERS", g.Key(), Group()), 3);
        yield return Simple("XINFO HELP", () => L("XINFO", "HELP"), 1);

        // Blocking reads, served by an XADD with an ID above everything so far.
        yield return Blocking.Producer(g, "XREAD", keys => L("XREAD", g.Maybe(30, "COUNT", g.SmallInt()), "BLOCK", g.Pick("0", "0", "-1", "abc"), "STREAMS", keys, keys.Select(_ => "$")),
            (g2, key) => L("XADD", key, $"{top += 1000}-1", "f", "v"));
        yield return Blocking.Producer(g, "XREADGROUP", keys => L("XREADGROUP", "GROUP", "g1", Consumer(), "BLOCK", g.Pick("0", "0", "-1"), g.Maybe(15, "NOACK"), "STREAMS", keys, keys.Select(_ => ">")),
            (g2, key) => g2.Next(10) switch
            {
                // A deleted stream or a destroyed group ends the wait with an error, as in Redis.
                0 => L("DEL", key),
                1 => L("XGROUP", "DESTROY", key, "g1"),
                _ => L("XADD", key, $"{top += 1000}-1", "f", "v"),
            });
    }
}
