using System.Text;
using Cinnabar.Commands;
using Cinnabar.Memory;
using Cinnabar.Propagation;
using Cinnabar.Storage;

namespace Cinnabar.Tests.Unit;

/// <summary>
/// maxmemory and its eight policies (Redis 7.0's evict.c): which key each policy picks, that volatile
/// policies never touch persistent keys, the OOM refusal (texts checked against redis-server 7.0.15), and
/// what an eviction reports: evicted_keys, the "evicted" event, DEL in the effects stream. In-process.
/// </summary>
public class EvictionTests
{
    private const string Oom = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

    private static (CinnabarServer Server, LocalClient Client) Start(string policy, int samples = 64)
    {
        var server = new CinnabarServer();
        var c = new LocalClient(server);
        Assert.Equal("+OK\r\n", Run(c, "CONFIG", "SET", "maxmemory-policy", policy, "maxmemory-samples", samples.ToString()));
        return (server, c);
    }

    private static string Run(LocalClient c, params string[] args) => Encoding.UTF8.GetString(c.Run(args.Select(Encoding.UTF8.GetBytes).ToArray()));

    private static byte[] Picked(CinnabarServer server, EvictionPolicy policy)
    {
        lock (server.Gate)
        {
            Assert.True(((Evictor)server.MemoryPolicy).TryPick(server, policy, out var db, out int slot));
            return db.Table.KeyArray(slot);
        }
    }

    private static void SetAccess(CinnabarServer server, string key, uint access)
    {
        lock (server.Gate) server.Databases[0].Table.At(server.Databases[0].Table.Find(Encoding.UTF8.GetBytes(key))).Access = access;
    }

    [Fact]
    public void VolatileTtlPicksTheNearestExpiry()
    {
        var (server, c) = Start("volatile-ttl");
        Run(c, "SET", "far", "1", "EX", "5000");
        Run(c, "SET", "near", "1", "EX", "100");
        Run(c, "SET", "middle", "1", "EX", "1000");
        Run(c, "SET", "persistent", "1");
        Assert.Equal("near", Encoding.UTF8.GetString(Picked(server, EvictionPolicy.VolatileTtl)));
    }

    [Fact]
    public void LruPicksTheLongestIdleAndLfuTheLeastUsed()
    {
        var (server, c) = Start("allkeys-lru");
        foreach (var k in new[] { "a", "b", "c", "d" }) Run(c, "SET", k, "1");
        uint now = server.LruClock;
        SetAccess(server, "a", now - 10);
        SetAccess(server, "b", now - 500);
        SetAccess(server, "c", now - 20);
        SetAccess(server, "d", now);
        Assert.Equal("b", Encoding.UTF8.GetString(Picked(server, EvictionPolicy.AllKeysLru)));

        var (lfuServer, l) = Start("allkeys-lfu");
        foreach (var k in new[] { "a", "b", "c" }) Run(l, "SET", k, "1");
        uint minutes = (uint)(lfuServer.NowMs / 60_000) & 0xFFFF;
        SetAccess(lfuServer, "a", (minutes << 8) | 40);
        SetAccess(lfuServer, "b", (minutes << 8) | 2);
        SetAccess(lfuServer, "c", (minutes << 8) | 9);
        Assert.Equal("b", Encoding.UTF8.GetString(Picked(lfuServer, EvictionPolicy.AllKeysLfu)));
    }

    [Theory]
    [InlineData("volatile-lru")]
    [InlineData("volatile-lfu")]
    [InlineData("volatile-random")]
    [InlineData("volatile-ttl")]
    public void VolatilePoliciesNeverEvictPersistentKeys(string policy)
    {
        var (server, c) = Start(policy, samples: 5);
        for (int i = 0; i < 200; i++) Run(c, "SET", "p" + i, new string('x', 100));
        for (int i = 0; i < 200; i++) Run(c, "SET", "v" + i, new string('x', 100), "EX", "1000");
        lock (server.Gate) Assert.Equal(400, server.Databases[0].Count);
        long used;
        lock (server.Gate) used = server.MemoryUsage.EvictionUsedBytes;
        // Room for about half the keys: every volatile key goes, then writes are refused.
        Assert.Equal("+OK\r\n", Run(c, "CONFIG", "SET", "maxmemory", (used - 30_000).ToString()));
        string reply = "";
        for (int i = 0; i < 50 && reply != Oom; i++) reply = Run(c, "SET", "new" + i, new string('y', 100));
        Assert.Equal(Oom, reply);
        lock (server.Gate)
        {
            var table = server.Databases[0].Table;
            Assert.Equal(0, table.VolatileCount);
            for (int i = 0; i < 200; i++) Assert.True(table.Find(Encoding.UTF8.GetBytes("p" + i)) >= 0);
        }
        Assert.Equal("$100\r\n" + new string('x', 100) + "\r\n", Run(c, "GET", "p7"));
    }

