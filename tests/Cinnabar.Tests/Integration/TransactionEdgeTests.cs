using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// MULTI/EXEC/WATCH edge cases with several clients. Every expected reply was recorded from Redis 7.0.15
/// running the same steps (tools: a socket script sending each step to both servers and comparing bytes).
/// </summary>
public class TransactionEdgeTests
{
    /// <summary>Runs steps "clientIndex command" and checks each reply of the client that sent it.</summary>
    private static void Run(TestServer server, params (int Client, string Command, string Reply)[] steps)
    {
        var clients = new Dictionary<int, RespClient>();
        try
        {
            foreach (var (index, command, reply) in steps)
            {
                if (!clients.TryGetValue(index, out var c)) clients[index] = c = server.Connect();
                Assert.Equal((index, command, reply), (index, command, c.Call(ListTests.Split(command))));
            }
        }
        finally
        {
            foreach (var c in clients.Values) c.Dispose();
        }
    }

    [Fact]
    public void RefusedExecAnswersExecAbortWithTheReasonAndDiscards()
    {
        using var server = new TestServer();
        Run(server,
            (0, "multi x", "-ERR wrong number of arguments for 'multi' command\r\n"),
            // Even without MULTI, a refused EXEC answers EXECABORT, as Redis's rejectCommand does.
            (0, "exec x", "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n"),
            (0, "multi", "+OK\r\n"),
            (0, "exec x", "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n"),
            (0, "discard y", "-ERR wrong number of arguments for 'discard' command\r\n"),
            (0, "exec", "-ERR EXEC without MULTI\r\n"));
    }

    [Fact]
    public void ExecRefusedForAuthenticationNamesNoAuth()
    {
        using var server = new TestServer("--requirepass", "pw");
        Run(server,
            (0, "exec", "-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n"),
            (0, "multi", "-NOAUTH Authentication required.\r\n"));
    }

