using System.Text;
using Cinnabar.Differential.Comparison;
using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Randomized;

/// <summary>
/// Plays a list of commands on both servers from a clean state (both emptied, fresh connections in the given
/// protocol), pipelined in batches, and finds the first divergence.
/// </summary>
public sealed class Replayer(DiffEnvironment env, int protocol)
{
    public const int BatchSize = 500;

    /// <summary>Divergences on commands listed as accepted are counted here instead of failing.</summary>
    public int Tolerated { get; private set; }

    /// <summary>
    /// Replays <paramref name="commands"/>; those from index <paramref name="oneByOneFrom"/> on are sent one at a
    /// time, so a server that drops the connection mid-batch is caught at the exact command.
    /// </summary>
    public Divergence? Replay(IReadOnlyList<byte[][]> commands, int oneByOneFrom = int.MaxValue, List<(RespValue, RespValue)>? transcript = null)
    {
        env.FlushBoth();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var pair = env.Connect(protocol);
        if (pair.Hello is { } hello && ReplyRules.Compare([Encoding.ASCII.GetBytes("HELLO"), "3"u8.ToArray()], hello.Oracle, hello.Cinnabar) is { } helloDiff)
            return new Divergence(-1, "HELLO 3", hello.Oracle, hello.Cinnabar, helloDiff);
        for (int start = 0, size; start < commands.Count; start += size)
        {
            size = start >= oneByOneFrom ? 1 : Math.Min(BatchSize, Math.Max(1, oneByOneFrom - start));
            var batch = commands.Skip(start).Take(size).Select(c => (IReadOnlyList<byte[]>)c).ToList();
            List<RespValue> o, c;
            try { (o, c) = pair.Pipeline(batch); }
            catch (Exception e) when (e is TimeoutException || e.InnerException is TimeoutException)
            {
                throw new TimeoutException($"batch at command {start} after {clock.Elapsed.TotalSeconds:F1} s; Cinnabar then: {env.DescribeCinnabar()}", e);
            }
            for (int i = 0; i < batch.Count; i++)
            {
                transcript?.Add((o[i], c[i]));
                // Timings of a replay are those of pipelined batches, even for the commands sent one by one.
                ReplyRules.PipelinedSkewMs = (long)clock.Elapsed.TotalMilliseconds + 1000;
                var reason = ReplyRules.Compare(batch[i], o[i], c[i]);
                ReplyRules.PipelinedSkewMs = 0;
                if (reason == null) continue;
                if (AcceptedDivergences.For(Cases.CaseFile.NeededCommand(batch[i])) != null) { Tolerated++; continue; }
                return new Divergence(start + i, Name(batch[i]), o[i], c[i], reason);
            }
        }
        return null;
    }

    /// <summary>
    /// Finds the exact command behind a divergence seen in a pipelined batch: when a server closed the
    /// connection, the replies of the whole batch are lost, so the batch is replayed one command at a time.
    /// </summary>
    public (List<byte[][]> Commands, Divergence Divergence) Pinpoint(List<byte[][]> commands, Divergence d)
    {
        if (d.Oracle.Type != '\0' && d.Cinnabar.Type != '\0') return (commands.Take(d.Index + 1).ToList(), d);
        int batchStart = d.Index / BatchSize * BatchSize;
        var prefix = commands.Take(batchStart + BatchSize).ToList();
        var precise = Replay(prefix, oneByOneFrom: batchStart) ?? d;
        return (prefix.Take(precise.Index + 1).ToList(), precise);
    }

    public static string Name(IReadOnlyList<byte[]> command) => Cases.CaseFile.NeededCommand(command) ?? Encoding.UTF8.GetString(command[0]).ToUpperInvariant();
}
