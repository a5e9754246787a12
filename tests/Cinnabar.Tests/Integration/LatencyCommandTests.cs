using System.Text.RegularExpressions;
using Cinnabar.Observability;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// LATENCY DOCTOR, GRAPH, HISTOGRAM and HELP, and latency-tracking. Texts and reply shapes were read from
/// redis-server 7.0.15 running the same commands (raw replies, RESP2 and RESP3).
/// </summary>
public class LatencyCommandTests
{
    private const string Disabled = "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
    private const string NoSpike = "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";

    [Fact]
    public void DoctorWhenMonitoringIsOffOrQuiet()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("$288\r\n" + Disabled + "\r\n", c.Call("LATENCY", "DOCTOR"));
        c.Call("HELLO", "3");
        Assert.Equal("=292\r\ntxt:" + Disabled + "\r\n", c.Call("LATENCY", "DOCTOR"));
        c.Call("CONFIG", "SET", "latency-monitor-threshold", "1000");
        string report = Verbatim(c.Call("LATENCY", "DOCTOR"));
        // Redis also checks its own process for transparent huge pages: that advice is the one thing a quiet
        // server can still give.
        if (LatencyReport.AnonHugePagesBytes() == 0) Assert.Equal(NoSpike, report);
        else Assert.StartsWith("\nI have a few advices for you:\n\n- I detected a non zero amount of anonymous huge pages", report);
    }

    [Fact]
    public void DoctorGraphAndHistogramAfterASlowCommand()
    {
        using var server = new TestServer("--enable-debug-command", "yes");
        using var c = server.Connect();
        Assert.Equal("-ERR No samples available for event 'command'\r\n", c.Call("LATENCY", "GRAPH", "command"));
        // A high threshold, so only the sleep (not a slow first call on a busy machine) leaves a sample.
        c.Call("CONFIG", "SET", "latency-monitor-threshold", "250");
        c.Call("DEBUG", "SLEEP", "0.3");

        var doctor = Regex.Match(Verbatim(c.Call("LATENCY", "DOCTOR")),
            @"^Dave, I have observed latency spikes in this Redis instance\. You don't mind talking about it, do you Dave\?\n\n" +
            @"1\. command: 1 latency spikes \(average (\d+)ms, mean deviation 0ms, period (\d+)\.00 sec\)\. Worst all time event (\d+)ms\.\n" +
            @"\nI have a few advices for you:\n\n" +
            @"- Check your Slow Log to understand what are the commands you are running which are too slow to execute\. Please check https://redis\.io/commands/slowlog for more information\.\n" +
            @"- Deleting, expiring or evicting \(because of maxmemory policy\) large objects is a blocking operation\. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects\.\n" +
            @"(- I detected a non zero amount of anonymous huge pages[^\n]*\n)?$");
        Assert.True(doctor.Success);
        Assert.InRange(long.Parse(doctor.Groups[1].Value), 300, 10_000);
        Assert.Equal(doctor.Groups[1].Value, doctor.Groups[3].Value);

        // One sample: it sits on the bottom row, labelled with its age in seconds.
        var graph = Regex.Match(Verbatim(c.Call("LATENCY", "GRAPH", "command")),
            @"^command - high (\d+) ms, low (\d+) ms \(all time high (\d+) ms\)\n-{80}\n \n \n \n_\n \n(\d)\ns\n$");
        Assert.True(graph.Success);
        Assert.Equal(doctor.Groups[1].Value, graph.Groups[1].Value);
        Assert.Equal(graph.Groups[1].Value, graph.Groups[2].Value);
        Assert.Equal("-ERR No samples available for event 'COMMAND'\r\n", c.Call("LATENCY", "GRAPH", "COMMAND"));

        // A slow-log threshold above the monitor's: Redis suggests lowering it to the monitor's.
        c.Call("CONFIG", "SET", "slowlog-log-slower-than", "300000");
        Assert.Contains("\n- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than 250000'.\n",
            Verbatim(c.Call("LATENCY", "DOCTOR")));
        c.Call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
        Assert.Contains("\n- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than 250000'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n",
            Verbatim(c.Call("LATENCY", "DOCTOR")));

        // DEBUG SLEEP 0.3 takes about 300,000 µs: its one call is counted in the step of the power of two above.
        var histogram = Regex.Match(c.Call("LATENCY", "HISTOGRAM", "debug", "nosuch", "get|x"),
            @"^\*2\r\n\$5\r\ndebug\r\n\*4\r\n\$5\r\ncalls\r\n:1\r\n\$14\r\nhistogram_usec\r\n\*2\r\n:(\d+)\r\n:1\r\n$");
        Assert.True(histogram.Success);
        Assert.Contains(histogram.Groups[1].Value, new[] { "541065", "1073741" });
    }

    [Fact]
    public void HistogramListsCommandsAndSubcommandsAsRedis()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("*0\r\n", c.Call("LATENCY", "HISTOGRAM", "set"));
        Assert.Equal("*0\r\n", c.Call("LATENCY", "HISTOGRAM", "nosuch", ""));
        c.Call("HELLO", "3");
        Assert.Equal("%0\r\n", c.Call("LATENCY", "HISTOGRAM", "set"));
        c.Call("CONFIG", "GET", "port");
        c.Call("CONFIG", "GET", "port");
        c.Call("SET", "k", "v");
        string Entry(string name, int calls) => $@"\${name.Length}\r\n{Regex.Escape(name)}\r\n%2\r\n\$5\r\ncalls\r\n:{calls}\r\n\$14\r\nhistogram_usec\r\n%(\d+)\r\n(:\d+\r\n:\d+\r\n)+";
        // A container stands for its subcommands; a name given twice is listed twice, as Redis does.
        Assert.Matches($"^%3\r\n{Entry("config|get", 2)}{Entry("set", 1)}{Entry("config|get", 2)}$",
            c.Call("LATENCY", "HISTOGRAM", "CONFIG", "set", "config|GET"));
        string all = c.Call("LATENCY", "HISTOGRAM");
        Assert.Matches(@"^%4\r\n", all);
        foreach (var name in new[] { "config|get", "hello", "latency|histogram", "set" }) Assert.Contains($"${name.Length}\r\n{name}\r\n", all);
        // Every key of histogram_usec is the highest value of an HdrHistogram slot at a power of two (1, 2, 4, ... 33, 66 µs).
        foreach (Match step in Regex.Matches(all, @"histogram_usec\r\n%\d+\r\n((?::\d+\r\n:\d+\r\n)+)"))
        {
            var numbers = Regex.Matches(step.Groups[1].Value, @":(\d+)").Select(m => long.Parse(m.Groups[1].Value)).ToList();
            for (int i = 0; i < numbers.Count; i += 2)
                Assert.Contains(numbers[i], new long[] { 1, 2, 4, 8, 16, 33, 66, 132, 264, 528, 1056, 2113, 4227, 8454, 16908, 33816, 67633, 135266, 270532, 541065, 1073741 });
        }
    }

    [Fact]
    public void LatencyTrackingOffStopsTheHistograms()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "latency-tracking", "no"));
        c.Call("SET", "a", "1");
        Assert.Equal("*0\r\n", c.Call("LATENCY", "HISTOGRAM", "set"));
        Assert.Equal("$16\r\n# Latencystats\r\n\r\n", c.Call("INFO", "latencystats"));
        Assert.Equal("*2\r\n$16\r\nlatency-tracking\r\n$2\r\nno\r\n", c.Call("CONFIG", "GET", "latency-tracking"));
        // Switched on again: the CONFIG SET that did it is the first call recorded.
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "latency-tracking", "yes"));
        Assert.Matches(@"^\$\d+\r\n# Latencystats\r\nlatency_percentiles_usec_config\|set:p50=[\d.]+,p99=[\d.]+,p99\.9=[\d.]+\r\n\r\n$", c.Call("INFO", "latencystats"));
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "latency-tracking-info-percentiles", "0.0078125 50"));
        Assert.Equal("*2\r\n$33\r\nlatency-tracking-info-percentiles\r\n$11\r\n0.007812 50\r\n", c.Call("CONFIG", "GET", "latency-tracking-info-percentiles"));
        Assert.Matches(@"latency_percentiles_usec_config\|set:p0\.007812=[\d.]+,p50=[\d.]+\r\n", c.Call("INFO", "latencystats"));
    }

    [Fact]
    public void HelpListsEverySubcommand()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string[] lines =
        [
            "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DOCTOR", "    Return a human readable latency analysis report.",
            "GRAPH <event>", "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>", "    Return time-latency samples for the <event> class.",
            "LATEST", "    Return the latest latency samples for all events.",
            "RESET [<event> ...]", "    Reset latency data of one or more <event> classes.", "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
            "    If no commands are specified then all histograms are replied.",
            "HELP", "    Prints this help.",
        ];
        Assert.Equal($"*{lines.Length}\r\n" + string.Concat(lines.Select(l => "+" + l + "\r\n")), c.Call("LATENCY", "HELP"));
        Assert.Equal("-ERR wrong number of arguments for 'latency|graph' command\r\n", c.Call("LATENCY", "GRAPH"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try LATENCY HELP.\r\n", c.Call("LATENCY", "foo"));
    }

    /// <summary>The text of a bulk (RESP2) or verbatim (RESP3, after its "txt:") reply.</summary>
    private static string Verbatim(string reply)
    {
        string body = reply[(reply.IndexOf("\r\n", StringComparison.Ordinal) + 2)..^2];
        return reply[0] == '=' ? body[4..] : body;
    }
}
