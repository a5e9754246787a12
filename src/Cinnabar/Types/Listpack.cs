using System.Buffers.Binary;
using Cinnabar.Protocol;

namespace Cinnabar.Types;

/// <summary>
/// A compact sequence of strings in one exactly-sized byte array, in the spirit of Redis's listpack: small
/// hashes and sets live in one of these instead of a hash table, scanned linearly. Each entry starts with a
/// header byte:
/// <list type="bullet">
/// <item>0x00–0xEF: a string of that many bytes follows;</item>
/// <item>0xF0/0xF1/0xF2/0xF3: a canonical decimal integer stored in 1/2/4/8 little-endian bytes
/// (so "12345" costs 3 bytes, not 6; it reads back as the same text);</item>
/// <item>0xFE: a 4-byte little-endian length, then that many bytes.</item>
/// </list>
/// Edits return a new array (the caller stores it), as Redis reallocates its listpack on every edit;
/// small collections stay small, so the copying is cheap and no capacity is wasted.
/// </summary>
public static class Listpack
{
    private const int MaxShortString = 0xEF;
    private const byte Int8 = 0xF0, Int16 = 0xF1, Int32 = 0xF2, Int64 = 0xF3, LongString = 0xFE;

    /// <summary>Scratch size callers pass to <see cref="Read"/>: enough for any 64-bit integer's text.</summary>
    public const int ScratchSize = 20;

    public static readonly byte[] Empty = [];

    /// <summary>Total bytes of the entry at <paramref name="pos"/> (header included).</summary>
    public static int EntrySize(ReadOnlySpan<byte> lp, int pos)
    {
        byte h = lp[pos];
        if (h <= MaxShortString) return 1 + h;
        return h switch
        {
            Int8 => 2,
            Int16 => 3,
            Int32 => 5,
            Int64 => 9,
            _ => 5 + BinaryPrimitives.ReadInt32LittleEndian(lp.Slice(pos + 1)),
        };
    }

    /// <summary>Number of entries (a linear walk; small collections only).</summary>
    public static int Count(ReadOnlySpan<byte> lp)
    {
        int n = 0;
        for (int pos = 0; pos < lp.Length; pos += EntrySize(lp, pos)) n++;
        return n;
    }

    /// <summary>Offset of entry number <paramref name="index"/>.</summary>
    public static int Seek(ReadOnlySpan<byte> lp, int index)
    {
        int pos = 0;
        for (int i = 0; i < index; i++) pos += EntrySize(lp, pos);
        return pos;
    }

