using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>The list family: pushes, pops, ranges and edits. Blocking variants are in ListBlockingCommands.</summary>
public static class ListCommands
{
    // ---- lookup helpers -------------------------------------------------------------------------------

    /// <summary>
    /// Redis's lookupKeyWrite of the list at <paramref name="key"/>: 1 with it, 0 when the key is missing, -1 after
    /// answering WRONGTYPE. A small list comes as its record, edited in place.
    /// </summary>
    internal static int OpenWrite(CommandContext ctx, ReadOnlySpan<byte> key, out StoredList list)
    {
        int slot = ctx.Db.LookupWriteSlot(key);
        return Open(ctx, slot, out list);
    }

    /// <summary>Redis's lookupKeyRead of the list at <paramref name="key"/>: as <see cref="OpenWrite"/>, counting a hit or miss.</summary>
    private static int OpenRead(CommandContext ctx, ReadOnlySpan<byte> key, out StoredList list)
    {
        int slot = ctx.Db.LookupReadSlot(key);
        return Open(ctx, slot, out list);
    }

    private static int Open(CommandContext ctx, int slot, out StoredList list)
    {
        list = default;
        if (slot < 0) return 0;
        if (StoredList.TryOpen(ctx.Db.Table, slot, out list)) return 1;
        ctx.WrongType();
        return -1;
    }

    /// <summary>A new key holding an empty list for a push to fill: packed in its record, with list-max-listpack-size now.</summary>
    internal static StoredList AddEmpty(CommandContext ctx, Database db, ReadOnlySpan<byte> key)
    {
        int slot = db.AddEmptyList(key, ctx.Server.Config.ListMaxListpackSize);
        StoredList.TryOpen(db.Table, slot, out var list);
        return list;
    }

    /// <summary>Deletes a list key left empty, as Redis never keeps empty collections.</summary>
    internal static void DeleteIfEmpty(CommandContext ctx, Database db, int remaining, ReadOnlySpan<byte> key)
    {
        if (remaining > 0) return;
        db.Delete(key);
        ctx.Notify('g', "del", db, key);
    }

    // ---- pushes and pops --------------------------------------------------------------------------------

    private static void Push(CommandContext ctx, bool head, bool onlyIfExists)
    {
        var key = ctx.Arg(1);
        int found = OpenWrite(ctx, key, out var list);
        if (found < 0) return;
        if (found == 0)
        {
            if (onlyIfExists)
            {
                ctx.Reply.WriteInteger(0);
                return;
            }
            list = AddEmpty(ctx, ctx.Db, key);
        }
        for (int i = 2; i < ctx.ArgCount; i++) list.Push(head, ctx.Arg(i));
        ctx.Reply.WriteInteger(list.Count);
        AfterPush(ctx, ctx.Db, key, head ? "lpush" : "rpush", ctx.ArgCount - 2);
    }

    internal static void AfterPush(CommandContext ctx, Database db, ReadOnlySpan<byte> key, string @event, int count)
    {
        ctx.SignalKeyReady(db, key);
        ctx.KeyModified(db, key);
        ctx.Notify('l', @event, db, key);
        ctx.Dirty(count);
    }

    [RedisCommand("LPUSH")] public static void LPush(CommandContext ctx) => Push(ctx, head: true, onlyIfExists: false);
    [RedisCommand("RPUSH")] public static void RPush(CommandContext ctx) => Push(ctx, head: false, onlyIfExists: false);
    [RedisCommand("LPUSHX")] public static void LPushX(CommandContext ctx) => Push(ctx, head: true, onlyIfExists: true);
    [RedisCommand("RPUSHX")] public static void RPushX(CommandContext ctx) => Push(ctx, head: false, onlyIfExists: true);

    [RedisCommand("LPOP")] public static void LPop(CommandContext ctx) => Pop(ctx, head: true);
    [RedisCommand("RPOP")] public static void RPop(CommandContext ctx) => Pop(ctx, head: false);

    private static void Pop(CommandContext ctx, bool head)
    {
        if (ctx.ArgCount > 3)
        {
            ctx.Error($"ERR wrong number of arguments for '{ctx.Command.DisplayName}' command");
            return;
        }
        long count = 1;
        bool hasCount = ctx.ArgCount == 3;
        if (hasCount && (!Protocol.RespParser.TryParseLong(ctx.Arg(2), out count) || count < 0))
        {
            ctx.Error("ERR value is out of range, must be positive");
            return;
        }
        var key = ctx.Arg(1);
        int found = OpenWrite(ctx, key, out var list);
        if (found < 0) return;
        if (found == 0)
        {
            if (hasCount) ctx.Reply.WriteNullArray();
            else ctx.Reply.WriteNull();
            return;
        }
        if (!hasCount)
        {
            PopOne(ctx, ref list, head);
        }
        else
        {
            long n = Math.Min(count, list.Count);
            ctx.Reply.WriteArrayHeader(n);
            for (long i = 0; i < n; i++) PopOne(ctx, ref list, head);
            if (n == 0) return;
        }
        AfterPop(ctx, ctx.Db, list.Count, key, head);
    }

