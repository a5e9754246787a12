using System.Text;

namespace Cinnabar.Commands.Families;

/// <summary>CLIENT subcommands: identity, listing and killing connections, reply modes, pausing.</summary>
public static class ClientCommands
{
    public const string InvalidNameError = "ERR Client names cannot contain spaces, newlines or special characters.";

    /// <summary>Names and lib attributes may only hold printable ASCII without spaces ('!'..'~').</summary>
    public static bool IsValidName(ReadOnlySpan<byte> name)
    {
        foreach (byte b in name) if (b < '!' || b > '~') return false;
        return true;
    }

    [RedisCommand("CLIENT ID")]
    public static void Id(CommandContext ctx) => ctx.Reply.WriteInteger(ctx.Client.Id);

    [RedisCommand("CLIENT SETNAME")]
    public static void SetName(CommandContext ctx)
    {
        var name = ctx.Arg(2);
        if (!IsValidName(name))
        {
            ctx.Error(InvalidNameError);
            return;
        }
        ctx.Client.Name = name.Length == 0 ? null : Encoding.UTF8.GetString(name);
        ctx.Reply.WriteOk();
    }

    [RedisCommand("CLIENT GETNAME")]
    public static void GetName(CommandContext ctx)
    {
        if (ctx.Client.Name == null) ctx.Reply.WriteNull();
        else ctx.Reply.WriteBulk(ctx.Client.Name);
    }

    [RedisCommand("CLIENT SETINFO")]
    public static void SetInfo(CommandContext ctx)
    {
        bool libName = ctx.ArgIs(2, "LIB-NAME"u8);
        if (!libName && !ctx.ArgIs(2, "LIB-VER"u8))
        {
            ctx.Error($"ERR Unrecognized option '{ctx.ArgText(2)}'");
            return;
        }
        if (!IsValidName(ctx.Arg(3)))
        {
            ctx.Error($"ERR {ctx.ArgText(2)} cannot contain spaces, newlines or special characters.");
            return;
        }
        string? value = ctx.Arg(3).Length == 0 ? null : ctx.ArgString(3);
        if (libName) ctx.Client.LibName = value;
        else ctx.Client.LibVersion = value;
        ctx.Reply.WriteOk();
    }

    [RedisCommand("CLIENT INFO")]
    public static void Info(CommandContext ctx)
    {
        var sb = new StringBuilder();
        ClientInfoFormatter.Append(sb, ctx.Server, ctx.Client, ctx);
        ctx.Reply.WriteVerbatim(sb.Append('\n').ToString());
    }

    [RedisCommand("CLIENT LIST")]
    public static void List(CommandContext ctx)
    {
        var clients = ctx.Server.ClientsSnapshot();
        IEnumerable<Client> selected;
        if (ctx.ArgCount == 4 && ctx.ArgIs(2, "TYPE"u8))
        {
            var type = ClientInfoFormatter.ParseType(ctx.ArgString(3));
            if (type == null)
            {
                ctx.Error($"ERR Unknown client type '{ctx.ArgText(3)}'");
                return;
            }
            selected = clients.Where(c => ClientInfoFormatter.TypeOf(c) == type);
        }
        else if (ctx.ArgCount > 3 && ctx.ArgIs(2, "ID"u8))
        {
            var list = new List<Client>();
            for (int i = 3; i < ctx.ArgCount; i++)
            {
                if (!ctx.TryArgLong(i, out long id, "ERR Invalid client ID")) return;
                var c = ctx.Server.FindClient(id);
                if (c != null) list.Add(c);
            }
            selected = list;
        }
        else if (ctx.ArgCount != 2)
        {
            ctx.SyntaxError();
            return;
        }
        else selected = clients;
        var sb = new StringBuilder();
        foreach (var c in selected)
        {
            ClientInfoFormatter.Append(sb, ctx.Server, c, ctx);
            sb.Append('\n');
        }
        ctx.Reply.WriteVerbatim(sb.ToString());
    }

