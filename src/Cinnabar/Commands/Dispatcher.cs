using System.Text;
using Cinnabar.Transactions;

namespace Cinnabar.Commands;

/// <summary>What <see cref="Dispatcher.Process"/> did with a command.</summary>
public enum ProcessResult
{
    /// <summary>Run, queued or refused: its reply (if any) is written.</summary>
    Done,
    /// <summary>CLIENT PAUSE holds it: nothing was written; the caller keeps it and offers it again later.</summary>
    Postponed,
}

/// <summary>
/// The command path, in two halves as Redis's processCommand() and call():
/// <see cref="Process"/> is the gate, the only place a command from a client can be refused;
/// <see cref="Call"/> runs a handler that has passed it. EXEC, served waiters and (later) scripts and the
/// AOF loader enter at <see cref="Call"/> with their caller's flags; they never pass the gate again.
/// Everything here runs with the server's store lock held.
/// </summary>
public static partial class Dispatcher
{
    public const string BusyScriptError = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    public const string BusyFunctionError = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    public const string OomError = "OOM command not allowed when used memory > 'maxmemory'.";

    /// <summary>
    /// The gate, in Redis's order: lookup, arity, authentication, deny-OOM, RESP2 subscribed mode,
    /// BUSY (a script is running), CLIENT PAUSE, MULTI queueing; then <see cref="Call"/>.
    /// </summary>
    public static ProcessResult Process(CommandContext ctx)
    {
        var server = ctx.Server;
        var args = ctx.Args;
        var client = ctx.Client;
        ctx.ErrorWritten = false;

        var def = server.Commands.Find(args[0]);
        // Like Redis 7: unknown commands, subcommands and arity are reported before authentication.
        if (def == null)
        {
            client.LastCommand = "NULL";
            FlagTransaction(client);
            ctx.Error(UnknownCommandMessage(ctx));
            return ProcessResult.Done;
        }
        // A container resolves to its subcommand when one is given, even when it also runs alone (COMMAND).
        if (def.Subcommands != null && (def.Handler == null || args.Count >= 2))
        {
            if (args.Count < 2)
            {
                // The container itself fails its arity check, as in Redis (rejected call, transaction flagged).
                client.LastCommand = def.DisplayName;
                server.CommandStatistics.RecordRejected(def);
                FlagTransaction(client);
                ctx.Error($"ERR wrong number of arguments for '{def.DisplayName}' command");
                return ProcessResult.Done;
            }
            var sub = def.FindSubcommand(args[1]);
            if (sub == null)
            {
                client.LastCommand = "NULL";
                FlagTransaction(client);
                ctx.Error($"ERR unknown subcommand '{Printable(args[1], 128)}'. Try {def.Name} HELP.");
                return ProcessResult.Done;
            }
            def = sub;
        }
        ctx.Command = def;
        client.LastCommand = def.DisplayName;

        if ((def.Arity > 0 && args.Count != def.Arity) || args.Count < -def.Arity)
        {
            server.CommandStatistics.RecordRejected(def);
            Reject(ctx, $"ERR wrong number of arguments for '{def.DisplayName}' command");
            return ProcessResult.Done;
        }
        if (!client.Authenticated && (def.Flags & CommandFlags.NoAuth) == 0 && server.RequiresAuth(client))
        {
            server.CommandStatistics.RecordRejected(def);
            Reject(ctx, "NOAUTH Authentication required.");
            return ProcessResult.Done;
        }
        // Deny-OOM: with maxmemory set, every command first lets the memory policy evict what it may; then a
        // command that may grow memory (an EXEC holding one, anything queued in MULTI) is refused while the
        // server is still over the limit.
        if (server.Config.MaxMemory != 0 && server.BusyScript == BusyScriptKind.None
            && server.MemoryPolicy.IsOverLimit(server) && RejectedOnOom(def, client))
        {
            server.CommandStatistics.RecordRejected(def);
            Reject(ctx, OomError);
            return ProcessResult.Done;
        }
        // The AOF cannot be written: writes (and PING, as in Redis) are refused until it can.
        if (server.Aof.LastError is string diskError && (IsWriteCommand(def, client) || def.Name == "PING"))
        {
            server.CommandStatistics.RecordRejected(def);
            Reject(ctx, "MISCONF Errors writing to the AOF file: " + diskError);
            return ProcessResult.Done;
        }
        // stop-writes-on-bgsave-error: after a failed background save, writes (and PING) get -MISCONF.
        if (server.Rdb.DeniesWrites && IsWriteForMisconf(def, client))
        {
            server.CommandStatistics.RecordRejected(def);
            Reject(ctx, Persistence.RdbPersistence.MisconfError);
            return ProcessResult.Done;
        }
        if (client.InResp2SubscribedMode && !AllowedWhileSubscribed(def))
        {
            server.CommandStatistics.RecordRejected(def);
            Reject(ctx, $"ERR Can't execute '{def.DisplayName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return ProcessResult.Done;
        }
        if (server.LoadingState.Active && (def.Flags & CommandFlags.Loading) == 0)
        {
            server.CommandStatistics.RecordRejected(def);
            Reject(ctx, Persistence.LoadingState.LoadingError);
            return ProcessResult.Done;
        }
        // BUSY fast path: while a script runs past its time limit, only commands flagged allow-busy pass.
        var busy = server.BusyScript;
        if (busy != BusyScriptKind.None && (def.Flags & CommandFlags.AllowBusy) == 0)
        {
            server.CommandStatistics.RecordRejected(def);
            Reject(ctx, busy == BusyScriptKind.Function ? BusyFunctionError : BusyScriptError);
            return ProcessResult.Done;
        }
        if (server.Pause.IsActive(server.NowMs) && server.Pause.ShouldPostpone(server, client, def)) return ProcessResult.Postponed;
        if (client.Multi != null && !IsTransactionControl(def))
        {
            if ((def.Flags & CommandFlags.NoMulti) != 0)
            {
                FlagTransaction(client);
                ctx.Error("ERR Command not allowed inside a transaction");
                return ProcessResult.Done;
            }
            client.Multi.Queue.Add(new QueuedCommand(def, args.ToArrays()));
            ctx.Reply.WriteRaw("+QUEUED\r\n"u8);
            return ProcessResult.Done;
        }

        Call(ctx, def, CallFlags.None);
        return ProcessResult.Done;
    }

    /// <summary>What -MISCONF refuses: a write, an EXEC holding one, and PING (so a health check sees it), as Redis.</summary>
    private static bool IsWriteForMisconf(CommandDef def, Client client) =>
        (def.Flags & CommandFlags.Write) != 0 || def.Name == "PING"
        || (def.Name == "EXEC" && client.Multi != null && client.Multi.Queue.Any(q => (q.Command.Flags & CommandFlags.Write) != 0));

    /// <summary>Refused when out of memory: deny-oom commands, and while queueing a transaction anything but EXEC/DISCARD/QUIT/RESET.</summary>
    private static bool RejectedOnOom(CommandDef def, Client client) =>
        IsDenyOom(def, client) || (client.Multi != null && def.Name is not ("EXEC" or "DISCARD" or "QUIT" or "RESET"));

    /// <summary>Redis's is_write_command: a write, or an EXEC whose queue holds one.</summary>
    private static bool IsWriteCommand(CommandDef def, Client client)
    {
        if (def.IsWrite) return true;
        if (def.Name != "EXEC" || client.Multi == null) return false;
        foreach (var queued in client.Multi.Queue)
            if (queued.Command.IsWrite) return true;
        return false;
    }

    /// <summary>Redis's is_denyoom_command: the command's own flag, or an EXEC whose queue holds such a command.</summary>
    private static bool IsDenyOom(CommandDef def, Client client)
    {
        if ((def.Flags & CommandFlags.DenyOom) != 0) return true;
        if (def.Name != "EXEC" || client.Multi == null) return false;
        foreach (var queued in client.Multi.Queue)
            if ((queued.Command.Flags & CommandFlags.DenyOom) != 0) return true;
        return false;
    }

    /// <summary>
    /// A command refused before it ran, as Redis's rejectCommand: a transaction being queued is doomed, and a
    /// refused EXEC discards the transaction (even without MULTI) and answers EXECABORT with the reason.
    /// </summary>
    private static void Reject(CommandContext ctx, string error)
    {
        FlagTransaction(ctx.Client);
        if (ctx.Command?.Name == "EXEC") Families.TransactionCommands.AbortExec(ctx, error);
        else ctx.Error(error);
    }

    private static bool AllowedWhileSubscribed(CommandDef def) => def.Name is "SUBSCRIBE" or "UNSUBSCRIBE" or "PSUBSCRIBE"
        or "PUNSUBSCRIBE" or "SSUBSCRIBE" or "SUNSUBSCRIBE" or "PING" or "QUIT" or "RESET";

    /// <summary>Commands that act on the transaction itself instead of being queued.</summary>
    private static bool IsTransactionControl(CommandDef def) =>
        def.Name is "EXEC" or "DISCARD" or "MULTI" or "WATCH" or "QUIT" or "RESET";

    /// <summary>A command refused while queueing dooms the transaction (EXEC answers EXECABORT).</summary>
    private static void FlagTransaction(Client client)
    {
        if (client.Multi != null) client.Multi.Aborted = true;
    }

    /// <summary>Redis's text: "ERR unknown command 'x', with args beginning with: 'a' 'b' ".</summary>
    public static string UnknownCommandMessage(CommandContext ctx)
    {
        var args = ctx.Args;
        var tail = new StringBuilder();
        for (int i = 1; i < args.Count && tail.Length < 128; i++)
            tail.Append('\'').Append(Printable(args[i], 128 - tail.Length)).Append("' ");
        return $"ERR unknown command '{Printable(args[0], 128)}', with args beginning with: {tail}";
    }

    /// <summary>An argument as text for an error message, cut to <paramref name="max"/> bytes.</summary>
    public static string Printable(ReadOnlySpan<byte> arg, int max)
    {
        if (max < 0) max = 0;
        // Redis formats these with %.*s, which stops at the first NUL byte.
        int nul = arg.IndexOf((byte)0);
        if (nul >= 0) arg = arg[..nul];
        if (arg.Length > max) arg = arg[..max];
        // Latin-1 keeps every byte as one char, so the error reply carries the argument's exact bytes.
        return Encoding.Latin1.GetString(arg).Replace('\r', ' ').Replace('\n', ' ');
    }
}
