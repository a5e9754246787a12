using System.Diagnostics;
using System.Text;
using Cinnabar.Commands;
using Cinnabar.Differential.Randomized;
using Cinnabar.Differential.Support;
using Xunit.Abstractions;

namespace Cinnabar.Differential;

/// <summary>
/// Seeded random steps (CINNABAR_DIFF_SEED, else random and printed; CINNABAR_DIFF_COMMANDS, default
/// DefaultCount per protocol) from every family, replayed on both servers. Prints how often each command was generated and fails
/// when a command Cinnabar implements was never generated (see <see cref="NotGenerated"/>). On a divergence the
/// steps are shrunk to a minimal reproduction and the test fails with the seed, the commands and both replies.
/// </summary>
[Collection(DiffCollection.Name)]
public sealed class RandomizedTests(DiffEnvironment env, ITestOutputHelper output)
{
    public const string SeedVariable = "CINNABAR_DIFF_SEED";
    public const string CountVariable = "CINNABAR_DIFF_COMMANDS";

    /// <summary>Steps per protocol by default (about 40,000 commands: a step may send several).</summary>
    public const int DefaultCount = 30_000;

    /// <summary>Below this many steps, a command at 0 is not a failure (quick local runs).</summary>
    public const int CoverageCheckedFrom = 20_000;

    /// <summary>
    /// Implemented commands the generator leaves out on purpose, because their effect cannot be compared:
    /// besides these, the 7.2 commands the 7.0 oracle lacks are left out (they can only differ).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotGenerated = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["SHUTDOWN"] = "stops the server",
        ["MONITOR"] = "streams every other client's commands, with timestamps, for ever",
        ["OBJECT IDLETIME"] = "a key holding an integer 0-9999 shares Redis's integer object, whose idle time is that of every key holding it (the case files cover it)",
    };

    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var s) ? s : Random.Shared.Next();

    /// <summary>What the generator may produce on this build: implemented by Cinnabar and known to the oracle.</summary>
    public static bool Comparable(string name) => DiffEnvironment.Implemented(name) && (DiffEnvironment.SelfCheck || DiffEnvironment.OracleKnows(name));

    [SkippableTheory]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomCommands(int protocol)
    {
        env.RequireOracle();
        Skip.If(protocol == 3 && !DiffEnvironment.Implemented("HELLO"), "not implemented yet: HELLO (for RESP3)");
        int count = int.TryParse(Environment.GetEnvironmentVariable(CountVariable), out var n) ? n : DefaultCount;
        var generator = new CommandGenerator(Seed, Comparable, protocol);
        output.WriteLine($"seed {Seed} ({SeedVariable}={Seed} to reproduce), RESP{protocol}, {count} steps");

        var steps = new List<Step>(count);
        for (int i = 0; i < count; i++) steps.Add(generator.Next());
        var counts = CommandGenerator.Counts(steps);
        output.WriteLine("commands generated: " + string.Join(" ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")));
        var never = CommandTable.Shared.Reference
            .Where(d => !CommandTable.Shared.Reference.Any(x => x.Parent == d) && Comparable(d.Name) && !NotGenerated.ContainsKey(d.Name) && !counts.ContainsKey(d.Name))
            .Select(d => d.Name).ToList();
        var newer = CommandTable.Shared.Reference.Where(d => DiffEnvironment.Implemented(d.Name) && !Comparable(d.Name) && !CommandTable.Shared.Reference.Any(x => x.Parent == d)).Select(d => d.Name);
        output.WriteLine("not generated on purpose: " + string.Join("; ", NotGenerated.Select(e => $"{e.Key} ({e.Value})")) + "; 7.2-only (the oracle lacks them): " + string.Join(" ", newer));

        var replayer = new Replayer(env, protocol);
        var watch = Stopwatch.StartNew();
        var divergence = replayer.Replay(steps);
        output.WriteLine($"replayed {(divergence == null ? count : divergence.Index + 1)} steps in {watch.Elapsed.TotalSeconds:F1} s; {replayer.Tolerated.Count} accepted divergences");
        foreach (var t in replayer.Tolerated.Distinct().Take(50)) output.WriteLine("accepted divergence: " + t);
        if (divergence == null)
        {
            if (count >= CoverageCheckedFrom)
                Assert.True(never.Count == 0, $"commands Cinnabar implements that the generator never produced in {count} steps: {string.Join(", ", never)} (add them to a family in Randomized/Families, or to NotGenerated with the reason)");
            return;
        }

        var shrinkWatch = Stopwatch.StartNew();
        var (minimal, last) = Shrinker.Shrink(replayer, steps, divergence, TimeSpan.FromSeconds(120));
        var transcript = new List<string>();
        bool reproduced = replayer.Replay(minimal, oneByOneFrom: minimal.Count - 1, transcript: transcript) != null;
        var sb = new StringBuilder();
        sb.AppendLine($"Randomized differential run diverged: seed {Seed}, RESP{protocol}, at step {divergence.Index + 1} of {count} (diverging: {last.Command}).");
        sb.AppendLine($"Reproduce: {SeedVariable}={Seed} dotnet test tests/Cinnabar.Differential --filter RandomCommands");
        sb.AppendLine($"Minimal reproduction ({minimal.Count} steps on empty servers, fresh connection{(protocol == 3 ? " after HELLO 3" : "")}; shrunk in {shrinkWatch.Elapsed.TotalSeconds:F1} s), with the oracle's replies:");
        foreach (var line in transcript.TakeLast(60)) sb.AppendLine("  " + line);
        sb.AppendLine($"  redis:    {last.Oracle.Show()}");
        sb.AppendLine($"  cinnabar: {last.Cinnabar.Show()}");
        sb.AppendLine($"  ({last.Reason})");
        if (!reproduced) sb.AppendLine("  NOTE: the last replay of this list did not diverge: the divergence depends on timing or randomness.");
        Assert.Fail(sb.ToString());
    }
}
