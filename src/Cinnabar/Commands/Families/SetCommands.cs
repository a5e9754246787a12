using Cinnabar.Propagation;
using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>The set family's single-key commands: SADD, SREM, SPOP, SRANDMEMBER, SMOVE, SSCAN and friends.</summary>
public static class SetCommands
{
    private const string RangeError = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

    // ---- helpers shared with SetAlgebraCommands -------------------------------------------------------

    internal static SetLimits Limits(CommandContext ctx)
    {
        var c = ctx.Server.Config;
        return new SetLimits(c.SetMaxIntsetEntries, c.SetMaxListpackEntries, c.SetMaxListpackValue);
    }

    internal static void WriteMembers<T>(CommandContext ctx, in T set) where T : ISetMembers
    {
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        ctx.Reply.WriteSetHeader(set.Count);
        for (int pos = set.First(); pos >= 0; pos = set.Next(pos)) ctx.Reply.WriteBulk(set.MemberAt(pos, scratch));
    }

    /// <summary>Deletes the key at argument <paramref name="keyIndex"/> when its set became empty; true if it did.</summary>
    private static bool DeleteIfEmpty(CommandContext ctx, in StoredSet set, int keyIndex)
    {
        if (set.Count > 0) return false;
        ctx.Db.Delete(ctx.Arg(keyIndex));
        ctx.Notify('g', "del", ctx.Db, ctx.Arg(keyIndex));
        return true;
    }

    /// <summary>
    /// Redis's lookupKeyRead (or, with <paramref name="write"/>, lookupKeyWrite) of the set at argument
    /// <paramref name="keyIndex"/>: 1 with it, 0 when the key is missing, -1 after answering WRONGTYPE.
    /// </summary>
    private static int Open(CommandContext ctx, int keyIndex, bool write, out StoredSet set)
    {
        int slot = write ? ctx.Db.LookupWriteSlot(ctx.Arg(keyIndex)) : ctx.Db.LookupReadSlot(ctx.Arg(keyIndex));
        set = default;
        if (slot < 0) return 0;
        if (StoredSet.TryOpen(ctx.Db.Table, slot, out set)) return 1;
        ctx.WrongType();
        return -1;
    }

    /// <summary>A new empty set at argument <paramref name="keyIndex"/>, opened for adding.</summary>
    private static StoredSet Create(CommandContext ctx, int keyIndex)
    {
        int slot = ctx.Db.Add(ctx.Arg(keyIndex), new RedisSet());
        StoredSet.TryOpen(ctx.Db.Table, slot, out var set);
        return set;
    }

    // ---- commands -------------------------------------------------------------------------------------

    [RedisCommand("SADD")]
    public static void SAdd(CommandContext ctx)
    {
        int found = Open(ctx, 1, write: true, out var set);
        if (found < 0) return;
        if (found == 0) set = Create(ctx, 1);
        var limits = Limits(ctx);
        long added = 0;
        for (int i = 2; i < ctx.ArgCount; i++)
            if (set.Add(ctx.Arg(i), limits)) added++;
        if (added > 0)
        {
            ctx.KeyModified(ctx.Db, ctx.Arg(1));
            ctx.Notify('s', "sadd", ctx.Db, ctx.Arg(1));
            ctx.Dirty(added);
        }
        ctx.Reply.WriteInteger(added);
    }

