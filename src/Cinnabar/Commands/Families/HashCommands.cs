using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>The hash family: HSET, HGET, HINCRBY, HRANDFIELD, HSCAN and friends, with Redis 7.0's replies.</summary>
public static class HashCommands
{
    // ---- lookup helpers -------------------------------------------------------------------------------

    /// <summary>
    /// The hash at argument 1 for writing, created (and added to the keyspace) when absent; false after answering
    /// WRONGTYPE.
    /// </summary>
    private static bool TryWrite(CommandContext ctx, out StoredHash hash)
    {
        int slot = ctx.Db.LookupWriteSlot(ctx.Arg(1));
        if (slot < 0) slot = ctx.Db.AddEmptyHash(ctx.Arg(1));
        if (StoredHash.TryOpen(ctx.Db.Table, slot, out hash)) return true;
        ctx.WrongType();
        return false;
    }

    /// <summary>
    /// Redis's lookupKeyRead of the hash at argument 1: 1 with it, 0 when the key is missing, -1 after answering
    /// WRONGTYPE.
    /// </summary>
    private static int Read(CommandContext ctx, out StoredHash hash)
    {
        int slot = ctx.Db.LookupReadSlot(ctx.Arg(1));
        hash = default;
        if (slot < 0) return 0;
        if (StoredHash.TryOpen(ctx.Db.Table, slot, out hash)) return 1;
        ctx.WrongType();
        return -1;
    }

    /// <summary>Sets a field with the configured listpack limits; true when the field is new.</summary>
    private static bool SetField(CommandContext ctx, ref StoredHash hash, ReadOnlySpan<byte> field, ReadOnlySpan<byte> value) =>
        hash.Set(field, value, ctx.Server.Config.HashMaxListpackEntries, ctx.Server.Config.HashMaxListpackValue);

    private static void Changed(CommandContext ctx, string @event, long dirty = 1)
    {
        ctx.KeyModified(ctx.Db, ctx.Arg(1));
        ctx.Notify('h', @event, ctx.Db, ctx.Arg(1));
        ctx.Dirty(dirty);
    }

    // ---- writes ---------------------------------------------------------------------------------------

    [RedisCommand("HSET")]
    public static void HSet(CommandContext ctx) => SetPairs(ctx, replyCount: true);

    [RedisCommand("HMSET")]
    public static void HMSet(CommandContext ctx) => SetPairs(ctx, replyCount: false);

    private static void SetPairs(CommandContext ctx, bool replyCount)
    {
        if (ctx.ArgCount % 2 == 1)
        {
            ctx.Error($"ERR wrong number of arguments for '{ctx.Command.DisplayName}' command");
            return;
        }
        if (!TryWrite(ctx, out var hash)) return;
        long created = 0;
        for (int i = 2; i < ctx.ArgCount; i += 2)
            if (SetField(ctx, ref hash, ctx.Arg(i), ctx.Arg(i + 1))) created++;
        Changed(ctx, "hset", (ctx.ArgCount - 2) / 2);
        if (replyCount) ctx.Reply.WriteInteger(created);
        else ctx.Reply.WriteOk();
    }

    [RedisCommand("HSETNX")]
    public static void HSetNx(CommandContext ctx)
    {
        if (!TryWrite(ctx, out var hash)) return;
        if (hash.Contains(ctx.Arg(2)))
        {
            ctx.Reply.WriteInteger(0);
            return;
        }
        SetField(ctx, ref hash, ctx.Arg(2), ctx.Arg(3));
        Changed(ctx, "hset");
        ctx.Reply.WriteInteger(1);
    }

