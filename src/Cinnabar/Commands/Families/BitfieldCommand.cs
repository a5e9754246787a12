using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// BITFIELD and BITFIELD_RO: reads and writes of signed (i1..i64) and unsigned (u1..u63) integers at any bit
/// offset, with WRAP / SAT / FAIL overflow handling, as Redis does.
/// </summary>
public static class BitfieldCommand
{
    private const string TypeError = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    private enum OpCode : byte { Get, Set, IncrBy }
    private enum Overflow : byte { Wrap, Sat, Fail }

    private readonly record struct Op(OpCode Code, bool Signed, int Bits, long Offset, long Value, Overflow Overflow);

    [RedisCommand("BITFIELD")]
    public static void Bitfield(CommandContext ctx) => Run(ctx, readOnlyCommand: false);

    [RedisCommand("BITFIELD_RO")]
    public static void BitfieldRo(CommandContext ctx) => Run(ctx, readOnlyCommand: true);

    private static void Run(CommandContext ctx, bool readOnlyCommand)
    {
        var ops = new List<Op>();
        var overflow = Overflow.Wrap;
        long highestWriteBit = -1;
        for (int j = 2; j < ctx.ArgCount; j++)
        {
            int remaining = ctx.ArgCount - 1 - j;
            OpCode code;
            if (ctx.ArgIs(j, "GET"u8) && remaining >= 2) code = OpCode.Get;
            else if (ctx.ArgIs(j, "SET"u8) && remaining >= 3) code = OpCode.Set;
            else if (ctx.ArgIs(j, "INCRBY"u8) && remaining >= 3) code = OpCode.IncrBy;
            else if (ctx.ArgIs(j, "OVERFLOW"u8) && remaining >= 1)
            {
                j++;
                if (ctx.ArgIs(j, "WRAP"u8)) overflow = Overflow.Wrap;
                else if (ctx.ArgIs(j, "SAT"u8)) overflow = Overflow.Sat;
                else if (ctx.ArgIs(j, "FAIL"u8)) overflow = Overflow.Fail;
                else { ctx.Error("ERR Invalid OVERFLOW type specified"); return; }
                continue;
            }
            else { ctx.SyntaxError(); return; }

            if (!TryType(ctx.Arg(j + 1), out bool signed, out int bits)) { ctx.Error(TypeError); return; }
            if (!BitCommands.TryBitOffset(ctx, j + 2, bits, out long offset)) return;
            long value = 0;
            if (code != OpCode.Get)
            {
                if (!ctx.TryArgLong(j + 3, out value)) return;
                highestWriteBit = Math.Max(highestWriteBit, offset + bits - 1);
            }
            ops.Add(new Op(code, signed, bits, offset, value, overflow));
            j += code == OpCode.Get ? 2 : 3;
        }

        // BITFIELD_RO refuses writes only once the whole command has parsed.
        if (readOnlyCommand && highestWriteBit >= 0) { ctx.Error("ERR BITFIELD_RO only supports the GET subcommand"); return; }

        RawString? target = null;
        ReadOnlySpan<byte> bytes = default;
        bool grew = false;
        if (highestWriteBit < 0)
        {
            // Only reads: a missing key reads as zeros and the value is left untouched (embstr stays embstr).
            if (ctx.Db.LookupReadString(ctx.Arg(1), out bytes) < 0) { ctx.WrongType(); return; }
        }
        else
        {
            target = BitCommands.WritableForBits(ctx, highestWriteBit, out grew);
            if (target == null) return;
        }

        ctx.Reply.WriteArrayHeader(ops.Count);
        int changes = 0;
        foreach (var op in ops)
        {
            if (target != null) bytes = target.Span;
            if (op.Code == OpCode.Get)
            {
                ulong raw = Read(bytes, op.Offset, op.Bits);
                ctx.Reply.WriteInteger(op.Signed ? SignExtend(raw, op.Bits) : (long)raw);
                continue;
            }
            ulong oldRaw = Read(bytes, op.Offset, op.Bits);
            long old = op.Signed ? SignExtend(oldRaw, op.Bits) : (long)oldRaw;
            bool overflowed;
            long stored;
            if (op.Code == OpCode.IncrBy)
                overflowed = op.Signed
                    ? SignedResult(old, op.Value, op.Bits, op.Overflow, out stored)
                    : UnsignedResult(oldRaw, op.Value, op.Bits, op.Overflow, out stored);
            else
                overflowed = op.Signed
                    ? SignedResult(op.Value, 0, op.Bits, op.Overflow, out stored)
                    // SET of an unsigned field takes the value as a 64-bit unsigned number: -1 is huge.
                    : UnsignedResult((ulong)op.Value, 0, op.Bits, op.Overflow, out stored);
            if (overflowed && op.Overflow == Overflow.Fail)
            {
                ctx.Reply.WriteNull();
                continue;
            }
            Write(target!.WritableSpan, op.Offset, op.Bits, (ulong)stored);
            ctx.Reply.WriteInteger(op.Code == OpCode.IncrBy ? stored : old);
            // A write counts when it changed the field, or when the string had to be created or extended.
            if (grew || stored != old) changes++;
        }
        if (changes > 0)
        {
            ctx.KeyModified(ctx.Db, ctx.Arg(1));
            ctx.Notify('$', "setbit", ctx.Db, ctx.Arg(1));
            ctx.Dirty(changes);
        }
        // A string created or extended by writes that all failed (OVERFLOW FAIL) counts no change, as in Redis,
        // yet it exists now: the command is still replayed so a copy has the same key.
        else if (grew) ctx.ForcePropagation();
    }

