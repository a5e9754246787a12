namespace Cinnabar.Types;

/// <summary>
/// One node of a <see cref="RedisList"/>: a run of entries packed in one byte array between
/// <see cref="Start"/> and <see cref="End"/>. Free space may sit on either side so that pushes at the
/// list's two ends are amortized O(1) without moving the node's content.
/// </summary>
internal sealed class ListNode
{
    public byte[] Buf;
    public int Start;
    public int End;
    public int Count;

    public ListNode(byte[] buf, int start, int end, int count)
    {
        Buf = buf;
        Start = start;
        End = end;
        Count = count;
    }

    public int Used => End - Start;

    /// <summary>A node holding a copy of <paramref name="entries"/> in an exactly sized array.</summary>
    public static ListNode Exact(ReadOnlySpan<byte> entries, int count) => new(StoredBytes.Copy(entries), 0, entries.Length, count);

    /// <summary>Drops free space around the content (a node that is no longer at an end of the list).</summary>
    public void Compact()
    {
        int used = Used;
        if (Buf.Length - used <= 16 || Buf.Length - used <= used / 8) return;
        Buf = StoredBytes.Copy(Buf.AsSpan(Start, used));
        Start = 0;
        End = used;
    }
}

/// <summary>
/// An entry of a list node: the <see cref="Listpack"/> encoding of the string (small integers compact),
/// followed by its length written backwards as in Redis's listpack, so a node can be walked from its tail:
/// 7 bits per byte, the last byte holding the lowest bits and a high bit that says more bytes precede.
/// </summary>
internal static class ListEntry
{
    public static int BacklenSize(int n) => n < 1 << 7 ? 1 : n < 1 << 14 ? 2 : n < 1 << 21 ? 3 : n < 1 << 28 ? 4 : 5;

    public static int EncodedSize(ReadOnlySpan<byte> s)
    {
        int n = Listpack.EncodedSize(s);
        return n + BacklenSize(n);
    }

    /// <summary>Writes the entry for <paramref name="s"/>; returns its size.</summary>
    public static int Write(Span<byte> dest, ReadOnlySpan<byte> s)
    {
        int n = Listpack.Write(dest, s);
        int k = BacklenSize(n);
        int v = n;
        for (int i = k - 1; i >= 0; i--)
        {
            dest[n + i] = (byte)((v & 127) | (i > 0 ? 128 : 0));
            v >>= 7;
        }
        return n + k;
    }

    /// <summary>Size of the entry that starts at <paramref name="pos"/>.</summary>
    public static int SizeAt(ReadOnlySpan<byte> buf, int pos)
    {
        int n = Listpack.EntrySize(buf, pos);
        return n + BacklenSize(n);
    }

    /// <summary>Start of the entry that ends just before <paramref name="end"/>.</summary>
    public static int StartBefore(ReadOnlySpan<byte> buf, int end)
    {
        int p = end - 1;
        int b = buf[p];
        int v = b & 127;
        int shift = 7;
        while ((b & 128) != 0)
        {
            b = buf[--p];
            v |= (b & 127) << shift;
            shift += 7;
        }
        return p - v;
    }
}
