using Cinnabar.Persistence;
using Cinnabar.Protocol;
using Cinnabar.Storage;

namespace Cinnabar.Commands.Families;

/// <summary>
/// DUMP and RESTORE with Redis's payload: the value in its RDB encoding, the RDB version and a CRC-64, so a
/// DUMP taken from Redis restores in Cinnabar and the reverse.
/// </summary>
public static class DumpRestoreCommands
{
    private const string BadPayloadError = "ERR DUMP payload version or checksum are wrong";

    [RedisCommand("DUMP")]
    public static void Dump(CommandContext ctx)
    {
        var value = ctx.Db.LookupRead(ctx.Arg(1));
        if (value == null)
        {
            ctx.Reply.WriteNull();
            return;
        }
        ctx.Reply.WriteBulk(RdbWriter.DumpPayload(value, ctx.Server.Config.RdbCompression));
    }

    /// <summary>
    /// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency], checked in Redis's order.
    /// RESTORE-ASKING is the form MIGRATE sends in a cluster (the ASKING flag lets it reach an importing slot);
    /// outside a cluster Redis runs it as RESTORE, so a cluster node's MIGRATE can target Cinnabar.
    /// </summary>
    [RedisCommand("RESTORE")]
    [RedisCommand("RESTORE-ASKING")]
    public static void Restore(CommandContext ctx)
    {
        bool replace = false, absolute = false;
        long idle = -1, freq = -1;
        for (int i = 4; i < ctx.ArgCount; i++)
        {
            bool more = i + 1 < ctx.ArgCount;
            if (ctx.ArgIs(i, "REPLACE"u8)) replace = true;
            else if (ctx.ArgIs(i, "ABSTTL"u8)) absolute = true;
            else if (ctx.ArgIs(i, "IDLETIME"u8) && more && freq == -1)
            {
                if (!ctx.TryArgLong(++i, out idle)) return;
                if (idle < 0)
                {
                    ctx.Error("ERR Invalid IDLETIME value, must be >= 0");
                    return;
                }
            }
            else if (ctx.ArgIs(i, "FREQ"u8) && more && idle == -1)
            {
                if (!ctx.TryArgLong(++i, out freq)) return;
                if (freq < 0 || freq > 255)
                {
                    ctx.Error("ERR Invalid FREQ value, must be >= 0 and <= 255");
                    return;
                }
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }
        var db = ctx.Db;
        var key = ctx.Arg(1);
        // Only without REPLACE is the key looked up (and expired if its time has passed); REPLACE deletes it as
        // stored once the payload is known good, an expired one too, with no expiry event (Redis's dbDelete).
        if (!replace && db.LookupWriteSlot(key, touch: false) >= 0)
        {
            ctx.Error("BUSYKEY Target key name already exists.");
            return;
        }
        if (!ctx.TryArgLong(2, out long ttl)) return;
        if (ttl < 0)
        {
            ctx.Error("ERR Invalid TTL value, must be >= 0");
            return;
        }
        var value = RdbReader.ReadDumpPayload(ctx.Arg(3), RdbValueLimits.From(ctx.Server.Config), out var error);
        if (value == null)
        {
            ctx.Error(error == RdbReader.BadChecksumError ? BadPayloadError : "ERR " + error);
            return;
        }
        bool deleted = replace && db.DeleteStored(key);
        if (ttl != 0 && !absolute) ttl += ctx.NowMs;
        if (ttl != 0 && ctx.AlreadyExpired(ttl))
        {
            // Nothing is created; a replaced key is gone, and that is what replicas and the AOF hear.
            if (deleted)
            {
                if (ctx.Propagating) ctx.PropagateInstead("DEL"u8.ToArray(), key.ToArray());
                ctx.KeyChanged('g', "del", db, key);
            }
            ctx.Reply.WriteSimpleString("OK");
            return;
        }
        var server = ctx.Server;
        int slot = freq >= 0 && server.UsesLfu ? db.Add(key, value, (LfuCounter.New(ctx.NowMs) & ~0xFFu) | (uint)freq)
            : idle >= 0 && !server.UsesLfu ? db.Add(key, value, idle < server.LruClock ? server.LruClock - (uint)idle : 0)
            : db.Add(key, value);
        if (ttl != 0) db.SetExpire(slot, ttl);
        if (ttl != 0 && !absolute && ctx.Propagating)
        {
            // Redis 7 propagates a relative TTL as the absolute time it resolved to.
            var argv = new byte[ctx.ArgCount + 1][];
            for (int i = 0; i < ctx.ArgCount; i++) argv[i] = ctx.Arg(i).ToArray();
            argv[2] = System.Text.Encoding.ASCII.GetBytes(ttl.ToString(System.Globalization.CultureInfo.InvariantCulture));
            argv[ctx.ArgCount] = "ABSTTL"u8.ToArray();
            ctx.PropagateInstead(argv);
        }
        ctx.KeyChanged('g', "restore", db, key);
        ctx.Reply.WriteSimpleString("OK");
    }
}