    [RedisCommand("SREM")]
    public static void SRem(CommandContext ctx)
    {
        int found = Open(ctx, 1, write: true, out var set);
        if (found < 0) return;
        if (found == 0) { ctx.Reply.WriteInteger(0); return; }
        long removed = 0;
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            if (!set.Remove(ctx.Arg(i))) continue;
            removed++;
            if (set.Count == 0) break;
        }
        if (removed > 0)
        {
            ctx.KeyModified(ctx.Db, ctx.Arg(1));
            ctx.Notify('s', "srem", ctx.Db, ctx.Arg(1));
            DeleteIfEmpty(ctx, set, 1);
            ctx.Dirty(removed);
        }
        ctx.Reply.WriteInteger(removed);
    }

    [RedisCommand("SMEMBERS")]
    public static void SMembers(CommandContext ctx)
    {
        int found = Open(ctx, 1, write: false, out var set);
        if (found < 0) return;
        if (found == 0) ctx.Reply.WriteSetHeader(0);
        else WriteMembers(ctx, set);
    }

    [RedisCommand("SISMEMBER")]
    public static void SIsMember(CommandContext ctx)
    {
        int found = Open(ctx, 1, write: false, out var set);
        if (found < 0) return;
        ctx.Reply.WriteInteger(found > 0 && set.Contains(ctx.Arg(2)) ? 1 : 0);
    }

    [RedisCommand("SMISMEMBER")]
    public static void SMIsMember(CommandContext ctx)
    {
        int found = Open(ctx, 1, write: false, out var set);
        if (found < 0) return;
        ctx.Reply.WriteArrayHeader(ctx.ArgCount - 2);
        for (int i = 2; i < ctx.ArgCount; i++)
            ctx.Reply.WriteInteger(found > 0 && set.Contains(ctx.Arg(i)) ? 1 : 0);
    }

    [RedisCommand("SCARD")]
    public static void SCard(CommandContext ctx)
    {
        int found = Open(ctx, 1, write: false, out var set);
        if (found < 0) return;
        ctx.Reply.WriteInteger(found > 0 ? set.Count : 0);
    }

    [RedisCommand("SPOP")]
    public static void SPop(CommandContext ctx)
    {
        if (ctx.ArgCount > 3) { ctx.SyntaxError(); return; }
        if (ctx.ArgCount == 3) { SPopWithCount(ctx); return; }
        int found = Open(ctx, 1, write: true, out var set);
        if (found < 0) return;
        if (found == 0) { ctx.Reply.WriteNull(); return; }
        int pos = set.RandomPosition(Random.Shared);
        var member = set.MemberBytesAt(pos);
        set.RemoveAt(pos);
        ctx.Notify('s', "spop", ctx.Db, ctx.Arg(1));
        DeleteIfEmpty(ctx, set, 1);
        ctx.KeyModified(ctx.Db, ctx.Arg(1));
        ctx.Dirty();
        // A random pick is replayed as the member it took.
        if (ctx.Propagating) ctx.PropagateInstead(Verbs.SRem, ctx.ArgBytes(1), member);
        ctx.Reply.WriteBulk(member);
    }

    private static void SPopWithCount(CommandContext ctx)
    {
        if (!RespParser.TryParseLong(ctx.Arg(2), out long count) || count < 0)
        {
            ctx.Error("ERR value is out of range, must be positive");
            return;
        }
        int found = Open(ctx, 1, write: true, out var set);
        if (found < 0) return;
        if (found == 0 || count == 0) { ctx.Reply.WriteSetHeader(0); return; }
        int size = set.Count;
        ctx.Notify('s', "spop", ctx.Db, ctx.Arg(1));
        ctx.KeyModified(ctx.Db, ctx.Arg(1));
        if (count >= size)
        {
            // Everything goes: reply with the whole set and delete the key.
            WriteMembers(ctx, set);
            DeleteIfEmptyAfterClear(ctx);
            ctx.Dirty(size);
            if (ctx.Propagating) ctx.PropagateInstead(Verbs.Del, ctx.ArgBytes(1));
            return;
        }
        var popped = new List<byte[]>((int)count);
        if (count * 4 <= size)
        {
            for (long i = 0; i < count; i++)
            {
                int pos = set.RandomPosition(Random.Shared);
                popped.Add(set.MemberBytesAt(pos));
                set.RemoveAt(pos);
            }
        }
        else
        {
            // Many members: shuffle a snapshot of positions, then remove by value (positions shift).
            var all = set.Positions();
            for (int i = 0; i < count; i++)
            {
                int j = Random.Shared.Next(i, all.Count);
                (all[i], all[j]) = (all[j], all[i]);
                popped.Add(set.MemberBytesAt(all[i]));
            }
            foreach (var member in popped) set.Remove(member);
        }
        ctx.Reply.WriteSetHeader(popped.Count);
        foreach (var member in popped) ctx.Reply.WriteBulk(member);
        ctx.Dirty(count);
        if (ctx.Propagating)
        {
            var srem = new byte[popped.Count + 2][];
            srem[0] = Verbs.SRem;
            srem[1] = ctx.ArgBytes(1);
            popped.CopyTo(srem, 2);
            ctx.PropagateInstead(srem);
        }
    }

    private static void DeleteIfEmptyAfterClear(CommandContext ctx)
    {
        ctx.Db.Delete(ctx.Arg(1));
        ctx.Notify('g', "del", ctx.Db, ctx.Arg(1));
    }

    [RedisCommand("SRANDMEMBER")]
    public static void SRandMember(CommandContext ctx)
    {
        if (ctx.ArgCount > 3) { ctx.SyntaxError(); return; }
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        if (ctx.ArgCount == 2)
        {
            int exists = Open(ctx, 1, write: false, out var single);
            if (exists < 0) return;
            if (exists == 0) ctx.Reply.WriteNull();
            else ctx.Reply.WriteBulk(single.MemberAt(single.RandomPosition(Random.Shared), scratch));
            return;
        }
        if (!ctx.TryArgLong(2, out long count)) return;
        if (count == long.MinValue) { ctx.Error(RangeError); return; }
        int found = Open(ctx, 1, write: false, out var set);
        if (found < 0) return;
        if (found == 0 || count == 0) { ctx.Reply.WriteEmptyArray(); return; }
        int size = set.Count;
        if (count < 0)
        {
            // Repeats allowed: independent draws.
            ctx.Reply.WriteArrayHeader(-count);
            // A listpack finds a position by walking, so list them once for many draws.
            var compact = set.IsCompact && !set.IsIntSet ? set.Positions() : null;
            for (long i = 0; i < -count; i++)
            {
                int pos = compact != null ? compact[Random.Shared.Next(compact.Count)] : set.RandomPosition(Random.Shared);
                ctx.Reply.WriteBulk(set.MemberAt(pos, scratch));
            }
            return;
        }
        var positions = set.Positions();
        if (count < size)
        {
            for (int i = 0; i < count; i++)
            {
                int j = Random.Shared.Next(i, positions.Count);
                (positions[i], positions[j]) = (positions[j], positions[i]);
            }
            positions.RemoveRange((int)count, positions.Count - (int)count);
        }
        ctx.Reply.WriteArrayHeader(positions.Count);
        foreach (int pos in positions) ctx.Reply.WriteBulk(set.MemberAt(pos, scratch));
    }

    [RedisCommand("SMOVE")]
    public static void SMove(CommandContext ctx)
    {
        int srcSlot = ctx.Db.LookupWriteSlot(ctx.Arg(1));
        int dstSlot = ctx.Db.LookupWriteSlot(ctx.Arg(2));
        if (srcSlot < 0) { ctx.Reply.WriteInteger(0); return; }
        var table = ctx.Db.Table;
        if (!StoredSet.TryOpen(table, srcSlot, out var src)) { ctx.WrongType(); return; }
        StoredSet dst = default;
        bool dstExists = dstSlot >= 0;
        if (dstExists && !StoredSet.TryOpen(table, dstSlot, out dst)) { ctx.WrongType(); return; }
        var member = ctx.Arg(3);
        if (dstExists && src.SameKey(dst))
        {
            ctx.Reply.WriteInteger(src.Contains(member) ? 1 : 0);
            return;
        }
        if (!src.Remove(member)) { ctx.Reply.WriteInteger(0); return; }
        ctx.Notify('s', "srem", ctx.Db, ctx.Arg(1));
        DeleteIfEmpty(ctx, src, 1);
        if (!dstExists) dst = Create(ctx, 2);
        ctx.KeyModified(ctx.Db, ctx.Arg(1));
        ctx.Dirty();
        if (dst.Add(member, Limits(ctx)))
        {
            ctx.Dirty();
            ctx.KeyModified(ctx.Db, ctx.Arg(2));
            ctx.Notify('s', "sadd", ctx.Db, ctx.Arg(2));
        }
        ctx.Reply.WriteInteger(1);
    }

    [RedisCommand("SSCAN")]
    public static void SScan(CommandContext ctx)
    {
        if (!CollectionScan.TryArgCursor(ctx, 2, out ulong cursor)) return;
        int found = Open(ctx, 1, write: false, out var set);
        if (found < 0) return;
        if (found == 0) { CollectionScan.WriteEmptyPage(ctx); return; }
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        if (!CollectionScan.TryCollectPage(ctx, set, cursor, scratch, out var positions, out ulong next)) return;
        CollectionScan.WritePageHeader(ctx, next, positions.Count);
        foreach (int pos in positions) ctx.Reply.WriteBulk(set.MemberAt(pos, scratch));
    }
}
