using System.Globalization;
using System.Text;
using Cinnabar.Networking;
using Cinnabar.Persistence;

namespace Cinnabar.Commands.Families;

/// <summary>
/// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password] [AUTH2 username password]
/// [KEYS key ...], as Redis's migrateCommand: the keys go to the target as RESTORE commands carrying their DUMP
/// payload and remaining time to live (after AUTH and, when the link's database differs, SELECT), and each key the
/// target acknowledged is deleted here unless COPY, reaching the effects stream as one DEL.
///
/// The exchange runs synchronously inside the handler, with the store lock held, as Redis runs it on its main
/// thread. Letting the lock go during the network wait would let another client change a key between its dump and
/// its deletion: the change would be lost, or the key left on both servers. Keeping it makes MIGRATE atomic as in
/// Redis (also inside MULTI and scripts), and the timeout bounds how long other clients wait. Connections move such
/// a batch off the socket-engine thread first, as they do for scripts.
/// </summary>
public static class MigrateCommand
{
    private const int WriteChunk = 64 * 1024;

    [RedisCommand("MIGRATE")]
    public static void Migrate(CommandContext ctx)
    {
        bool copy = false, replace = false;
        byte[]? username = null, password = null;
        int firstKey = 3, keyCount = 1;
        for (int j = 6; j < ctx.ArgCount; j++)
        {
            int more = ctx.ArgCount - 1 - j;
            if (ctx.ArgIs(j, "COPY"u8)) copy = true;
            else if (ctx.ArgIs(j, "REPLACE"u8)) replace = true;
            else if (ctx.ArgIs(j, "AUTH"u8))
            {
                if (more == 0)
                {
                    ctx.SyntaxError();
                    return;
                }
                password = ctx.ArgBytes(++j);
            }
            else if (ctx.ArgIs(j, "AUTH2"u8))
            {
                if (more < 2)
                {
                    ctx.SyntaxError();
                    return;
                }
                username = ctx.ArgBytes(++j);
                password = ctx.ArgBytes(++j);
            }
            else if (ctx.ArgIs(j, "KEYS"u8))
            {
                if (ctx.Arg(3).Length != 0)
                {
                    ctx.Error("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
                    return;
                }
                firstKey = j + 1;
                keyCount = ctx.ArgCount - j - 1;
                break;
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }
        if (!ctx.TryArgLong(5, out long timeout) || !ctx.TryArgLong(4, out long dbid)) return;
        if (timeout <= 0) timeout = 1000;

        // The keys present now; when none is, there is nothing to move (often a key that just expired): +NOKEY.
        var db = ctx.Db;
        var keys = new List<byte[]>(keyCount);
        for (int j = 0; j < keyCount; j++)
            if (db.LookupReadSlot(ctx.Arg(firstKey + j)) >= 0) keys.Add(ctx.ArgBytes(firstKey + j));
        if (keys.Count == 0)
        {
            ctx.Reply.WriteSimpleString("NOKEY");
            return;
        }

        var links = ctx.Server.MigrateLinks;
        // The cache is keyed by the arguments as given, byte for byte, as Redis's "host:port" name.
        string name = Encoding.Latin1.GetString(ctx.Arg(1)) + ":" + Encoding.Latin1.GetString(ctx.Arg(2));
        string host = ctx.ArgString(1);
        // atoi, then the 16 bits getaddrinfo keeps of a numeric service.
        int port = (ushort)NumberParsing.Atoi(ctx.Arg(2));
        bool mayRetry = true;
        while (true)
        {
            var link = links.Get(name, host, port, timeout, ctx.NowMs / 1000);
            if (link == null)
            {
                ctx.Error("IOERR error or timeout connecting to the client");
                return;
            }
            bool select = link.LastDbId != dbid;
            byte[] request = BuildRequest(ctx, keys, username, password, select, dbid, replace);
            bool writeError = false;
            bool retry;
            if (!WriteAll(link, request, timeout))
            {
                writeError = true;
                retry = true;
            }
            else
            {
                var outcome = ReadReplies(ctx, link, keys, timeout, password != null, select, copy, out bool linkFailed);
                if (outcome == Outcome.Done)
                {
                    link.LastDbId = dbid;
                    ctx.Reply.WriteOk();
                    return;
                }
                if (outcome == Outcome.TargetError)
                {
                    if (linkFailed) links.Close(name);
                    return;
                }
                retry = outcome == Outcome.NothingRead;
            }
            // A socket error: the link is dropped (and the next one selects its database again). A cached link the
            // target closed while idle fails this way, so one retry on a new link is made unless time ran out or
            // some key was already acknowledged.
            bool timedOut = link.TimedOut;
            links.Close(name);
            if (retry && mayRetry && !timedOut)
            {
                mayRetry = false;
                continue;
            }
            ctx.Error(writeError ? "IOERR error or timeout writing to target instance" : "IOERR error or timeout reading to target instance");
            return;
        }
    }

    private enum Outcome
    {
        /// <summary>Every RESTORE acknowledged.</summary>
        Done,
        /// <summary>The target answered an error (already replied); acknowledged keys were deleted.</summary>
        TargetError,
        /// <summary>The link failed before any RESTORE reply: nothing happened here, a retry is safe.</summary>
        NothingRead,
        /// <summary>The link failed after some keys were acknowledged (and deleted).</summary>
        FailedPartway,
    }

    /// <summary>
    /// AUTH, SELECT and one RESTORE per key with its remaining time to live (at least 1 ms) in one
    /// buffer. A key whose time passed since its lookup is left out of <paramref name="keys"/>.
    /// </summary>
    private static byte[] BuildRequest(CommandContext ctx, List<byte[]> keys, byte[]? username, byte[]? password, bool select, long dbid, bool replace)
    {
        var output = new MemoryStream();
        if (password != null)
        {
            if (username != null) WriteCommand(output, "AUTH"u8.ToArray(), username, password);
            else WriteCommand(output, "AUTH"u8.ToArray(), password);
        }
        if (select) WriteCommand(output, "SELECT"u8.ToArray(), NumberParsing.FormatLong(dbid));
        var db = ctx.Db;
        bool compress = ctx.Server.Config.RdbCompression;
        int kept = 0;
        for (int i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            int slot = db.Table.Find(key);
            if (slot < 0) continue;
            long ttl = 0, expireAt = db.GetExpire(slot);
            if (expireAt != -1)
            {
                ttl = expireAt - ctx.NowMs;
                if (ttl < 0) continue;
                if (ttl < 1) ttl = 1;
            }
            keys[kept++] = key;
            var payload = RdbWriter.DumpPayload(db.Table.ValueAt(slot), compress);
            var ttlText = NumberParsing.FormatLong(ttl);
            // Outside cluster mode Redis sends RESTORE (RESTORE-ASKING in a cluster).
            if (replace) WriteCommand(output, "RESTORE"u8.ToArray(), key, ttlText, payload, "REPLACE"u8.ToArray());
            else WriteCommand(output, "RESTORE"u8.ToArray(), key, ttlText, payload);
        }
        keys.RemoveRange(kept, keys.Count - kept);
        return output.ToArray();
    }

    private static void WriteCommand(MemoryStream output, params byte[][] argv)
    {
        WriteHeader(output, '*', argv.Length);
        foreach (var arg in argv)
        {
            WriteHeader(output, '$', arg.Length);
            output.Write(arg);
            output.Write("\r\n"u8);
        }
    }

    private static void WriteHeader(MemoryStream output, char kind, long n)
    {
        output.WriteByte((byte)kind);
        output.Write(Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture)));
        output.Write("\r\n"u8);
    }

