using Cinnabar.Differential.Comparison;
using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>Hashes, in both encodings (the bulk builder crosses 128 fields and 64-byte values).</summary>
public sealed class HashFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        // Values over 64 bytes in 15% of fields: small hashes turn into hashtables, and HSTRLEN/HGET meet long values.
        string FieldValue() => g.Chance(15) ? g.LongValue() : g.Value();
        yield return Simple("HSET", () => L("HSET", g.Key(), g.Pairs(1, 3, g.Member, FieldValue)), 15);
        yield return Simple("HSET", () => L("HSET", g.Key(), g.Pairs(100, 160, g.BulkMember, () => g.Chance(20) ? g.LongValue() : g.Value())), 2);
        yield return Simple("HSETNX", () => L("HSETNX", g.Key(), g.Member(), FieldValue()));
        yield return Simple("HMSET", () => L("HMSET", g.Key(), g.FieldValues(1, 3)));
        yield return Simple("HGET", () => L("HGET", g.Key(), g.Member()));
        yield return Simple("HMGET", () => L("HMGET", g.Key(), g.Repeat(g.Member, 1, 3)));
        yield return Simple("HDEL", () => L("HDEL", g.Key(), g.Repeat(g.Member, 1, 3)));
        yield return Simple("HEXISTS", () => L("HEXISTS", g.Key(), g.Member()));
        yield return Simple("HLEN", () => L("HLEN", g.Key()));
        yield return Simple("HSTRLEN", () => L("HSTRLEN", g.Key(), g.Member()), 10);
        // A field written then read back at once (on any key of the pool: other types answer WRONGTYPE): its length
        // and value whatever the encoding the write left.
        yield return new Producer("HSTRLEN", () =>
        {
            string key = g.Key(), field = g.Member();
            return Step.Of(L("HSET", key, field, FieldValue())).Call(L("HSTRLEN", key, field)).Call(L("HGET", key, field));
        }, 10);
        yield return Simple("HINCRBY", () => L("HINCRBY", g.Key(), g.Member(), g.Integer()));
        yield return Simple("HINCRBYFLOAT", () => L("HINCRBYFLOAT", g.Key(), g.Member(), g.Float()));
        yield return Simple("HGETALL", () => L("HGETALL", g.Key()));
        yield return Simple("HKEYS", () => L("HKEYS", g.Key()));
        yield return Simple("HVALS", () => L("HVALS", g.Key()));
        // A random pick: same shape and count (ReplyRules), and every field (with its value) one HGETALL lists.
        yield return new Producer("HRANDFIELD", () =>
        {
            string key = g.Key();
            bool withValues = g.Chance(30);
            return new Step { Check = (o, c) => RandomChecks.PickedFrom(c[0], o[1], "HRANDFIELD", listingHasValues: true, pickHasValues: withValues) }
                .Call(L("HRANDFIELD", key, withValues ? L(g.SmallInt(), "WITHVALUES") : L(g.Maybe(70, g.SmallInt()))))
                .Call(L("HGETALL", key));
        });
        yield return new Producer("HSCAN", () => new Step().ScanAll(L("HSCAN", g.Key(), "0", KeyFamily.ScanOptions(g, withType: false))));
    }
}
