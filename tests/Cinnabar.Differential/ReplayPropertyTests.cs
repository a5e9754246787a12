using System.Diagnostics;
using System.Text;
using Cinnabar.Commands;
using Cinnabar.Differential.Randomized;
using Cinnabar.Differential.Support;
using Cinnabar.Propagation;
using Cinnabar.Storage;
using Xunit.Abstractions;

namespace Cinnabar.Differential;

/// <summary>
/// The effects stream's property: for random workloads (the differential generator's mix, plus MULTI/EXEC,
/// blocking pops served by pushes, SPOP and times to live that expire during the run, lazily and by the
/// active cycle), replaying the stream into an empty server gives the same DEBUG DIGEST as the original.
/// In-process servers and clients, no sockets. The first seed is 1 unless CINNABAR_REPLAY_SEED gives one or
/// CINNABAR_REPLAY_RANDOM=1 asks for a random one; CINNABAR_REPLAY_WORKLOADS sets the number of workloads (4).
/// </summary>
public sealed class ReplayPropertyTests(ITestOutputHelper output)
{
    public const string SeedVariable = "CINNABAR_REPLAY_SEED";
    public const string WorkloadsVariable = "CINNABAR_REPLAY_WORKLOADS";
    public const string RandomVariable = "CINNABAR_REPLAY_RANDOM";
    private static readonly int Workloads = int.TryParse(Environment.GetEnvironmentVariable(WorkloadsVariable), out var n) ? n : 4;
    private const int CommandsPerWorkload = 100_000;

    /// <summary>Commands between digest checkpoints (CINNABAR_REPLAY_CHECK_EVERY=1 finds the first diverging command).</summary>
    private static readonly int CheckpointEvery = int.TryParse(Environment.GetEnvironmentVariable("CINNABAR_REPLAY_CHECK_EVERY"), out var c) ? c : 2_000;

