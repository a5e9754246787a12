using Cinnabar.Transactions;

namespace Cinnabar.Commands.Families;

/// <summary>MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queueing itself happens in the gate (Dispatcher.Process).</summary>
public static class TransactionCommands
{
    [RedisCommand("MULTI")]
    public static void Multi(CommandContext ctx)
    {
        if (ctx.Client.Multi != null)
        {
            ctx.Error("ERR MULTI calls can not be nested");
            return;
        }
        ctx.Client.Multi = new MultiState();
        ctx.Reply.WriteOk();
    }

    [RedisCommand("DISCARD")]
    public static void Discard(CommandContext ctx)
    {
        if (ctx.Client.Multi == null)
        {
            ctx.Error("ERR DISCARD without MULTI");
            return;
        }
        Discard(ctx.Server, ctx.Client);
        ctx.Reply.WriteOk();
    }

    [RedisCommand("EXEC")]
    public static void Exec(CommandContext ctx)
    {
        var client = ctx.Client;
        var multi = client.Multi;
        if (multi == null)
        {
            ctx.Error("ERR EXEC without MULTI");
            return;
        }
        var watches = ctx.Server.Watches;
        if (multi.Aborted)
        {
            client.Multi = null;
            watches.UnwatchAll(client);
            ctx.Error("EXECABORT Transaction discarded because of previous errors.");
            return;
        }
        bool dirty = client.WatchDirty || watches.AnyExpiredSinceWatch(client, ctx.NowMs);
        watches.UnwatchAll(client);
        if (dirty)
        {
            client.Multi = null;
            ctx.Reply.WriteNullArray();
            return;
        }
        var exec = ctx.Command;
        // EXEC's own arguments come back after its commands ran, for MONITOR and SLOWLOG.
        var execArgs = ctx.Args.ToArrays();
        var flags = ctx.Flags | CallFlags.InMulti;
        ctx.Reply.WriteArrayHeader(multi.Queue.Count);
        // The queued commands passed the gate when queued: they go straight to Call, with EXEC's flags.
        foreach (var queued in multi.Queue)
        {
            ctx.Args.Load(queued.Args);
            Dispatcher.Call(ctx, queued.Command, flags);
        }
        // The client stays in MULTI while its commands run (CLIENT INFO shows flags=x multi=N, as in Redis).
        client.Multi = null;
        ctx.Command = exec;
        ctx.Args.Load(execArgs);
        ctx.ErrorWritten = false;
    }

    /// <summary>
    /// EXEC refused by the dispatcher (arity, authentication, subscribed context; later OOM): the transaction
    /// and the watches are dropped and the reason follows EXECABORT without its "ERR " prefix.
    /// </summary>
    public static void AbortExec(CommandContext ctx, string reason)
    {
        Discard(ctx.Server, ctx.Client);
        if (reason.StartsWith("ERR ", StringComparison.Ordinal)) reason = reason[4..];
        ctx.Error("EXECABORT Transaction discarded because of: " + reason);
    }

    /// <summary>Drops a client's MULTI state and its watched keys (DISCARD, a refused EXEC, RESET).</summary>
    public static void Discard(CinnabarServer server, Client client)
    {
        client.Multi = null;
        server.Watches.UnwatchAll(client);
    }

    [RedisCommand("WATCH")]
    public static void Watch(CommandContext ctx)
    {
        if (ctx.Client.Multi != null)
        {
            ctx.Error("ERR WATCH inside MULTI is not allowed");
            return;
        }
        for (int i = 1; i < ctx.ArgCount; i++)
        {
            var key = ctx.ArgBytes(i);
            int slot = ctx.Db.Table.Find(key);
            bool expired = slot >= 0 && ctx.Db.Table.GetExpire(slot) is var when && when >= 0 && when < ctx.NowMs;
            ctx.Server.Watches.Watch(ctx.Client, ctx.Db, key, expired);
        }
        ctx.Reply.WriteOk();
    }

    [RedisCommand("UNWATCH")]
    public static void Unwatch(CommandContext ctx)
    {
        ctx.Server.Watches.UnwatchAll(ctx.Client);
        ctx.Reply.WriteOk();
    }
}
