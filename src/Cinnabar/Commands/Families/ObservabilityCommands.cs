using Cinnabar.Protocol;

namespace Cinnabar.Commands.Families;

/// <summary>SLOWLOG, LATENCY and MONITOR, fed by the Call seam; replies and errors as Redis 7.0.15 gives them.</summary>
public static class ObservabilityCommands
{
    [RedisCommand("SLOWLOG GET")]
    public static void SlowLogGet(CommandContext ctx)
    {
        long count = 10;
        if (ctx.ArgCount == 3 && (!RespParser.TryParseLong(ctx.Arg(2), out count) || count < -1))
        {
            ctx.Error("ERR count should be greater than or equal to -1");
            return;
        }
        if (ctx.ArgCount > 3)
        {
            ctx.Error($"ERR unknown subcommand or wrong number of arguments for '{ctx.ArgText(1)}'. Try SLOWLOG HELP.");
            return;
        }
        var entries = ctx.Server.SlowLog.Newest(count).ToList();
        var reply = ctx.Reply;
        reply.WriteArrayHeader(entries.Count);
        foreach (var e in entries)
        {
            reply.WriteArrayHeader(6);
            reply.WriteInteger(e.Id);
            reply.WriteInteger(e.UnixSeconds);
            reply.WriteInteger(e.Microseconds);
            reply.WriteArrayHeader(e.Args.Length);
            foreach (var a in e.Args) reply.WriteBulk(a);
            reply.WriteBulk(e.ClientAddress);
            reply.WriteBulk(e.ClientName);
        }
    }

    [RedisCommand("SLOWLOG LEN")]
    public static void SlowLogLen(CommandContext ctx) => ctx.Reply.WriteInteger(ctx.Server.SlowLog.Count);

    [RedisCommand("SLOWLOG RESET")]
    public static void SlowLogReset(CommandContext ctx)
    {
        ctx.Server.SlowLog.Reset();
        ctx.Reply.WriteOk();
    }

    [RedisCommand("SLOWLOG HELP")]
    public static void SlowLogHelp(CommandContext ctx)
    {
        string[] lines =
        [
            "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
            "HELP",
            "    Prints this help.",
        ];
        ctx.WriteHelp(lines);
    }

    [RedisCommand("LATENCY LATEST")]
    public static void LatencyLatest(CommandContext ctx)
    {
        var events = ctx.Server.Latency.Events.ToList();
        ctx.Reply.WriteArrayHeader(events.Count);
        foreach (var (name, series) in events)
        {
            ctx.Reply.WriteArrayHeader(4);
            ctx.Reply.WriteBulk(name);
            ctx.Reply.WriteInteger(series.Times[series.Last]);
            ctx.Reply.WriteInteger(series.Latencies[series.Last]);
            ctx.Reply.WriteInteger(series.Max);
        }
    }

    [RedisCommand("LATENCY HISTORY")]
    public static void LatencyHistory(CommandContext ctx)
    {
        var series = ctx.Server.Latency.Find(ctx.ArgString(2));
        if (series == null)
        {
            ctx.Reply.WriteArrayHeader(0);
            return;
        }
        var samples = new List<(long Time, long Latency)>();
        for (int j = 0; j < LatencyMonitorLength; j++)
        {
            int i = (series.Next + j) % LatencyMonitorLength;
            if (series.Times[i] != 0) samples.Add((series.Times[i], series.Latencies[i]));
        }
        ctx.Reply.WriteArrayHeader(samples.Count);
        foreach (var (time, latency) in samples)
        {
            ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteInteger(time);
            ctx.Reply.WriteInteger(latency);
        }
    }

    private const int LatencyMonitorLength = Observability.LatencyMonitor.HistoryLength;

    [RedisCommand("LATENCY RESET")]
    public static void LatencyReset(CommandContext ctx)
    {
        var latency = ctx.Server.Latency;
        if (ctx.ArgCount == 2)
        {
            ctx.Reply.WriteInteger(latency.Reset(null));
            return;
        }
        int resets = 0;
        for (int i = 2; i < ctx.ArgCount; i++) resets += latency.Reset(ctx.ArgString(i));
        ctx.Reply.WriteInteger(resets);
    }

    [RedisCommand("LATENCY HELP")]
    public static void LatencyHelp(CommandContext ctx)
    {
        // Only the subcommands Cinnabar has: DOCTOR, GRAPH and HISTOGRAM are not implemented.
        string[] lines =
        [
            "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HELP",
            "    Prints this help.",
        ];
        ctx.WriteHelp(lines);
    }

    /// <summary>MONITOR: from now on the client receives every command the server runs; a second MONITOR is ignored.</summary>
    [RedisCommand("MONITOR")]
    public static void Monitor(CommandContext ctx)
    {
        var monitors = ctx.Server.Monitors;
        if (monitors.Contains(ctx.Client) || ctx.Client.Connection == null) return;
        monitors.Add(ctx.Client);
        ctx.Reply.WriteOk();
    }
}
