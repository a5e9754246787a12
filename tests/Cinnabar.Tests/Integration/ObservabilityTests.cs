using System.Text.RegularExpressions;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>SLOWLOG and MONITOR; expected replies and lines taken from redis-server 7.0.15.</summary>
public class ObservabilityTests
{
    [Fact]
    public void MonitorShowsCommandsAsRedisPrintsThem()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string addr = Bulk(c.Call("CLIENT", "INFO")).Split(' ').First(f => f.StartsWith("addr=", StringComparison.Ordinal))[5..];
        using var monitor = server.Connect();
        Assert.Equal("+OK\r\n", monitor.Call("MONITOR"));
        Assert.Equal("+OK\r\n", c.Call("SET", "k", "v"));
        Assert.Equal("$-1\r\n", c.Call("GET", "nosuch"));
        Assert.StartsWith("-ERR unknown command", c.Call("FOO"));
        Assert.StartsWith("-ERR wrong number", c.Call("SET", "k"));
        c.Call("MULTI");
        c.Call("SET", "a", "x\0y\"\\\n\u00ff");
        c.Call("INCR", "n");
        Assert.Equal("*2\r\n+OK\r\n:1\r\n", c.Call("EXEC"));
        Assert.StartsWith("-ERR AUTH <password> called without any password", c.Call("AUTH", "x"));
        c.Call("CONFIG", "GET", "port");
        c.Call("SELECT", "3");
        c.Call("SET", "z", "1");
        c.Call("PING");
        string[] expected =
        [
            $"[0 {addr}] \"SET\" \"k\" \"v\"",
            $"[0 {addr}] \"GET\" \"nosuch\"",
            $"[0 {addr}] \"MULTI\"",
            $"[0 {addr}] \"SET\" \"a\" \"x\\x00y\\\"\\\\\\n\\xc3\\xbf\"",
            $"[0 {addr}] \"INCR\" \"n\"",
            $"[0 {addr}] \"EXEC\"",
            $"[0 {addr}] \"AUTH\" \"(redacted)\"",
            $"[3 {addr}] \"SELECT\" \"3\"",
            $"[3 {addr}] \"SET\" \"z\" \"1\"",
            $"[3 {addr}] \"PING\"",
        ];
        foreach (var line in expected)
        {
            string reply = monitor.ReadReply();
            Assert.Matches(@"^\+\d{10}\.\d{6} \[", reply);
            Assert.Equal("+" + line + "\r\n", "+" + reply[(reply.IndexOf(' ') + 1)..]);
        }
        Assert.Contains(" flags=O ", c.Call("CLIENT", "LIST"));
    }

    [Fact]
    public void MonitorShowsScriptsBeforeTheCommandsTheyRun()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string addr = Bulk(c.Call("CLIENT", "INFO")).Split(' ').First(f => f.StartsWith("addr=", StringComparison.Ordinal))[5..];
        c.Call("FUNCTION", "LOAD", "#!lua name=m\nredis.register_function('mf', function() return redis.call('set','mk','1') end)");
        using var monitor = server.Connect();
        Assert.Equal("+OK\r\n", monitor.Call("MONITOR"));
        c.Call("EVAL", "return redis.call('get','mk')", "0");
        c.Call("FCALL", "mf", "0");
        c.Call("EVALSHA", "abc", "0");
        string[] expected =
        [
            $"[0 {addr}] \"EVAL\" \"return redis.call('get','mk')\" \"0\"",
            "[0 lua] \"get\" \"mk\"",
            $"[0 {addr}] \"FCALL\" \"mf\" \"0\"",
            "[0 lua] \"set\" \"mk\" \"1\"",
            $"[0 {addr}] \"EVALSHA\" \"abc\" \"0\"",
        ];
        foreach (var line in expected)
        {
            string reply = monitor.ReadReply();
            Assert.Equal("+" + line + "\r\n", "+" + reply[(reply.IndexOf(' ') + 1)..]);
        }
    }

    [Fact]
    public void SlowLogKeepsEntriesAsRedisDoes()
    {
        // Off until the test turns it on, so no slow first call (JIT) adds an entry before.
        using var server = new TestServer("--slowlog-log-slower-than", "-1");
        using var c = server.Connect();
        Assert.Equal(":0\r\n", c.Call("SLOWLOG", "LEN"));
        Assert.Equal("-ERR count should be greater than or equal to -1\r\n", c.Call("SLOWLOG", "GET", "abc"));
        Assert.Equal("-ERR count should be greater than or equal to -1\r\n", c.Call("SLOWLOG", "GET", "-2"));
        Assert.Equal("-ERR wrong number of arguments for 'slowlog' command\r\n", c.Call("SLOWLOG"));
        Assert.StartsWith("*12\r\n+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GET [<count>]\r\n", c.Call("SLOWLOG", "HELP"));
        c.Call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        c.Call("SET", new string('x', 200), "v");
        c.Call(new object[] { "RPUSH", "l" }.Concat(Enumerable.Range(0, 40).Select(i => (object)i.ToString())).ToArray());
        c.Call("AUTH", "pw");
        c.Call("CLIENT", "SETNAME", "nm");
        string reply = c.Call("SLOWLOG", "GET", "5");
        string addr = Bulk(c.Call("CLIENT", "INFO")).Split(' ').First(f => f.StartsWith("addr=", StringComparison.Ordinal))[5..];
        // Durations and times vary: compare with them blanked.
        string shape = Regex.Replace(reply, @"\*6\r\n:(\d+)\r\n:\d+\r\n:\d+\r\n", "*6\r\n:$1\r\n:T\r\n:D\r\n");
        string Entry(int id, string args, string name) => $"*6\r\n:{id}\r\n:T\r\n:D\r\n{args}${addr.Length}\r\n{addr}\r\n${name.Length}\r\n{name}\r\n";
        string rpushArgs = "*32\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n" + string.Concat(Enumerable.Range(0, 29).Select(i => $"${i.ToString().Length}\r\n{i}\r\n"))
            + "$23\r\n... (11 more arguments)\r\n";
        string expected = "*5\r\n"
            + Entry(4, "*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$2\r\nnm\r\n", "nm")
            + Entry(3, "*2\r\n$4\r\nAUTH\r\n$10\r\n(redacted)\r\n", "")
            + Entry(2, rpushArgs, "")
            + Entry(1, $"*3\r\n$3\r\nSET\r\n$147\r\n{new string('x', 128)}... (72 more bytes)\r\n$1\r\nv\r\n", "")
            + Entry(0, "*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$23\r\nslowlog-log-slower-than\r\n$1\r\n0\r\n", "");
        Assert.Equal(expected, shape);
        Assert.Equal("+OK\r\n", c.Call("SLOWLOG", "RESET"));
        // The RESET itself is logged once it ran.
        Assert.Equal(":1\r\n", c.Call("SLOWLOG", "LEN"));
        c.Call("CONFIG", "SET", "slowlog-max-len", "2");
        for (int i = 0; i < 5; i++) c.Call("PING");
        Assert.Equal(":2\r\n", c.Call("SLOWLOG", "LEN"));
    }

    [Fact]
    public void LatencyMonitorRecordsCommandsOverTheThreshold()
    {
        using var server = new TestServer("--enable-debug-command", "yes");
        using var c = server.Connect();
        Assert.Equal("*0\r\n", c.Call("LATENCY", "LATEST"));
        // Off by default (threshold 0): a slow command leaves no sample.
        c.Call("DEBUG", "SLEEP", "0.03");
        Assert.Equal("*0\r\n", c.Call("LATENCY", "LATEST"));
        // A high threshold, so only the sleep (not a slow first call on a busy machine) leaves a sample.
        c.Call("CONFIG", "SET", "latency-monitor-threshold", "250");
        c.Call("DEBUG", "SLEEP", "0.3");
        var latest = Regex.Match(c.Call("LATENCY", "LATEST"), @"^\*1\r\n\*4\r\n\$7\r\ncommand\r\n:(\d+)\r\n:(\d+)\r\n:(\d+)\r\n$");
        Assert.True(latest.Success);
        Assert.InRange(long.Parse(latest.Groups[2].Value), 300, 10_000);
        Assert.Equal(latest.Groups[2].Value, latest.Groups[3].Value);
        Assert.Matches(@"^\*1\r\n\*2\r\n:" + latest.Groups[1].Value + @"\r\n:\d+\r\n$", c.Call("LATENCY", "HISTORY", "command"));
        Assert.Equal("*0\r\n", c.Call("LATENCY", "HISTORY", "nosuch"));
        Assert.Equal(":0\r\n", c.Call("LATENCY", "RESET", "nosuch"));
        Assert.Equal(":1\r\n", c.Call("LATENCY", "RESET", "COMMAND"));
        Assert.Equal("*0\r\n", c.Call("LATENCY", "LATEST"));
    }

    [Fact]
    public void APipelinedCommandAfterASlowOneIsTimedFromItsOwnStart()
    {
        using var server = new TestServer("--enable-debug-command", "yes", "--slowlog-log-slower-than", "100000");
        using var c = server.Connect();
        // One batch: the PING starts where the sleep ended, so only the sleep is over 100 ms.
        c.SendRaw("*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$3\r\n0.2\r\n*1\r\n$4\r\nPING\r\n");
        Assert.Equal("+OK\r\n", c.ReadReply());
        Assert.Equal("+PONG\r\n", c.ReadReply());
        Assert.Equal(":1\r\n", c.Call("SLOWLOG", "LEN"));
        Assert.Contains("$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n", c.Call("SLOWLOG", "GET"));
    }

    private static string Bulk(string reply) => reply[(reply.IndexOf("\r\n", StringComparison.Ordinal) + 2)..^2];
}
