using Cinnabar.Differential.Comparison;
using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>Sets in all three encodings (intset, listpack, hashtable: the bulk builder crosses 128 members).</summary>
public sealed class SetFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        yield return Simple("SADD", () => L("SADD", g.Key(), g.Repeat(g.Member, 1, 4)), 15);
        yield return Simple("SADD", () => L("SADD", g.Key(), g.Repeat(g.BulkMember, 100, 200)), 2);
        yield return Simple("SADD", () => L("SADD", g.Key(), g.Repeat(() => g.Next(-300, 300).ToString(), 1, 20)), 3);
        yield return Simple("SREM", () => L("SREM", g.Key(), g.Repeat(g.Member, 1, 3)));
        yield return Simple("SCARD", () => L("SCARD", g.Key()));
        yield return Simple("SISMEMBER", () => L("SISMEMBER", g.Key(), g.Member()));
        yield return Simple("SMISMEMBER", () => L("SMISMEMBER", g.Key(), g.Repeat(g.Member, 1, 3)));
        yield return Simple("SMEMBERS", () => L("SMEMBERS", g.Key()));
        yield return Simple("SINTER", () => L("SINTER", g.Repeat(g.Key, 1, 3)));
        yield return Simple("SUNION", () => L("SUNION", g.Repeat(g.Key, 1, 3)));
        yield return Simple("SDIFF", () => L("SDIFF", g.Repeat(g.Key, 1, 3)));
        yield return Simple("SINTERCARD", () => L("SINTERCARD", g.Pick("1", "2", "0", "-1", "abc"), g.Repeat(g.Key, 1, 2), g.Maybe(30, "LIMIT", g.SmallInt())));
        yield return Simple("SINTERSTORE", () => L("SINTERSTORE", g.Key(), g.Repeat(g.Key, 1, 3)));
        yield return Simple("SUNIONSTORE", () => L("SUNIONSTORE", g.Key(), g.Repeat(g.Key, 1, 3)));
        yield return Simple("SDIFFSTORE", () => L("SDIFFSTORE", g.Key(), g.Repeat(g.Key, 1, 3)));
        yield return Simple("SMOVE", () => L("SMOVE", g.Key(), g.Key(), g.Member()));
        yield return new Producer("SRANDMEMBER", () =>
        {
            string key = g.Key();
            return new Step { Check = (o, c) => RandomChecks.PickedFrom(c[0], o[1], "SRANDMEMBER") }
                .Call(L("SRANDMEMBER", key, g.Maybe(60, g.SmallInt()))).Call(L("SMEMBERS", key));
        });
        // SPOP removes random members: they must have been members (SMEMBERS before), and then the members either
        // server popped are removed on both (not compared), so the two sets are equal again.
        yield return new Producer("SPOP", () =>
        {
            string key = g.Key();
            var spop = L("SPOP", key, g.Maybe(60, g.SmallInt()));
            return new Step { Check = (o, c) => RandomChecks.PickedFrom(c[1], o[0], "SPOP") }
                .Call(L("SMEMBERS", key)).Call(spop)
                .CallDynamic((o, c) => RandomChecks.RemoveEither("SREM", key, o[1], c[1]));
        });
        yield return new Producer("SSCAN", () => new Step().ScanAll(L("SSCAN", g.Key(), "0", KeyFamily.ScanOptions(g, withType: false))));
    }
}
