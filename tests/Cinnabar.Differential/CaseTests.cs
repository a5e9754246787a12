using Cinnabar.Differential.Cases;
using Cinnabar.Differential.Support;
using Xunit.Abstractions;

namespace Cinnabar.Differential;

/// <summary>
/// The scripted cases of cases/*.txt: one test per block and protocol. A block whose commands Cinnabar's
/// table does not have yet is skipped with the list of what it needs, so partial builds stay green.
/// </summary>
[Collection(DiffCollection.Name)]
public sealed class CaseTests(DiffEnvironment env, ITestOutputHelper output)
{
    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var b in CaseFile.LoadAll())
            foreach (var p in b.Protocols.Order())
                data.Add(b.Id, p);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Blocks))]
    public void Case(string block, int protocol)
    {
        env.RequireOracle();
        var b = CaseFile.LoadAll().Single(x => x.Id == block);
        var missing = b.Requires.Where(n => !DiffEnvironment.Implemented(n)).Order().ToList();
        if (protocol == 3 && !DiffEnvironment.Implemented("HELLO")) missing.Add("HELLO (for RESP3)");
        Skip.If(missing.Count > 0, "not implemented yet: " + string.Join(", ", missing));

        var runner = new CaseRunner(env, b, protocol);
        runner.Run();
        output.WriteLine($"{block} RESP{protocol}: {runner.Compared} replies compared");
        foreach (var t in runner.Tolerated) output.WriteLine(t);
        if (runner.Failures.Count > 0)
            Assert.Fail($"{runner.Failures.Count} reply mismatch(es) between redis-server and Cinnabar:\n\n" + string.Join("\n\n", runner.Failures));
    }
}
