using System.Diagnostics;
using Cinnabar.Tests.Support;
using Xunit;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// ROLE, WAIT, WAITAOF, LOLWUT and DEBUG's table aids. Replies checked against redis-server 7.0.15 (ROLE,
/// WAIT, CLIENT UNBLOCK of a WAIT, DEBUG HTSTATS layout) and Redis 7.2's source for WAITAOF, which 7.0 lacks.
/// </summary>
public class OperatorCommandTests
{
    [Fact]
    public void RoleIsAMasterWithoutReplicas()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n", c.Call("ROLE"));
    }

    [Fact]
    public void WaitBlocksUntilItsTimeoutThenCountsNoReplica()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(":0\r\n", c.Call("WAIT", "0", "0"));
        var clock = Stopwatch.StartNew();
        Assert.Equal(":0\r\n", c.Call("WAIT", "1", "50"));
        Assert.True(clock.ElapsedMilliseconds >= 45, $"answered after {clock.ElapsedMilliseconds} ms");
        Assert.Equal("-ERR timeout is negative\r\n", c.Call("WAIT", "1", "-1"));
        Assert.Equal("-ERR timeout is not an integer or out of range\r\n", c.Call("WAIT", "1", "x"));
        Assert.Equal("-ERR timeout is out of range\r\n", c.Call("WAIT", "1", "9223372036854775807"));
    }

    [Fact]
    public void WaitForeverEndsWithClientUnblock()
    {
        using var server = new TestServer();
        using var waiting = server.Connect();
        using var admin = server.Connect();
        string id = waiting.Call("CLIENT", "ID")[1..^2];
        waiting.SendRaw(RespClient.Encode("WAIT", "1", "0"));
        var deadline = Stopwatch.StartNew();
        while (!admin.Call("INFO", "clients").Contains("blocked_clients:1\r\n") && deadline.ElapsedMilliseconds < 5000) Thread.Yield();
        Assert.Equal(":1\r\n", admin.Call("CLIENT", "UNBLOCK", id));
        Assert.Equal(":0\r\n", waiting.ReadReply());
    }

    [Fact]
    public void WaitAofWithoutAofOrReplicas()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("*2\r\n:0\r\n:0\r\n", c.Call("WAITAOF", "0", "0", "0"));
        Assert.Equal("-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.\r\n", c.Call("WAITAOF", "1", "0", "0"));
        Assert.Equal("-ERR value is out of range, value must between 0 and 1\r\n", c.Call("WAITAOF", "2", "0", "0"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", c.Call("WAITAOF", "0", "-1", "0"));
        Assert.Equal("-ERR timeout is negative\r\n", c.Call("WAITAOF", "0", "1", "-5"));
        var clock = Stopwatch.StartNew();
        Assert.Equal("*2\r\n:0\r\n:0\r\n", c.Call("WAITAOF", "0", "1", "30"));
        Assert.True(clock.ElapsedMilliseconds >= 25, $"answered after {clock.ElapsedMilliseconds} ms");
        // Inside MULTI nothing blocks: the acknowledgements so far.
        c.Call("MULTI");
        c.Call("WAITAOF", "0", "1", "0");
        Assert.Equal("*1\r\n*2\r\n:0\r\n:0\r\n", c.Call("EXEC"));
    }

    [Fact]
    public void LolwutDrawsAndEndsWithTheVersionLine()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string reply = c.Call("LOLWUT");
        Assert.StartsWith("$", reply);
        Assert.EndsWith($"Cinnabar ver. {ServerInfo.Version}\nRedis ver. {ServerInfo.RedisVersion}\n\r\n", reply);
        Assert.Contains("|####", reply);
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("LOLWUT", "VERSION", "x"));
        // Redis 7.0.15 prints its version line for these (an argument that is not a number is left alone).
        Assert.EndsWith($"Redis ver. {ServerInfo.RedisVersion}\n\r\n", c.Call("LOLWUT", "VERSION"));
        Assert.EndsWith($"Redis ver. {ServerInfo.RedisVersion}\n\r\n", c.Call("LOLWUT", "abc"));
        c.Call("HELLO", "3");
        Assert.StartsWith("=", c.Call("LOLWUT", "VERSION", "5", "20"));
    }

    [Fact]
    public void DebugHtStatsDescribesTheKeyTable()
    {
        using var server = new TestServer("--enable-debug-command", "yes");
        using var c = server.Connect();
        for (int i = 0; i < 3; i++) c.Call("SET", "k" + i, "v");
        c.Call("SET", "e", "v", "EX", "100");
        string stats = c.Call("DEBUG", "HTSTATS", "0");
        Assert.StartsWith("$", stats);
        Assert.Contains("[Dictionary HT]\nHash table 0 stats (main hash table):\n table size: 4\n number of elements: 4\n", stats);
        Assert.Contains("[Expires HT]\nHash table 0 stats (main hash table):\n", stats);
        Assert.Contains(" number of elements: 1\n", stats);
        Assert.Contains(" Chain length distribution:\n", stats);
        c.Call(new object[] { "SADD", "big" }.Concat(Enumerable.Range(0, 600).Select(i => (object)("m" + i))).ToArray());
        // As in Redis 7.0.15 after the same SADD: the table grows a bucket per operation, so 600 members are
        // split between the 512 buckets and the 1024 it is moving them to.
        string key = c.Call("DEBUG", "HTSTATS-KEY", "big");
        Assert.Contains("Hash table 0 stats (main hash table):\n table size: 512\n", key);
        Assert.Contains("Hash table 1 stats (rehashing target):\n table size: 1024\n", key);
        var counts = System.Text.RegularExpressions.Regex.Matches(key, @" number of elements: (\d+)\n").Select(m => int.Parse(m.Groups[1].Value));
        Assert.Equal(600, counts.Sum());
        // A skiplist-encoded sorted set is described by its member table (200 members: Redis's table of 256).
        for (int i = 0; i < 200; i++) c.Call("ZADD", "z", i.ToString(), "m" + i);
        Assert.Contains("Hash table 0 stats (main hash table):\n table size: 256\n number of elements: 200\n", c.Call("DEBUG", "HTSTATS-KEY", "z"));
        c.Call("ZADD", "small", "1", "a");
        Assert.Equal("-ERR The value stored at the specified key is not represented using an hash table\r\n", c.Call("DEBUG", "HTSTATS-KEY", "small"));
        Assert.Equal("-ERR The value stored at the specified key is not represented using an hash table\r\n", c.Call("DEBUG", "HTSTATS-KEY", "k0"));
    }

    [Fact]
    public void DebugAidsWithoutAnEffectHereSayWhy()
    {
        using var server = new TestServer("--enable-debug-command", "yes");
        using var c = server.Connect();
        Assert.Equal("+Apparently Redis did not crash: test passed\r\n", c.Call("DEBUG", "STRINGMATCH-TEST"));
        Assert.Equal("-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n", c.Call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"));
        Assert.StartsWith("-ERR QUICKLIST-PACKED-THRESHOLD is not supported", c.Call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1mb"));
    }
}