    /// <summary>Replies with the first (or last) element, then removes it: no copy of it is made.</summary>
    internal static void PopOne(CommandContext ctx, ref StoredList list, bool head)
    {
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        ctx.Reply.WriteBulk(list.PeekEnd(head, scratch));
        list.DropEnd(head);
    }

    internal static void AfterPop(CommandContext ctx, Database db, int remaining, ReadOnlySpan<byte> key, bool head)
    {
        ctx.Notify('l', head ? "lpop" : "rpop", db, key);
        ctx.KeyModified(db, key);
        ctx.Dirty();
        DeleteIfEmpty(ctx, db, remaining, key);
    }

    // ---- reads --------------------------------------------------------------------------------------------

    [RedisCommand("LLEN")]
    public static void LLen(CommandContext ctx)
    {
        int found = OpenRead(ctx, ctx.Arg(1), out var list);
        if (found >= 0) ctx.Reply.WriteInteger(found == 0 ? 0 : list.Count);
    }

    [RedisCommand("LRANGE")]
    public static void LRange(CommandContext ctx)
    {
        if (!ctx.TryArgLong(2, out long start) || !ctx.TryArgLong(3, out long end)) return;
        int found = OpenRead(ctx, ctx.Arg(1), out var list);
        if (found < 0) return;
        if (found == 0)
        {
            ctx.Reply.WriteEmptyArray();
            return;
        }
        long count = list.Count;
        if (start < 0) start = Math.Max(0, count + start);
        if (end < 0) end = count + end;
        if (end >= count) end = count - 1;
        if (start > end || start >= count)
        {
            ctx.Reply.WriteEmptyArray();
            return;
        }
        ctx.Reply.WriteArrayHeader(end - start + 1);
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        var cursor = list.Iterate((int)start);
        for (long i = start; i <= end; i++, cursor.MoveNext()) ctx.Reply.WriteBulk(cursor.Read(scratch));
    }

    [RedisCommand("LINDEX")]
    public static void LIndex(CommandContext ctx)
    {
        // As Redis: the key is looked up before the index is parsed.
        int found = OpenRead(ctx, ctx.Arg(1), out var list);
        if (found < 0) return;
        if (found == 0) { ctx.Reply.WriteNull(); return; }
        if (!ctx.TryArgLong(2, out long index)) return;
        int count = list.Count;
        if (index < 0) index += count;
        if (index < 0 || index >= count) ctx.Reply.WriteNull();
        else
        {
            Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
            ctx.Reply.WriteBulk(list.Get((int)index, scratch));
        }
    }

    // ---- edits in the middle ------------------------------------------------------------------------------

    [RedisCommand("LSET")]
    public static void LSet(CommandContext ctx)
    {
        // As Redis: the key is looked up before the index is parsed.
        var key = ctx.Arg(1);
        int found = OpenWrite(ctx, key, out var list);
        if (found < 0) return;
        if (found == 0) { ctx.Error("ERR no such key"); return; }
        if (!ctx.TryArgLong(2, out long index)) return;
        if (index < 0) index += list.Count;
        if (index < 0 || index >= list.Count) { ctx.Error("ERR index out of range"); return; }
        list.Set((int)index, ctx.Arg(3));
        ctx.Reply.WriteOk();
        ctx.Notify('l', "lset", ctx.Db, key);
        ctx.KeyModified(ctx.Db, key);
        ctx.Dirty();
    }

    [RedisCommand("LREM")]
    public static void LRem(CommandContext ctx)
    {
        if (!ctx.TryArgLong(2, out long count)) return;
        var key = ctx.Arg(1);
        int found = OpenWrite(ctx, key, out var list);
        if (found < 0) return;
        if (found == 0) { ctx.Reply.WriteInteger(0); return; }
        var probe = new Listpack.Probe(ctx.Arg(3));
        var positions = new List<int>();
        long limit = count == 0 || count == long.MinValue ? long.MaxValue : Math.Abs(count);
        bool fromTail = count < 0;
        int length = list.Count;
        var cursor = list.Iterate(fromTail ? length - 1 : 0, reverse: fromTail);
        for (int step = 0; cursor.Valid && positions.Count < limit; step++, cursor.MoveNext())
            if (cursor.Matches(probe)) positions.Add(fromTail ? length - 1 - step : step);
        if (fromTail) positions.Reverse();
        list.RemoveAt(positions);
        ctx.Reply.WriteInteger(positions.Count);
        if (positions.Count == 0) return;
        ctx.Notify('l', "lrem", ctx.Db, key);
        ctx.KeyModified(ctx.Db, key);
        ctx.Dirty(positions.Count);
        DeleteIfEmpty(ctx, ctx.Db, list.Count, key);
    }

