using System.Diagnostics;
using System.Text;
using Cinnabar.Commands;
using Cinnabar.Differential.Randomized;
using Cinnabar.Differential.Support;
using Xunit.Abstractions;

namespace Cinnabar.Differential;

/// <summary>
/// Seeded random steps from every family, replayed on both servers. By default the run replays a fixed list of
/// seeds (<see cref="FixedSeeds"/>: seeds that pass, so CI never fails on an unlucky seed no one has looked at);
/// CINNABAR_DIFF_SEED=N replays that seed instead, CINNABAR_DIFF_RANDOM=1 a random one (printed).
/// CINNABAR_DIFF_COMMANDS sets the commands per protocol (default <see cref="DefaultCount"/>). On a divergence the
/// steps are shrunk to a minimal reproduction and the test fails with the seed, the commands and both replies.
/// <see cref="GeneratorReachesEveryCommand"/> generates (without replaying) 100,000 commands per protocol, prints
/// how often each command was generated and fails when a command Cinnabar implements never was.
/// </summary>
[Collection(DiffCollection.Name)]
public sealed class RandomizedTests(DiffEnvironment env, ITestOutputHelper output)
{
    public const string SeedVariable = "CINNABAR_DIFF_SEED";
    public const string RandomVariable = "CINNABAR_DIFF_RANDOM";
    public const string CountVariable = "CINNABAR_DIFF_COMMANDS";

    /// <summary>Commands per protocol by default: steps are generated until they send this many (a step may send several).</summary>
    public const int DefaultCount = 40_000;

    /// <summary>
    /// The seeds CI replays: each passed a full run in both protocols when it was added. A seed that finds a
    /// divergence is fixed in src (or its reply narrowed in ReplyRules with the reason), never dropped from here.
    /// </summary>
    public static readonly int[] FixedSeeds = [3, 11];

    /// <summary>Commands the coverage check generates per protocol.</summary>
    public const int CoverageCommands = 100_000;

