using System.Diagnostics;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

public class BlockingSortedSetTests
{
    /// <summary>Replies recorded from Redis 7.0.15 for the same sequence on one connection.</summary>
    [Fact]
    public void NonBlockingPathsMatchRedis()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("*-1\r\n", c.Call("BZPOPMIN", "z", "0.01"));
        Assert.Equal(":2\r\n", c.Call("ZADD", "z", "1.5", "a", "2", "b"));
        Assert.Equal("*3\r\n$1\r\nz\r\n$1\r\na\r\n$3\r\n1.5\r\n", c.Call("BZPOPMIN", "z", "0"));
        Assert.Equal("*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", c.Call("BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"));
        Assert.Equal("*-1\r\n", c.Call("BZMPOP", "0.01", "1", "z", "MIN"));
    }

    [Fact]
    public void ZaddWakesTheWaiterWithTheLowestMember()
    {
        using var server = new TestServer();
        using var waiter = server.Connect();
        using var producer = server.Connect();
        waiter.SendRaw(RespClient.Encode("BZPOPMIN", "z", "0"));
        server.WaitForBlocked(1);
        producer.Call("ZADD", "z", "3", "c", "1", "a");
        Assert.Equal("*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n", waiter.ReadReply());
        Assert.Equal(":1\r\n", producer.Call("ZCARD", "z"));
    }

    [Fact]
    public void KeyOfAnotherTypeLeavesTheWaiterParked()
    {
        using var server = new TestServer();
        using var waiter = server.Connect();
        using var producer = server.Connect();
        waiter.SendRaw(RespClient.Encode("BLPOP", "k", "0"));
        server.WaitForBlocked(1);
        producer.Call("ZADD", "k", "1", "a");
        producer.Call("DEL", "k");
        producer.Call("SET", "k", "string");
        producer.Call("DEL", "k");
        Assert.Equal(1, server.Server.Blocking.BlockedCount);
        producer.Call("RPUSH", "k", "v");
        Assert.Equal("*2\r\n$1\r\nk\r\n$1\r\nv\r\n", waiter.ReadReply());
    }
}
