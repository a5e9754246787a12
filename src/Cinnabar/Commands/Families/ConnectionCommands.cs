using Cinnabar.PubSub;

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
    public const string WrongPassError = "WRONGPASS invalid username-password pair or user is disabled.";

    [RedisCommand("AUTH")]
    public static void Auth(CommandContext ctx)
    {
        if (ctx.ArgCount > 3)
        {
            ctx.SyntaxError();
            return;
        }
        if (ctx.ArgCount == 2 && ctx.Server.Config.RequirePass == null)
        {
            ctx.Error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
            return;
        }
        string user = ctx.ArgCount == 3 ? ctx.ArgString(1) : "default";
        string password = ctx.ArgString(ctx.ArgCount - 1);
        if (!CheckPassword(ctx, user, password))
        {
            ctx.Error(WrongPassError);
            return;
        }
        ctx.Client.Authenticated = true;
        ctx.Client.User = user;
        ctx.Reply.WriteOk();
    }

    /// <summary>The default user is the only user: it takes any password without requirepass ("nopass").</summary>
    private static bool CheckPassword(CommandContext ctx, string user, string password)
    {
        if (user != "default") return false;
        string? required = ctx.Server.Config.RequirePass;
        return required == null || required == password;
    }

    [RedisCommand("HELLO")]
    public static void Hello(CommandContext ctx)
    {
        long version = 0;
        if (ctx.ArgCount >= 2)
        {
            if (!ctx.TryArgLong(1, out version, "ERR Protocol version is not an integer or out of range")) return;
            if (version < 2 || version > 3)
            {
                ctx.Error("NOPROTO unsupported protocol version");
                return;
            }
        }
        string? user = null, password = null;
        byte[]? name = null;
        for (int j = 2; j < ctx.ArgCount; j++)
        {
            int more = ctx.ArgCount - 1 - j;
            if (ctx.ArgIs(j, "AUTH"u8) && more >= 2)
            {
                user = ctx.ArgString(j + 1);
                password = ctx.ArgString(j + 2);
                j += 2;
            }
            else if (ctx.ArgIs(j, "SETNAME"u8) && more >= 1)
            {
                name = ctx.ArgBytes(j + 1);
                if (!ClientCommands.IsValidName(name))
                {
                    ctx.Error(ClientCommands.InvalidNameError);
                    return;
                }
                j++;
            }
            else
            {
                ctx.Error($"ERR Syntax error in HELLO option '{ctx.ArgText(j)}'");
                return;
            }
        }
        if (user != null)
        {
            if (!CheckPassword(ctx, user, password!))
            {
                ctx.Error(WrongPassError);
                return;
            }
            ctx.Client.Authenticated = true;
            ctx.Client.User = user;
        }
        if (ctx.Server.RequiresAuth(ctx.Client))
        {
            ctx.Error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
            return;
        }
        if (name != null) ctx.Client.Name = name.Length == 0 ? null : System.Text.Encoding.UTF8.GetString(name);
        if (version != 0 && ctx.Client.Connection != null) ctx.Client.Connection.Writer.Protocol = (int)version;
        var reply = ctx.Reply;
        reply.WriteMapHeader(7);
        reply.WriteBulk("server"u8);
        reply.WriteBulk("redis"u8);
        reply.WriteBulk("version"u8);
        reply.WriteBulk(ServerInfo.RedisVersion);
        reply.WriteBulk("proto"u8);
        reply.WriteInteger(reply.Protocol);
        reply.WriteBulk("id"u8);
        reply.WriteInteger(ctx.Client.Id);
        reply.WriteBulk("mode"u8);
        reply.WriteBulk("standalone"u8);
        reply.WriteBulk("role"u8);
        reply.WriteBulk("master"u8);
        reply.WriteBulk("modules"u8);
        reply.WriteEmptyArray();
    }

    /// <summary>
    /// RESET: the connection returns to its state at connect time: no transaction or watches, no
    /// subscriptions, database 0, RESP2, replies on, no name, and unauthenticated when a password is set.
    /// </summary>
    [RedisCommand("RESET")]
    public static void Reset(CommandContext ctx)
    {
        var client = ctx.Client;
        var server = ctx.Server;
        client.Multi = null;
        client.WatchDirty = false;
        server.Watches.UnwatchAll(client);
        foreach (var kind in new[] { ChannelKind.Channel, ChannelKind.Pattern, ChannelKind.Shard })
            foreach (var key in server.PubSub.SubscriptionsOf(client, kind).ToList()) server.PubSub.Unsubscribe(client, kind, key);
        client.Db = server.Databases[0];
        server.Monitors.Remove(client);
        if (client.Connection != null) client.Connection.Writer.Protocol = 2;
        client.ReplyMode = ReplyMode.On;
        client.Name = null;
        client.NoEvict = false;
        client.NoTouch = false;
        client.User = "default";
        client.Authenticated = !server.RequiresAuthAtAll;
        server.OnClientReset(ctx);
        ctx.Reply.WriteRaw("+RESET\r\n"u8);
    }
}
