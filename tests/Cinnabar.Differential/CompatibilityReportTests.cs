using Cinnabar.Commands;
using Cinnabar.Differential.Cases;
using Cinnabar.Differential.Randomized;
using Cinnabar.Differential.Support;

namespace Cinnabar.Differential;

[Collection(DiffCollection.Name)]
public sealed class CompatibilityReportTests(DiffEnvironment env)
{
    /// <summary>
    /// Writes docs/COMPATIBILITY.md when CINNABAR_WRITE_COMPAT=1, after running every runnable case block and a
    /// 20000-command randomized run per protocol, so a command that fails the suite is not reported as matching.
    /// Without the variable it only checks that the report builds, with one row per reference entry.
    /// </summary>
    [SkippableFact]
    public void CompatibilityReport()
    {
        var text = Compat.CompatibilityReport.Build();
        string commandSection = text.Split("\n# Configuration directives")[0];
        int rows = commandSection.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal)) - 2; // header and separator
        Assert.Equal(CommandTable.Shared.Reference.Count, rows);
        Skip.If(Environment.GetEnvironmentVariable(Compat.CompatibilityReport.WriteVariable) != "1",
            $"report built ({rows} rows) but not written; run {Compat.CompatibilityReport.RegenerateCommand}");
        env.RequireOracle();

        var diverging = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var block in CaseFile.LoadAll())
        {
            if (block.Requires.Any(n => !DiffEnvironment.Implemented(n))) continue;
            foreach (var protocol in block.Protocols)
            {
                if (protocol == 3 && !DiffEnvironment.Implemented("HELLO")) continue;
                var runner = new CaseRunner(env, block, protocol);
                runner.Run();
                foreach (var name in runner.FailedCommands) diverging.TryAdd(name, $"case {block.Id} (RESP{protocol})");
            }
        }
        foreach (var protocol in new[] { 2, 3 })
        {
            if (protocol == 3 && !DiffEnvironment.Implemented("HELLO")) continue;
            var generator = new CommandGenerator(RandomizedTests.Seed, RandomizedTests.Comparable, protocol);
            var commands = Enumerable.Range(0, 20_000).Select(_ => generator.Next()).ToList();
            if (new Replayer(env, protocol).Replay(commands) is { } d)
                diverging.TryAdd(d.Command, $"randomized run (seed {RandomizedTests.Seed}, RESP{protocol})");
        }
        var path = Path.Combine(Compat.CompatibilityReport.RepositoryRoot(), "docs", "COMPATIBILITY.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Compat.CompatibilityReport.Build(diverging));
    }
}
