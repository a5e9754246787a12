namespace Cinnabar.Commands.Families;

/// <summary>BGREWRITEAOF.</summary>
public static class AofCommands
{
    /// <summary>
    /// Starts an AOF rewrite in the background, or schedules one when called inside a transaction or while a
    /// BGSAVE runs (Redis's in_exec and active child cases); a rewrite already running is an error, as in Redis.
    /// </summary>
    [RedisCommand("BGREWRITEAOF")]
    public static void BgRewriteAof(CommandContext ctx)
    {
        var aof = ctx.Server.Aof;
        if (aof.Rewrite.InProgress)
        {
            ctx.Error("ERR Background append only file rewriting already in progress");
            return;
        }
        if (ctx.InTransaction || ctx.Server.Rdb.BackgroundInProgress)
        {
            aof.Rewrite.Scheduled = true;
            ctx.Reply.WriteSimpleString("Background append only file rewriting scheduled");
            return;
        }
        if (aof.StartRewrite() is string error) ctx.Error("ERR " + error);
        else ctx.Reply.WriteSimpleString("Background append only file rewriting started");
    }
}
