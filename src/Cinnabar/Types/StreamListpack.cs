using System.Buffers.Binary;
using Cinnabar.Protocol;

namespace Cinnabar.Types;

/// <summary>
/// Redis's listpack encoding, for RDB files and for stream nodes. A listpack entry is an element (a header
/// that says an integer of 7, 13, 16, 24, 32 or 64 bits or a string with a 6-, 12- or 32-bit length follows,
/// then the payload) and the element's length written backwards (its backlen), so a listpack can be walked
/// from its end. RDB files hold whole entries (<see cref="WriteInteger"/>, <see cref="WriteString"/>,
/// <see cref="Next"/>); stream nodes hold bare elements (<see cref="WriteIntegerElement"/>,
/// <see cref="WriteStringElement"/>, <see cref="NextElement"/>) and count what the backlens would take
/// (<see cref="EntrySize"/>), so they fill up at the same entry as Redis's without storing them.
/// </summary>
public static class StreamListpack
{
    /// <summary>Redis's listpack header (total bytes, element count) and end marker, counted but not stored.</summary>
    public const int Overhead = 7;

    /// <summary>Scratch size for <see cref="Read"/>: enough for any 64-bit integer's text.</summary>
    public const int ScratchSize = 20;

    private const byte Str32 = 0xF0, Int16 = 0xF1, Int24 = 0xF2, Int32 = 0xF3, Int64 = 0xF4;

    /// <summary>Bytes <see cref="WriteBacklen"/> writes for <paramref name="l"/>.</summary>
    public static int BacklenSize(int l) => l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;

    private static int IntegerEncodingSize(long v) =>
        v >= 0 && v <= 127 ? 1 :
        v >= -4096 && v <= 4095 ? 2 :
        v >= short.MinValue && v <= short.MaxValue ? 3 :
        v >= -8388608 && v <= 8388607 ? 4 :
        v >= int.MinValue && v <= int.MaxValue ? 5 : 9;

    private static int StringEncodingSize(int length) => length < 64 ? 1 + length : length < 4096 ? 2 + length : 5 + length;

    /// <summary>Bytes a listpack entry whose element takes <paramref name="elementSize"/> bytes occupies (its backlen added).</summary>
    public static int EntrySize(int elementSize) => elementSize + BacklenSize(elementSize);

    /// <summary>Bytes an integer entry takes (encoding and backlen).</summary>
    public static int IntegerSize(long v) => EntrySize(IntegerEncodingSize(v));

    /// <summary>Bytes a string entry takes: as an integer when it is a canonical one, as Redis's listpack does.</summary>
    public static int StringSize(ReadOnlySpan<byte> s)
    {
        if (s.Length < 21 && RespParser.TryParseLong(s, out long v)) return IntegerSize(v);
        int n = StringEncodingSize(s.Length);
        return n + BacklenSize(n);
    }

    /// <summary>Writes an integer entry at <paramref name="dest"/>; returns its size.</summary>
    public static int WriteInteger(Span<byte> dest, long v)
    {
        int n = WriteIntegerElement(dest, v);
        return n + WriteBacklen(dest[n..], n);
    }

    /// <summary>Writes an integer element (no backlen) at <paramref name="dest"/>; returns its size.</summary>
    public static int WriteIntegerElement(Span<byte> dest, long v)
    {
        int n;
        if (v >= 0 && v <= 127)
        {
            dest[0] = (byte)v;
            n = 1;
        }
        else if (v >= -4096 && v <= 4095)
        {
            int u = v < 0 ? (int)((1 << 13) + v) : (int)v;
            dest[0] = (byte)((u >> 8) | 0xC0);
            dest[1] = (byte)u;
            n = 2;
        }
        else if (v >= short.MinValue && v <= short.MaxValue)
        {
            dest[0] = Int16;
            BinaryPrimitives.WriteInt16LittleEndian(dest[1..], (short)v);
            n = 3;
        }
        else if (v >= -8388608 && v <= 8388607)
        {
            dest[0] = Int24;
            dest[1] = (byte)v;
            dest[2] = (byte)(v >> 8);
            dest[3] = (byte)(v >> 16);
            n = 4;
        }
        else if (v >= int.MinValue && v <= int.MaxValue)
        {
            dest[0] = Int32;
            BinaryPrimitives.WriteInt32LittleEndian(dest[1..], (int)v);
            n = 5;
        }
        else
        {
            dest[0] = Int64;
            BinaryPrimitives.WriteInt64LittleEndian(dest[1..], v);
            n = 9;
        }
        return n;
    }

    /// <summary>Writes a string entry (an integer entry when it is a canonical integer); returns its size.</summary>
    public static int WriteString(Span<byte> dest, ReadOnlySpan<byte> s)
    {
        int n = WriteStringElement(dest, s);
        return n + WriteBacklen(dest[n..], n);
    }

    /// <summary>Writes a string element (an integer element when it is a canonical integer; no backlen); returns its size.</summary>
    public static int WriteStringElement(Span<byte> dest, ReadOnlySpan<byte> s)
    {
        if (s.Length < 21 && RespParser.TryParseLong(s, out long v)) return WriteIntegerElement(dest, v);
        int n;
        if (s.Length < 64)
        {
            dest[0] = (byte)(0x80 | s.Length);
            n = 1;
        }
        else if (s.Length < 4096)
        {
            dest[0] = (byte)(0xE0 | (s.Length >> 8));
            dest[1] = (byte)s.Length;
            n = 2;
        }
        else
        {
            dest[0] = Str32;
            BinaryPrimitives.WriteInt32LittleEndian(dest[1..], s.Length);
            n = 5;
        }
        s.CopyTo(dest[n..]);
        return n + s.Length;
    }

