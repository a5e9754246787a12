namespace Cinnabar.Commands.Families;

/// <summary>SAVE (the RDB file written at once, under the store lock, as Redis's SAVE blocks) and BGSAVE.</summary>
public static class PersistenceCommands
{
    [RedisCommand("SAVE")]
    public static void Save(CommandContext ctx)
    {
        if (ctx.Server.Rdb.BackgroundInProgress)
        {
            ctx.Error("ERR Background save already in progress");
            return;
        }
        // Redis answers a failed save with a bare "-ERR" (the reason is in the log).
        if (ctx.Server.Rdb.Save(counted: true) == null) ctx.Reply.WriteOk();
        else ctx.Error("ERR");
    }

    /// <summary>BGSAVE [SCHEDULE]: inside EXEC the save is scheduled for the next cron tick, as in Redis.</summary>
    [RedisCommand("BGSAVE")]
    public static void BgSave(CommandContext ctx)
    {
        if (ctx.ArgCount > 1 && !(ctx.ArgCount == 2 && ctx.ArgIs(1, "SCHEDULE"u8)))
        {
            ctx.SyntaxError();
            return;
        }
        var rdb = ctx.Server.Rdb;
        if (rdb.BackgroundInProgress) ctx.Error("ERR Background save already in progress");
        else if (ctx.Server.Aof.Rewrite.InProgress && !ctx.InTransaction && ctx.ArgCount == 1)
            ctx.Error("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        else if (ctx.InTransaction || ctx.Server.Aof.Rewrite.InProgress)
        {
            rdb.ScheduleBackgroundSave();
            ctx.Reply.WriteSimpleString("Background saving scheduled");
        }
        else if (rdb.StartBackgroundSave()) ctx.Reply.WriteSimpleString("Background saving started");
        else ctx.Error("ERR");
    }
}