    /// <summary>
    /// The text of the entry at <paramref name="pos"/>: a slice of <paramref name="lp"/>, or of
    /// <paramref name="scratch"/> (at least <see cref="ScratchSize"/> bytes) when the entry is an integer.
    /// </summary>
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> lp, int pos, Span<byte> scratch)
    {
        byte h = lp[pos];
        if (h <= MaxShortString) return lp.Slice(pos + 1, h);
        if (h == LongString) return lp.Slice(pos + 5, BinaryPrimitives.ReadInt32LittleEndian(lp.Slice(pos + 1)));
        int n = RespParser.FormatLong(ReadInteger(lp, pos), scratch);
        return scratch[..n];
    }

    /// <summary>The entry as a new array (for moving it into another structure).</summary>
    public static byte[] ReadBytes(ReadOnlySpan<byte> lp, int pos)
    {
        Span<byte> scratch = stackalloc byte[ScratchSize];
        return Read(lp, pos, scratch).ToArray();
    }

    /// <summary>True when the entry is stored as an integer; <paramref name="value"/> gets it.</summary>
    public static bool TryReadInteger(ReadOnlySpan<byte> lp, int pos, out long value)
    {
        byte h = lp[pos];
        if (h >= Int8 && h <= Int64) { value = ReadInteger(lp, pos); return true; }
        value = 0;
        return false;
    }

    private static long ReadInteger(ReadOnlySpan<byte> lp, int pos) => lp[pos] switch
    {
        Int8 => (sbyte)lp[pos + 1],
        Int16 => BinaryPrimitives.ReadInt16LittleEndian(lp.Slice(pos + 1)),
        Int32 => BinaryPrimitives.ReadInt32LittleEndian(lp.Slice(pos + 1)),
        _ => BinaryPrimitives.ReadInt64LittleEndian(lp.Slice(pos + 1)),
    };

    /// <summary>True when the entry at <paramref name="pos"/> has the same text as <paramref name="probe"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> lp, int pos, in Probe probe)
    {
        byte h = lp[pos];
        if (h <= MaxShortString)
            return !probe.IsInteger && h == probe.Text.Length && lp.Slice(pos + 1, h).SequenceEqual(probe.Text);
        if (h == LongString)
            return !probe.IsInteger && lp.Slice(pos + 5, BinaryPrimitives.ReadInt32LittleEndian(lp.Slice(pos + 1))).SequenceEqual(probe.Text);
        return probe.IsInteger && ReadInteger(lp, pos) == probe.Integer;
    }

    /// <summary>
    /// Finds the first entry equal to <paramref name="probe"/> among every <paramref name="step"/>-th entry
    /// (step 2 looks at the fields of a field/value listpack). Returns its offset or -1.
    /// </summary>
    public static int Find(ReadOnlySpan<byte> lp, in Probe probe, int step = 1)
    {
        int pos = 0;
        while (pos < lp.Length)
        {
            if (Matches(lp, pos, probe)) return pos;
            for (int i = 0; i < step; i++) pos += EntrySize(lp, pos);
        }
        return -1;
    }

    /// <summary>Bytes the encoding of <paramref name="s"/> takes.</summary>
    public static int EncodedSize(ReadOnlySpan<byte> s)
    {
        if (RespParser.TryParseLong(s, out long v)) return 1 + IntegerWidth(v);
        return s.Length <= MaxShortString ? 1 + s.Length : 5 + s.Length;
    }

    private static int IntegerWidth(long v) =>
        v >= sbyte.MinValue && v <= sbyte.MaxValue ? 1 :
        v >= short.MinValue && v <= short.MaxValue ? 2 :
        v >= int.MinValue && v <= int.MaxValue ? 4 : 8;

    /// <summary>Encodes <paramref name="s"/> into <paramref name="dest"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> dest, ReadOnlySpan<byte> s)
    {
        if (RespParser.TryParseLong(s, out long v))
        {
            switch (IntegerWidth(v))
            {
                case 1: dest[0] = Int8; dest[1] = (byte)(sbyte)v; return 2;
                case 2: dest[0] = Int16; BinaryPrimitives.WriteInt16LittleEndian(dest.Slice(1), (short)v); return 3;
                case 4: dest[0] = Int32; BinaryPrimitives.WriteInt32LittleEndian(dest.Slice(1), (int)v); return 5;
                default: dest[0] = Int64; BinaryPrimitives.WriteInt64LittleEndian(dest.Slice(1), v); return 9;
            }
        }
        if (s.Length <= MaxShortString)
        {
            dest[0] = (byte)s.Length;
            s.CopyTo(dest.Slice(1));
            return 1 + s.Length;
        }
        dest[0] = LongString;
        BinaryPrimitives.WriteInt32LittleEndian(dest.Slice(1), s.Length);
        s.CopyTo(dest.Slice(5));
        return 5 + s.Length;
    }

    /// <summary>A new listpack with <paramref name="s"/> appended.</summary>
    public static byte[] Append(byte[] lp, ReadOnlySpan<byte> s)
    {
        var result = new byte[lp.Length + EncodedSize(s)];
        lp.CopyTo(result, 0);
        Write(result.AsSpan(lp.Length), s);
        return result;
    }

    /// <summary>A new listpack with two entries appended (a field and its value).</summary>
    public static byte[] Append(byte[] lp, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var result = new byte[lp.Length + EncodedSize(a) + EncodedSize(b)];
        lp.CopyTo(result, 0);
        int n = Write(result.AsSpan(lp.Length), a);
        Write(result.AsSpan(lp.Length + n), b);
        return result;
    }

    /// <summary>A new listpack without the <paramref name="length"/> bytes at <paramref name="pos"/>.</summary>
    public static byte[] RemoveRange(byte[] lp, int pos, int length)
    {
        if (length == lp.Length) return Empty;
        var result = new byte[lp.Length - length];
        lp.AsSpan(0, pos).CopyTo(result);
        lp.AsSpan(pos + length).CopyTo(result.AsSpan(pos));
        return result;
    }

    /// <summary>A new listpack where the entry at <paramref name="pos"/> now holds <paramref name="s"/>.</summary>
    public static byte[] ReplaceEntry(byte[] lp, int pos, ReadOnlySpan<byte> s)
    {
        int oldSize = EntrySize(lp, pos);
        int newSize = EncodedSize(s);
        if (oldSize == newSize)
        {
            // Same size: overwrite in place (the array is private to its collection).
            Write(lp.AsSpan(pos), s);
            return lp;
        }
        var result = new byte[lp.Length - oldSize + newSize];
        lp.AsSpan(0, pos).CopyTo(result);
        Write(result.AsSpan(pos), s);
        lp.AsSpan(pos + oldSize).CopyTo(result.AsSpan(pos + newSize));
        return result;
    }

    // ---- pairs: a hash's listpack is field, value, field, value … --------------------------------------

    /// <summary>Offset of the field after the pair at <paramref name="pos"/>, or -1 at the end.</summary>
    public static int NextPair(ReadOnlySpan<byte> lp, int pos)
    {
        pos += EntrySize(lp, pos);
        pos += EntrySize(lp, pos);
        return pos < lp.Length ? pos : -1;
    }

    /// <summary>The value of the pair whose field is at <paramref name="pos"/> (as <see cref="Read"/>).</summary>
    public static ReadOnlySpan<byte> PairValue(ReadOnlySpan<byte> lp, int pos, Span<byte> scratch) =>
        Read(lp, pos + EntrySize(lp, pos), scratch);

    /// <summary>Offset of the pair whose field is <paramref name="field"/>, or -1.</summary>
    public static int FindField(ReadOnlySpan<byte> lp, ReadOnlySpan<byte> field) => Find(lp, new Probe(field), step: 2);

    /// <summary>Offset of pair number <paramref name="index"/>.</summary>
    public static int SeekPair(ReadOnlySpan<byte> lp, int index) => Seek(lp, index * 2);

    /// <summary>A string to look for, with its integer form worked out once for the whole scan.</summary>
    public readonly ref struct Probe
    {
        public Probe(ReadOnlySpan<byte> text)
        {
            Text = text;
            IsInteger = RespParser.TryParseLong(text, out Integer);
        }

        public readonly ReadOnlySpan<byte> Text;
        public readonly bool IsInteger;
        public readonly long Integer;
    }
}
