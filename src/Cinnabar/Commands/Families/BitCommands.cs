using System.Numerics;
using System.Runtime.InteropServices;
using Cinnabar.Protocol;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>Strings as bit arrays (bit 0 is the most significant bit of byte 0): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP.</summary>
public static class BitCommands
{
    public const string BitOffsetError = "ERR bit offset is not an integer or out of range";

    /// <summary>
    /// Redis's getBitOffsetFromArgument: a non-negative integer whose byte lies below proto-max-bulk-len;
    /// with <paramref name="typeBits"/> &gt; 0 the "#n" form means n · typeBits (BITFIELD).
    /// </summary>
    public static bool TryBitOffset(CommandContext ctx, int arg, int typeBits, out long offset)
    {
        var text = ctx.Arg(arg);
        bool scaled = typeBits > 0 && text.Length > 0 && text[0] == '#';
        if (!RespParser.TryParseLong(scaled ? text[1..] : text, out offset))
        {
            ctx.Error(BitOffsetError);
            return false;
        }
        if (scaled) offset = unchecked(offset * typeBits);
        if (offset < 0 || (offset >> 3) >= ctx.Server.Config.ProtoMaxBulkLen)
        {
            ctx.Error(BitOffsetError);
            return false;
        }
        return true;
    }

    /// <summary>
    /// Redis's lookupStringForBitCommand: the string at the key, created or zero-extended so that bit
    /// <paramref name="maxBit"/> exists, as a writable <see cref="RawString"/>. Null (error written) for
    /// another type. <paramref name="grew"/> tells whether the key was created or lengthened.
    /// </summary>
    public static RawString? WritableForBits(CommandContext ctx, long maxBit, out bool grew)
    {
        var db = ctx.Db;
        var key = ctx.Arg(1);
        int needed = (int)(maxBit >> 3) + 1;
        int slot = db.LookupWriteSlot(key);
        grew = true;
        if (slot < 0)
        {
            var created = RawString.Zeroed(needed);
            db.Add(key, created);
            return created;
        }
        if (!db.Table.IsString(slot)) { ctx.WrongType(); return null; }
        var raw = StringRangeCommands.Unshare(db, slot);
        grew = raw.Length < needed;
        raw.GrowZero(needed);
        return raw;
    }

    [RedisCommand("SETBIT")]
    public static void SetBit(CommandContext ctx)
    {
        if (!TryBitOffset(ctx, 2, 0, out long offset)) return;
        if (!ctx.TryArgLong(3, out long on, "ERR bit is not an integer or out of range")) return;
        if ((on & ~1L) != 0) { ctx.Error("ERR bit is not an integer or out of range"); return; }
        var raw = WritableForBits(ctx, offset, out bool grew);
        if (raw == null) return;
        var bytes = raw.WritableSpan;
        int index = (int)(offset >> 3);
        int mask = 1 << (7 - (int)(offset & 7));
        bool old = (bytes[index] & mask) != 0;
        // Only a real change (or a new / longer string) counts as a write.
        if (grew || old != (on == 1))
        {
            bytes[index] = (byte)(on == 1 ? bytes[index] | mask : bytes[index] & ~mask);
            ctx.KeyChanged('$', "setbit", ctx.Db, ctx.Arg(1));
        }
        ctx.Reply.WriteInteger(old ? 1 : 0);
    }

    [RedisCommand("GETBIT")]
    public static void GetBit(CommandContext ctx)
    {
        if (!TryBitOffset(ctx, 2, 0, out long offset)) return;
        int found = ctx.Db.LookupReadString(ctx.Arg(1), out var bytes);
        if (found == 0) { ctx.Reply.WriteInteger(0); return; }
        if (found < 0) { ctx.WrongType(); return; }
        long index = offset >> 3;
        int bit = index < bytes.Length ? (bytes[(int)index] >> (7 - (int)(offset & 7))) & 1 : 0;
        ctx.Reply.WriteInteger(bit);
    }