    [Theory]
    [InlineData("allkeys-lru")]
    [InlineData("allkeys-lfu")]
    [InlineData("allkeys-random")]
    public void AllKeysPoliciesKeepUsedMemoryUnderTheLimit(string policy)
    {
        var (server, c) = Start(policy, samples: 5);
        long baseline;
        lock (server.Gate) baseline = server.MemoryUsage.EvictionUsedBytes;
        long limit = baseline + 200_000;
        Assert.Equal("+OK\r\n", Run(c, "CONFIG", "SET", "maxmemory", limit.ToString()));
        for (int i = 0; i < 5_000; i++) Assert.Equal("+OK\r\n", Run(c, "SET", "k" + i, new string('v', 200)));
        lock (server.Gate)
        {
            // Eviction runs before each command: what the last SET added may stand above the limit until the next one.
            Assert.InRange(server.MemoryUsage.EvictionUsedBytes, limit - 20_000, limit + 1_000);
            Assert.True(server.Stats.EvictedKeys > 3_000);
        }
        Assert.Contains("evicted_keys:", Run(c, "INFO", "stats"));
    }

    [Fact]
    public void NoevictionRefusesWritesAndKeepsReads()
    {
        var (server, c) = Start("noeviction");
        Run(c, "SET", "a", "1");
        Assert.Equal("+OK\r\n", Run(c, "CONFIG", "SET", "maxmemory", "1"));
        Assert.Equal(Oom, Run(c, "SET", "b", "2"));
        Assert.Equal("$1\r\n1\r\n", Run(c, "GET", "a"));
        Assert.Equal(":1\r\n", Run(c, "DEL", "a"));
        // In MULTI, queueing anything is refused (the transaction is doomed); DISCARD still works.
        Assert.Equal("+OK\r\n", Run(c, "MULTI"));
        Assert.Equal(Oom, Run(c, "GET", "a"));
        Assert.Equal(Oom, Run(c, "PING"));
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.\r\n", Run(c, "EXEC"));
        Assert.Equal("+OK\r\n", Run(c, "MULTI"));
        Assert.Equal("+OK\r\n", Run(c, "DISCARD"));
        lock (server.Gate) Assert.Equal(0, server.Stats.EvictedKeys);
    }

    [Fact]
    public void AnEvictionIsCountedNotifiedAndPropagatedAsDel()
    {
        var (server, c) = Start("allkeys-random");
        var stream = new EffectsStream();
        server.Propagator.Attach(stream);
        var events = new List<string>();
        server.Notification += (type, name, db, key) => { if (name == "evicted") events.Add(Encoding.UTF8.GetString(key)); };
        Run(c, "SET", "victim", "1");
        Assert.Equal("+OK\r\n", Run(c, "CONFIG", "SET", "maxmemory", "1"));
        Assert.Equal(Oom, Run(c, "SET", "other", "2"));
        Assert.Equal(["victim"], events);
        lock (server.Gate) Assert.Equal(1, server.Stats.EvictedKeys);
        Assert.Contains("DEL victim", EffectsStreamTests.Commands(stream));
        Assert.Contains("evicted_keys:1\r\n", Run(c, "INFO", "stats"));
    }

    [Fact]
    public void TenacitySetsTheTimeBudget()
    {
        // Redis's evictionTimeLimitUs.
        Assert.Equal(500, Evictor.TimeLimitMicros(10));
        Assert.Equal(0, Evictor.TimeLimitMicros(0));
        Assert.Equal((long)(500.0 * Math.Pow(1.15, 40)), Evictor.TimeLimitMicros(50));
        Assert.Equal(long.MaxValue, Evictor.TimeLimitMicros(100));
    }

    [Fact]
    public void MaxmemoryTakesRedisUnitsAndLfuTunablesApply()
    {
        var (server, c) = Start("allkeys-lfu");
        Assert.Equal("+OK\r\n", Run(c, "CONFIG", "SET", "maxmemory", "2gb", "lfu-log-factor", "0", "lfu-decay-time", "0"));
        Assert.Equal("*2\r\n$9\r\nmaxmemory\r\n$10\r\n2147483648\r\n", Run(c, "CONFIG", "GET", "maxmemory"));
        Run(c, "SET", "k", "v");
        // lfu-log-factor 0: every access increments the counter (5 at creation).
        for (int i = 0; i < 10; i++) Run(c, "GET", "k");
        Assert.Equal(":15\r\n", Run(c, "OBJECT", "FREQ", "k"));
    }
}
