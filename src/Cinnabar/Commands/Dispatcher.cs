using System.Diagnostics;
using System.Text;

namespace Cinnabar.Commands;

/// <summary>
/// The one gatekeeper every command passes through, in Redis's order: lookup, arity, authentication,
/// then the handler, then the after-effects (stats). Handlers never repeat these checks.
/// Runs with the server's store lock held.
/// </summary>
public static class Dispatcher
{
    public static void Execute(CommandContext ctx)
    {
        var server = ctx.Server;
        var args = ctx.Args;
        var client = ctx.Client;
        ctx.ErrorWritten = false;

        var def = server.Commands.Find(args[0]);
        // Like Redis 7: unknown commands, subcommands and arity are reported before authentication.
        if (def == null)
        {
            FlagTransaction(client);
            ctx.Error(UnknownCommandMessage(ctx));
            return;
        }
        // A container resolves to its subcommand when one is given, even when it also runs alone (COMMAND).
        if (def.Subcommands != null && (def.Handler == null || args.Count >= 2))
        {
            if (args.Count < 2)
            {
                // The container itself fails its arity check, as in Redis (rejected call, transaction flagged).
                server.CommandStatistics.RecordRejected(def);
                FlagTransaction(client);
                ctx.Error($"ERR wrong number of arguments for '{def.DisplayName}' command");
                return;
            }
            var sub = def.FindSubcommand(args[1]);
            if (sub == null)
            {
                FlagTransaction(client);
                ctx.Error($"ERR unknown subcommand '{Printable(args[1], 128)}'. Try {def.Name} HELP.");
                return;
            }
            def = sub;
        }
        ctx.Command = def;

        if ((def.Arity > 0 && args.Count != def.Arity) || args.Count < -def.Arity)
        {
            server.CommandStatistics.RecordRejected(def);
            FlagTransaction(client);
            Reject(ctx, $"ERR wrong number of arguments for '{def.DisplayName}' command");
            return;
        }
        if (!client.Authenticated && (def.Flags & CommandFlags.NoAuth) == 0 && server.RequiresAuth(client))
        {
            server.CommandStatistics.RecordRejected(def);
            Reject(ctx, "NOAUTH Authentication required.");
            return;
        }

        if (client.InResp2SubscribedMode && !AllowedWhileSubscribed(def))
        {
            server.CommandStatistics.RecordRejected(def);
            Reject(ctx, $"ERR Can't execute '{def.DisplayName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        if (client.Multi != null && !ctx.InTransaction && !IsTransactionControl(def))
        {
            if ((def.Flags & CommandFlags.NoMulti) != 0)
            {
                FlagTransaction(client);
                ctx.Error("ERR Command not allowed inside a transaction");
                return;
            }
            client.Multi.Queue.Add(args.ToArrays());
            ctx.Reply.WriteRaw("+QUEUED\r\n"u8);
            return;
        }

        long start = Stopwatch.GetTimestamp();
        if (!ctx.InTransaction) client.LastCommand = def.DisplayName; // EXEC's commands leave cmd=exec, as in Redis
        int replyMark = ctx.Reply.Length;
        try
        {
            def.Handler!(ctx);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in one handler must not take the connection or the server down: drop the partial
            // reply, answer an error, and log it so it gets fixed.
            ctx.Reply.Truncate(replyMark);
            server.Log.Warning($"internal error in '{def.DisplayName}': {e}");
            ctx.Error($"ERR internal error in '{def.DisplayName}': {e.GetType().Name}");
        }
        long elapsed = Stopwatch.GetTimestamp() - start;
        server.CommandStatistics.RecordCall(def, elapsed * 1_000_000 / Stopwatch.Frequency, ctx.ErrorWritten);
        client.TotalCommands++;
        server.Stats.TotalCommandsProcessed++;
    }

    /// <summary>
    /// A command refused before it ran. A refused EXEC discards the transaction (even without MULTI) and
    /// answers EXECABORT with the reason, as Redis's rejectCommand does; any other command gets the error.
    /// </summary>
    private static void Reject(CommandContext ctx, string error)
    {
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
