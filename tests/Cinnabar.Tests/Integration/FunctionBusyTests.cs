using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// A function running past busy-reply-threshold: other clients get the FUNCTION form of -BUSY, FUNCTION STATS
/// shows the run, SCRIPT KILL is refused and FUNCTION KILL stops it (UNKILLABLE once it wrote). Texts are
/// Redis 7.0.15's for the same sequence.
/// Runs alone: a spinning script keeps a pool thread and a core busy for its whole run, which on a two-core
/// machine delays other tests' sockets past their timeouts.
/// </summary>
[Collection(BusyScriptCollection.Name)]
public class FunctionBusyTests
{
    private const string Library = "#!lua name=spin\n" +
        "redis.register_function('spin', function()\n  local i = 0\n  while true do i = i + 1 end\nend)\n" +
        "redis.register_function('spinw', function(keys)\n  redis.call('set', keys[1], 'x')\n  while true do end\nend)";
    private const string BusyFunction = "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n";

    private static void WaitForBusy(RespClient c)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (c.Call("PING") != BusyFunction)
            Assert.True(DateTime.UtcNow < deadline, "the function never made the server busy");
    }

    [Fact]
    public void FunctionKillStopsARunThatHasNotWritten()
    {
        using var server = new TestServer("--busy-reply-threshold", "50");
        using var runner = server.Connect();
        using var other = server.Connect();
        Assert.Equal("$4\r\nspin\r\n", other.Call("FUNCTION", "LOAD", Library));
        runner.SendRaw(RespClient.Encode("FCALL", "spin", "0"));
        WaitForBusy(other);
        Assert.Equal(BusyFunction, other.Call("SCRIPT", "KILL"));
        Assert.Equal(BusyFunction, other.Call("GET", "k"));
        var stats = other.Call("FUNCTION", "STATS");
        Assert.StartsWith("*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n$7\r\ncommand\r\n*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n$11\r\nduration_ms\r\n:", stats);
        Assert.EndsWith("$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:2\r\n", stats);
        Assert.Equal("+OK\r\n", other.Call("FUNCTION", "KILL"));
        // Redis 7.0.15 names the loop's line, 4, for this library.
        Assert.Equal("-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:4.\r\n", runner.ReadReply());
        Assert.Equal("+PONG\r\n", other.Call("PING"));
        Assert.Equal("-NOTBUSY No scripts in execution right now.\r\n", other.Call("FUNCTION", "KILL"));
    }

    [Fact]
    public void FunctionThatWroteIsUnkillable()
    {
        using var server = new TestServer("--busy-reply-threshold", "50");
        using var runner = server.Connect();
        using var other = server.Connect();
        other.Call("FUNCTION", "LOAD", Library);
        runner.SendRaw(RespClient.Encode("FCALL", "spinw", "1", "k"));
        WaitForBusy(other);
        Assert.Equal("-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the " +
            "script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n", other.Call("FUNCTION", "KILL"));
        // Stop it from inside so the test ends: SHUTDOWN NOSAVE's path marks the run killed.
        server.Server.Scripting.AbortForShutdown();
        Assert.StartsWith("-ERR Script killed by user with SCRIPT KILL...", runner.ReadReply());
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BusyScriptCollection
{
    public const string Name = "busy scripts";
}