    [RedisCommand("CLIENT KILL")]
    public static void Kill(CommandContext ctx)
    {
        string? addr = null, laddr = null, user = null, type = null;
        long id = 0;
        bool skipMe = true;
        bool oldForm = ctx.ArgCount == 3;
        if (oldForm)
        {
            addr = ctx.ArgString(2);
            skipMe = false; // with the old form a client may kill itself
        }
        else
        {
            for (int i = 2; i < ctx.ArgCount; i += 2)
            {
                bool more = i + 1 < ctx.ArgCount;
                if (ctx.ArgIs(i, "ID"u8) && more)
                {
                    if (!ctx.TryArgLong(i + 1, out id, "ERR client-id should be greater than 0")) return;
                    if (id < 1)
                    {
                        ctx.Error("ERR client-id should be greater than 0");
                        return;
                    }
                }
                else if (ctx.ArgIs(i, "TYPE"u8) && more)
                {
                    type = ClientInfoFormatter.ParseType(ctx.ArgString(i + 1));
                    if (type == null)
                    {
                        ctx.Error($"ERR Unknown client type '{ctx.ArgText(i + 1)}'");
                        return;
                    }
                }
                else if (ctx.ArgIs(i, "ADDR"u8) && more) addr = ctx.ArgString(i + 1);
                else if (ctx.ArgIs(i, "LADDR"u8) && more) laddr = ctx.ArgString(i + 1);
                else if (ctx.ArgIs(i, "USER"u8) && more)
                {
                    user = ctx.ArgString(i + 1);
                    if (user != "default")
                    {
                        ctx.Error($"ERR No such user '{user}'");
                        return;
                    }
                }
                else if (ctx.ArgIs(i, "SKIPME"u8) && more)
                {
                    if (ctx.ArgIs(i + 1, "YES"u8)) skipMe = true;
                    else if (ctx.ArgIs(i + 1, "NO"u8)) skipMe = false;
                    else
                    {
                        ctx.SyntaxError();
                        return;
                    }
                }
                else
                {
                    ctx.SyntaxError();
                    return;
                }
            }
        }
        int killed = 0;
        bool killSelf = false;
        foreach (var c in ctx.Server.ClientsSnapshot())
        {
            if (addr != null && c.Address != addr) continue;
            if (laddr != null && c.LocalAddress != laddr) continue;
            if (type != null && ClientInfoFormatter.TypeOf(c) != type) continue;
            if (id != 0 && c.Id != id) continue;
            if (user != null && c.User != user) continue;
            if (c == ctx.Client)
            {
                if (skipMe) continue;
                killSelf = true;
            }
            else
            {
                c.KillRequested = true;
                c.Connection?.Close();
            }
            killed++;
        }
        if (oldForm)
        {
            if (killed == 0)
            {
                ctx.Error("ERR No such client");
                return;
            }
            ctx.Reply.WriteOk();
        }
        else ctx.Reply.WriteInteger(killed);
        if (killSelf) ctx.Client.CloseAfterReply = true;
    }

    [RedisCommand("CLIENT REPLY")]
    public static void Reply(CommandContext ctx)
    {
        if (ctx.ArgIs(2, "ON"u8))
        {
            ctx.Client.ReplyMode = ReplyMode.On;
            ctx.Reply.WriteOk();
        }
        else if (ctx.ArgIs(2, "OFF"u8)) ctx.Client.ReplyMode = ReplyMode.Off;
        else if (ctx.ArgIs(2, "SKIP"u8))
        {
            // Under OFF, SKIP changes nothing: replies stay off.
            if (ctx.Client.ReplyMode != ReplyMode.Off) ctx.Client.ReplyMode = ReplyMode.Skip;
        }
        else ctx.SyntaxError();
    }

    [RedisCommand("CLIENT NO-EVICT")]
    public static void NoEvict(CommandContext ctx)
    {
        if (!TryOnOff(ctx, out bool on)) return;
        ctx.Client.NoEvict = on;
        ctx.Reply.WriteOk();
    }

    [RedisCommand("CLIENT NO-TOUCH")]
    public static void NoTouch(CommandContext ctx)
    {
        if (!TryOnOff(ctx, out bool on)) return;
        ctx.Client.NoTouch = on;
        ctx.Reply.WriteOk();
    }

    private static bool TryOnOff(CommandContext ctx, out bool on)
    {
        on = ctx.ArgIs(2, "ON"u8);
        if (on || ctx.ArgIs(2, "OFF"u8)) return true;
        ctx.SyntaxError();
        return false;
    }

    [RedisCommand("CLIENT PAUSE")]
    public static void Pause(CommandContext ctx)
    {
        // Redis checks the argument count and the mode before the timeout.
        if (ctx.ArgCount > 4)
        {
            ctx.Error($"ERR unknown subcommand or wrong number of arguments for '{ctx.ArgText(1)}'. Try CLIENT HELP.");
            return;
        }
        bool all = true;
        if (ctx.ArgCount == 4)
        {
            if (ctx.ArgIs(3, "WRITE"u8)) all = false;
            else if (!ctx.ArgIs(3, "ALL"u8))
            {
                ctx.Error("ERR CLIENT PAUSE mode must be WRITE or ALL");
                return;
            }
        }
        if (!ctx.TryArgLong(2, out long timeout, "ERR timeout is not an integer or out of range")) return;
        if (timeout < 0)
        {
            ctx.Error("ERR timeout is negative");
            return;
        }
        ctx.Server.Pause.Pause(ctx.NowMs, ctx.NowMs + Math.Min(timeout, long.MaxValue / 4), all);
        ctx.Reply.WriteOk();
    }

    [RedisCommand("CLIENT UNPAUSE")]
    public static void Unpause(CommandContext ctx)
    {
        ctx.Server.Pause.Unpause();
        ctx.Reply.WriteOk();
    }

    private static readonly string[] HelpLines =
    [
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "NO-TOUCH (ON|OFF)",
        "    Will not touch LRU/LFU stats when this mode is on.",
        "HELP",
        "    Prints this help.",
    ];

    [RedisCommand("CLIENT HELP")]
    public static void Help(CommandContext ctx)
    {
        ctx.WriteHelp(HelpLines);
    }
}
