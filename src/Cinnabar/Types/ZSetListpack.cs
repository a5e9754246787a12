using System.Buffers.Binary;

namespace Cinnabar.Types;

/// <summary>
/// The compact encoding of a small sorted set: one byte array of entries in (score, member) order, each
/// <c>[member length: varint][member bytes][score: 8 bytes, little-endian IEEE double]</c>. Every
/// operation is a linear walk, which is cheap at the sizes this encoding is kept for (zset-max-listpack-*).
/// </summary>
public sealed class ZSetListpack
{
    private byte[] _buffer;
    private int _used;

    public ZSetListpack(int capacity = 32) => _buffer = StoredBytes.Allocate(Math.Max(capacity, 8));

    public int Count { get; private set; }
    /// <summary>Bytes in use (for memory accounting).</summary>
    public int ByteLength => _used;

    /// <summary>Bytes of this object (buffer reference, used length, count) and its buffer.</summary>
    public long MemoryBytes => HeapSize.Object(16) + HeapSize.ByteArray(_buffer.Length);
    /// <summary>Offset just past the last entry.</summary>
    public int End => _used;

    /// <summary>An independent copy (COPY).</summary>
    public ZSetListpack Clone()
    {
        var copy = new ZSetListpack(_used) { Count = Count, _used = _used };
        Buffer.BlockCopy(_buffer, 0, copy._buffer, 0, _used);
        return copy;
    }

    /// <summary>Reads the entry at <paramref name="offset"/>; returns the offset of the next entry.</summary>
    public int Read(int offset, out ReadOnlySpan<byte> member, out double score)
    {
        int len = ReadVarint(offset, out int headerSize);
        int start = offset + headerSize;
        member = _buffer.AsSpan(start, len);
        score = BinaryPrimitives.ReadDoubleLittleEndian(_buffer.AsSpan(start + len, 8));
        return start + len + 8;
    }

    /// <summary>Offset of the entry with 0-based <paramref name="index"/> (End when index == Count).</summary>
    public int OffsetOf(int index)
    {
        int offset = 0;
        for (int i = 0; i < index; i++) offset = Skip(offset);
        return offset;
    }

    /// <summary>Offset of the next entry, without decoding the score.</summary>
    public int Skip(int offset)
    {
        int len = ReadVarint(offset, out int headerSize);
        return offset + headerSize + len + 8;
    }

    /// <summary>Finds a member: its index, entry offset and score.</summary>
    public bool TryFind(ReadOnlySpan<byte> member, out int index, out int offset, out double score)
    {
        int o = 0;
        for (int i = 0; i < Count; i++)
        {
            int next = Read(o, out var m, out var s);
            if (m.SequenceEqual(member))
            {
                index = i;
                offset = o;
                score = s;
                return true;
            }
            o = next;
        }
        index = -1;
        offset = -1;
        score = 0;
        return false;
    }

    /// <summary>Inserts a member the caller knows is absent, at its place in (score, member) order.</summary>
    public void Insert(ReadOnlySpan<byte> member, double score)
    {
        if (score == 0) score = 0; // Redis's listpack keeps scores as text and reads "-0" back as 0
        int o = 0;
        for (int i = 0; i < Count; i++)
        {
            int next = Read(o, out var m, out var s);
            if (SkipList.Compare(s, m, score, member) > 0) break;
            o = next;
        }
        int size = VarintSize(member.Length) + member.Length + 8;
        EnsureCapacity(_used + size);
        Buffer.BlockCopy(_buffer, o, _buffer, o + size, _used - o);
        int w = WriteVarint(o, member.Length);
        member.CopyTo(_buffer.AsSpan(w));
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(w + member.Length, 8), score);
        _used += size;
        Count++;
    }

    /// <summary>Appends an entry that sorts after every present one (bulk loading in order).</summary>
    public void Append(ReadOnlySpan<byte> member, double score)
    {
        if (score == 0) score = 0;
        int size = VarintSize(member.Length) + member.Length + 8;
        EnsureCapacity(_used + size);
        int w = WriteVarint(_used, member.Length);
        member.CopyTo(_buffer.AsSpan(w));
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(w + member.Length, 8), score);
        _used += size;
        Count++;
    }

    /// <summary>Removes <paramref name="count"/> entries starting at the entry at <paramref name="offset"/>.</summary>
    public void RemoveAt(int offset, int count = 1)
    {
        int end = offset;
        for (int i = 0; i < count; i++) end = Skip(end);
        Buffer.BlockCopy(_buffer, end, _buffer, offset, _used - end);
        _used -= end - offset;
        Count -= count;
    }

    /// <summary>Replaces the score of the member at <paramref name="offset"/>, moving it if its place changes.</summary>
    public void UpdateScore(int offset, double newScore)
    {
        Read(offset, out var m, out _);
        var member = m.ToArray();
        RemoveAt(offset);
        Insert(member, newScore);
    }

    private void EnsureCapacity(int size)
    {
        if (size > _buffer.Length) StoredBytes.Resize(ref _buffer, Math.Max(size, _buffer.Length * 2));
    }

    private int ReadVarint(int offset, out int size)
    {
        int pos = offset;
        int value = Varint.Read(_buffer, ref pos);
        size = pos - offset;
        return value;
    }

    private int WriteVarint(int offset, int value) => Varint.Write(_buffer, offset, value);

    private static int VarintSize(int value) => Varint.Size(value);
}
