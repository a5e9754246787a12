using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>
/// HyperLogLog: sparse registers, and the bulk builder's thousands of elements that pass hll-sparse-max-bytes and
/// turn a key dense; merges of both; PFDEBUG's views of the registers; strings that are not HLLs (WRONGTYPE/INVALIDOBJ).
/// </summary>
public sealed class HyperLogLogFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        yield return Simple("PFADD", () => L("PFADD", g.Key(), g.Repeat(() => g.Chance(70) ? g.BulkMember() : g.Member(), 0, 5)), 15);
        yield return Simple("PFADD", () => L("PFADD", g.Key(), g.Repeat(() => "e" + g.Next(0, 100_000), 1000, 4000)), 1);
        yield return Simple("PFCOUNT", () => L("PFCOUNT", g.Repeat(g.Key, 1, 3)), 10);
        yield return Simple("PFMERGE", () => L("PFMERGE", g.Key(), g.Repeat(g.Key, 0, 3)), 6);
        yield return Simple("PFDEBUG", () => L("PFDEBUG", g.Pick("GETREG", "DECODE", "ENCODING", "TODENSE", "NOSUCH"), g.Key()), 3);
        // Redis's own self test: a few hundred milliseconds on each server, so rare.
        yield return Simple("PFSELFTEST", () => L("PFSELFTEST"), 1);
    }
}
