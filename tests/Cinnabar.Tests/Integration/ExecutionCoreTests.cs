using System.Text;
using System.Text.RegularExpressions;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// The command path's own behaviour: CLIENT NO-TOUCH, pushes under CLIENT REPLY OFF/SKIP, run_id, per-server
/// state. Expected replies checked against redis-server 7.0.15 (NO-TOUCH: 7.2).
/// </summary>
public class ExecutionCoreTests
{
    [Fact]
    public void RunIdIsFortyRandomHexCharacters()
    {
        using var a = new TestServer();
        using var b = new TestServer();
        Assert.Matches("^[0-9a-f]{40}$", a.Server.RunId);
        Assert.NotEqual(a.Server.RunId, b.Server.RunId);
        using var c = a.Connect();
        Assert.Contains("run_id:" + a.Server.RunId + "\r\n", c.Call("INFO", "server"));
    }

    [Fact]
    public void NoTouchLeavesAccessTimesAloneExceptForTouch()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("SET", "k", "v"));
        Assert.Equal("+OK\r\n", c.Call("CLIENT", "NO-TOUCH", "on"));
        SetAccess(server, "k", 1);
        Assert.Equal("$1\r\nv\r\n", c.Call("GET", "k"));
        Assert.Equal(1u, Access(server, "k"));
        // TOUCH is asked to touch, NO-TOUCH or not.
        Assert.Equal(":1\r\n", c.Call("TOUCH", "k"));
        Assert.NotEqual(1u, Access(server, "k"));
        Assert.Equal("+OK\r\n", c.Call("CLIENT", "NO-TOUCH", "off"));
        SetAccess(server, "k", 1);
        Assert.Equal("$1\r\nv\r\n", c.Call("GET", "k"));
        Assert.NotEqual(1u, Access(server, "k"));
    }

    [Fact]
    public void PushesReachTheClientWhileRepliesAreOff()
    {
        // redis-server 7.0.15 byte for byte: subscribe confirmations and messages are delivered under
        // CLIENT REPLY OFF in both protocols, other replies are not.
        using var server = new TestServer();
        using var c = server.Connect();
        c.SendRaw(RespClient.Encode("CLIENT", "REPLY", "OFF"));
        c.SendRaw(RespClient.Encode("SUBSCRIBE", "ch"));
        Assert.Equal("*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", c.ReadReply());

        using var r3 = server.Connect();
        r3.Call("HELLO", "3");
        r3.SendRaw(RespClient.Encode("CLIENT", "REPLY", "OFF"));
        r3.SendRaw(RespClient.Encode("SUBSCRIBE", "ch"));
        r3.SendRaw(RespClient.Encode("PUBLISH", "ch", "hi"));
        r3.SendRaw(RespClient.Encode("PING"));
        r3.SendRaw(RespClient.Encode("UNSUBSCRIBE", "ch"));
        r3.SendRaw(RespClient.Encode("CLIENT", "REPLY", "ON"));
        Assert.Equal(">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", r3.ReadReply());
        Assert.Equal(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", r3.ReadReply());
        Assert.Equal(">3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:0\r\n", r3.ReadReply());
        Assert.Equal("+OK\r\n", r3.ReadReply());

        using var skip = server.Connect();
        skip.Call("HELLO", "3");
        skip.SendRaw(RespClient.Encode("CLIENT", "REPLY", "SKIP"));
        skip.SendRaw(RespClient.Encode("SUBSCRIBE", "ch"));
        Assert.Equal(">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", skip.ReadReply());
        Assert.Equal("_\r\n", skip.Call("GET", "x"));
    }

    [Fact]
    public void KeyspaceNotificationsStayInTheirServer()
    {
        using var a = new TestServer("--notify-keyspace-events", "KEA");
        using var b = new TestServer("--notify-keyspace-events", "KEA");
        using var subA = a.Connect();
        using var subB = b.Connect();
        subA.Call("PSUBSCRIBE", "__key*__:*");
        subB.Call("PSUBSCRIBE", "__key*__:*");
        using var writerA = a.Connect();
        using var writerB = b.Connect();
        writerA.Call("SET", "only-a", "1");
        writerB.Call("SET", "only-b", "1");
        Assert.Contains("__keyspace@0__:only-a", subA.ReadReply());
        Assert.Contains("__keyevent@0__:set", subA.ReadReply());
        Assert.Contains("__keyspace@0__:only-b", subB.ReadReply());
        Assert.Contains("__keyevent@0__:set", subB.ReadReply());
    }

    private static uint Access(TestServer server, string key)
    {
        lock (server.Server.Gate)
        {
            var db = server.Server.Databases[0];
            return db.Table.At(db.Table.Find(Encoding.UTF8.GetBytes(key))).Access;
        }
    }

    private static void SetAccess(TestServer server, string key, uint access)
    {
        lock (server.Server.Gate)
        {
            var db = server.Server.Databases[0];
            db.Table.At(db.Table.Find(Encoding.UTF8.GetBytes(key))).Access = access;
        }
    }
}