    [Fact]
    public void ExecInResp2SubscribedContextIsAborted()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n", c.Call("SUBSCRIBE", "c"));
        Assert.Equal("-EXECABORT Transaction discarded because of: Can't execute 'exec': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", c.Call("EXEC"));
        Assert.Equal("-ERR Can't execute 'multi': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", c.Call("MULTI"));
    }

    [Fact]
    public void RuntimeErrorsInsideExecDoNotStopTheOtherCommands()
    {
        using var server = new TestServer();
        Run(server,
            (0, "set s x", "+OK\r\n"),
            (0, "multi", "+OK\r\n"),
            (0, "incr s", "+QUEUED\r\n"),
            (0, "lpush s a", "+QUEUED\r\n"),
            (0, "set t 1", "+QUEUED\r\n"),
            (0, "exec", "*3\r\n-ERR value is not an integer or out of range\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n+OK\r\n"),
            (0, "get t", "$1\r\n1\r\n"));
    }

    [Fact]
    public void BlockingCommandsInsideMultiReplyAtOnce()
    {
        using var server = new TestServer();
        Run(server,
            (0, "multi", "+OK\r\n"),
            (0, "blpop l 0", "+QUEUED\r\n"),
            (0, "brpoplpush l m 0", "+QUEUED\r\n"),
            (0, "blmove l m LEFT RIGHT 0", "+QUEUED\r\n"),
            // BLPOP: null array; BRPOPLPUSH/BLMOVE: null bulk.
            (0, "exec", "*3\r\n*-1\r\n$-1\r\n$-1\r\n"));
    }

    [Fact]
    public void SelectInsideMultiAppliesToTheFollowingCommands()
    {
        using var server = new TestServer();
        Run(server,
            (0, "multi", "+OK\r\n"),
            (0, "select 1", "+QUEUED\r\n"),
            (0, "set k 1", "+QUEUED\r\n"),
            (0, "exec", "*2\r\n+OK\r\n+OK\r\n"),
            (0, "get k", "$1\r\n1\r\n"),
            (1, "get k", "$-1\r\n"));
    }

    [Fact]
    public void WatchIsPerDatabase()
    {
        using var server = new TestServer();
        Run(server,
            (0, "select 1", "+OK\r\n"),
            (0, "watch k", "+OK\r\n"),
            (1, "set k x", "+OK\r\n"),   // db 0: not the watched key
            (0, "multi", "+OK\r\n"),
            (0, "ping", "+QUEUED\r\n"),
            (0, "exec", "*1\r\n+PONG\r\n"),
            (0, "watch k", "+OK\r\n"),
            (1, "select 1", "+OK\r\n"),
            (1, "set k y", "+OK\r\n"),
            (0, "multi", "+OK\r\n"),
            (0, "ping", "+QUEUED\r\n"),
            (0, "exec", "*-1\r\n"));
    }

    public static TheoryData<string, string, string, string> WatchBreakers => new()
    {
        // setup (client 1), watched key, breaking command (client 1), EXEC reply
        { "set k 1", "k", "flushall", "*-1\r\n" },
        { "ping", "k", "flushall", "*1\r\n+PONG\r\n" },          // the key did not exist: nothing changed
        { "set k 1", "k", "flushdb", "*-1\r\n" },
        { "set s 1", "d", "rename s d", "*-1\r\n" },
        { "set s 1", "s", "rename s d", "*-1\r\n" },
        { "set k 1", "k", "move k 1", "*-1\r\n" },
        { "set k 1", "d", "copy k d", "*-1\r\n" },
        { "set k 1", "k", "expire k 100", "*-1\r\n" },
        { "ping", "k", "del k", "*1\r\n+PONG\r\n" },             // DEL of a missing key changes nothing
        { "ping", "k", "swapdb 0 1", "*1\r\n+PONG\r\n" },       // missing in both databases
    };

    [Theory]
    [MemberData(nameof(WatchBreakers))]
    public void WatchedKeyChangedByAnotherClient(string setup, string key, string breaker, string execReply)
    {
        using var server = new TestServer();
        Run(server,
            (1, setup, setup == "ping" ? "+PONG\r\n" : "+OK\r\n"),
            (0, $"watch {key}", "+OK\r\n"),
            (1, breaker, breaker.StartsWith("del", StringComparison.Ordinal) ? ":0\r\n"
                : breaker.StartsWith("move", StringComparison.Ordinal) || breaker.StartsWith("copy", StringComparison.Ordinal)
                  || breaker.StartsWith("expire", StringComparison.Ordinal) ? ":1\r\n" : "+OK\r\n"),
            (0, "multi", "+OK\r\n"),
            (0, "ping", "+QUEUED\r\n"),
            (0, "exec", execReply));
    }

    [Fact]
    public void SwapdbBringingTheWatchedKeyInBreaksWatch()
    {
        using var server = new TestServer();
        Run(server,
            (0, "watch k", "+OK\r\n"),
            (1, "select 1", "+OK\r\n"),
            (1, "set k 1", "+OK\r\n"),
            (1, "swapdb 0 1", "+OK\r\n"),
            (0, "multi", "+OK\r\n"),
            (0, "ping", "+QUEUED\r\n"),
            (0, "exec", "*-1\r\n"));
    }

    [Fact]
    public void ExpiryOfAWatchedKey()
    {
        using var server = new TestServer("--enable-debug-command", "yes");
        using var c0 = server.Connect();
        using var c1 = server.Connect();
        // Expired after WATCH: a change, whether active expiry (first) or another client's read (second)
        // reclaims it.
        ExpireAfterWatch(c0, () => c1.Call("EXISTS", "k") == ":0\r\n");
        Assert.Equal("+OK\r\n", c0.Call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
        ExpireAfterWatch(c0, () => c1.Call("GET", "k") == "$-1\r\n");
        // Already expired at WATCH time (an absolute time in the past, kept until an access reclaims it with
        // active expiry off) and only reclaimed afterwards: no change.
        Run(server,
            (0, "set k 1 pxat 1", "+OK\r\n"),
            (0, "watch k", "+OK\r\n"),
            (1, "get k", "$-1\r\n"),
            (0, "multi", "+OK\r\n"),
            (0, "ping", "+QUEUED\r\n"),
            (0, "exec", "*1\r\n+PONG\r\n"),
            // Already expired at WATCH time, then written by another client: that is a change.
            (0, "set k 1 pxat 1", "+OK\r\n"),
            (0, "watch k", "+OK\r\n"),
            (1, "set k 2", "+OK\r\n"),
            (0, "multi", "+OK\r\n"),
            (0, "ping", "+QUEUED\r\n"),
            (0, "exec", "*-1\r\n"),
            (0, "debug set-active-expire 1", "+OK\r\n"));
    }

    /// <summary>
    /// SET k PX t, WATCH k while it still lives (checked with PTTL; on a machine too slow for that, again with
    /// a 4x longer t), wait until <paramref name="expired"/> sees it gone, then EXEC must abort.
    /// </summary>
    private static void ExpireAfterWatch(RespClient c, Func<bool> expired)
    {
        for (int px = 300; ; px *= 4)
        {
            Assert.Equal("+OK\r\n", c.Call("SET", "k", "1", "PX", px.ToString()));
            Assert.Equal("+OK\r\n", c.Call("WATCH", "k"));
            if (c.Call("PTTL", "k") is var ttl && ttl.StartsWith(":-", StringComparison.Ordinal))
            {
                Assert.True(px < 100_000, "the key expired before WATCH even with a 77 s TTL");
                Assert.Equal("+OK\r\n", c.Call("UNWATCH"));
                continue;
            }
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (!expired())
            {
                Assert.True(sw.ElapsedMilliseconds < px + 10_000, "the watched key did not expire");
                Thread.Sleep(5);
            }
            Assert.Equal("+OK\r\n", c.Call("MULTI"));
            Assert.Equal("+QUEUED\r\n", c.Call("PING"));
            Assert.Equal("*-1\r\n", c.Call("EXEC"));
            return;
        }
    }

    [Fact]
    public void OwnWritesBreakWatchAndDiscardOrUnwatchForgetsIt()
    {
        using var server = new TestServer();
        Run(server,
            (0, "watch k", "+OK\r\n"),
            (0, "set k 1", "+OK\r\n"),
            (0, "multi", "+OK\r\n"),
            (0, "ping", "+QUEUED\r\n"),
            (0, "exec", "*-1\r\n"),
            (0, "watch k", "+OK\r\n"),
            (1, "set k 2", "+OK\r\n"),
            (0, "unwatch", "+OK\r\n"),
            (0, "multi", "+OK\r\n"),
            (0, "ping", "+QUEUED\r\n"),
            (0, "exec", "*1\r\n+PONG\r\n"),
            (0, "watch k", "+OK\r\n"),
            (0, "multi", "+OK\r\n"),
            (0, "discard", "+OK\r\n"),
            (1, "set k 3", "+OK\r\n"),
            (0, "multi", "+OK\r\n"),
            (0, "ping", "+QUEUED\r\n"),
            (0, "exec", "*1\r\n+PONG\r\n"));
    }

    [Fact]
    public void SubscribeAndPublishInsideMulti()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        Assert.Equal("+OK\r\n", a.Call("MULTI"));
        Assert.Equal("+QUEUED\r\n", a.Call("SUBSCRIBE", "c"));
        Assert.Equal("*1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n", a.Call("EXEC"));
        Assert.Equal("+OK\r\n", b.Call("MULTI"));
        Assert.Equal("+QUEUED\r\n", b.Call("PUBLISH", "c", "1"));
        Assert.Equal("+QUEUED\r\n", b.Call("PUBLISH", "c", "2"));
        Assert.Equal("*2\r\n:1\r\n:1\r\n", b.Call("EXEC"));
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\n1\r\n", a.ReadReply());
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\n2\r\n", a.ReadReply());
        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", a.Call("PING"));
    }

    [Fact]
    public void ResetHelpersDropSubscriptionsTransactionAndWatches()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        a.Call("SUBSCRIBE", "c");
        a.Call("PSUBSCRIBE", "p*");
        var client = server.Server.ClientsSnapshot().Single(c => c.Subscriptions?.Any == true);
        lock (server.Server.Gate)
        {
            server.Server.PubSub.RemoveAll(client);
            Cinnabar.Commands.Families.TransactionCommands.Discard(server.Server, client);
        }
        Assert.Equal(":0\r\n", b.Call("PUBLISH", "c", "x"));
        Assert.Equal(":0\r\n", b.Call("PUBSUB", "NUMPAT"));
        Assert.Equal("+PONG\r\n", a.Call("PING"));
    }
}
