using System.Text;

namespace Cinnabar.Types;

/// <summary>
/// The sparse HyperLogLog body, Redis's three opcodes: ZERO <c>00xxxxxx</c> (1..64 zero registers), XZERO
/// <c>01xxxxxx yyyyyyyy</c> (1..16384 zero registers) and VAL <c>1vvvvvxx</c> (1..4 registers of value
/// 1..32). Updates follow Redis's hllSparseSet step by step (split the covering opcode, then merge equal
/// neighbouring VALs within five opcodes), so the bytes stay identical to Redis's for the same inserts;
/// a value above 32 or a body growing past hll-sparse-max-bytes turns the HLL dense.
/// </summary>
public static class HyperLogLogSparse
{
    private const int ValMaxValue = 32;
    private const int ValMaxLength = 4;
    private const int ZeroMaxLength = 64;

    public static bool IsZero(byte op) => (op & 0xc0) == 0;
    public static bool IsXZero(byte op) => (op & 0xc0) == 0x40;
    public static bool IsVal(byte op) => (op & 0x80) != 0;
    private static int ZeroLength(byte op) => (op & 0x3f) + 1;
    private static int ValValue(byte op) => ((op >> 2) & 0x1f) + 1;
    private static int ValLength(byte op) => (op & 0x3) + 1;
    private static byte Val(int value, int length) => (byte)(((value - 1) << 2) | (length - 1) | 0x80);

    /// <summary>An XZERO's run; a cut-off second byte reads as the zero that ends Redis's strings.</summary>
    private static int XZeroLength(ReadOnlySpan<byte> body, int p) =>
        (((body[p] & 0x3f) << 8) | (p + 1 < body.Length ? body[p + 1] : 0)) + 1;

    public static void WriteXZero(Span<byte> at, int length)
    {
        at[0] = (byte)(((length - 1) >> 8) | 0x40);
        at[1] = (byte)((length - 1) & 0xff);
    }

    /// <summary>Registers covered by the opcode at <paramref name="p"/>, and its size in bytes.</summary>
    private static int Span(ReadOnlySpan<byte> body, int p, out int size)
    {
        byte op = body[p];
        size = 1;
        if (IsZero(op)) return ZeroLength(op);
        if (IsVal(op)) return ValLength(op);
        size = 2;
        return XZeroLength(body, p);
    }

    /// <summary>
    /// Raises register <paramref name="index"/> to <paramref name="count"/> (Redis's hllSparseSet): 1 when it
    /// changed, 0 when it already was that high, -1 when the body is corrupt. <paramref name="hll"/> is
    /// replaced by a new dense value when the update needs the dense encoding.
    /// </summary>
    public static int Set(ref RawString hll, int index, int count, long sparseMaxBytes)
    {
        if (count > ValMaxValue) return Promote(ref hll, index, count);

        // Step 1: the opcode covering the register.
        var body = hll.Span[HyperLogLog.HeaderSize..];
        int end = body.Length, p = 0, first = 0, prev = -1, span = 0, size = 1;
        while (p < end)
        {
            span = Span(body, p, out size);
            if (index <= first + span - 1) break;
            prev = p;
            p += size;
            first += span;
        }
        if (span == 0 || p >= end) return -1;
        int next = p + size >= end ? -1 : p + size;
        byte op = body[p];
        bool isXZero = IsXZero(op), isZero = IsZero(op);
        int runLength = span;

        // Step 2: the trivial in-place cases, else the split sequence.
        if (IsVal(op))
        {
            if (ValValue(op) >= count) return 0;
            if (runLength == 1)
            {
                hll.WritableSpan[HyperLogLog.HeaderSize + p] = Val(count, 1);
                return MergeAndInvalidate(hll, prev);
            }
        }
        if (isZero && runLength == 1)
        {
            hll.WritableSpan[HyperLogLog.HeaderSize + p] = Val(count, 1);
            return MergeAndInvalidate(hll, prev);
        }
        Span<byte> seq = stackalloc byte[5];
        int n = 0, last = first + span - 1;
        if (isZero || isXZero)
        {
            if (index != first) n += WriteZeros(seq[n..], index - first);
            seq[n++] = Val(count, 1);
            if (index != last) n += WriteZeros(seq[n..], last - index);
        }
        else
        {
            int current = ValValue(op);
            if (index != first) seq[n++] = Val(current, index - first);
            seq[n++] = Val(count, 1);
            if (index != last) seq[n++] = Val(current, last - index);
        }

        // Step 3: put the sequence in place of the old opcode, or go dense when the body would be too long.
        int delta = n - (isXZero ? 2 : 1);
        int length = hll.Length;
        if (delta > 0 && length + delta > sparseMaxBytes) return Promote(ref hll, index, count);
        int at = HyperLogLog.HeaderSize + p;
        hll.GrowZero(Math.Max(length + delta, at + n));
        var bytes = hll.WritableSpan;
        if (delta != 0 && next >= 0)
        {
            int from = HyperLogLog.HeaderSize + next;
            bytes[from..length].CopyTo(bytes[(from + delta)..]);
        }
        seq[..n].CopyTo(bytes[at..]);
        hll.Truncate(length + delta);
        return MergeAndInvalidate(hll, prev);
    }

