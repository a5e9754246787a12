using System.Text;

namespace Cinnabar.Commands.Families;

/// <summary>
/// ROLE, WAIT, WAITAOF and LOLWUT as Redis answers them on a master with no replicas: no replica ever
/// acknowledges, so WAIT and WAITAOF's replica count block until their timeout (0 = forever) like Redis's;
/// WAITAOF's local count waits for the AOF's fsync of the client's writes.
/// </summary>
public static class OperatorCommands
{
    [RedisCommand("ROLE")]
    public static void Role(CommandContext ctx)
    {
        var w = ctx.Reply;
        w.WriteArrayHeader(3);
        w.WriteBulk("master");
        w.WriteInteger(0); // master_repl_offset: nothing is propagated without replicas
        w.WriteArrayHeader(0);
    }

    [RedisCommand("WAIT")]
    public static void Wait(CommandContext ctx)
    {
        if (!ctx.TryArgLong(1, out long replicas)) return;
        if (!TryTimeout(ctx, 2, out long timeout)) return;
        // No replica acknowledges anything: served at once only when no acknowledgement is needed.
        if (replicas <= 0 || !ctx.CanBlock)
        {
            ctx.Reply.WriteInteger(0);
            return;
        }
        ctx.Block([], timeout, default, static c => c.Reply.WriteInteger(0));
    }

    [RedisCommand("WAITAOF")]
    public static void WaitAof(CommandContext ctx)
    {
        if (!ctx.TryArgLong(1, out long local)) return;
        if (local < 0 || local > 1)
        {
            ctx.Error("ERR value is out of range, value must between 0 and 1");
            return;
        }
        if (!ctx.TryArgLong(2, out long replicas)) return;
        if (replicas < 0)
        {
            ctx.Error("ERR value is out of range, must be positive");
            return;
        }
        if (!TryTimeout(ctx, 3, out long timeout)) return;
        var aof = ctx.Server.Aof;
        if (local == 1 && !ctx.Server.Config.AppendOnly)
        {
            ctx.Error("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
            return;
        }
        // No replica acknowledges anything; the local acknowledgement is the AOF fsync of the client's writes.
        bool localDone = local == 0 || aof.HasFsynced(ctx.Client);
        if ((replicas == 0 && localDone) || !ctx.CanBlock)
        {
            WriteAofAcks(ctx);
            return;
        }
        ctx.Block([], timeout, default, WriteAofAcks);
        if (replicas == 0) aof.WaitForFsync(ctx.Client);
    }

    /// <summary>[fsynced locally, replicas that fsynced]: the AOF's fsync of the client's writes, and no replicas.</summary>
    private static void WriteAofAcks(CommandContext ctx)
    {
        ctx.Reply.WriteArrayHeader(2);
        ctx.Reply.WriteInteger(ctx.Server.Config.AppendOnly && ctx.Server.Aof.HasFsynced(ctx.Client) ? 1 : 0);
        ctx.Reply.WriteInteger(0);
    }

    /// <summary>A timeout in milliseconds as Redis's getTimeoutFromObjectOrReply (UNIT_MILLISECONDS).</summary>
    private static bool TryTimeout(CommandContext ctx, int index, out long timeout)
    {
        if (!ctx.TryArgLong(index, out timeout, "ERR timeout is not an integer or out of range")) return false;
        if (timeout < 0)
        {
            ctx.Error("ERR timeout is negative");
            return false;
        }
        if (timeout > long.MaxValue - ctx.NowMs)
        {
            ctx.Error("ERR timeout is out of range");
            return false;
        }
        return true;
    }

    /// <summary>
    /// LOLWUT [VERSION v] [args]: Redis 7 draws nothing and prints its version line; Cinnabar draws its
    /// own picture (a cinnabar crystal, sized by the optional width argument) above the same version line.
    /// The reply is a verbatim string, as Redis's.
    /// </summary>
    [RedisCommand("LOLWUT")]
    public static void Lolwut(CommandContext ctx)
    {
        int first = 1;
        if (ctx.ArgCount >= 3 && ctx.ArgIs(1, "VERSION"u8))
        {
            if (!ctx.TryArgLong(2, out _)) return;
            first = 3;
        }
        // Redis's default (latest) version prints its version line whatever else is given ("LOLWUT VERSION" too):
        // an argument that is not a width is left alone.
        long width = 40;
        if (ctx.ArgCount > first && Protocol.RespParser.TryParseLong(ctx.Arg(first), out long asked)) width = Math.Clamp(asked, 8, 200);
        var text = new StringBuilder();
        DrawCrystal(text, (int)width);
        text.Append("Cinnabar ver. ").Append(ServerInfo.Version).Append('\n');
        text.Append("Redis ver. ").Append(ServerInfo.RedisVersion).Append('\n');
        ctx.Reply.WriteVerbatim(text.ToString());
    }

    /// <summary>A hexagonal crystal in braille-free ASCII: widening facets, a band, then narrowing again.</summary>
    private static void DrawCrystal(StringBuilder text, int width)
    {
        int half = width / 2;
        int rows = Math.Max(3, half / 2);
        for (int r = 0; r < rows; r++) Row(text, half, r * half / rows, '/', '\\', r % 2 == 0 ? '.' : ':');
        text.Append('|').Append('#', Math.Max(0, 2 * half - 2)).Append("|\n");
        for (int r = rows - 1; r >= 0; r--) Row(text, half, r * half / rows, '\\', '/', r % 2 == 0 ? '.' : ':');
        text.Append('\n');
    }

    private static void Row(StringBuilder text, int half, int reach, char left, char right, char fill)
    {
        int margin = half - reach - 1;
        text.Append(' ', Math.Max(0, margin)).Append(left).Append(fill, Math.Max(0, 2 * reach)).Append(right).Append('\n');
    }
}