    /// <summary>The request in 64 KB pieces, each within the timeout.</summary>
    private static bool WriteAll(MigrateLink link, byte[] request, long timeout)
    {
        for (int pos = 0; pos < request.Length; pos += WriteChunk)
            if (!link.Write(request.AsSpan(pos, Math.Min(WriteChunk, request.Length - pos)), timeout)) return false;
        return true;
    }

    /// <summary>
    /// Reads the AUTH and SELECT replies, then one reply per RESTORE: an acknowledged key is deleted here unless
    /// COPY; the first error (AUTH's or SELECT's counts against every key) is relayed to the client.
    /// </summary>
    private static Outcome ReadReplies(CommandContext ctx, MigrateLink link, List<byte[]> keys, long timeout, bool auth, bool select, bool copy, out bool linkFailed)
    {
        linkFailed = true;
        // An empty line counts as a failure, as Redis's connSyncReadLine(...) <= 0.
        byte[]? authReply = null, selectReply = null;
        if (auth && (authReply = ReadLine(link, timeout)) == null) return Outcome.NothingRead;
        if (select && (selectReply = ReadLine(link, timeout)) == null) return Outcome.NothingRead;
        bool targetError = false;
        List<byte[]>? deleted = null;
        var db = ctx.Db;
        for (int j = 0; j < keys.Count; j++)
        {
            var reply = ReadLine(link, timeout);
            if (reply == null)
            {
                if (!targetError && j == 0) return Outcome.NothingRead;
                Propagate(ctx, deleted);
                return targetError ? Outcome.TargetError : Outcome.FailedPartway;
            }
            var error = authReply?[0] == '-' ? authReply : selectReply?[0] == '-' ? selectReply : reply[0] == '-' ? reply : null;
            if (error != null)
            {
                if (targetError) continue;
                targetError = true;
                link.LastDbId = -1;
                ctx.Error("ERR Target instance replied with error: " + ErrorText(error));
            }
            else if (!copy)
            {
                // Redis's dbDelete, signalModifiedKey, the "del" event and a dirty count, even for a key named
                // twice whose first copy is already gone.
                db.DeleteStored(keys[j]);
                ctx.KeyChanged('g', "del", db, keys[j]);
                (deleted ??= []).Add(keys[j]);
            }
        }
        Propagate(ctx, deleted);
        linkFailed = false;
        return targetError ? Outcome.TargetError : Outcome.Done;
    }

    private static byte[]? ReadLine(MigrateLink link, long timeout) => link.ReadLine(timeout) is { Length: > 0 } line ? line : null;

    /// <summary>The target's error line without its '-', cut at a NUL as the C string Redis formats.</summary>
    private static string ErrorText(byte[] line)
    {
        var text = line.AsSpan(1);
        int nul = text.IndexOf((byte)0);
        if (nul >= 0) text = text[..nul];
        return Encoding.UTF8.GetString(text).Replace('\r', ' ');
    }

    /// <summary>The keys the target acknowledged (and that were deleted here) go to the effects stream as one DEL.</summary>
    private static void Propagate(CommandContext ctx, List<byte[]>? deleted)
    {
        if (deleted == null || !ctx.Propagating) return;
        var argv = new byte[deleted.Count + 1][];
        argv[0] = "DEL"u8.ToArray();
        deleted.CopyTo(argv, 1);
        ctx.PropagateInstead(argv);
    }
}