    private static int WriteZeros(Span<byte> at, int length)
    {
        if (length > ZeroMaxLength)
        {
            WriteXZero(at, length);
            return 2;
        }
        at[0] = (byte)(length - 1);
        return 1;
    }

    /// <summary>Step 4: merges equal adjacent VAL opcodes within five opcodes from the one before the change.</summary>
    private static int MergeAndInvalidate(RawString hll, int prev)
    {
        var bytes = hll.WritableSpan;
        var body = bytes[HyperLogLog.HeaderSize..];
        int end = body.Length, p = prev >= 0 ? prev : 0, scan = 5;
        while (p < end && scan-- > 0)
        {
            if (IsXZero(body[p])) { p += 2; continue; }
            if (IsZero(body[p])) { p++; continue; }
            if (p + 1 < end && IsVal(body[p + 1]))
            {
                int v1 = ValValue(body[p]), v2 = ValValue(body[p + 1]);
                int merged = ValLength(body[p]) + ValLength(body[p + 1]);
                if (v1 == v2 && merged <= ValMaxLength)
                {
                    body[p + 1] = Val(v1, merged);
                    body[(p + 1)..end].CopyTo(body[p..]);
                    end--;
                    continue; // try the merged opcode with its right neighbour too
                }
            }
            p++;
        }
        hll.Truncate(HyperLogLog.HeaderSize + end);
        HyperLogLog.InvalidateCache(hll.WritableSpan);
        return 1;
    }

    /// <summary>Converts to dense and sets the register there (always a change); -1 when the sparse body is corrupt.</summary>
    private static int Promote(ref RawString hll, int index, int count)
    {
        var dense = ToDense(hll.Span);
        if (dense == null) return -1;
        hll = dense;
        HyperLogLog.SetDenseRegister(dense.WritableSpan[HyperLogLog.HeaderSize..], index, count);
        return 1;
    }

    /// <summary>
    /// The dense form of a sparse HLL (header and cached cardinality kept, encoding set to dense), or null
    /// when the opcodes do not cover exactly 16384 registers.
    /// </summary>
    public static RawString? ToDense(ReadOnlySpan<byte> sparse)
    {
        var dense = RawString.Zeroed(HyperLogLog.DenseSize);
        var bytes = dense.WritableSpan;
        sparse[..HyperLogLog.HeaderSize].CopyTo(bytes);
        bytes[4] = HyperLogLog.DenseEncoding;
        var registers = bytes[HyperLogLog.HeaderSize..];
        var body = sparse[HyperLogLog.HeaderSize..];
        int index = 0, p = 0;
        while (p < body.Length)
        {
            byte op = body[p];
            if (IsZero(op)) { index += ZeroLength(op); p++; }
            else if (IsXZero(op)) { index += XZeroLength(body, p); p += 2; }
            else
            {
                int run = ValLength(op), value = ValValue(op);
                if (run + index > HyperLogLog.Registers) break;
                while (run-- > 0) HyperLogLog.SetDenseRegister(registers, index++, value);
                p++;
            }
        }
        return index == HyperLogLog.Registers ? dense : null;
    }

    /// <summary>Register histogram of a sparse body; false when the runs do not add up to 16384 registers.</summary>
    public static bool Histogram(ReadOnlySpan<byte> body, Span<int> histogram)
    {
        long index = 0;
        int p = 0;
        while (p < body.Length)
        {
            byte op = body[p];
            if (IsZero(op)) { int run = ZeroLength(op); index += run; histogram[0] += run; p++; }
            else if (IsXZero(op)) { int run = XZeroLength(body, p); index += run; histogram[0] += run; p += 2; }
            else { int run = ValLength(op); index += run; histogram[ValValue(op)] += run; p++; }
        }
        return index == HyperLogLog.Registers;
    }

    /// <summary>max[i] = MAX(max[i], register i) for a sparse body; false when it is corrupt.</summary>
    public static bool MergeInto(Span<byte> max, ReadOnlySpan<byte> body)
    {
        int i = 0, p = 0;
        while (p < body.Length)
        {
            byte op = body[p];
            if (IsZero(op)) { i += ZeroLength(op); p++; }
            else if (IsXZero(op)) { i += XZeroLength(body, p); p += 2; }
            else
            {
                int run = ValLength(op), value = ValValue(op);
                if (run + i > HyperLogLog.Registers) break;
                for (; run > 0; run--, i++) if (value > max[i]) max[i] = (byte)value;
                p++;
            }
        }
        return i == HyperLogLog.Registers;
    }

    /// <summary>PFDEBUG DECODE's text: "z:len", "Z:len", "v:value,len" separated by spaces.</summary>
    public static string Decode(ReadOnlySpan<byte> body)
    {
        var sb = new StringBuilder();
        int p = 0;
        while (p < body.Length)
        {
            byte op = body[p];
            if (sb.Length > 0) sb.Append(' ');
            if (IsZero(op)) { sb.Append("z:").Append(ZeroLength(op)); p++; }
            else if (IsXZero(op)) { sb.Append("Z:").Append(XZeroLength(body, p)); p += 2; }
            else { sb.Append("v:").Append(ValValue(op)).Append(',').Append(ValLength(op)); p++; }
        }
        return sb.ToString();
    }
}
