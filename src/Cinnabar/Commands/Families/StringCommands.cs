namespace Cinnabar.Commands.Families;

/// <summary>The string family: GET, SET and friends.</summary>
public static class StringCommands
{
    [RedisCommand("GET")]
    public static void Get(CommandContext ctx)
    {
        var value = ctx.Db.GetForRead(ctx.Arg(1));
        if (value == null) ctx.Reply.WriteNull();
        else if (value is byte[] bytes) ctx.Reply.WriteBulk(bytes);
        else ctx.WrongType();
    }

    [RedisCommand("SET")]
    public static void Set(CommandContext ctx)
    {
        ctx.Db.Set(ctx.Arg(1), ctx.ArgBytes(2));
        ctx.KeyModified(ctx.Db, ctx.Arg(1));
        ctx.Dirty();
        ctx.Reply.WriteOk();
    }
}
