using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

public class TransactionTests
{
    // Each expected reply was recorded from Redis 7.0.15 running the same sequence.
    private static readonly (string Command, string Reply)[] Sequence =
    [
        ("exec", "-ERR EXEC without MULTI\r\n"),
        ("discard", "-ERR DISCARD without MULTI\r\n"),
        ("multi", "+OK\r\n"),
        ("multi", "-ERR MULTI calls can not be nested\r\n"),
        ("set a 1", "+QUEUED\r\n"),
        ("exec", "*1\r\n+OK\r\n"),
        ("multi", "+OK\r\n"),
        ("watch a", "-ERR WATCH inside MULTI is not allowed\r\n"),
        ("set a 2", "+QUEUED\r\n"),
        ("exec", "*1\r\n+OK\r\n"),
        ("multi", "+OK\r\n"),
        ("set a 3", "+QUEUED\r\n"),
        ("get", "-ERR wrong number of arguments for 'get' command\r\n"),
        ("exec", "-EXECABORT Transaction discarded because of previous errors.\r\n"),
        ("get a", "$1\r\n2\r\n"),
        ("multi", "+OK\r\n"),
        ("foo", "-ERR unknown command 'foo', with args beginning with: \r\n"),
        ("exec", "-EXECABORT Transaction discarded because of previous errors.\r\n"),
        ("multi", "+OK\r\n"),
        ("lpush l x", "+QUEUED\r\n"),
        ("blpop l 0", "+QUEUED\r\n"),
        ("blpop l 0", "+QUEUED\r\n"),
        ("lpop l", "+QUEUED\r\n"),
        ("rpush a x", "+QUEUED\r\n"),
        ("exec", "*5\r\n:1\r\n*2\r\n$1\r\nl\r\n$1\r\nx\r\n*-1\r\n$-1\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("multi", "+OK\r\n"),
        ("exec", "*0\r\n"),
        ("multi", "+OK\r\n"),
        ("discard", "+OK\r\n"),
        ("unwatch", "+OK\r\n"),
        ("watch a b", "+OK\r\n"),
        ("set a 5", "+OK\r\n"),
        ("multi", "+OK\r\n"),
        ("get a", "+QUEUED\r\n"),
        ("exec", "*-1\r\n"),
        ("watch a", "+OK\r\n"),
        ("multi", "+OK\r\n"),
        ("get a", "+QUEUED\r\n"),
        ("exec", "*1\r\n$1\r\n5\r\n"),
        ("watch l a", "+OK\r\n"),
        ("multi", "+OK\r\n"),
        ("rpush l z", "+QUEUED\r\n"),
        ("exec", "*1\r\n:1\r\n"),
    ];

    [Fact]
    public void RepliesMatchRedisForMultiExecWatch()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        foreach (var (command, reply) in Sequence)
            Assert.Equal((command, reply), (command, c.Call(ListTests.Split(command))));
    }

    [Fact]
    public void WriteFromAnotherClientBreaksWatch()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        Assert.Equal("+OK\r\n", a.Call("WATCH", "k"));
        Assert.Equal(":1\r\n", b.Call("RPUSH", "k", "v"));
        a.Call("MULTI");
        a.Call("LLEN", "k");
        Assert.Equal("*-1\r\n", a.Call("EXEC"));
        // Unchanged watched key: EXEC runs.
        a.Call("WATCH", "k");
        a.Call("MULTI");
        a.Call("LLEN", "k");
        Assert.Equal("*1\r\n:1\r\n", a.Call("EXEC"));
    }

    [Fact]
    public void ExecFailsInResp3WithNull()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        a.Call("HELLO", "3");
        a.Call("WATCH", "k");
        b.Call("SET", "k", "x");
        a.Call("MULTI");
        a.Call("GET", "k");
        Assert.Equal("_\r\n", a.Call("EXEC"));
    }

    [Fact]
    public void PushInsideExecWakesBlockedClientAfterTheTransaction()
    {
        using var server = new TestServer();
        using var waiter = server.Connect();
        using var c = server.Connect();
        waiter.SendRaw(RespClient.Encode("BLPOP", "q", "0"));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (server.Server.Blocking.BlockedCount == 0 && sw.ElapsedMilliseconds < 5000) Thread.Sleep(5);
        c.Call("MULTI");
        c.Call("RPUSH", "q", "1", "2");
        c.Call("LPOP", "q");
        Assert.Equal("*2\r\n:2\r\n$1\r\n1\r\n", c.Call("EXEC"));
        Assert.Equal("*2\r\n$1\r\nq\r\n$1\r\n2\r\n", waiter.ReadReply());
    }
}
