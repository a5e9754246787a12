using System.Diagnostics;
using System.Text.RegularExpressions;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>TIME, LASTSAVE, SHUTDOWN and DEBUG; error texts and reply shapes are Redis 7.0.15's.</summary>
public class ServerTests
{
    private const string DebugNotAllowed =
        "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, " +
        "otherwise you need to set this option in the configuration file, and then restart the server.\r\n";

    [Fact]
    public void TimeIsSecondsAndMicroseconds()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        var m = Regex.Match(c.Call("TIME"), @"^\*2\r\n\$\d+\r\n(\d+)\r\n\$\d+\r\n(\d+)\r\n$");
        Assert.True(m.Success);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(long.Parse(m.Groups[1].Value), now - 5, now + 5);
        Assert.InRange(long.Parse(m.Groups[2].Value), 0, 999_999);
        Assert.Equal("-ERR wrong number of arguments for 'time' command\r\n", c.Call("TIME", "x"));
    }

    [Fact]
    public void LastSaveIsAUnixTime()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal($":{server.Server.LastSaveUnix}\r\n", c.Call("LASTSAVE"));
    }

    [Fact]
    public void ShutdownRaisesShutdownRequestedAndClosesWithoutReply()
    {
        using var server = new TestServer();
        int requested = 0;
        server.Server.ShutdownRequested += () => Interlocked.Increment(ref requested);
        using var c = server.Connect();
        c.SendRaw(RespClient.Encode("SHUTDOWN", "NOSAVE", "NOW"));
        Assert.True(c.IsClosedByServer());
        Assert.Equal(1, requested);
    }

    [Fact]
    public void ShutdownArgumentErrors()
    {
        using var server = new TestServer();
        int requested = 0;
        server.Server.ShutdownRequested += () => Interlocked.Increment(ref requested);
        using var c = server.Connect();
        Assert.Equal("-ERR No shutdown in progress.\r\n", c.Call("SHUTDOWN", "ABORT"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("SHUTDOWN", "foo"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("SHUTDOWN", "NOSAVE", "SAVE"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("SHUTDOWN", "ABORT", "NOW"));
        Assert.Equal(0, requested);
    }

    [Fact]
    public void DebugIsRefusedUnlessEnabled()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(DebugNotAllowed, c.Call("DEBUG", "SLEEP", "0"));
        using var local = new TestServer("--enable-debug-command", "local");
        using var lc = local.Connect();
        Assert.Equal("+OK\r\n", lc.Call("DEBUG", "SLEEP", "0"));
    }

    [Fact]
    public void DebugSleepBlocksTheWholeServer()
    {
        using var server = new TestServer("--enable-debug-command", "yes");
        using var sleeper = server.Connect();
        using var other = server.Connect();
        Assert.Equal("+OK\r\n", sleeper.Call("DEBUG", "SLEEP", "0"));
        Assert.Equal("+PONG\r\n", sleeper.Call("PING"));
        var watch = Stopwatch.StartNew();
        sleeper.SendRaw(RespClient.Encode("DEBUG", "SLEEP", "0.3"));
        // Wait until the server runs the sleeper's DEBUG (its last command turns from ping to debug), then
        // the other client's PING can only be answered once the 300 ms sleep, begun after the send, is over.
        Wait.Until(() => server.Server.ClientsSnapshot().Any(cl => cl.LastCommand == "debug"));
        Assert.Equal("+PONG\r\n", other.Call("PING"));
        Assert.True(watch.ElapsedMilliseconds >= 300, $"PING answered {watch.ElapsedMilliseconds} ms after DEBUG SLEEP 0.3 was sent");
        Assert.Equal("+OK\r\n", sleeper.ReadReply());
    }

    [Fact]
    public void DebugSetActiveExpire()
    {
        using var server = new TestServer("--enable-debug-command", "yes");
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
        Assert.False(server.Server.Config.ActiveExpireEnabled);
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "set-active-expire", "1"));
        Assert.True(server.Server.Config.ActiveExpireEnabled);
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'SET-ACTIVE-EXPIRE'. Try DEBUG HELP.\r\n",
            c.Call("DEBUG", "SET-ACTIVE-EXPIRE"));
    }

    [Fact]
    public void DebugObject()
    {
        using var server = new TestServer("--enable-debug-command", "yes");
        using var c = server.Connect();
        c.Call("SET", "a", "hello");
        c.Call("SET", "n", "123");
        c.Call("SET", "big", "12345678901");
        Assert.Matches(@"^\+Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:6 lru:\d+ lru_seconds_idle:\d+\r\n$", c.Call("DEBUG", "OBJECT", "a"));
        Assert.Matches(@"^\+Value at:0x[0-9a-f]+ refcount:2147483647 encoding:int serializedlength:2 lru:\d+ lru_seconds_idle:\d+\r\n$", c.Call("DEBUG", "OBJECT", "n"));
        Assert.Matches(@"^\+Value at:0x[0-9a-f]+ refcount:1 encoding:int serializedlength:12 lru:\d+ lru_seconds_idle:\d+\r\n$", c.Call("DEBUG", "OBJECT", "big"));
        Assert.Equal("-ERR no such key\r\n", c.Call("DEBUG", "OBJECT", "nosuch"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'OBJECT'. Try DEBUG HELP.\r\n", c.Call("DEBUG", "OBJECT"));
    }

    [Fact]
    public void DebugPopulateProtocolErrorAndHelp()
    {
        using var server = new TestServer("--enable-debug-command", "yes");
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "POPULATE", "3"));
        Assert.Equal("$7\r\nvalue:0\r\n", c.Call("GET", "key:0"));
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "POPULATE", "2", "pre", "10"));
        Assert.Equal("$10\r\nvalue:1\0\0\0\r\n", c.Call("GET", "pre:1"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", c.Call("DEBUG", "POPULATE", "-1"));
        Assert.Equal("*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n", c.Call("DEBUG", "PROTOCOL", "map"));
        Assert.Equal("$39\r\nSome real reply following the attribute\r\n", c.Call("DEBUG", "PROTOCOL", "attrib"));
        Assert.Equal("-ERR RESP2 is not supported by this command\r\n", c.Call("DEBUG", "PROTOCOL", "push"));
        Assert.Equal("-foo\r\n", c.Call("DEBUG", "ERROR", "foo"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP.\r\n", c.Call("DEBUG", "nosuch"));
        Assert.StartsWith("*58\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n", c.Call("DEBUG", "HELP"));
    }

    [Fact]
    public void DebugChangeReplIdGivesANewReplicationId()
    {
        using var server = new TestServer("--enable-debug-command", "yes");
        using var c = server.Connect();
        string before = server.Server.Stats.ReplicationId;
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "CHANGE-REPL-ID"));
        Assert.NotEqual(before, server.Server.Stats.ReplicationId);
        Assert.Contains("master_replid:" + server.Server.Stats.ReplicationId + "\r\n", c.Call("INFO", "replication"));
    }
}