    /// <summary>"i1".."i64" or "u1".."u63" (either case).</summary>
    private static bool TryType(ReadOnlySpan<byte> text, out bool signed, out int bits)
    {
        signed = false;
        bits = 0;
        if (text.Length < 2) return false;
        char kind = (char)(text[0] | 0x20);
        if (kind != 'i' && kind != 'u') return false;
        signed = kind == 'i';
        if (!RespParser.TryParseLong(text[1..], out long n) || n < 1 || n > (signed ? 64 : 63)) return false;
        bits = (int)n;
        return true;
    }

    /// <summary>
    /// value + incr into a signed field of <paramref name="bits"/>, with Redis's own overflow test (including
    /// its wrap-around quirks, e.g. SET i3 to -2^63 saturates to the maximum). True when it overflowed.
    /// </summary>
    private static bool SignedResult(long value, long incr, int bits, Overflow mode, out long result)
    {
        long max = bits == 64 ? long.MaxValue : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = unchecked((long)((ulong)max - (ulong)value));
        long minIncr = unchecked(min - value);
        bool high = value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr);
        bool low = !high && (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr));
        if (!high && !low) { result = value + incr; return false; }
        if (mode == Overflow.Sat) result = high ? max : min;
        else result = SignExtend(unchecked((ulong)value + (ulong)incr), bits);
        return true;
    }

    /// <summary>value + incr into an unsigned field of <paramref name="bits"/>, with Redis's overflow test. True when it overflowed.</summary>
    private static bool UnsignedResult(ulong value, long incr, int bits, Overflow mode, out long result)
    {
        ulong max = (1UL << bits) - 1;
        long maxIncr = unchecked((long)(max - value));
        long minIncr = unchecked(-(long)value);
        bool high = value > max || (incr > 0 && incr > maxIncr);
        bool low = !high && incr < 0 && incr < minIncr;
        if (!high && !low) { result = (long)(value + (ulong)incr); return false; }
        if (mode == Overflow.Sat) result = high ? (long)max : 0;
        else result = (long)(unchecked(value + (ulong)incr) & max);
        return true;
    }

    private static long SignExtend(ulong raw, int bits) => bits == 64 ? (long)raw : (long)(raw << (64 - bits)) >> (64 - bits);

    /// <summary>Reads <paramref name="bits"/> bits from a bit offset, most significant first; bytes past the end are zero.</summary>
    private static ulong Read(ReadOnlySpan<byte> bytes, long offset, int bits)
    {
        ulong value = 0;
        for (int i = 0; i < bits; i++)
        {
            long pos = offset + i;
            long index = pos >> 3;
            int bit = index < bytes.Length ? (bytes[(int)index] >> (7 - (int)(pos & 7))) & 1 : 0;
            value = (value << 1) | (uint)bit;
        }
        return value;
    }

    private static void Write(Span<byte> bytes, long offset, int bits, ulong value)
    {
        for (int i = 0; i < bits; i++)
        {
            long pos = offset + i;
            int index = (int)(pos >> 3);
            int mask = 1 << (7 - (int)(pos & 7));
            bool on = ((value >> (bits - 1 - i)) & 1) != 0;
            bytes[index] = (byte)(on ? bytes[index] | mask : bytes[index] & ~mask);
        }
    }
}
