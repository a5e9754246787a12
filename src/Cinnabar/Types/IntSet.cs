using System.Buffers.Binary;

namespace Cinnabar.Types;

/// <summary>
/// Redis's intset: a sorted array of distinct integers, all stored with the smallest width (2, 4 or 8
/// bytes) that fits the widest member. The array is exactly sized: byte 0 holds the width, little-endian
/// members follow. Adding a member that needs a wider type re-encodes every member (an "upgrade"); the
/// width never shrinks, as in Redis. Edits return a new array.
/// </summary>
public static class IntSet
{
    public static byte[] Create() => [2];

    public static int Width(ReadOnlySpan<byte> set) => set[0];

    public static int Count(ReadOnlySpan<byte> set) => (set.Length - 1) / set[0];

    public static long Get(ReadOnlySpan<byte> set, int index) => Read(set, set[0], index);

    private static long Read(ReadOnlySpan<byte> set, int width, int index)
    {
        var at = set.Slice(1 + index * width);
        return width switch
        {
            2 => BinaryPrimitives.ReadInt16LittleEndian(at),
            4 => BinaryPrimitives.ReadInt32LittleEndian(at),
            _ => BinaryPrimitives.ReadInt64LittleEndian(at),
        };
    }

    private static void Write(Span<byte> set, int width, int index, long value)
    {
        var at = set.Slice(1 + index * width);
        switch (width)
        {
            case 2: BinaryPrimitives.WriteInt16LittleEndian(at, (short)value); break;
            case 4: BinaryPrimitives.WriteInt32LittleEndian(at, (int)value); break;
            default: BinaryPrimitives.WriteInt64LittleEndian(at, value); break;
        }
    }

    /// <summary>Writes <paramref name="value"/> as member <paramref name="index"/> at the set's width (room made by the caller).</summary>
    public static void WriteAt(Span<byte> set, int index, long value) => Write(set, set[0], index, value);

    /// <summary>The width Redis would use for <paramref name="value"/> alone.</summary>
    public static int WidthFor(long value) =>
        value >= short.MinValue && value <= short.MaxValue ? 2 :
        value >= int.MinValue && value <= int.MaxValue ? 4 : 8;

    /// <summary>Index of <paramref name="value"/>, or the bitwise complement of where it would go.</summary>
    public static int Search(ReadOnlySpan<byte> set, long value)
    {
        int width = set[0];
        int lo = 0, hi = Count(set) - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            long m = Read(set, width, mid);
            if (m < value) lo = mid + 1;
            else if (m > value) hi = mid - 1;
            else return mid;
        }
        return ~lo;
    }

    public static bool Contains(ReadOnlySpan<byte> set, long value) =>
        WidthFor(value) <= set[0] && Search(set, value) >= 0;

    /// <summary>Adds <paramref name="value"/>; false (and the same array) when it was already there.</summary>
    public static bool Add(ref byte[] set, long value)
    {
        int width = set[0];
        int count = Count(set);
        int need = WidthFor(value);
        if (need > width)
        {
            // Upgrade: the new value is outside the old range, so it goes first (negative) or last.
            var wider = new byte[1 + (count + 1) * need];
            wider[0] = (byte)need;
            int offset = value < 0 ? 1 : 0;
            for (int i = 0; i < count; i++) Write(wider, need, i + offset, Read(set, width, i));
            Write(wider, need, value < 0 ? 0 : count, value);
            set = wider;
            return true;
        }
        int index = Search(set, value);
        if (index >= 0) return false;
        index = ~index;
        var grown = new byte[set.Length + width];
        int split = 1 + index * width;
        set.AsSpan(0, split).CopyTo(grown);
        set.AsSpan(split).CopyTo(grown.AsSpan(split + width));
        Write(grown, width, index, value);
        set = grown;
        return true;
    }

    /// <summary>Removes <paramref name="value"/>; false when it was not there.</summary>
    public static bool Remove(ref byte[] set, long value)
    {
        if (WidthFor(value) > set[0]) return false;
        int index = Search(set, value);
        if (index < 0) return false;
        RemoveAt(ref set, index);
        return true;
    }

    public static void RemoveAt(ref byte[] set, int index)
    {
        int width = set[0];
        var shrunk = new byte[set.Length - width];
        int split = 1 + index * width;
        set.AsSpan(0, split).CopyTo(shrunk);
        set.AsSpan(split + width).CopyTo(shrunk.AsSpan(split));
        set = shrunk;
    }
}
