using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Cinnabar.Storage;

namespace Cinnabar.Commands.Families;

/// <summary>
/// DEBUG: the subset of Redis's testing aids that is meaningful here (SLEEP, SET-ACTIVE-EXPIRE, OBJECT,
/// DIGEST, DIGEST-VALUE, POPULATE, PROTOCOL, ERROR, LOG, CHANGE-REPL-ID, RELOAD, LOADAOF, HELP). Refused unless enable-debug-command allows it, as in Redis 7.
/// </summary>
public static class DebugCommands
{
    [RedisCommand("DEBUG")]
    public static void Debug(CommandContext ctx)
    {
        if (!Allowed(ctx))
        {
            ctx.Error("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it " +
                      "from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.");
            return;
        }
        int argc = ctx.ArgCount;
        if (ctx.ArgIs(1, "HELP"u8) && argc == 2) Help(ctx);
        else if (ctx.ArgIs(1, "SLEEP"u8) && argc == 3) Sleep(ctx);
        else if (ctx.ArgIs(1, "SET-ACTIVE-EXPIRE"u8) && argc == 3)
        {
            ctx.Server.Config.ActiveExpireEnabled = NumberParsing.Atoi(ctx.Arg(2)) != 0;
            ctx.Reply.WriteOk();
        }
        else if (ctx.ArgIs(1, "OBJECT"u8) && argc == 3) Object(ctx);
        else if (ctx.ArgIs(1, "CHANGE-REPL-ID"u8) && argc == 2)
        {
            ctx.Server.Stats.ChangeReplicationId();
            ctx.Reply.WriteOk();
        }
        else if (ctx.ArgIs(1, "DIGEST"u8) && argc == 2) Digest(ctx);
        else if (ctx.ArgIs(1, "DIGEST-VALUE"u8)) DigestValue(ctx);
        else if (ctx.ArgIs(1, "POPULATE"u8) && argc >= 3 && argc <= 5) Populate(ctx);
        else if (ctx.ArgIs(1, "PROTOCOL"u8) && argc == 3) ProtocolReply(ctx);
        // Redis counts this reply in no error statistics (checked: errorstats, total_error_replies, failed_calls).
        else if (ctx.ArgIs(1, "ERROR"u8) && argc == 3) ctx.Reply.WriteError(ctx.ArgString(2));
        else if (ctx.ArgIs(1, "LOG"u8) && argc == 3)
        {
            ctx.Server.Log.Warning("DEBUG LOG: " + ctx.ArgString(2));
            ctx.Reply.WriteOk();
        }
        else if (ctx.ArgIs(1, "RELOAD"u8)) Reload(ctx);
        else if (ctx.ArgIs(1, "LOADAOF"u8)) LoadAof(ctx);
        else if (DebugTableCommands.TryRun(ctx)) { }
        else
        {
            ctx.Error($"ERR unknown subcommand or wrong number of arguments for '{Dispatcher.Printable(ctx.Arg(1), 128)}'. Try DEBUG HELP.");
        }
    }

