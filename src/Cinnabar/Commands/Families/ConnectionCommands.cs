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
        if (ctx.Client.InResp2SubscribedMode)
        {
            // A subscribed RESP2 connection only reads arrays: PING answers as a pong message.
            ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteBulk("pong"u8);
            ctx.Reply.WriteBulk(ctx.ArgCount == 2 ? ctx.Arg(1) : []);
        }
        else if (ctx.ArgCount == 1) ctx.Reply.WriteRaw("+PONG\r\n"u8);
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
