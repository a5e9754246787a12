namespace Cinnabar.Commands.Families;

/// <summary>PING, ECHO, QUIT, SELECT, AUTH, HELLO, RESET and the rest of the connection family.</summary>
public static class ConnectionCommands
{
    [RedisCommand("PING")]
    public static void Ping(CommandContext ctx)
    {
        if (ctx.ArgCount > 2)
        {
            ctx.Error("ERR wrong number of arguments for 'ping' command");
            return;
        }
        if (ctx.ArgCount == 1) ctx.Reply.WriteRaw("+PONG\r\n"u8);
        else ctx.Reply.WriteBulk(ctx.Arg(1));
    }

    [RedisCommand("ECHO")]
    public static void Echo(CommandContext ctx) => ctx.Reply.WriteBulk(ctx.Arg(1));

    [RedisCommand("QUIT")]
    public static void Quit(CommandContext ctx)
    {
        ctx.Reply.WriteOk();
        ctx.Client.CloseAfterReply = true;
    }
}
