using System.Text;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// Commands are parsed by the connection's loop without the store lock and queued for execution. Expected
/// replies checked against redis-server 7.0.15 (same bytes sent in one write).
/// </summary>
public class InputQueueTests
{
    [Fact]
    public void CommandsAreParsedWhileTheStoreLockIsHeldElsewhere()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+PONG\r\n", c.Call("PING"));
        var conn = server.Server.ClientsSnapshot().Single(x => x.Connection != null).Connection!;
        var bytes = Concat(RespClient.Encode("SET", "a", "1"), RespClient.Encode("GET", "a"));
        lock (server.Server.Gate)
        {
            // Sent in many pieces: each read is parsed (incrementally) though nothing can run yet.
            foreach (var b in bytes) c.SendRaw([b]);
            WaitFor(() => conn.QueuedCommands == 2);
        }
        Assert.Equal("+OK\r\n", c.ReadReply());
        Assert.Equal("$1\r\n1\r\n", c.ReadReply());
        Assert.Equal(0, conn.QueuedCommands);
    }

    [Fact]
    public void PipelineBehindABlockedCommandSurvivesTheBufferGrowing()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        const int n = 3000;
        var parts = new List<byte[]> { RespClient.Encode("BLPOP", "q", "0") };
        for (int i = 0; i < n; i++) parts.Add(RespClient.Encode("SET", "key:" + i, "value-" + i));
        // About 110 KB: it arrives in many reads while the client is parked, so the buffer grows under the queue.
        a.SendRaw(Concat(parts.ToArray()));
        server.WaitForBlocked(1);
        var conn = server.Server.ClientsSnapshot().First(x => x.Blocked != null).Connection!;
        WaitFor(() => conn.QueuedCommands == n);
        Assert.Equal(":1\r\n", b.Call("LPUSH", "q", "x"));
        Assert.Equal("*2\r\n$1\r\nq\r\n$1\r\nx\r\n", a.ReadReply());
        for (int i = 0; i < n; i++) Assert.Equal("+OK\r\n", a.ReadReply());
        Assert.Equal("$10\r\nvalue-2999\r\n", b.Call("GET", "key:2999"));
        Assert.Equal(":3000\r\n", b.Call("DBSIZE"));
    }

    [Fact]
    public void CommandsBeforeAProtocolErrorRunThenTheConnectionCloses()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.SendRaw(Concat(RespClient.Encode("SET", "a", "1"), Encoding.ASCII.GetBytes("*1\r\n$x\r\n"), RespClient.Encode("PING")));
        Assert.Equal("+OK\r\n", c.ReadReply());
        Assert.Equal("-ERR Protocol error: invalid bulk length\r\n", c.ReadReply());
        Assert.True(c.IsClosedByServer());
    }

    [Fact]
    public void AuthInAPipelineLiftsTheUnauthenticatedLimitsForWhatFollows()
    {
        using var server = new TestServer("--requirepass", "pw");
        var mset = new List<object> { "MSET" };
        for (int i = 0; i < 12; i++) mset.Add("k" + i);
        using (var c = server.Connect())
        {
            c.SendRaw(Concat(RespClient.Encode("AUTH", "pw"), RespClient.Encode(mset.ToArray()), RespClient.Encode("PING")));
            Assert.Equal("+OK\r\n", c.ReadReply());
            Assert.Equal("+OK\r\n", c.ReadReply());
            Assert.Equal("+PONG\r\n", c.ReadReply());
        }
        using (var c = server.Connect())
        {
            c.SendRaw(Concat(RespClient.Encode("PING"), RespClient.Encode(mset.ToArray()), RespClient.Encode("PING")));
            Assert.Equal("-NOAUTH Authentication required.\r\n", c.ReadReply());
            Assert.Equal("-ERR Protocol error: unauthenticated multibulk length\r\n", c.ReadReply());
            Assert.True(c.IsClosedByServer());
        }
    }

    [Fact]
    public void AQueryBufferGrownForALargeArgumentIsGivenBack()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("SET", "big", new string('x', 4_000_000)));
        // The 4 MB buffer that received the argument is dropped once empty: the next command reads into 16 KB.
        var line = c.Call("CLIENT", "INFO");
        Assert.Matches(@" qbuf=\d+ qbuf-free=\d+ .*rbs=16384 ", line);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static void WaitFor(Func<bool> condition)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > 10000) throw new TimeoutException($"condition not reached; pool threads {ThreadPool.ThreadCount}, pending {ThreadPool.PendingWorkItemCount}, completed {ThreadPool.CompletedWorkItemCount}");
            Thread.Sleep(2);
        }
    }
}