    /// <summary>
    /// Writes a length for backward walks (a listpack entry's backlen; a stream node entry's own length):
    /// highest bits first, every byte after the first flagged, so it can be read from its last byte.
    /// </summary>
    public static int WriteBacklen(Span<byte> dest, int l)
    {
        int k = BacklenSize(l);
        dest[0] = (byte)(l >> (7 * (k - 1)));
        for (int i = 1; i < k; i++) dest[i] = (byte)(((l >> (7 * (k - 1 - i))) & 127) | 128);
        return k;
    }

    /// <summary>Size of the element (header and payload) at <paramref name="pos"/>, backlen excluded.</summary>
    public static int ElementSize(ReadOnlySpan<byte> lp, int pos)
    {
        byte h = lp[pos];
        if (h < 0x80) return 1;
        if (h < 0xC0) return 1 + (h & 0x3F);
        if (h < 0xE0) return 2;
        if (h < 0xF0) return 2 + (((h & 0x0F) << 8) | lp[pos + 1]);
        return h switch
        {
            Str32 => 5 + BinaryPrimitives.ReadInt32LittleEndian(lp[(pos + 1)..]),
            Int16 => 3,
            Int24 => 4,
            Int32 => 5,
            _ => 9,
        };
    }

    /// <summary>Offset of the entry after the one at <paramref name="pos"/>.</summary>
    public static int Next(ReadOnlySpan<byte> lp, int pos) => pos + EntrySize(ElementSize(lp, pos));

    /// <summary>Offset of the element after the bare element at <paramref name="pos"/> (a stream node's).</summary>
    public static int NextElement(ReadOnlySpan<byte> lp, int pos) => pos + ElementSize(lp, pos);

    /// <summary>Offset of what ends just before <paramref name="end"/> with its backlen (a listpack entry, a node entry).</summary>
    public static int Prev(ReadOnlySpan<byte> lp, int end)
    {
        int p = end - 1;
        int l = 0, shift = 0;
        while (true)
        {
            l |= (lp[p] & 127) << shift;
            if ((lp[p] & 128) == 0) break;
            shift += 7;
            p--;
        }
        return end - BacklenSize(l) - l;
    }

    /// <summary>True when the entry at <paramref name="pos"/> is stored as an integer.</summary>
    private static bool IsInteger(byte h) => h < 0x80 || (h >= 0xC0 && h < 0xE0) || (h >= Int16 && h <= Int64);

    /// <summary>The integer at <paramref name="pos"/> (stream metadata: counts, flags, ID deltas are always integers).</summary>
    public static long ReadInteger(ReadOnlySpan<byte> lp, int pos)
    {
        byte h = lp[pos];
        if (h < 0x80) return h;
        if (h >= 0xC0 && h < 0xE0)
        {
            int u = ((h & 0x1F) << 8) | lp[pos + 1];
            return u >= 1 << 12 ? u - (1 << 13) : u;
        }
        return h switch
        {
            Int16 => BinaryPrimitives.ReadInt16LittleEndian(lp[(pos + 1)..]),
            Int24 => (lp[pos + 1] | (lp[pos + 2] << 8) | ((sbyte)lp[pos + 3] << 16)),
            Int32 => BinaryPrimitives.ReadInt32LittleEndian(lp[(pos + 1)..]),
            Int64 => BinaryPrimitives.ReadInt64LittleEndian(lp[(pos + 1)..]),
            _ => ParseStringInteger(lp, pos),
        };
    }

    private static long ParseStringInteger(ReadOnlySpan<byte> lp, int pos)
    {
        Span<byte> scratch = stackalloc byte[ScratchSize];
        RespParser.TryParseLong(Read(lp, pos, scratch), out long v);
        return v;
    }

    /// <summary>
    /// The text of the entry at <paramref name="pos"/>: a slice of <paramref name="lp"/>, or of
    /// <paramref name="scratch"/> (at least <see cref="ScratchSize"/> bytes) when it is stored as an integer.
    /// </summary>
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> lp, int pos, Span<byte> scratch)
    {
        byte h = lp[pos];
        if (IsInteger(h))
        {
            int n = RespParser.FormatLong(ReadInteger(lp, pos), scratch);
            return scratch[..n];
        }
        if (h < 0xC0) return lp.Slice(pos + 1, h & 0x3F);
        if (h < 0xF0) return lp.Slice(pos + 2, ((h & 0x0F) << 8) | lp[pos + 1]);
        return lp.Slice(pos + 5, BinaryPrimitives.ReadInt32LittleEndian(lp[(pos + 1)..]));
    }

    /// <summary>True when the entry at <paramref name="pos"/> has exactly the text <paramref name="s"/>.</summary>
    public static bool Equals(ReadOnlySpan<byte> lp, int pos, ReadOnlySpan<byte> s)
    {
        Span<byte> scratch = stackalloc byte[ScratchSize];
        return Read(lp, pos, scratch).SequenceEqual(s);
    }
}
