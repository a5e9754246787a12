using System.Text;
using Cinnabar.Tests.Support;
using Cinnabar.Types;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// HyperLogLog behaviour that the differential cases cannot see: keyspace events, WATCH, the stored value's
/// representation. Expected values are what redis-server 7.0.15 answered for the same commands.
/// </summary>
public class HyperLogLogTests
{
    [Fact]
    public void EventsMatchRedis()
    {
        using var server = new TestServer();
        var events = server.RecordNotifications();
        using var c = server.Connect();
        string[][] commands =
        [
            ["PFADD", "h", "a", "b"], ["PFADD", "h", "a"], ["PFADD", "h"], ["PFCOUNT", "h"], ["PFADD", "e"],
            ["PFMERGE", "m", "h"], ["PFMERGE", "m"], ["PFDEBUG", "TODENSE", "h"], ["PFDEBUG", "GETREG", "m"],
            ["SET", "s", "x"], ["PFADD", "s", "a"],
        ];
        foreach (var command in commands) c.Call(command);
        Assert.Equal(["$:pfadd:h", "$:pfadd:e", "$:pfadd:m", "$:pfadd:m", "$:set:s"], events);
    }

    [Fact]
    public void RecomputingTheCachedCountBreaksWatchButReadingItDoesNot()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("PFADD", "w", "a");
        c.Call("WATCH", "w");
        Assert.Equal(":1\r\n", c.Call("PFCOUNT", "w")); // writes the cache into the value
        c.Call("MULTI");
        c.Call("PING");
        Assert.Equal("*-1\r\n", c.Call("EXEC"));
        c.Call("WATCH", "w");
        Assert.Equal(":1\r\n", c.Call("PFCOUNT", "w")); // cache valid: nothing changes
        c.Call("MULTI");
        c.Call("PING");
        Assert.Equal("*1\r\n+PONG\r\n", c.Call("EXEC"));
    }

    [Fact]
    public void CountsAndBytesMatchRedis()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call(["PFADD", "big", .. Enumerable.Range(1, 1000).Select(i => i.ToString())]);
        Assert.Equal(":1001\r\n", c.Call("PFCOUNT", "big"));
        for (int i = 0; i < 10; i++)
            c.Call(["PFADD", "huge", .. Enumerable.Range(i * 10000 + 1, 10000).Select(x => x.ToString())]);
        Assert.Equal(":99562\r\n", c.Call("PFCOUNT", "huge"));
        Assert.Equal("+dense\r\n", c.Call("PFDEBUG", "ENCODING", "huge"));

        c.Call("PFADD", "small", "a", "b", "c");
        byte[] stale = [.. "HYLL"u8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x60, 0xf3, 0x80, 0x50, 0xb1, 0x84, 0x4b, 0xfb, 0x80, 0x42, 0x5a];
        Assert.Equal(stale, StoredBytes(server, "small"));
        Assert.Equal(":3\r\n", c.Call("PFCOUNT", "small"));
        byte[] cached = [.. stale];
        cached[8] = 3;
        cached[15] = 0;
        Assert.Equal(cached, StoredBytes(server, "small"));
    }

    [Fact]
    public void SparseMaxBytesDecidesWhenTheValueTurnsDense()
    {
        using var server = new TestServer("--hll-sparse-max-bytes", "40");
        using var c = server.Connect();
        c.Call("PFADD", "h", "a", "b", "c", "d", "e");
        Assert.Equal("+sparse\r\n", c.Call("PFDEBUG", "ENCODING", "h"));
        Assert.Equal(33, StoredBytes(server, "h").Length);
        c.Call("PFADD", "h", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z");
        Assert.Equal("+dense\r\n", c.Call("PFDEBUG", "ENCODING", "h"));
        Assert.Equal(HyperLogLog.DenseSize, StoredBytes(server, "h").Length);
        Assert.Equal(":25\r\n", c.Call("PFCOUNT", "h"));
    }

    [Fact]
    public void MurmurHash64AMatchesRedisRegisterChoice()
    {
        // PFADD of "a" alone on redis-server sets register 12711 to 2 (PFDEBUG DECODE: Z:12711 v:2,1 Z:3672).
        int count = HyperLogLog.PatternLength("a"u8, out int register);
        Assert.Equal((12711, 2), (register, count));
    }

    private static byte[] StoredBytes(TestServer server, string key) =>
        StringValue.ToArray(server.StoredValue(key) ?? throw new InvalidOperationException("missing " + key));
}
