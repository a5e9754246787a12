using System.Diagnostics;

namespace Cinnabar.Commands;

/// <summary>
/// Who runs a command, as Redis's CLIENT_MULTI / CLIENT_SCRIPT / CMD_CALL flags: a command run from inside
/// another (EXEC, a script) carries its caller's flags, and handlers read them through the context.
/// </summary>
[Flags]
public enum CallFlags
{
    None = 0,
    /// <summary>Run by EXEC: blocking commands answer as on timeout.</summary>
    InMulti = 1 << 0,
    /// <summary>Run by a script through redis.call / redis.pcall.</summary>
    InScript = 1 << 1,
    /// <summary>The caller may not write (a read-only script, EVAL_RO, a no-writes function).</summary>
    NoWrites = 1 << 2,
    /// <summary>The caller was admitted while over maxmemory: commands that may grow memory must be refused.</summary>
    DenyOom = 1 << 3,
    /// <summary>A parked blocking command run again because one of its keys became ready.</summary>
    ServingWaiter = 1 << 4,
    /// <summary>
    /// Replayed from the AOF at start-up (Redis's fake AOF client, whose commands run outside call()): never
    /// blocks, and leaves statistics, SLOWLOG, the latency monitor and MONITOR alone.
    /// </summary>
    Loading = 1 << 5,
}

/// <summary>Whether a script is running long enough that other clients get -BUSY (set by the scripting engine).</summary>
public enum BusyScriptKind { None, Eval, Function }

public static partial class Dispatcher
{
    /// <summary>
    /// Runs one command that is past the gate (Redis's call()): the handler with <paramref name="flags"/>, then
    /// statistics, SLOWLOG, the latency monitor, the MONITOR feed and propagation of its writes. An exception in the handler becomes an error reply to this
    /// client and a log line.
    /// Clients (through <see cref="Process"/>), EXEC, served waiters and scripts all run commands here.
    /// <paramref name="body"/> replaces the handler for a waiter served from its own wait state (XREAD BLOCK).
    /// </summary>
    public static void Call(CommandContext ctx, CommandDef def, CallFlags flags, Action<CommandContext>? body = null)
    {
        var server = ctx.Server;
        var client = ctx.Client;
        var callerFlags = ctx.Flags;
        bool callerSuppressTouch = server.SuppressTouch;
        ctx.Command = def;
        ctx.Flags = flags;
        ctx.ErrorWritten = false;
        ctx.BlockedAgain = false;
        // CLIENT NO-TOUCH: the client's reads leave access times alone, except TOUCH, which is asked to touch.
        server.SuppressTouch = client.NoTouch && def.Name != "TOUCH";
        bool wasBlocked = client.Blocked != null;
        // Propagation: the writes of this call join the current unit; the outermost call hands the unit on.
        var propagator = server.Propagator;
        bool propagating = propagator.Active;
        bool callerInstead = ctx.PropagatedInstead, callerForced = ctx.PropagationForced;
        long dirtyBefore = server.Dirty;
        long aofOffsetBefore = server.Aof.AppendedOffset;
        if (propagating)
        {
            propagator.Enter();
            ctx.PropagatedInstead = false;
            ctx.PropagationForced = false;
        }

        long start = server.CallClock.Start(ctx, flags);
        ctx.CallStart = start;
        int replyMark = ctx.Reply.Length;
        try
        {
            if (body != null) body(ctx);
            else def.Handler!(ctx);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in one handler must not take the connection or the server down: drop the partial
            // reply, answer an error, and log it so it gets fixed.
            ctx.Reply.Truncate(replyMark);
            server.Log.Warning($"internal error in '{def.DisplayName}': {e}");
            ctx.Error($"ERR internal error in '{def.DisplayName}': {e.GetType().Name}");
        }
        long elapsed = server.CallClock.End(ctx, flags) - start;
        server.Sizes.Settle();
        server.SuppressTouch = callerSuppressTouch;
        ctx.Flags = callerFlags;
        if (propagating)
        {
            // The command as received, unless its handler gave other forms (PXAT, SREM for SPOP, ...).
            // EXEC itself never goes: its commands did, and the unit is wrapped in MULTI/EXEC. A script (EVAL,
            // FCALL, ...) prevents its own propagation: the commands it called went as its effects.
            if (!ctx.PropagatedInstead && (server.Dirty != dirtyBefore || ctx.PropagationForced) && def.Name != "EXEC")
                propagator.Add(ctx.Db.Index, ctx.Args);
            ctx.PropagatedInstead = callerInstead;
            ctx.PropagationForced = callerForced;
            propagator.Exit();
            // Remembered after the client's last command that reached the AOF (Redis's woff), for WAITAOF.
            if (server.Aof.AppendedOffset != aofOffsetBefore) client.AofWriteOffset = server.Aof.AppendedOffset;
        }

        // A command that parked its client is counted when the wait ends (served or timed out), as Redis does.
        if ((flags & CallFlags.Loading) != 0) return;
        bool parkedNow = !wasBlocked && client.Blocked != null;
        bool stillParked = (flags & CallFlags.ServingWaiter) != 0 && ctx.BlockedAgain;
        long micros = elapsed * 1_000_000 / Stopwatch.Frequency;
        if (parkedNow || stillParked) client.Blocked!.Micros += micros;
        else
        {
            // A served waiter counts the time of the call that parked it too (a timed-out one counts only that).
            if ((flags & CallFlags.ServingWaiter) != 0 && client.Blocked != null) micros += client.Blocked.Micros;
            server.CommandStatistics.RecordCall(def, micros, ctx.ErrorWritten);
            if ((def.Flags & CommandFlags.SkipSlowlog) == 0) server.SlowLog.Add(ctx, micros);
            server.Latency.AddIfNeeded((def.Flags & CommandFlags.Fast) != 0 ? "fast-command" : "command", micros / 1000);
        }
        // MONITOR sees each command once, as it was called (a served waiter was shown when it parked).
        if (server.Monitors.Any && (flags & CallFlags.ServingWaiter) == 0 && !server.Loading
            && (def.Flags & (CommandFlags.SkipMonitor | CommandFlags.Admin)) == 0)
            server.Monitors.Feed(ctx, fromScript: (flags & CallFlags.InScript) != 0);
        if ((flags & CallFlags.ServingWaiter) == 0)
        {
            client.TotalCommands++;
            server.Stats.TotalCommandsProcessed++;
        }
    }

    /// <summary>
    /// Shows a script command (EVAL*, FCALL*) to MONITOR when it starts, as Redis's evalCommand and fcallCommand
    /// do, so the commands it runs appear after it (the table marks them skip-monitor for Call's own feed).
    /// </summary>
    public static void FeedMonitorsFirst(CommandContext ctx)
    {
        var server = ctx.Server;
        if (server.Monitors.Any && !server.Loading) server.Monitors.Feed(ctx);
    }
}
