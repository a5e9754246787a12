using Cinnabar.Protocol;

namespace Cinnabar.Commands.Families;

/// <summary>SLOWLOG and MONITOR, fed by the Call seam (LATENCY is in <see cref="LatencyCommands"/>); replies and errors as Redis 7.0.15 gives them.</summary>
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
