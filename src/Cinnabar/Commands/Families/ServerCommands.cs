namespace Cinnabar.Commands.Families;

/// <summary>TIME, LASTSAVE and SHUTDOWN.</summary>
public static class ServerCommands
{
    [RedisCommand("TIME")]
    public static void Time(CommandContext ctx)
    {
        long usec = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        ctx.Reply.WriteArrayHeader(2);
        ctx.Reply.WriteBulkLong(usec / 1_000_000);
        ctx.Reply.WriteBulkLong(usec % 1_000_000);
    }

    [RedisCommand("LASTSAVE")]
    public static void LastSave(CommandContext ctx) => ctx.Reply.WriteInteger(ctx.Server.LastSaveUnix);

    /// <summary>
    /// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. A shutdown here is immediate (nothing to wait for), so
    /// ABORT never finds one in progress. The final save (SAVE, or save points without NOSAVE) comes first; when
    /// it fails the server stays up unless FORCE. On success nothing is replied: the connection just closes, as
    /// Redis's process exits; the host decides what ending means through <see cref="CinnabarServer.ShutdownRequested"/>.
    /// </summary>
    [RedisCommand("SHUTDOWN")]
    public static void Shutdown(CommandContext ctx)
    {
        bool nosave = false, save = false, now = false, force = false, abort = false;
        for (int i = 1; i < ctx.ArgCount; i++)
        {
            if (ctx.ArgIs(i, "NOSAVE"u8)) nosave = true;
            else if (ctx.ArgIs(i, "SAVE"u8)) save = true;
            else if (ctx.ArgIs(i, "NOW"u8)) now = true;
            else if (ctx.ArgIs(i, "FORCE"u8)) force = true;
            else if (ctx.ArgIs(i, "ABORT"u8)) abort = true;
            else
            {
                ctx.SyntaxError();
                return;
            }
        }
        if ((abort && (nosave || save || now || force)) || (nosave && save))
        {
            ctx.SyntaxError();
            return;
        }
        if (abort)
        {
            ctx.Error("ERR No shutdown in progress.");
            return;
        }
        // While a data set loads nothing is saved: the file would be overwritten with half of it (as Redis).
        if (ctx.Server.LoadingState.Active)
        {
            save = false;
            nosave = true;
        }
        if (!ctx.Server.Rdb.SaveForShutdown(save ? true : nosave ? false : null, force))
        {
            ctx.Error("ERR Errors trying to SHUTDOWN. Check logs.");
            return;
        }
        ctx.Client.CloseAfterReply = true;
        ctx.Server.RequestShutdown();
    }
}
