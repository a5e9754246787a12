using System.Diagnostics;
using System.Text;
using Cinnabar.Differential.Support;
using Xunit.Abstractions;

namespace Cinnabar.Differential;

/// <summary>
/// HyperLogLogs must be Redis's to the byte: one million seeded random PFADDs into 100 keys (a few large
/// enough to turn dense, most staying sparse, with PFCOUNTs in between so the cached cardinality is set
/// and invalidated), then every key's PFCOUNT, GET, unions of 10 keys and PFMERGE results compared with
/// redis-server byte for byte. Pipelined in batches, so the whole run takes seconds.
/// </summary>
[Collection(DiffCollection.Name)]
public sealed class HyperLogLogExactnessTests(DiffEnvironment env, ITestOutputHelper output)
{
    private const int Keys = 100;
    private const int Adds = 1_000_000;
    private const int Batch = 20_000;

    [SkippableFact]
    public void MillionRandomAddsMatchRedisByteForByte()
    {
        env.RequireOracle();
        env.FlushBoth();
        int seed = RandomizedTests.Seed;
        output.WriteLine($"seed {seed} ({RandomizedTests.SeedVariable}={seed} to reproduce)");
        var random = new Random(seed);
        using var pair = env.Connect(2);
        var watch = Stopwatch.StartNew();

        var batch = new List<IReadOnlyList<byte[]>>(Batch);
        for (int i = 0; i < Adds; i++)
        {
            // Key i gets weight 1/(i+1): a handful of keys hold most elements and turn dense, the tail stays sparse.
            var key = Key(PickSkewed(random));
            batch.Add(random.Next(100) == 0
                ? [Bytes("PFCOUNT"), key]
                : [Bytes("PFADD"), key, RandomElement(random)]);
            if (batch.Count == Batch) Compare(pair, batch);
        }
        Compare(pair, batch);

        for (int k = 0; k < Keys; k++)
        {
            batch.Add([Bytes("PFCOUNT"), Key(k)]);
            batch.Add([Bytes("GET"), Key(k)]);
            batch.Add([Bytes("PFDEBUG"), Bytes("ENCODING"), Key(k)]);
        }
        for (int u = 0; u < 50; u++)
        {
            var union = new List<byte[]> { Bytes("PFCOUNT") };
            for (int j = 0; j < 10; j++) union.Add(Key(random.Next(Keys)));
            batch.Add(union);
            var merge = new List<byte[]> { Bytes("PFMERGE"), Bytes("merged:" + u) };
            merge.AddRange(union.Skip(1));
            batch.Add(merge);
            batch.Add([Bytes("GET"), Bytes("merged:" + u)]);
            batch.Add([Bytes("PFCOUNT"), Bytes("merged:" + u)]);
        }
        Compare(pair, batch);
        output.WriteLine($"{Adds} commands and the checks compared in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static void Compare(DiffPair pair, List<IReadOnlyList<byte[]>> batch)
    {
        var (oracle, cinnabar) = pair.Pipeline(batch);
        for (int i = 0; i < batch.Count; i++)
        {
            if (oracle[i].SameBytes(cinnabar[i])) continue;
            Assert.Fail($"{Encoding.ASCII.GetString(batch[i][0])} {Encoding.ASCII.GetString(batch[i][1])} differs:\n" +
                        $"redis-server: {oracle[i].Show(300)}\ncinnabar:     {cinnabar[i].Show(300)}");
        }
        batch.Clear();
    }

    private static int PickSkewed(Random random)
    {
        // Inverse of the harmonic weights: exp(U * ln(Keys + 1)) - 1 lands on key i with weight ≈ 1/(i+1).
        int k = (int)(Math.Exp(random.NextDouble() * Math.Log(Keys + 1)) - 1);
        return Math.Min(k, Keys - 1);
    }

    private static byte[] RandomElement(Random random)
    {
        // Mostly distinct binary elements of every length class MurmurHash64A treats differently (tails of 0..7 bytes).
        var element = new byte[random.Next(0, 24)];
        random.NextBytes(element);
        return element;
    }

    private static byte[] Key(int k) => Bytes("hll:" + k);
    private static byte[] Bytes(string s) => Encoding.ASCII.GetBytes(s);
}