    /// <summary>BITCOUNT key [start end [BYTE|BIT]].</summary>
    [RedisCommand("BITCOUNT")]
    public static void BitCount(CommandContext ctx)
    {
        int found = ctx.Db.LookupReadString(ctx.Arg(1), out var bytes);
        if (found == 0) { ctx.Reply.WriteInteger(0); return; }
        if (found < 0) { ctx.WrongType(); return; }
        long startBit, endBit;
        if (ctx.ArgCount == 4 || ctx.ArgCount == 5)
        {
            if (!ctx.TryArgLong(2, out long start) || !ctx.TryArgLong(3, out long end)) return;
            // Redis 7.0 answers an empty negative range before it looks at the unit argument.
            if (start < 0 && end < 0 && start > end) { ctx.Reply.WriteInteger(0); return; }
            if (!TryUnit(ctx, 4, out bool inBits)) return;
            long length = inBits ? (long)bytes.Length * 8 : bytes.Length;
            if (!StringRangeCommands.ClampRange(ref start, ref end, length)) { ctx.Reply.WriteInteger(0); return; }
            (startBit, endBit) = inBits ? (start, end) : (start * 8, end * 8 + 7);
        }
        else if (ctx.ArgCount == 2)
        {
            if (bytes.Length == 0) { ctx.Reply.WriteInteger(0); return; }
            (startBit, endBit) = (0, (long)bytes.Length * 8 - 1);
        }
        else { ctx.SyntaxError(); return; }
        ctx.Reply.WriteInteger(CountBits(bytes, startBit, endBit));
    }

    /// <summary>The optional BYTE|BIT unit at argument <paramref name="arg"/>; BYTE when absent.</summary>
    private static bool TryUnit(CommandContext ctx, int arg, out bool inBits)
    {
        inBits = false;
        if (ctx.ArgCount <= arg) return true;
        if (ctx.ArgIs(arg, "BIT"u8)) inBits = true;
        else if (!ctx.ArgIs(arg, "BYTE"u8)) { ctx.SyntaxError(); return false; }
        return true;
    }

    /// <summary>Set bits between two bit positions, inclusive.</summary>
    public static long CountBits(ReadOnlySpan<byte> bytes, long startBit, long endBit)
    {
        int first = (int)(startBit >> 3), last = (int)(endBit >> 3);
        long count = PopCount(bytes[first..(last + 1)]);
        // Take away the bits of the edge bytes that lie outside the range.
        count -= BitOperations.PopCount((uint)(bytes[first] & ~(0xFF >> (int)(startBit & 7)) & 0xFF));
        count -= BitOperations.PopCount((uint)(bytes[last] & ((1 << (7 - (int)(endBit & 7))) - 1)));
        return count;
    }

    private static long PopCount(ReadOnlySpan<byte> bytes)
    {
        long count = 0;
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (var w in words) count += BitOperations.PopCount(w);
        foreach (var b in bytes[(words.Length * 8)..]) count += BitOperations.PopCount(b);
        return count;
    }

    /// <summary>BITPOS key bit [start [end [BYTE|BIT]]].</summary>
    [RedisCommand("BITPOS")]
    public static void BitPos(CommandContext ctx)
    {
        if (!ctx.TryArgLong(2, out long bit)) return;
        if (bit != 0 && bit != 1) { ctx.Error("ERR The bit argument must be 1 or 0."); return; }
        int found = ctx.Db.LookupReadString(ctx.Arg(1), out var bytes);
        // A missing key is an endless run of zero bits.
        if (found == 0) { ctx.Reply.WriteInteger(bit == 1 ? -1 : 0); return; }
        if (found < 0) { ctx.WrongType(); return; }
        bool endGiven = ctx.ArgCount >= 5;
        long startBit, endBit;
        if (ctx.ArgCount >= 4 && ctx.ArgCount <= 6)
        {
            if (!ctx.TryArgLong(3, out long start)) return;
            if (!TryUnit(ctx, 5, out bool inBits)) return;
            long length = inBits ? (long)bytes.Length * 8 : bytes.Length;
            long end = length - 1;
            if (endGiven && !ctx.TryArgLong(4, out end)) return;
            // Unlike GETRANGE there is no "both negative and reversed" shortcut here.
            if (start < 0) start += length;
            if (end < 0) end += length;
            if (start < 0) start = 0;
            if (end < 0) end = 0;
            if (end >= length) end = length - 1;
            if (start > end) { ctx.Reply.WriteInteger(-1); return; }
            (startBit, endBit) = inBits ? (start, end) : (start * 8, end * 8 + 7);
        }
        else if (ctx.ArgCount == 3)
        {
            if (bytes.Length == 0) { ctx.Reply.WriteInteger(-1); return; }
            (startBit, endBit) = (0, (long)bytes.Length * 8 - 1);
        }
        else { ctx.SyntaxError(); return; }
        long pos = FindBit(bytes, startBit, endBit, (int)bit);
        // Looking for a 0 without an explicit end: the string continues with zeros past its end.
        if (pos < 0 && bit == 0 && !endGiven) pos = endBit + 1;
        ctx.Reply.WriteInteger(pos);
    }