    [RedisCommand("HDEL")]
    public static void HDel(CommandContext ctx)
    {
        int slot = ctx.Db.LookupWriteSlot(ctx.Arg(1));
        if (slot < 0) { ctx.Reply.WriteInteger(0); return; }
        if (!StoredHash.TryOpen(ctx.Db.Table, slot, out var hash)) { ctx.WrongType(); return; }
        long deleted = 0;
        bool keyRemoved = false;
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            if (!hash.Remove(ctx.Arg(i))) continue;
            deleted++;
            if (hash.Count == 0)
            {
                ctx.Db.Delete(ctx.Arg(1));
                keyRemoved = true;
                break;
            }
        }
        if (deleted > 0)
        {
            Changed(ctx, "hdel", deleted);
            if (keyRemoved) ctx.Notify('g', "del", ctx.Db, ctx.Arg(1));
        }
        ctx.Reply.WriteInteger(deleted);
    }

    [RedisCommand("HINCRBY")]
    public static void HIncrBy(CommandContext ctx)
    {
        if (!ctx.TryArgLong(3, out long increment)) return;
        if (!TryWrite(ctx, out var hash)) return;
        long current = 0;
        int pos = hash.Find(ctx.Arg(2));
        if (pos >= 0)
        {
            Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
            if (!RespParser.TryParseLong(hash.ValueAt(pos, scratch), out current))
            {
                ctx.Error("ERR hash value is not an integer");
                return;
            }
        }
        if (!CounterCommands.TryAddIncrement(ctx, current, increment, out long result)) return;
        Span<byte> text = stackalloc byte[Listpack.ScratchSize];
        int n = RespParser.FormatLong(result, text);
        SetField(ctx, ref hash, ctx.Arg(2), text[..n]);
        Changed(ctx, "hincrby");
        ctx.Reply.WriteInteger(result);
    }

    [RedisCommand("HINCRBYFLOAT")]
    public static void HIncrByFloat(CommandContext ctx)
    {
        if (!ExtendedDouble.TryParse(ctx.Arg(3), out var increment))
        {
            ctx.Error(CommandContext.NotFloatError);
            return;
        }
        if (!increment.IsFinite)
        {
            ctx.Error("ERR value is NaN or Infinity");
            return;
        }
        if (!TryWrite(ctx, out var hash)) return;
        var current = ExtendedDouble.Zero;
        int pos = hash.Find(ctx.Arg(2));
        if (pos >= 0)
        {
            Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
            if (!ExtendedDouble.TryParse(hash.ValueAt(pos, scratch), out current))
            {
                ctx.Error("ERR hash value is not a float");
                return;
            }
        }
        var sum = current + increment;
        string? text = sum.IsFinite ? sum.ToHumanString() : null;
        if (text == null)
        {
            ctx.Error("ERR increment would produce NaN or Infinity");
            return;
        }
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        SetField(ctx, ref hash, ctx.Arg(2), bytes);
        Changed(ctx, "hincrbyfloat");
        ctx.Reply.WriteBulk(bytes);
    }

    // ---- reads ----------------------------------------------------------------------------------------

    [RedisCommand("HGET")]
    public static void HGet(CommandContext ctx)
    {
        int found = Read(ctx, out var hash);
        if (found < 0) return;
        int pos = found > 0 ? hash.Find(ctx.Arg(2)) : -1;
        if (pos < 0) { ctx.Reply.WriteNull(); return; }
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        ctx.Reply.WriteBulk(hash.ValueAt(pos, scratch));
    }

    [RedisCommand("HMGET")]
    public static void HMGet(CommandContext ctx)
    {
        int found = Read(ctx, out var hash);
        if (found < 0) return;
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        ctx.Reply.WriteArrayHeader(ctx.ArgCount - 2);
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            int pos = found > 0 ? hash.Find(ctx.Arg(i)) : -1;
            if (pos < 0) ctx.Reply.WriteNull();
            else ctx.Reply.WriteBulk(hash.ValueAt(pos, scratch));
        }
    }

    [RedisCommand("HEXISTS")]
    public static void HExists(CommandContext ctx)
    {
        int found = Read(ctx, out var hash);
        if (found < 0) return;
        ctx.Reply.WriteInteger(found > 0 && hash.Contains(ctx.Arg(2)) ? 1 : 0);
    }

    [RedisCommand("HLEN")]
    public static void HLen(CommandContext ctx)
    {
        int found = Read(ctx, out var hash);
        if (found < 0) return;
        ctx.Reply.WriteInteger(found > 0 ? hash.Count : 0);
    }

    [RedisCommand("HSTRLEN")]
    public static void HStrLen(CommandContext ctx)
    {
        int found = Read(ctx, out var hash);
        if (found < 0) return;
        int pos = found > 0 ? hash.Find(ctx.Arg(2)) : -1;
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        ctx.Reply.WriteInteger(pos < 0 ? 0 : hash.ValueAt(pos, scratch).Length);
    }

    [RedisCommand("HGETALL")]
    public static void HGetAll(CommandContext ctx)
    {
        int found = Read(ctx, out var hash);
        if (found < 0) return;
        ctx.Reply.WriteMapHeader(found > 0 ? hash.Count : 0);
        if (found > 0) WriteElements(ctx, hash, fields: true, values: true);
    }

    [RedisCommand("HKEYS")]
    public static void HKeys(CommandContext ctx)
    {
        int found = Read(ctx, out var hash);
        if (found < 0) return;
        ctx.Reply.WriteArrayHeader(found > 0 ? hash.Count : 0);
        if (found > 0) WriteElements(ctx, hash, fields: true, values: false);
    }

    [RedisCommand("HVALS")]
    public static void HVals(CommandContext ctx)
    {
        int found = Read(ctx, out var hash);
        if (found < 0) return;
        ctx.Reply.WriteArrayHeader(found > 0 ? hash.Count : 0);
        if (found > 0) WriteElements(ctx, hash, fields: false, values: true);
    }

    private static void WriteElements(CommandContext ctx, in StoredHash hash, bool fields, bool values)
    {
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        for (int pos = hash.First(); pos >= 0; pos = hash.Next(pos))
        {
            if (fields) ctx.Reply.WriteBulk(hash.FieldAt(pos, scratch));
            if (values) ctx.Reply.WriteBulk(hash.ValueAt(pos, scratch));
        }
    }

    // ---- random fields and scanning -------------------------------------------------------------------

    [RedisCommand("HRANDFIELD")]
    public static void HRandField(CommandContext ctx)
    {
        if (ctx.ArgCount == 2)
        {
            int exists = Read(ctx, out var single);
            if (exists < 0) return;
            if (exists == 0) { ctx.Reply.WriteNull(); return; }
            Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
            ctx.Reply.WriteBulk(single.FieldAt(single.RandomPosition(Random.Shared), scratch));
            return;
        }
        if (!RespParser.TryParseLong(ctx.Arg(2), out long count))
        {
            ctx.Error(CommandContext.NotIntegerError);
            return;
        }
        if (count == long.MinValue)
        {
            ctx.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
            return;
        }
        bool withValues = false;
        if (ctx.ArgCount > 4 || (ctx.ArgCount == 4 && !ctx.ArgIs(3, "WITHVALUES"u8)))
        {
            ctx.SyntaxError();
            return;
        }
        if (ctx.ArgCount == 4)
        {
            withValues = true;
            if (count < -long.MaxValue / 2 || count > long.MaxValue / 2)
            {
                ctx.Error("ERR value is out of range");
                return;
            }
        }
        int found = Read(ctx, out var hash);
        if (found < 0) return;
        if (found == 0 || count == 0) { ctx.Reply.WriteEmptyArray(); return; }
        RandomFieldsWithCount(ctx, hash, count, withValues);
    }

    private static void RandomFieldsWithCount(CommandContext ctx, StoredHash hash, long count, bool withValues)
    {
        var reply = ctx.Reply;
        bool pairs = withValues && reply.IsResp3;
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        void WriteOne(int pos, Span<byte> buffer)
        {
            if (pairs) reply.WriteArrayHeader(2);
            reply.WriteBulk(hash.FieldAt(pos, buffer));
            if (withValues) reply.WriteBulk(hash.ValueAt(pos, buffer));
        }

        int size = hash.Count;
        if (count < 0 || count == 1)
        {
            // Repeats allowed: independent draws.
            long n = count < 0 ? -count : 1;
            reply.WriteArrayHeader(withValues && !reply.IsResp3 ? n * 2 : n);
            // A listpack finds a position by walking, so list them once for many draws.
            var compact = hash.IsListpack ? hash.Positions() : null;
            for (long i = 0; i < n; i++)
                WriteOne(compact != null ? compact[Random.Shared.Next(compact.Count)] : hash.RandomPosition(Random.Shared), scratch);
            return;
        }
        List<int> chosen;
        if (count >= size)
        {
            chosen = hash.Positions();
        }
        else
        {
            // Distinct fields: a partial Fisher–Yates shuffle of all positions.
            var all = hash.Positions();
            for (int i = 0; i < count; i++)
            {
                int j = Random.Shared.Next(i, all.Count);
                (all[i], all[j]) = (all[j], all[i]);
            }
            chosen = all.GetRange(0, (int)count);
        }
        reply.WriteArrayHeader(withValues && !reply.IsResp3 ? chosen.Count * 2L : chosen.Count);
        foreach (int pos in chosen) WriteOne(pos, scratch);
    }

    [RedisCommand("HSCAN")]
    public static void HScan(CommandContext ctx)
    {
        if (!CollectionScan.TryArgCursor(ctx, 2, out ulong cursor)) return;
        int found = Read(ctx, out var hash);
        if (found < 0) return;
        if (found == 0) { CollectionScan.WriteEmptyPage(ctx); return; }
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        if (!CollectionScan.TryCollectPage(ctx, hash, cursor, scratch, out var positions, out ulong next)) return;
        CollectionScan.WritePageHeader(ctx, next, positions.Count * 2L);
        foreach (int pos in positions)
        {
            ctx.Reply.WriteBulk(hash.FieldAt(pos, scratch));
            ctx.Reply.WriteBulk(hash.ValueAt(pos, scratch));
        }
    }
}
