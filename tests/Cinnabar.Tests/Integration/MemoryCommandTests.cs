using Cinnabar.Tests.Support;
using Cinnabar.Types;
using Xunit;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// MEMORY and INFO memory: reply shapes, errors and field order as redis-server 7.0.15 gives them; the sizes
/// are ours (our structures), checked for consistency with used_memory and with the runtime's allocations.
/// </summary>
public class MemoryCommandTests
{
    [Fact]
    public void UsageErrorsAndMissingKeyAreRedis()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        Assert.Equal("$-1\r\n", c.Call("MEMORY", "USAGE", "nokey"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("MEMORY", "USAGE", "a", "SAMPLES"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("MEMORY", "USAGE", "a", "SAMPLES", "x"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("MEMORY", "USAGE", "a", "SAMPLES", "-1"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("MEMORY", "USAGE", "a", "foo", "1"));
        Assert.StartsWith(":", c.Call("MEMORY", "USAGE", "a", "samples", "0"));
        Assert.Equal("-ERR wrong number of arguments for 'memory|usage' command\r\n", c.Call("MEMORY", "USAGE"));
        Assert.Equal("-ERR wrong number of arguments for 'memory|purge' command\r\n", c.Call("MEMORY", "PURGE", "x"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try MEMORY HELP.\r\n", c.Call("MEMORY", "foo"));
        Assert.Equal("+OK\r\n", c.Call("MEMORY", "PURGE"));
        Assert.StartsWith("$", c.Call("MEMORY", "DOCTOR"));
        Assert.StartsWith("$", c.Call("MEMORY", "MALLOC-STATS"));
        Assert.StartsWith("*14\r\n+MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+DOCTOR\r\n", c.Call("MEMORY", "HELP"));
    }

    [Fact]
    public void MallocStatsReportsTheRecordPages()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        // 14-byte keys and 16-byte values: 1 + 1 + 14 + 16 = 32 bytes a record, exactly a 32-byte class.
        for (int i = 0; i < 1000; i++) c.Call("SET", $"key:{i:0000000000}", $"val:{i:000000000000}");
        var stats = c.Call("MEMORY", "MALLOC-STATS");
        var line = stats.Split('\n').Single(l => l.StartsWith("pages: ", StringComparison.Ordinal));
        var fields = line.Split(", ").Select(f => long.Parse(f[(f.IndexOf(':') + 2)..])).ToArray();
        Assert.Equal(32 * 1000, fields[2]);
        Assert.True(fields[0] >= 1 && fields[1] >= fields[2], line);
        Assert.Equal(fields[1] - fields[2], fields[3]);
        c.Call("FLUSHALL");
        Assert.Contains("record-bytes: 0,", c.Call("MEMORY", "MALLOC-STATS"));
    }

    /// <summary>
    /// MEMORY MALLOC-STATS splits the longest collector pause into its phases, so a long young collection shows
    /// whether the threads were slow to stop, or marking or moving the survivors was long. The phases add up to
    /// the pause.
    /// </summary>
    [Fact]
    public void MallocStatsSplitsTheLongestPauseIntoItsPhases()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        var monitor = Cinnabar.Memory.GcPauseMonitor.Instance;
        long before = monitor.Pauses;
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        Wait.Until(() => monitor.Pauses > before, "the runtime's pause events reach the monitor");
        var longest = monitor.Longest;
        var phases = System.Text.RegularExpressions.Regex.Match(longest.Phases,
            @"^stopping threads ([0-9]+\.[0-9]{2}) ms, (?:marking ([0-9]+\.[0-9]{2}) ms, planning and moving|collecting) ([0-9]+\.[0-9]{2}) ms, restarting ([0-9]+\.[0-9]{2}) ms$");
        Assert.True(phases.Success, longest.Phases);
        double sum = Enumerable.Range(1, 4).Where(i => phases.Groups[i].Success)
            .Sum(i => double.Parse(phases.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(sum, longest.Duration.TotalMilliseconds - 0.03, longest.Duration.TotalMilliseconds + 0.03);
        var line = c.Call("MEMORY", "MALLOC-STATS").Split('\n').Single(l => l.StartsWith("pauses: ", StringComparison.Ordinal));
        Assert.Matches(@"longest-pause: [0-9]+\.[0-9]{2} ms \([a-z0-9 ,]+; stopping threads [0-9.]+ ms, [a-z ,0-9.]+ ms, restarting [0-9.]+ ms\), last-pause: ", line);
    }

    /// <summary>
    /// Beside the process's longest pause (often the start-up's), MEMORY MALLOC-STATS keeps the longest pause the
    /// server's cron saw since LATENCY RESET, with its collection and phases, so a benchmark can tell what paused
    /// the phase it measured. LATENCY RESET (all events, or gc-pause) clears it.
    /// </summary>
    [Fact]
    public void MallocStatsKeepsTheLongestPauseSinceLatencyReset()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string Line() => c.Call("MEMORY", "MALLOC-STATS").Split('\n').Single(l => l.StartsWith("longest-pause-since-latency-reset: ", StringComparison.Ordinal));
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        Wait.Until(() => Line().Contains("; stopping threads"), "the cron records the pause");
        Assert.Matches(@"^longest-pause-since-latency-reset: [0-9]+\.[0-9]{2} ms \([a-z0-9 ,]+; stopping threads [a-z0-9 ,.]+ ms\)$", Line());

        foreach (var reset in new[] { new[] { "LATENCY", "RESET" }, new[] { "LATENCY", "RESET", "GC-PAUSE" } })
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            Wait.Until(() => server.Server.Latency.LongestGcPause.Ticks > 0, "the cron records the pause");
            // A pause after the reset may set it again: only one counted after the reset's start may be there.
            long pausesBefore = Cinnabar.Memory.GcPauseMonitor.Instance.Pauses;
            Assert.StartsWith(":", c.Call(reset));
            lock (server.Server.Gate)
            {
                bool cleared = server.Server.Latency.LongestGcPause.Ticks == 0;
                Assert.True(cleared || Cinnabar.Memory.GcPauseMonitor.Instance.Pauses > pausesBefore, string.Join(" ", reset));
            }
        }
        Assert.Equal(":0\r\n", c.Call("LATENCY", "RESET", "command"));
    }

    [Fact]
    public void SummingTheClientsBuffersAllocatesNothing()
    {
        // The cron sums every connection's buffers each tick: with thousands of idle clients a copy of the
        // client list per tick was garbage and a sort under the store lock.
        using var server = new TestServer();
        var clients = Enumerable.Range(0, 20).Select(_ => server.Connect()).ToList();
        foreach (var c in clients) Assert.Equal("+PONG\r\n", c.Call("PING"));
        var memory = server.Server.MemoryUsage;
        lock (server.Server.Gate)
        {
            memory.RefreshClients();
            long before = GC.GetAllocatedBytesForCurrentThread();
            memory.RefreshClients();
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public void UsageIsWhatTheKeyAddsToUsedMemory()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        foreach (var (key, fill) in new (string, string[])[]
        {
            ("s", ["SET", "s", new string('x', 100)]),
            ("l", ["RPUSH", "l", "a", "b", "c"]),
            ("h", ["HSET", "h", "f", new string('v', 100)]),
            ("z", ["ZADD", "z", "1", new string('m', 80)]),
        })
        {
            long before = Dataset(c);
            c.Call(fill);
            long after = Dataset(c);
            long usage = long.Parse(c.Call("MEMORY", "USAGE", key).Trim(':', '\r', '\n'));
            // MEMORY USAGE adds the key's table entry, which INFO counts as overhead.
            Assert.Equal(after - before, usage - Cinnabar.Storage.KeyTable.EntryBytes);
        }
        // Growth of a value is counted as it happens.
        long grown = Dataset(c);
        c.Call("APPEND", "s", new string('y', 1000));
        Assert.True(Dataset(c) - grown >= 1000);
        long full = Dataset(c);
        c.Call("FLUSHALL");
        Assert.Equal(0, Dataset(c));
        Assert.True(full > 1000);
    }

    private static long Dataset(RespClient c) => long.Parse(Field(c.Call("INFO", "memory"), "used_memory_dataset"));

    private static string Field(string info, string name) =>
        info.Split("\r\n").First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..];

    [Fact]
    public void StatsHasRedisFieldsInOrder()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        c.Call("EXPIRE", "a", "1000");
        var reply = c.Call("MEMORY", "STATS").Split("\r\n");
        Assert.Equal("*56", reply[0]);
        var names = new List<string>();
        for (int i = 1; i < reply.Length - 1; i++)
            if (reply[i].StartsWith('$') && char.IsLetter(reply[i + 1][0]) && (reply[i + 1].Contains('.') || reply[i + 1] == "fragmentation")) names.Add(reply[i + 1]);
        // redis-server 7.0.15, one key with a TTL in db 0.
        Assert.Equal(["peak.allocated", "total.allocated", "startup.allocated", "replication.backlog", "clients.slaves",
            "clients.normal", "cluster.links", "aof.buffer", "lua.caches", "functions.caches", "db.0",
            "overhead.hashtable.main", "overhead.hashtable.expires", "overhead.hashtable.slot-to-keys", "overhead.total",
            "keys.count", "keys.bytes-per-key", "dataset.bytes", "dataset.percentage", "peak.percentage", "allocator.allocated",
            "allocator.active", "allocator.resident", "allocator-fragmentation.ratio", "allocator-fragmentation.bytes",
            "allocator-rss.ratio", "allocator-rss.bytes", "rss-overhead.ratio", "rss-overhead.bytes", "fragmentation",
            "fragmentation.bytes"], names);
    }

    [Fact]
    public void InfoMemoryReportsUsedMemoryItsPartsAndTheLimit()
    {
        using var server = new TestServer("--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru");
        using var c = server.Connect();
        var info = c.Call("INFO", "memory");
        long used = long.Parse(Field(info, "used_memory"));
        Assert.Equal(used, long.Parse(Field(info, "used_memory_overhead")) + long.Parse(Field(info, "used_memory_dataset")));
        Assert.Equal("104857600", Field(info, "maxmemory"));
        Assert.Equal("100.00M", Field(info, "maxmemory_human"));
        Assert.Equal("allkeys-lru", Field(info, "maxmemory_policy"));
        Assert.True(long.Parse(Field(info, "mem_clients_normal")) > 0);
        Assert.True(long.Parse(Field(info, "used_memory_peak")) >= used);
    }

    [Fact]
    public void HeapSizesMatchTheRuntimesAllocations()
    {
        foreach (int n in new[] { 0, 1, 7, 8, 9, 100, 1000 })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var array = new byte[n];
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(allocated, HeapSize.ByteArray(array.Length));
        }
        long start = GC.GetAllocatedBytesForCurrentThread();
        var raw = new RawString("hello"u8, 64);
        Assert.Equal(GC.GetAllocatedBytesForCurrentThread() - start, raw.MemoryBytes);
        start = GC.GetAllocatedBytesForCurrentThread();
        var listpack = new ZSetListpack(100);
        Assert.Equal(GC.GetAllocatedBytesForCurrentThread() - start, listpack.MemoryBytes);
    }
}