    [RedisCommand("LTRIM")]
    public static void LTrim(CommandContext ctx)
    {
        if (!ctx.TryArgLong(2, out long start) || !ctx.TryArgLong(3, out long end)) return;
        var key = ctx.Arg(1);
        int found = OpenWrite(ctx, key, out var list);
        if (found < 0) return;
        if (found == 0) { ctx.Reply.WriteOk(); return; }
        long count = list.Count;
        if (start < 0) start = Math.Max(0, count + start);
        if (end < 0) end = count + end;
        if (end >= count) end = count - 1;
        list.Trim((int)Math.Min(start, int.MaxValue), (int)Math.Max(end, -1));
        ctx.Reply.WriteOk();
        ctx.Notify('l', "ltrim", ctx.Db, key);
        ctx.KeyModified(ctx.Db, key);
        ctx.Dirty();
        DeleteIfEmpty(ctx, ctx.Db, list.Count, key);
    }

    [RedisCommand("LINSERT")]
    public static void LInsert(CommandContext ctx)
    {
        bool after;
        if (ctx.ArgIs(2, "AFTER"u8)) after = true;
        else if (ctx.ArgIs(2, "BEFORE"u8)) after = false;
        else { ctx.SyntaxError(); return; }
        var key = ctx.Arg(1);
        int found = OpenWrite(ctx, key, out var list);
        if (found < 0) return;
        if (found == 0) { ctx.Reply.WriteInteger(0); return; }
        var pivot = new Listpack.Probe(ctx.Arg(3));
        int index = -1;
        var cursor = list.Iterate(0);
        for (int i = 0; cursor.Valid; i++, cursor.MoveNext())
        {
            if (!cursor.Matches(pivot)) continue;
            index = i;
            break;
        }
        if (index < 0)
        {
            ctx.Reply.WriteInteger(-1);
            return;
        }
        list.Insert(after ? index + 1 : index, ctx.Arg(4));
        ctx.Reply.WriteInteger(list.Count);
        ctx.Notify('l', "linsert", ctx.Db, key);
        ctx.KeyModified(ctx.Db, key);
        ctx.Dirty();
    }

    [RedisCommand("LPOS")]
    public static void LPos(CommandContext ctx)
    {
        long rank = 1, count = -1, maxLen = 0;
        bool rankOverflow = false;
        for (int i = 3; i < ctx.ArgCount; i++)
        {
            bool last = i == ctx.ArgCount - 1;
            if (ctx.ArgIs(i, "RANK"u8) && !last)
            {
                if (!ctx.TryArgLong(++i, out rank)) return;
                if (rank == 0)
                {
                    ctx.Error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
                    return;
                }
                // Redis 7.0 negates LONG_MIN into itself: it acts as RANK -1 whose COUNT check overflows
                // (every match is returned).
                rankOverflow = rank == long.MinValue;
                if (rankOverflow) rank = -1;
            }
            else if (ctx.ArgIs(i, "COUNT"u8) && !last)
            {
                // Redis uses the range message for a non-integer too.
                if (!ctx.TryArgLong(++i, out count, "ERR COUNT can't be negative")) return;
                if (count < 0) { ctx.Error("ERR COUNT can't be negative"); return; }
            }
            else if (ctx.ArgIs(i, "MAXLEN"u8) && !last)
            {
                if (!ctx.TryArgLong(++i, out maxLen, "ERR MAXLEN can't be negative")) return;
                if (maxLen < 0) { ctx.Error("ERR MAXLEN can't be negative"); return; }
            }
            else { ctx.SyntaxError(); return; }
        }
        if (rankOverflow && count > 0) count = 0;
        int found = OpenRead(ctx, ctx.Arg(1), out var list);
        if (found < 0) return;
        bool single = count < 0;
        if (found == 0)
        {
            if (single) ctx.Reply.WriteNull();
            else ctx.Reply.WriteEmptyArray();
            return;
        }
        var element = new Listpack.Probe(ctx.Arg(2));
        var matches = new List<long>();
        long skip = rank > 0 ? rank - 1 : -(rank + 1);
        long wanted = single ? 1 : (count == 0 ? long.MaxValue : count);
        int n = list.Count;
        long limit = maxLen == 0 ? n : Math.Min(maxLen, n);
        var cursor = list.Iterate(rank > 0 ? 0 : n - 1, reverse: rank < 0);
        for (long step = 0; step < limit && matches.Count < wanted; step++, cursor.MoveNext())
        {
            int idx = rank > 0 ? (int)step : n - 1 - (int)step;
            if (!cursor.Matches(element)) continue;
            if (skip > 0) { skip--; continue; }
            matches.Add(idx);
        }
        if (single)
        {
            if (matches.Count == 0) ctx.Reply.WriteNull();
            else ctx.Reply.WriteInteger(matches[0]);
            return;
        }
        ctx.Reply.WriteArrayHeader(matches.Count);
        foreach (var m in matches) ctx.Reply.WriteInteger(m);
    }
}
