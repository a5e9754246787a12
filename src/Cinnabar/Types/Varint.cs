using System.Runtime.CompilerServices;

namespace Cinnabar.Types;

/// <summary>
/// Unsigned 7-bit variable-length integers (a byte per 7 bits, low bits first, the high bit set on every byte
/// but the last), as the key table's records and the small sorted sets' buffers store lengths.
/// </summary>
public static class Varint
{
    public static int Size(int value) => (uint)value < 0x80 ? 1 : (uint)value < 0x4000 ? 2 : (uint)value < 0x200000 ? 3 : (uint)value < 0x10000000 ? 4 : 5;

    /// <summary>Writes <paramref name="value"/> at <paramref name="pos"/>; returns the position after it.</summary>
    public static int Write(Span<byte> span, int pos, int value)
    {
        uint v = (uint)value;
        while (v >= 0x80)
        {
            span[pos++] = (byte)(v | 0x80);
            v >>= 7;
        }
        span[pos++] = (byte)v;
        return pos;
    }

    /// <summary>Reads the value at <paramref name="pos"/> and moves <paramref name="pos"/> past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Read(ReadOnlySpan<byte> span, ref int pos)
    {
        int b = span[pos++];
        if (b < 0x80) return b;
        int value = b & 0x7F, shift = 7;
        do
        {
            b = span[pos++];
            value |= (b & 0x7F) << shift;
            shift += 7;
        } while (b >= 0x80);
        return value;
    }

    /// <summary>Bytes <paramref name="value"/> takes as a 64-bit varint.</summary>
    public static int Size(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    /// <summary>Writes a 64-bit <paramref name="value"/> at <paramref name="pos"/>; returns the position after it.</summary>
    public static int Write(Span<byte> span, int pos, ulong value)
    {
        while (value >= 0x80)
        {
            span[pos++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[pos++] = (byte)value;
        return pos;
    }

    /// <summary>Reads a 64-bit value at <paramref name="pos"/> and moves <paramref name="pos"/> past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadLong(ReadOnlySpan<byte> span, ref int pos)
    {
        ulong b = span[pos++];
        if (b < 0x80) return b;
        ulong value = b & 0x7F;
        int shift = 7;
        do
        {
            b = span[pos++];
            value |= (b & 0x7F) << shift;
            shift += 7;
        } while (b >= 0x80);
        return value;
    }
}