    /// <summary>
    /// Implemented commands the generator leaves out on purpose, because their effect cannot be compared:
    /// besides these, the 7.2 commands the 7.0 oracle lacks are left out (they can only differ).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotGenerated = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["SHUTDOWN"] = "stops the server",
        ["SAVE"] = "writes an RDB file into each server's working directory (RdbPersistenceTests and the ops suite cover it)",
        ["BGSAVE"] = "writes an RDB file into each server's working directory, in the background (RdbPersistenceTests cover it)",
        ["BGREWRITEAOF"] = "writes an AOF directory into each server's working directory, in the background (AofTests and the persistence suite cover it)",
        ["MIGRATE"] = "needs a second server as its target; its argument errors are in cases/migrate.txt, transfers in MigrateTests and the persistence suite (both directions with redis-server)",
        ["MONITOR"] = "streams every other client's commands, with timestamps, for ever",
        ["MEMORY USAGE"] = "a key's size is each server's own (its allocator, its object layout)",
        ["MEMORY STATS"] = "each server's own memory figures",
        ["MEMORY MALLOC-STATS"] = "each server's allocator's own report",
        ["MEMORY DOCTOR"] = "a report on each server's own memory figures",
        ["MEMORY PURGE"] = "asks each server's allocator to give memory back: nothing to compare but +OK, which the case files check",
        ["OBJECT IDLETIME"] = "a key holding an integer 0-9999 shares Redis's integer object, whose idle time is that of every key holding it (the case files cover it)",
    };

    /// <summary>The seeds this run replays: CINNABAR_DIFF_SEED, else a random one when CINNABAR_DIFF_RANDOM=1, else <see cref="FixedSeeds"/>.</summary>
    public static IReadOnlyList<int> Seeds { get; } =
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var s) ? [s]
        : Environment.GetEnvironmentVariable(RandomVariable) == "1" ? [Random.Shared.Next()]
        : FixedSeeds;

    /// <summary>The first seed of this run (the seeded corpus tests use it too).</summary>
    public static int Seed => Seeds[0];

    public static IEnumerable<object[]> Protocols => [[2], [3]];

    /// <summary>What the generator may produce on this build: implemented by Cinnabar and known to the oracle.</summary>
    public static bool Comparable(string name) => DiffEnvironment.Implemented(name) && (DiffEnvironment.SelfCheck || DiffEnvironment.OracleKnows(name));

    [SkippableTheory]
    [MemberData(nameof(Protocols))]
    public void RandomCommands(int protocol)
    {
        env.RequireOracle();
        Skip.If(protocol == 3 && !DiffEnvironment.Implemented("HELLO"), "not implemented yet: HELLO (for RESP3)");
        int count = int.TryParse(Environment.GetEnvironmentVariable(CountVariable), out var n) ? n : DefaultCount;
        foreach (int seed in Seeds) Replay(seed, protocol, count);
    }

    /// <summary>The generator reaches every command Cinnabar implements (and the oracle knows) in 100,000 commands.</summary>
    [Theory]
    [MemberData(nameof(Protocols))]
    public void GeneratorReachesEveryCommand(int protocol)
    {
        int seed = Seeds[0];
        var generator = new CommandGenerator(seed, Comparable, protocol);
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        int commands = 0;
        while (commands < CoverageCommands)
            foreach (var (name, times) in CommandGenerator.Counts([generator.Next()]))
            {
                counts[name] = counts.GetValueOrDefault(name) + times;
                commands += times;
            }
        var never = NeverGenerated(counts);
        output.WriteLine($"seed {seed}, RESP{protocol}: {commands} commands generated");
        output.WriteLine(CountsLine(counts, never));
        Assert.True(never.Count == 0, $"commands Cinnabar implements that the generator never produced in {commands} commands: {string.Join(", ", never)} (add them to a family in Randomized/Families, or to NotGenerated with the reason)");
    }

    private static List<string> NeverGenerated(Dictionary<string, int> counts) => CommandTable.Shared.Reference
        .Where(d => !CommandTable.Shared.Reference.Any(x => x.Parent == d) && Comparable(d.Name) && !NotGenerated.ContainsKey(d.Name) && !counts.ContainsKey(d.Name))
        .Select(d => d.Name).ToList();

    private static string CountsLine(Dictionary<string, int> counts, List<string> never)
    {
        var all = counts.Where(c => c.Key.Contains(' ') || !CommandTable.Shared.Reference.Any(x => x.Parent != null && x.Parent.Name.Equals(c.Key, StringComparison.OrdinalIgnoreCase)))
            .Select(c => (c.Key, c.Value)).Concat(never.Select(n => (n, 0))).OrderBy(c => c.Item1, StringComparer.Ordinal).ToList();
        var least = all.MinBy(c => c.Item2);
        return $"commands generated ({all.Count} commands, least: {least.Item1}={least.Item2}; below 10: {string.Join(" ", all.Where(c => c.Item2 < 10).Select(c => $"{c.Item1}={c.Item2}"))}): "
            + string.Join(" ", all.Select(c => $"{c.Item1}={c.Item2}"));
    }

    private void Replay(int seed, int protocol, int count)
    {
        var generator = new CommandGenerator(seed, Comparable, protocol);
        var steps = new List<Step>();
        int sent = 0;
        while (sent < count)
        {
            var step = generator.Next();
            steps.Add(step);
            sent += step.Commands.Count();
        }
        output.WriteLine($"seed {seed} ({SeedVariable}={seed} to reproduce), RESP{protocol}, {steps.Count} steps");
        var counts = CommandGenerator.Counts(steps);
        // (Unknown-command probes are sent but belong to no command of the table.)
        output.WriteLine($"{sent} commands sent, {counts.Values.Sum()} of them to known commands; " + CountsLine(counts, NeverGenerated(counts)));
        var newer = CommandTable.Shared.Reference.Where(d => DiffEnvironment.Implemented(d.Name) && !Comparable(d.Name) && !CommandTable.Shared.Reference.Any(x => x.Parent == d)).Select(d => d.Name);
        output.WriteLine("not generated on purpose: " + string.Join("; ", NotGenerated.Select(e => $"{e.Key} ({e.Value})")) + "; 7.2-only (the oracle lacks them): " + string.Join(" ", newer));

        var replayer = new Replayer(env, protocol);
        var watch = Stopwatch.StartNew();
        var divergence = replayer.Replay(steps);
        output.WriteLine($"replayed {(divergence == null ? steps.Count : divergence.Index + 1)} steps in {watch.Elapsed.TotalSeconds:F1} s; {replayer.Tolerated.Count} accepted divergences");
        foreach (var t in replayer.Tolerated.Distinct().Take(50)) output.WriteLine("accepted divergence: " + t);
        if (divergence == null) return;
        // A divergence because the oracle is gone (killed, crashed) cannot be shrunk: say so with what it printed.
        if (env.Oracle!.HasExited)
            throw new InvalidOperationException($"the oracle stopped during the run, at step {divergence.Index + 1} ({divergence.Command}): {env.Oracle.Describe()}");

        var shrinkWatch = Stopwatch.StartNew();
        var (minimal, last) = Shrinker.Shrink(replayer, steps, divergence, TimeSpan.FromSeconds(120));
        var transcript = new List<string>();
        bool reproduced = replayer.Replay(minimal, oneByOneFrom: minimal.Count - 1, transcript: transcript) != null;
        var sb = new StringBuilder();
        sb.AppendLine($"Randomized differential run diverged: seed {seed}, RESP{protocol}, at step {divergence.Index + 1} of {steps.Count} (diverging: {last.Command}).");
        sb.AppendLine($"Reproduce: {SeedVariable}={seed} dotnet test tests/Cinnabar.Differential --filter RandomCommands");
        sb.AppendLine($"Minimal reproduction ({minimal.Count} steps on empty servers, fresh connection{(protocol == 3 ? " after HELLO 3" : "")}; shrunk in {shrinkWatch.Elapsed.TotalSeconds:F1} s), with the oracle's replies:");
        foreach (var line in transcript.TakeLast(60)) sb.AppendLine("  " + line);
        sb.AppendLine($"  redis:    {last.Oracle.Show()}");
        sb.AppendLine($"  cinnabar: {last.Cinnabar.Show()}");
        sb.AppendLine($"  ({last.Reason})");
        if (!reproduced) sb.AppendLine("  NOTE: the last replay of this list did not diverge: the divergence depends on timing or randomness.");
        Assert.Fail(sb.ToString());
    }
}