    [Fact]
    public void ReplayingTheEffectsStreamGivesTheSameDigest()
    {
        // A fixed first seed unless asked (CI must not fail on a seed no one has looked at); CINNABAR_REPLAY_RANDOM=1 draws one.
        int first = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var s) ? s
            : Environment.GetEnvironmentVariable(RandomVariable) == "1" ? Random.Shared.Next() : 1;
        output.WriteLine($"first seed {first} ({SeedVariable}={first} to reproduce)");
        var watch = Stopwatch.StartNew();
        long streamBytes = 0;
        for (int w = 0; w < Workloads; w++) streamBytes += RunAndReplay(unchecked(first + w));
        output.WriteLine($"{Workloads} workloads of {CommandsPerWorkload} commands replayed with equal digests in {watch.Elapsed.TotalSeconds:F1} s ({streamBytes / 1024} KB of effects)");
    }

    /// <summary>
    /// Runs one workload while a replica replays its effects stream; at every checkpoint both digests must be
    /// equal, so a divergence anywhere in the run shows (not only in its last state). Returns the stream's size.
    /// </summary>
    private static int RunAndReplay(int seed)
    {
        var rng = new Random(seed);
        var server = new CinnabarServer();
        var stream = new EffectsStream();
        server.Propagator.Attach(stream);
        var replica = new CinnabarServer { Loading = true };
        var loader = new LocalClient(replica);
        int replayed = 0;
        var generator = new CommandGenerator(seed, DiffEnvironment.Implemented);
        var main = new LocalClient(server);
        var waiters = new[] { new LocalClient(server), new LocalClient(server), new LocalClient(server) };
        var recent = new Queue<string>();
        Assert.Equal("$6\r\nreplay\r\n", Encoding.ASCII.GetString(main.Run(Args("FUNCTION", "LOAD", RunEachLibrary))));
        string Key() => Gen.Keys[rng.Next(Gen.Keys.Length)];
        void Run(LocalClient client, byte[][] args)
        {
            recent.Enqueue(string.Join(" ", args.Select(Printable)));
            if (recent.Count > 12) recent.Dequeue();
            client.Run(args);
        }

        for (int i = 0; i < CommandsPerWorkload; i++)
        {
            int roll = rng.Next(100);
            if (roll < 3)
            {
                // A transaction of generated commands: one unit, wrapped in MULTI/EXEC when it writes twice.
                Run(main, Args("MULTI"));
                int n = rng.Next(1, 6);
                for (int j = 0; j < n; j++) Run(main, NextModest(generator));
                Run(main, Args(rng.Next(10) == 0 ? "DISCARD" : "EXEC"));
            }
            else if (roll < 6)
            {
                var waiter = waiters[rng.Next(waiters.Length)];
                if (!waiter.IsBlocked) Run(waiter, BlockingPop(rng, Key(), Key()));
            }
            else if (roll < 9)
            {
                // Pushes that may serve parked clients.
                Run(main, rng.Next(2) == 0
                    ? Args("RPUSH", Key(), "v" + rng.Next(5), "w")
                    : Args("ZADD", Key(), rng.Next(10).ToString(), "m" + rng.Next(5)));
            }
            else if (roll < 11) Run(main, Args("PEXPIRE", Key(), rng.Next(1, 40).ToString()));
            else if (roll < 12) Run(main, rng.Next(2) == 0 ? Args("SPOP", Key()) : Args("SPOP", Key(), rng.Next(1, 4).ToString()));
            else if (roll < 13) Run(main, Args("SADD", Key(), "a", "b", "c", "1", "2"));
            else if (roll < 16)
            {
                // A script or function running generated commands: its writes are one unit, itself never goes.
                bool eval = rng.Next(2) == 0;
                var args = new List<byte[]>(Args(eval ? "EVAL" : "FCALL", eval ? RunEach : "runeach", "0"));
                int n = rng.Next(1, 5);
                for (int j = 0; j < n; j++)
                {
                    var command = NextModest(generator);
                    args.Add(Gen.Bytes(command.Length.ToString()));
                    args.AddRange(command);
                }
                Run(main, args.ToArray());
            }
            else Run(main, NextModest(generator));

            // The active expiry cycle, as the cron would run it between commands.
            if (i % 500 == 0)
                lock (server.Gate)
                {
                    server.UpdateClock();
                    server.Expiry.RunCycle();
                }
            if (i % CheckpointEvery != 0 && i != CommandsPerWorkload - 1) continue;
            replayed += loader.RunAll(stream.Written.Span[replayed..]);
            string expected = Digest(server), actual = Digest(replica);
            if (expected != actual)
                Assert.Fail($"seed {seed}, after command {i}: digest {expected}, {actual} after replaying the effects stream\n"
                    + DifferingKeys(server, replica) + "last commands: " + string.Join(" | ", recent) + "\nlast effects: "
                    + Printable(stream.Written.Span[Math.Max(0, replayed - 400)..replayed].ToArray()));
        }
        return stream.Written.Length;
    }

    /// <summary>Runs the commands in ARGV, each given as its argument count and its arguments, errors ignored.</summary>
    private const string RunEach = "local i = 1 while i <= #ARGV do local n = tonumber(ARGV[i]) " +
        "redis.pcall(unpack(ARGV, i + 1, i + n)) i = i + n + 1 end";

    private const string RunEachLibrary = "#!lua name=replay\nredis.register_function('runeach', function(keys, argv) local i = 1 " +
        "while i <= #argv do local n = tonumber(argv[i]) redis.pcall(unpack(argv, i + 1, i + n)) i = i + n + 1 end end)";

    /// <summary>
    /// A single command from the generator, one that keeps the connection as it is (blocking and transactions are
    /// this test's own, above), skipping bit
    /// and range writes at huge offsets: a 512 MB string says nothing more about propagation than a small one and
    /// would dominate the run time.
    /// </summary>
    private static byte[][] NextModest(CommandGenerator generator)
    {
        while (true)
        {
            var args = generator.NextSingle();
            // CONFIG SET is not propagated (in Redis neither): a changed encoding threshold makes the replica keep
            // other encodings, and a listpack stores the score -0 as 0 where a skiplist keeps it.
            if (args.Length > 1 && Encoding.ASCII.GetString(args[0]).Equals("CONFIG", StringComparison.OrdinalIgnoreCase)
                && Encoding.ASCII.GetString(args[1]).Equals("SET", StringComparison.OrdinalIgnoreCase)) continue;
            bool huge = false;
            foreach (var a in args)
                if (a.Length >= 7 && Protocol.RespParser.TryParseLong(a, out long n) && n > 100_000) huge = true;
            if (!huge) return args;
        }
    }

    private static byte[][] BlockingPop(Random rng, string key, string other) => rng.Next(6) switch
    {
        0 => Args("BLPOP", key, other, "0"),
        1 => Args("BRPOP", key, "0"),
        2 => Args("BLMOVE", key, other, "LEFT", "RIGHT", "0"),
        3 => Args("BLMPOP", "0", "2", key, other, "RIGHT", "COUNT", "2"),
        4 => Args("BZPOPMIN", key, "0"),
        _ => Args("BZMPOP", "0", "1", key, "MAX", "COUNT", "2"),
    };

    private static byte[][] Args(params string[] args) => args.Select(Gen.Bytes).ToArray();

    private static string Printable(byte[] bytes) =>
        Encoding.Latin1.GetString(bytes).Replace("\r\n", "␍␊").Replace("\0", "\\0").Replace("\r", "\\r").Replace("\n", "\\n");

    private static string Digest(CinnabarServer server)
    {
        Span<byte> digest = stackalloc byte[DatasetDigest.Size];
        lock (server.Gate) DatasetDigest.OfDataset(server.Databases, digest);
        return DatasetDigest.ToHex(digest);
    }

    /// <summary>The keys whose value digests differ between the two servers (to show what went wrong).</summary>
    private static string DifferingKeys(CinnabarServer a, CinnabarServer b)
    {
        var sb = new StringBuilder();
        for (int db = 0; db < a.Databases.Length; db++)
        {
            var keys = KeysOf(a.Databases[db]).Concat(KeysOf(b.Databases[db])).Distinct();
            foreach (var key in keys)
            {
                string da = ValueDigest(a.Databases[db], key), dbb = ValueDigest(b.Databases[db], key);
                if (da != dbb) sb.AppendLine($"db {db} key '{Printable(key)}': {da} vs {dbb}");
            }
        }
        return sb.ToString();
    }

    private static IEnumerable<byte[]> KeysOf(Database db) => db.Table.Slots().Select(s => db.Table.KeyArray(s)).ToList();

    private static string ValueDigest(Database db, byte[] key)
    {
        int slot = db.Table.Find(key);
        if (slot < 0) return "missing";
        var digest = new byte[DatasetDigest.Size];
        DatasetDigest.OfValue(db.Table.ValueAt(slot), db.Table.GetExpire(slot) != -1, digest);
        return DatasetDigest.ToHex(digest) + " " + ValueKind.TypeName(db.Table.ValueAt(slot));
    }
}