/// <summary>Parked clients: readiness by value kind and timeouts from the deadline queue (checked against redis-server 7.0.15).</summary>
public class BlockingReadinessTests
{
    [Fact]
    public void WaiterStaysParkedWhenItsKeyHoldsAnotherKind()
    {
        using var server = new TestServer();
        using var zwaiter = server.Connect();
        using var lwaiter = server.Connect();
        using var c = server.Connect();
        zwaiter.SendRaw(RespClient.Encode("BZPOPMIN", "z", "0"));
        lwaiter.SendRaw(RespClient.Encode("BLPOP", "l", "0"));
        server.WaitForBlocked(2);
        Assert.Equal(":1\r\n", c.Call("RPUSH", "z", "a"));
        Assert.Equal(":1\r\n", c.Call("ZADD", "l", "1", "m"));
        Assert.Equal(2, server.Server.Blocking.BlockedCount);
        Assert.Equal(":2\r\n", c.Call("DEL", "z", "l"));
        Assert.Equal(":1\r\n", c.Call("ZADD", "z", "1", "m"));
        Assert.Equal(":1\r\n", c.Call("RPUSH", "l", "x"));
        Assert.Equal("*3\r\n$1\r\nz\r\n$1\r\nm\r\n$1\r\n1\r\n", zwaiter.ReadReply());
        Assert.Equal("*2\r\n$1\r\nl\r\n$1\r\nx\r\n", lwaiter.ReadReply());
    }

    [Fact]
    public void TimeoutsEndInDeadlineOrder()
    {
        using var server = new TestServer();
        using var slow = server.Connect();
        using var fast = server.Connect();
        using var forever = server.Connect();
        forever.SendRaw(RespClient.Encode("BZPOPMIN", "c", "0"));
        slow.SendRaw(RespClient.Encode("BLPOP", "a", "3"));
        server.WaitForBlocked(2);
        // Queued after the slow one, due first: it times out while the slow one keeps waiting.
        fast.SendRaw(RespClient.Encode("BLPOP", "b", "0.1"));
        Assert.Equal("*-1\r\n", fast.ReadReply());
        Assert.Equal(2, server.Server.Blocking.BlockedCount);
        Assert.Equal("*-1\r\n", slow.ReadReply());
        Assert.Equal(1, server.Server.Blocking.BlockedCount);
        using var c = server.Connect();
        Assert.Equal(":1\r\n", c.Call("CLIENT", "UNBLOCK", Field(c.Call("CLIENT", "LIST"), "BZPOPMIN"), "ERROR"));
        Assert.Equal("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", forever.ReadReply());
    }

    /// <summary>The id of the client whose last command was <paramref name="cmd"/>, from CLIENT LIST.</summary>
    private static string Field(string list, string cmd) =>
        list.Split('\n').First(l => l.Contains("cmd=" + cmd.ToLowerInvariant() + " ")).Split(' ')[0][3..];
}
