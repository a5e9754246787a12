namespace Cinnabar.Commands.Families;

/// <summary>Whole-database commands: SELECT, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL.</summary>
public static class DatabaseCommands
{
    [RedisCommand("SELECT")]
    public static void Select(CommandContext ctx)
    {
        if (!KeyCommands.TryDbIndex(ctx, 1, out var db)) return;
        ctx.Client.Db = db;
        ctx.Reply.WriteOk();
    }

    /// <summary>Both indexes are parsed before either is range-checked, so each error names the right one.</summary>
    [RedisCommand("SWAPDB")]
    public static void SwapDb(CommandContext ctx)
    {
        if (!TryParseInt(ctx, 1, "ERR invalid first DB index", out int first)) return;
        if (!TryParseInt(ctx, 2, "ERR invalid second DB index", out int second)) return;
        var dbs = ctx.Server.Databases;
        if (first < 0 || first >= dbs.Length || second < 0 || second >= dbs.Length)
        {
            ctx.Error(KeyCommands.DbIndexOutOfRangeError);
            return;
        }
        if (first != second)
        {
            ctx.Server.OnDatabaseReplaced(dbs[first], dbs[second]);
            ctx.Server.OnDatabaseReplaced(dbs[second], dbs[first]);
            dbs[first].SwapWith(dbs[second]);
            ctx.Server.OnDatabasesSwapped(dbs[first], dbs[second]);
        }
        ctx.Dirty();
        ctx.Reply.WriteOk();
    }

    private static bool TryParseInt(CommandContext ctx, int arg, string error, out int value)
    {
        value = 0;
        if (!Protocol.RespParser.TryParseLong(ctx.Arg(arg), out long v) || v < int.MinValue || v > int.MaxValue)
        {
            ctx.Error(error);
            return false;
        }
        value = (int)v;
        return true;
    }

    [RedisCommand("DBSIZE")]
    public static void DbSize(CommandContext ctx) => ctx.Reply.WriteInteger(ctx.Db.Count);

    [RedisCommand("FLUSHDB")]
    public static void FlushDb(CommandContext ctx)
    {
        if (!TryParseFlushMode(ctx)) return;
        ctx.Dirty(Flush(ctx, ctx.Db));
        // Replayed even when the database was already empty, as Redis does.
        ctx.ForcePropagation();
        ctx.Reply.WriteOk();
    }

    [RedisCommand("FLUSHALL")]
    public static void FlushAll(CommandContext ctx)
    {
        if (!TryParseFlushMode(ctx)) return;
        long removed = 0;
        foreach (var db in ctx.Server.Databases) removed += Flush(ctx, db);
        // Redis counts the removed keys plus one for the FLUSHALL itself.
        ctx.Dirty(removed + 1);
        // As Redis: a background save in progress is dropped and, with save points, the empty dataset is saved
        // (which leaves no change unsaved); the FLUSHALL is still propagated.
        if (!ctx.Server.Loading) ctx.Server.Rdb.AfterFlushAll();
        ctx.ForcePropagation();
        ctx.Reply.WriteOk();
    }

    /// <summary>Empties one database as FLUSHDB does (WATCH, blocked clients, a snapshot walking it); returns the keys removed.</summary>
    internal static int Flush(CommandContext ctx, Storage.Database db)
    {
        if (db.Count == 0) return db.Flush();
        ctx.Server.OnDatabaseReplaced(db, null);
        // The emptied database's memory goes back to the system at the next cron tick, without a pause.
        ctx.Server.MemoryTrimmer.RequestNow();
        return db.Flush();
    }

    /// <summary>[ASYNC | SYNC]: both free at once here (the garbage collector frees in the background anyway).</summary>
    private static bool TryParseFlushMode(CommandContext ctx)
    {
        if (ctx.ArgCount > 2 || (ctx.ArgCount == 2 && !ctx.ArgIs(1, "ASYNC"u8) && !ctx.ArgIs(1, "SYNC"u8)))
        {
            ctx.SyntaxError();
            return false;
        }
        return true;
    }
}
