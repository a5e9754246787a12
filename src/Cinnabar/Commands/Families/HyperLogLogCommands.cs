using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// The HyperLogLog family: PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST. An HLL is a plain string value
/// in Redis's own layout (<see cref="HyperLogLog"/>), so GET, SET, APPEND and copies between servers see
/// the same bytes; the commands update it in place as a <see cref="RawString"/>.
/// </summary>
public static class HyperLogLogCommands
{
    /// <summary>PFADD key [element ...]: 1 when the key was created or a register changed, else 0.</summary>
    [RedisCommand("PFADD")]
    public static void PfAdd(CommandContext ctx)
    {
        var db = ctx.Db;
        var key = ctx.Arg(1);
        int slot = db.LookupWriteSlot(key);
        RawString hll;
        int updated = 0;
        if (slot < 0)
        {
            hll = new RawString(HyperLogLog.CreateEmpty());
            slot = db.Add(key, hll);
            updated++;
        }
        else
        {
            if (!CheckHll(ctx, db.Table.ValueAt(slot))) return;
            hll = StringRangeCommands.Unshare(db, slot);
        }
        long sparseMax = ctx.Server.Config.HllSparseMaxBytes;
        for (int j = 2; j < ctx.ArgCount; j++)
        {
            int count = HyperLogLog.PatternLength(ctx.Arg(j), out int register);
            int result = Set(db, slot, ref hll, register, count, sparseMax);
            if (result < 0)
            {
                ctx.Error(HyperLogLog.CorruptedError);
                return;
            }
            updated += result;
        }
        if (updated > 0)
        {
            ctx.KeyModified(db, key);
            ctx.Notify('$', "pfadd", db, key);
            ctx.Dirty(updated);
            HyperLogLog.InvalidateCache(hll.WritableSpan);
        }
        ctx.Reply.WriteInteger(updated > 0 ? 1 : 0);
    }

    /// <summary>
    /// Raises one register in whichever encoding the HLL has (Redis's hllAdd after hashing): 1 changed,
    /// 0 unchanged, -1 corrupt. A sparse HLL promoted to dense is stored back in <paramref name="slot"/>.
    /// </summary>
    private static int Set(Database db, int slot, ref RawString hll, int register, int count, long sparseMax)
    {
        if (HyperLogLog.IsDense(hll.Span))
            return HyperLogLog.DenseSet(hll.WritableSpan[HyperLogLog.HeaderSize..], register, count) ? 1 : 0;
        var before = hll;
        int result = HyperLogLogSparse.Set(ref hll, register, count, sparseMax);
        if (!ReferenceEquals(before, hll)) db.Replace(slot, hll);
        return result;
    }

    /// <summary>Redis's isHLLObjectOrReply: WRONGTYPE for other types, the HLL-specific WRONGTYPE for other strings.</summary>
    private static bool CheckHll(CommandContext ctx, object value)
    {
        if (!StringValue.TryGetBytes(value, out var bytes))
        {
            ctx.WrongType();
            return false;
        }
        if (HyperLogLog.IsValid(bytes)) return true;
        ctx.Error(HyperLogLog.NotHllError);
        return false;
    }

    /// <summary>
    /// PFCOUNT key [key ...]. One key: the cached cardinality, or a fresh estimate written back into the
    /// header (a change of the value, as in Redis: it breaks WATCH and counts as dirty). Several keys: the
    /// estimate of their union, nothing written.
    /// </summary>
    [RedisCommand("PFCOUNT")]
    public static void PfCount(CommandContext ctx)
    {
        var db = ctx.Db;
        if (ctx.ArgCount > 2)
        {
            Span<byte> max = stackalloc byte[HyperLogLog.Registers];
            max.Clear();
            if (!TryMergeSources(ctx, 1, max, out _)) return;
            Span<int> histogram = stackalloc int[64];
            histogram.Clear();
            HyperLogLog.RawHistogram(max, histogram);
            ctx.Reply.WriteInteger((long)HyperLogLog.Estimate(histogram));
            return;
        }
        var key = ctx.Arg(1);
        var value = db.LookupRead(key);
        if (value == null) { ctx.Reply.WriteInteger(0); return; }
        if (!CheckHll(ctx, value)) return;
        // Redis reads with lookupKeyRead but then changes the value: it unshares the string first (OBJECT
        // ENCODING turns raw, even when the HLL then proves corrupt) and writes a fresh estimate into the
        // header. Both changes go through the write door here.
        bool cached = HyperLogLog.HasValidCache(StringValue.Bytes(value));
        var hll = value as RawString;
        if (!cached || hll == null) hll = StringRangeCommands.Unshare(db, db.LookupWriteSlot(key, touch: false));
        ulong cardinality;
        if (cached) cardinality = HyperLogLog.CachedCardinality(hll.Span);
        else
        {
            if (!HyperLogLog.TryCount(hll.Span, out cardinality))
            {
                ctx.Error(HyperLogLog.CorruptedError);
                return;
            }
            HyperLogLog.SetCachedCardinality(hll.WritableSpan, cardinality);
            ctx.KeyModified(db, key);
            ctx.Dirty();
        }
        ctx.Reply.WriteInteger((long)cardinality);
    }