    /// <summary>DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty, load the RDB file again.</summary>
    private static void Reload(CommandContext ctx)
    {
        bool merge = false, noflush = false, nosave = false;
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            if (ctx.ArgIs(i, "MERGE"u8)) merge = true;
            else if (ctx.ArgIs(i, "NOFLUSH"u8)) noflush = true;
            else if (ctx.ArgIs(i, "NOSAVE"u8)) nosave = true;
            else
            {
                ctx.Error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                return;
            }
        }
        var error = ctx.Server.Rdb.Reload(save: !nosave, flush: !noflush, merge);
        if (error == null) ctx.Reply.WriteOk();
        else ctx.Error(error);
    }

    /// <summary>
    /// DEBUG LOADAOF: the AOF written and fsynced, the data set and function libraries emptied, the AOF directory
    /// loaded again. Like Redis it reloads whatever the directory holds even with appendonly no; where Redis 7.0
    /// exits when nothing loads, this answers Redis 7.2's error with the data set left empty.
    /// </summary>
    private static void LoadAof(CommandContext ctx)
    {
        var server = ctx.Server;
        server.Aof.FlushNow();
        foreach (var db in server.Databases) DatabaseCommands.Flush(ctx, db);
        server.Scripting.Functions.Flush();
        // Neither the emptying nor the load is a write to replay: the AOF already holds the data set.
        ctx.PreventPropagation();
        var error = server.Aof.ReloadForDebug();
        if (error != null)
        {
            ctx.Error(error);
            return;
        }
        server.Dirty = 0;
        server.Log.Notice("Append Only File loaded by DEBUG LOADAOF");
        ctx.Reply.WriteOk();
    }

    /// <summary>enable-debug-command: "yes", or "local" for loopback clients.</summary>
    private static bool Allowed(CommandContext ctx)
    {
        string setting = ctx.Server.Config.Find("enable-debug-command")?.Value ?? "no";
        if (setting == "yes") return true;
        if (setting != "local") return false;
        string address = ctx.Client.Address;
        return address.StartsWith("127.", StringComparison.Ordinal) || address.StartsWith("::1:", StringComparison.Ordinal)
            || address.StartsWith("/", StringComparison.Ordinal);
    }

    private static void Help(CommandContext ctx)
    {
        string[] lines =
        [
            "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANGE-REPL-ID",
            "    Change the replication IDs of the instance.",
            "    Dangerous: should be used only for testing the replication subsystem.",
            "DIGEST",
            "    Output a hex signature representing the current DB content.",
            "DIGEST-VALUE <key> [<key> ...]",
            "    Output a hex signature of the values of all the specified keys.",
            "ERROR <string>",
            "    Return a Redis protocol error with <string> as message. Useful for clients",
            "    unit tests to simulate Redis errors.",
            "LOG <message>",
            "    Write <message> to the server log.",
            "LOADAOF",
            "    Flush the AOF buffers on disk and reload the AOF in memory.",
            "OBJECT <key>",
            "    Show low level info about `key` and associated value.",
            "POPULATE <count> [<prefix>] [<size>]",
            "    Create <count> string keys named key:<num>. If <prefix> is specified then",
            "    it is used instead of the 'key' prefix. These are not propagated to",
            "    replicas. Cluster slots are not respected so keys not belonging to the",
            "    current node can be created in cluster mode.",
            "PROTOCOL <type>",
            "    Reply with a test value of the specified type. <type> can be: string,",
            "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
            "    true, false.",
            "RELOAD [option ...]",
            "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
            "    * MERGE: conflicting keys will be loaded from RDB.",
            "    * NOFLUSH: the existing database will not be removed before load, but",
            "      conflicting keys will generate an exception and kill the server.",
            "    * NOSAVE: the database will be loaded from an existing RDB file.",
            "    Examples:",
            "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
            "      the database.",
            "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
            "      existing RDB file.",
            "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
            "      file to the database.",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Setting it to 0 disables expiring keys in background when they are not",
            "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
            "    default.",
            "SLEEP <seconds>",
            "    Stop the server for <seconds>. Decimals allowed.",
            .. DebugTableCommands.HelpLines,
            "HELP",
            "    Prints this help.",
        ];
        ctx.WriteHelp(lines);
    }

    /// <summary>DEBUG DIGEST: the digest of every database, as Redis computes it (logically expired keys included).</summary>
    private static void Digest(CommandContext ctx)
    {
        Span<byte> digest = stackalloc byte[DatasetDigest.Size];
        DatasetDigest.OfDataset(ctx.Server.Databases, digest);
        ctx.Reply.WriteSimpleString(DatasetDigest.ToHex(digest));
    }

    /// <summary>DEBUG DIGEST-VALUE key...: each value's digest (zeros for a missing key); expired keys are not deleted first.</summary>
    private static void DigestValue(CommandContext ctx)
    {
        Span<byte> digest = stackalloc byte[DatasetDigest.Size];
        var table = ctx.Db.Table;
        ctx.Reply.WriteArrayHeader(ctx.ArgCount - 2);
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            digest.Clear();
            int slot = table.Find(ctx.Arg(i));
            if (slot >= 0) DatasetDigest.OfValue(table.ValueAt(slot), table.GetExpire(slot) != -1, digest);
            ctx.Reply.WriteSimpleString(DatasetDigest.ToHex(digest));
        }
    }

    /// <summary>Blocks the whole server (the handler holds the store lock), as Redis's DEBUG SLEEP does.</summary>
    private static void Sleep(CommandContext ctx)
    {
        double seconds = ParseCDouble(ctx.Arg(2));
        if (seconds > 0) Thread.Sleep(TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue / 1000.0)));
        ctx.Reply.WriteOk();
    }

    private static void Object(CommandContext ctx)
    {
        var db = ctx.Db;
        int slot = db.PeekSlot(ctx.Arg(2));
        if (slot < 0)
        {
            ctx.Error("ERR no such key");
            return;
        }
        ref var entry = ref db.Table.At(slot);
        object value = db.Table.ValueAt(slot);
        string encoding = ValueKind.EncodingName(value);
        uint clock = ctx.Server.LruClock & 0xFFFFFF;
        uint lru = entry.Access & 0xFFFFFF;
        long idleSeconds = clock >= lru ? clock - lru : clock + (0xFFFFFF - lru);
        long refCount = Types.SharedIntegers.RefCount(ctx.Server.Config, value, db.Table.IsUnshared(slot));
        // A stable pseudo address per object, in the shape of %p.
        long address = 0x7f0000000000L + ((long)RuntimeHelpers.GetHashCode(value) << 4);
        ctx.Reply.WriteSimpleString(string.Create(CultureInfo.InvariantCulture,
            $"Value at:0x{address:x} refcount:{refCount} encoding:{encoding} serializedlength:{Persistence.RdbWriter.SerializedLength(value, ctx.Server.Config.RdbCompression)} lru:{lru} lru_seconds_idle:{idleSeconds}{(value is Types.RedisList list ? " " + list.DebugFields() : "")}"));
    }

    private static void Populate(CommandContext ctx)
    {
        const string RangeError = "ERR value is out of range, must be positive";
        if (!Cinnabar.Protocol.RespParser.TryParseLong(ctx.Arg(2), out long count) || count < 0)
        {
            ctx.Error(RangeError);
            return;
        }
        long size = 0;
        if (ctx.ArgCount == 5 && (!Cinnabar.Protocol.RespParser.TryParseLong(ctx.Arg(4), out size) || size < 0))
        {
            ctx.Error(RangeError);
            return;
        }
        string prefix = ctx.ArgCount >= 4 ? ctx.ArgString(3) : "key";
        var db = ctx.Db;
        for (long j = 0; j < count; j++)
        {
            var key = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{prefix}:{j}"));
            if (db.Exists(key)) continue;
            var text = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"value:{j}"));
            byte[] value = text;
            if (size > 0)
            {
                // A value of exactly <size> bytes: the text, cut or padded with zero bytes.
                value = new byte[size];
                Array.Copy(text, value, Math.Min(text.Length, (int)Math.Min(size, int.MaxValue)));
            }
            db.Add(key, value);
            ctx.KeyModified(db, key);
        }
        ctx.Reply.WriteOk();
    }

    private static void ProtocolReply(CommandContext ctx)
    {
        var w = ctx.Reply;
        string type = ctx.ArgString(2).ToLowerInvariant();
        switch (type)
        {
            case "string": w.WriteBulk("Hello World"); break;
            case "integer": w.WriteInteger(12345); break;
            case "double": w.WriteDouble(3.141); break;
            case "bignum":
                if (w.IsResp3) w.WriteRaw("(1234567999999999999999999999999999999\r\n"u8);
                else w.WriteBulk("1234567999999999999999999999999999999");
                break;
            case "null": w.WriteNull(); break;
            case "array":
            case "set":
                if (type == "set") w.WriteSetHeader(3);
                else w.WriteArrayHeader(3);
                for (int j = 0; j < 3; j++) w.WriteInteger(j);
                break;
            case "map":
                w.WriteMapHeader(3);
                for (int j = 0; j < 3; j++)
                {
                    w.WriteInteger(j);
                    w.WriteBoolean(j == 1);
                }
                break;
            case "attrib":
                // RESP2 has no attributes: only the reply that follows them is sent.
                if (w.IsResp3) w.WriteRaw("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"u8);
                w.WriteBulk("Some real reply following the attribute");
                break;
            case "push":
                if (!w.IsResp3)
                {
                    ctx.Error("ERR RESP2 is not supported by this command");
                    return;
                }
                w.WritePushHeader(2);
                w.WriteBulk("server-cpu-usage");
                w.WriteInteger(42);
                w.WriteBulk("Some real reply following the push reply");
                break;
            case "verbatim": w.WriteVerbatim("This is a verbatim\nstring"); break;
            case "true": w.WriteBoolean(true); break;
            case "false": w.WriteBoolean(false); break;
            default:
                ctx.Error("ERR Wrong protocol type name. Please use one of the following: " +
                          "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
                break;
        }
    }

    /// <summary>C's atof: the longest leading number, 0 when there is none.</summary>
    private static double ParseCDouble(ReadOnlySpan<byte> s)
    {
        string text = Encoding.ASCII.GetString(s).Trim();
        for (int len = text.Length; len > 0; len--)
            if (double.TryParse(text.AsSpan(0, len), NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
        return 0;
    }
}