    /// <summary>The first bit equal to <paramref name="bit"/> between two bit positions (inclusive), or -1.</summary>
    public static long FindBit(ReadOnlySpan<byte> bytes, long startBit, long endBit, int bit)
    {
        long pos = startBit;
        for (; pos <= endBit && (pos & 7) != 0; pos++)
            if (BitAt(bytes, pos) == bit) return pos;
        int from = (int)(pos >> 3), to = (int)((endBit + 1) >> 3);
        if (pos <= endBit && to > from)
        {
            var whole = bytes[from..to];
            int index = bit == 1 ? whole.IndexOfAnyExcept((byte)0) : whole.IndexOfAnyExcept((byte)0xFF);
            if (index >= 0)
            {
                uint b = bit == 1 ? whole[index] : (uint)(byte)~whole[index];
                return ((long)(from + index) << 3) + BitOperations.LeadingZeroCount(b) - 24;
            }
            pos = (long)to << 3;
        }
        for (; pos <= endBit; pos++)
            if (BitAt(bytes, pos) == bit) return pos;
        return -1;
    }

    private static int BitAt(ReadOnlySpan<byte> bytes, long pos) => (bytes[(int)(pos >> 3)] >> (7 - (int)(pos & 7))) & 1;

    /// <summary>BITOP AND|OR|XOR|NOT destkey key [key ...]: missing keys are zeros; replies the result length.</summary>
    [RedisCommand("BITOP")]
    public static void BitOp(CommandContext ctx)
    {
        char op;
        if (ctx.ArgIs(1, "AND"u8)) op = '&';
        else if (ctx.ArgIs(1, "OR"u8)) op = '|';
        else if (ctx.ArgIs(1, "XOR"u8)) op = '^';
        else if (ctx.ArgIs(1, "NOT"u8)) op = '~';
        else { ctx.SyntaxError(); return; }
        if (op == '~' && ctx.ArgCount != 4) { ctx.Error("ERR BITOP NOT must be called with a single source key."); return; }

        var db = ctx.Db;
        int sourceCount = ctx.ArgCount - 3;
        var sources = new object?[sourceCount];
        int maxLength = 0;
        for (int i = 0; i < sourceCount; i++)
        {
            var value = db.LookupRead(ctx.Arg(3 + i));
            if (value != null && !StringValue.IsString(value)) { ctx.WrongType(); return; }
            sources[i] = value;
            if (value != null) maxLength = Math.Max(maxLength, StringValue.Length(value));
        }

        var destKey = ctx.Arg(2);
        if (maxLength == 0)
        {
            // An empty result deletes the destination.
            ctx.DeleteKey(db, destKey);
            ctx.Reply.WriteInteger(0);
            return;
        }
        var result = RawString.Zeroed(maxLength);
        var output = result.WritableSpan;
        Combine(output, sources[0], op, first: true);
        if (op == '~')
        {
            for (int j = 0; j < output.Length; j++) output[j] = (byte)~output[j];
        }
        else
        {
            for (int i = 1; i < sourceCount; i++) Combine(output, sources[i], op, first: false);
        }
        db.Set(destKey, result);
        ctx.KeyChanged('$', "set", db, destKey);
        ctx.Reply.WriteInteger(maxLength);
    }

    /// <summary>Folds one source into the output; a source shorter than the output counts as zero bytes past its end.</summary>
    private static void Combine(Span<byte> output, object? source, char op, bool first)
    {
        var bytes = source == null ? ReadOnlySpan<byte>.Empty : StringValue.Bytes(source);
        if (first) { bytes.CopyTo(output); return; }
        int n = bytes.Length;
        switch (op)
        {
            case '&':
                for (int j = 0; j < n; j++) output[j] &= bytes[j];
                output[n..].Clear();
                break;
            case '|':
                for (int j = 0; j < n; j++) output[j] |= bytes[j];
                break;
            case '^':
                for (int j = 0; j < n; j++) output[j] ^= bytes[j];
                break;
        }
    }
}