    /// <summary>
    /// Folds the HLLs at arguments <paramref name="first"/>.. into one register per byte (missing keys are
    /// empty HLLs). False after an error reply. <paramref name="anyDense"/> tells whether one was dense.
    /// </summary>
    private static bool TryMergeSources(CommandContext ctx, int first, Span<byte> max, out bool anyDense)
    {
        anyDense = false;
        for (int j = first; j < ctx.ArgCount; j++)
        {
            var value = ctx.Db.LookupRead(ctx.Arg(j));
            if (value == null) continue;
            if (!CheckHll(ctx, value)) return false;
            var bytes = StringValue.Bytes(value);
            anyDense |= HyperLogLog.IsDense(bytes);
            if (!HyperLogLog.MergeInto(max, bytes))
            {
                ctx.Error(HyperLogLog.CorruptedError);
                return false;
            }
        }
        return true;
    }

    /// <summary>PFMERGE destkey [sourcekey ...]: the destination (itself one of the inputs) becomes the union.</summary>
    [RedisCommand("PFMERGE")]
    public static void PfMerge(CommandContext ctx)
    {
        var db = ctx.Db;
        Span<byte> max = stackalloc byte[HyperLogLog.Registers];
        max.Clear();
        if (!TryMergeSources(ctx, 1, max, out bool anyDense)) return;

        var key = ctx.Arg(1);
        int slot = db.LookupWriteSlot(key);
        RawString hll;
        if (slot < 0)
        {
            hll = new RawString(HyperLogLog.CreateEmpty());
            slot = db.Add(key, hll);
        }
        else hll = StringRangeCommands.Unshare(db, slot);
        // A dense input makes the destination dense at once instead of growing a sparse body register by register.
        if (anyDense && !HyperLogLog.IsDense(hll.Span))
        {
            var dense = HyperLogLogSparse.ToDense(hll.Span);
            if (dense == null)
            {
                ctx.Error(HyperLogLog.CorruptedError);
                return;
            }
            db.Replace(slot, hll = dense);
        }
        long sparseMax = ctx.Server.Config.HllSparseMaxBytes;
        for (int j = 0; j < HyperLogLog.Registers; j++)
            if (max[j] != 0) Set(db, slot, ref hll, j, max[j], sparseMax);
        HyperLogLog.InvalidateCache(hll.WritableSpan);
        // Redis raises "pfadd" for a merge too: it is a mass add of elements.
        ctx.KeyChanged('$', "pfadd", db, key);
        ctx.Reply.WriteOk();
    }

    /// <summary>PFDEBUG GETREG|DECODE|ENCODING|TODENSE key.</summary>
    [RedisCommand("PFDEBUG")]
    public static void PfDebug(CommandContext ctx)
    {
        var db = ctx.Db;
        int slot = db.LookupWriteSlot(ctx.Arg(2));
        if (slot < 0) { ctx.Error("ERR The specified key does not exist"); return; }
        if (!CheckHll(ctx, db.Table.ValueAt(slot))) return;
        var hll = StringRangeCommands.Unshare(db, slot);
        bool sparse = !HyperLogLog.IsDense(hll.Span);
        if (ctx.ArgIs(1, "GETREG"u8))
        {
            if (sparse)
            {
                if (!TryConvertToDense(ctx, db, slot, ref hll)) return;
            }
            var registers = hll.Span[HyperLogLog.HeaderSize..];
            ctx.Reply.WriteArrayHeader(HyperLogLog.Registers);
            for (int j = 0; j < HyperLogLog.Registers; j++) ctx.Reply.WriteInteger(HyperLogLog.GetDenseRegister(registers, j));
        }
        else if (ctx.ArgIs(1, "DECODE"u8))
        {
            if (!sparse) { ctx.Error("ERR HLL encoding is not sparse"); return; }
            ctx.Reply.WriteBulk(HyperLogLogSparse.Decode(hll.Span[HyperLogLog.HeaderSize..]));
        }
        else if (ctx.ArgIs(1, "ENCODING"u8)) ctx.Reply.WriteSimpleString(sparse ? "sparse" : "dense");
        else if (ctx.ArgIs(1, "TODENSE"u8))
        {
            if (sparse && !TryConvertToDense(ctx, db, slot, ref hll)) return;
            ctx.Reply.WriteInteger(sparse ? 1 : 0);
        }
        else ctx.Error($"ERR Unknown PFDEBUG subcommand '{ctx.ArgText(1)}'");
    }

    /// <summary>Stores the dense form of a sparse HLL (dirty, so it propagates); false after the corruption error.</summary>
    private static bool TryConvertToDense(CommandContext ctx, Database db, int slot, ref RawString hll)
    {
        var dense = HyperLogLogSparse.ToDense(hll.Span);
        if (dense == null)
        {
            ctx.Error(HyperLogLog.CorruptedError);
            return false;
        }
        db.Replace(slot, hll = dense);
        ctx.Dirty();
        return true;
    }

    /// <summary>PFSELFTEST: register access and estimate error of the dense and sparse code, as Redis's self-test.</summary>
    [RedisCommand("PFSELFTEST")]
    public static void PfSelfTest(CommandContext ctx)
    {
        string? failure = HyperLogLogSelfTest.Run(ctx.Server.Config.HllSparseMaxBytes, new Random());
        if (failure != null) ctx.Error(failure);
        else ctx.Reply.WriteOk();
    }
}
