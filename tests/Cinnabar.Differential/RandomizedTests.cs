using System.Diagnostics;
using System.Text;
using Cinnabar.Differential.Randomized;
using Cinnabar.Differential.Support;
using Xunit.Abstractions;

namespace Cinnabar.Differential;

/// <summary>
/// Seeded random commands (CINNABAR_DIFF_SEED, else random and printed; CINNABAR_DIFF_COMMANDS, default
/// 100000 per protocol) sent to both servers in pipelined batches. On a divergence the command list is shrunk
/// to a minimal reproduction and the test fails with the seed, the commands and both replies.
/// </summary>
[Collection(DiffCollection.Name)]
public sealed class RandomizedTests(DiffEnvironment env, ITestOutputHelper output)
{
    public const string SeedVariable = "CINNABAR_DIFF_SEED";
    public const string CountVariable = "CINNABAR_DIFF_COMMANDS";

    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var s) ? s : Random.Shared.Next();

    [SkippableTheory]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomCommands(int protocol)
    {
        env.RequireOracle();
        Skip.If(protocol == 3 && !DiffEnvironment.Implemented("HELLO"), "not implemented yet: HELLO (for RESP3)");
        int count = int.TryParse(Environment.GetEnvironmentVariable(CountVariable), out var n) ? n : 100_000;
        var generator = new CommandGenerator(Seed, DiffEnvironment.Implemented);
        var names = generator.CommandNames.ToList();
        output.WriteLine($"seed {Seed} ({SeedVariable}={Seed} to reproduce), RESP{protocol}, {count} commands over {names.Count} commands: {string.Join(" ", names)}");

        var commands = new List<byte[][]>(count);
        for (int i = 0; i < count; i++) commands.Add(generator.Next());
        var replayer = new Replayer(env, protocol);
        var watch = Stopwatch.StartNew();
        var divergence = replayer.Replay(commands);
        output.WriteLine($"compared {(divergence == null ? count : divergence.Index + 1)} replies in {watch.Elapsed.TotalSeconds:F1} s; {replayer.Tolerated} accepted divergences");
        if (divergence == null) return;

        var shrinkWatch = Stopwatch.StartNew();
        var (minimal, last) = Shrinker.Shrink(replayer, commands, divergence, TimeSpan.FromSeconds(120));
        var transcript = new List<(RespValue Oracle, RespValue Cinnabar)>();
        bool reproduced = replayer.Replay(minimal, oneByOneFrom: minimal.Count - 1, transcript: transcript) != null;
        var sb = new StringBuilder();
        sb.AppendLine($"Randomized differential run diverged: seed {Seed}, RESP{protocol}, in the batch of command {divergence.Index + 1} of {count} (diverging command: {last.Command}).");
        sb.AppendLine($"Reproduce: {SeedVariable}={Seed} dotnet test tests/Cinnabar.Differential --filter RandomCommands");
        sb.AppendLine($"Minimal reproduction ({minimal.Count} commands on empty servers, fresh connection{(protocol == 3 ? " after HELLO 3" : "")}; shrunk in {shrinkWatch.Elapsed.TotalSeconds:F1} s):");
        for (int i = 0; i < minimal.Count; i++)
        {
            sb.AppendLine("  " + RespValue.Quote(minimal[i]));
            if (i < transcript.Count && i < minimal.Count - 1) sb.AppendLine("      -> " + transcript[i].Oracle.Show(200));
        }
        sb.AppendLine($"  redis:    {last.Oracle.Show()}");
        sb.AppendLine($"  cinnabar: {last.Cinnabar.Show()}");
        sb.AppendLine($"  ({last.Reason})");
        if (!reproduced) sb.AppendLine("  NOTE: the last replay of this list did not diverge: the divergence depends on timing or randomness.");
        Assert.Fail(sb.ToString());
    }
}
