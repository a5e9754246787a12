namespace Cinnabar.Commands.Families;

/// <summary>SAVE: the RDB file written at once, under the store lock, as Redis's SAVE blocks.</summary>
public static class PersistenceCommands
{
    [RedisCommand("SAVE")]
    public static void Save(CommandContext ctx)
    {
        // Redis answers a failed save with a bare "-ERR" (the reason is in the log).
        if (ctx.Server.Rdb.Save() == null) ctx.Reply.WriteOk();
        else ctx.Error("ERR");
    }
}
