using System.Buffers.Binary;
using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>
/// The compact encoding of a small sorted set: entries in (score, member) order, each
/// <c>[member length × 2 + integer flag: varint][member bytes][score]</c>, the score a zigzag varint when it is an
/// integer of at most 53 bits (1 byte up to ±63, 6 for a millisecond timestamp: Redis's listpack keeps such
/// scores as integers too) and otherwise 8 bytes of little-endian IEEE double. Every
/// operation is a linear walk, which is cheap at the sizes this encoding is kept for (zset-max-listpack-*).
/// The entries live in a byte array of its own, or, for a sorted set packed in its key's record, in that record
/// (<see cref="KeyTable.PackedZSet"/>): a listpack over a record reads and edits the record's bytes in place.
/// </summary>
public sealed class ZSetListpack
{
    private byte[] _buffer;
    private int _used;
    private int _count;                 // over a record: as of the table's edit _countEdits
    private long _countEdits = -1;
    private readonly KeyTable? _table;   // set for a listpack over a key's record
    private int _slot;

    public ZSetListpack(int capacity = 32) => _buffer = StoredBytes.Allocate(Math.Max(capacity, 8));

    private ZSetListpack(KeyTable table, int slot)
    {
        _buffer = [];
        _table = table;
        _slot = slot;
    }

    /// <summary>A listpack over the packed sorted set in <paramref name="slot"/>'s record.</summary>
    internal static ZSetListpack OverRecord(KeyTable table, int slot) => new(table, slot);

    /// <summary>Points a listpack over a record at another slot's record of the same table (a view used again).</summary>
    internal void MoveTo(int slot)
    {
        _slot = slot;
        _countEdits = -1;
    }

    /// <summary>The key table and slot whose record holds the entries, or null for a listpack with its own array.</summary>
    internal (KeyTable Table, int Slot)? Record => _table == null ? null : (_table, _slot);

    /// <summary>The entries' bytes.</summary>
    public ReadOnlySpan<byte> Bytes
    {
        get
        {
            if (_table == null) return _buffer.AsSpan(0, _used);
            _table.TryGetPacked(_slot, KeyTable.PackedZSet, out var bytes);
            return bytes;
        }
    }

    public int Count
    {
        get
        {
            if (_table == null || _countEdits == _table.Edits) return _count;
            if (!_table.TryGetRememberedCount(_slot, out int n))
            {
                var bytes = Bytes;
                n = 0;
                for (int o = 0; o < bytes.Length; o = Skip(bytes, o)) n++;
                _table.RememberCount(_slot, n);
            }
            _count = n;
            _countEdits = _table.Edits;
            return n;
        }
    }

    /// <summary>Bytes in use (for memory accounting).</summary>
    public int ByteLength => End;

    /// <summary>Bytes of this object (buffer, used length, count and its edit, table, slot) and its buffer; a record's are the table's.</summary>
    public long MemoryBytes => _table == null ? HeapSize.Object(40) + HeapSize.ByteArray(_buffer.Length) : 0;
    /// <summary>Offset just past the last entry.</summary>
    public int End => _table == null ? _used : Bytes.Length;

    /// <summary>A listpack with its own array holding a copy of <paramref name="entries"/> (as <see cref="Bytes"/> gives them).</summary>
    public static ZSetListpack FromBytes(ReadOnlySpan<byte> entries)
    {
        var lp = new ZSetListpack(entries.Length);
        entries.CopyTo(lp._buffer);
        lp._used = entries.Length;
        for (int o = 0; o < entries.Length; o = Skip(entries, o)) lp._count++;
        return lp;
    }

    /// <summary>An independent copy with its own array (COPY).</summary>
    public ZSetListpack Clone() => FromBytes(Bytes);

    /// <summary>Reads the entry at <paramref name="offset"/>; returns the offset of the next entry.</summary>
    public int Read(int offset, out ReadOnlySpan<byte> member, out double score) => Read(Bytes, offset, out member, out score);

    /// <summary><see cref="Read"/> over entries fetched once (<see cref="Bytes"/>) for a walk.</summary>
    public static int Read(ReadOnlySpan<byte> bytes, int offset, out ReadOnlySpan<byte> member, out double score)
    {
        int pos = offset;
        int head = Varint.Read(bytes, ref pos);
        int len = head >> 1;
        member = bytes.Slice(pos, len);
        pos += len;
        if ((head & 1) == 0)
        {
            score = BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(pos, 8));
            return pos + 8;
        }
        ulong zigzag = Varint.ReadLong(bytes, ref pos);
        score = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
        return pos;
    }

    /// <summary>Whether <paramref name="score"/> is stored as a varint, and its zigzag form.</summary>
    private static bool IsCompact(double score, out ulong zigzag)
    {
        const double Limit = 1L << 53;
        if (score >= -Limit && score <= Limit && score == Math.Floor(score))
        {
            long v = (long)score;
            zigzag = (ulong)((v << 1) ^ (v >> 63));
            return true;
        }
        zigzag = 0;
        return false;
    }

    private static int ScoreSize(double score) => IsCompact(score, out ulong zigzag) ? Varint.Size(zigzag) : 8;

    /// <summary>Offset of the entry with 0-based <paramref name="index"/> (End when index == Count).</summary>
    public int OffsetOf(int index)
    {
        var bytes = Bytes;
        int offset = 0;
        for (int i = 0; i < index; i++) offset = Skip(bytes, offset);
        return offset;
    }

    /// <summary>Offset of the next entry, without decoding the score.</summary>
    public int Skip(int offset) => Skip(Bytes, offset);

    /// <summary><see cref="Skip(int)"/> over entries fetched once.</summary>
    public static int Skip(ReadOnlySpan<byte> bytes, int offset)
    {
        int pos = offset;
        int head = Varint.Read(bytes, ref pos);
        pos += head >> 1;
        if ((head & 1) == 0) return pos + 8;
        Varint.ReadLong(bytes, ref pos);
        return pos;
    }

    /// <summary>Finds a member: its index, entry offset and score.</summary>
    public bool TryFind(ReadOnlySpan<byte> member, out int index, out int offset, out double score)
    {
        var bytes = Bytes;
        int o = 0;
        for (int i = 0; o < bytes.Length; i++)
        {
            // Members are compared without decoding the scores that go past.
            int pos = o;
            int length = Varint.Read(bytes, ref pos) >> 1;
            if (bytes.Slice(pos, length).SequenceEqual(member))
            {
                index = i;
                offset = o;
                Read(bytes, o, out _, out score);
                return true;
            }
            o = Skip(bytes, o);
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
        var bytes = Bytes;
        int o = 0;
        while (o < bytes.Length)
        {
            int next = Read(bytes, o, out var m, out var s);
            if (SkipList.Compare(s, m, score, member) > 0) break;
            o = next;
        }
        WriteEntry(Open(o, 0, EntrySize(member, score), 1), o, member, score);
    }

    /// <summary>Appends an entry that sorts after every present one (bulk loading in order).</summary>
    public void Append(ReadOnlySpan<byte> member, double score)
    {
        if (score == 0) score = 0;
        int o = End;
        WriteEntry(Open(o, 0, EntrySize(member, score), 1), o, member, score);
    }

    /// <summary>Removes <paramref name="count"/> entries starting at the entry at <paramref name="offset"/>.</summary>
    public void RemoveAt(int offset, int count = 1)
    {
        var bytes = Bytes;
        int end = offset;
        for (int i = 0; i < count; i++) end = Skip(bytes, end);
        Open(offset, end - offset, 0, -count);
    }

    /// <summary>
    /// Replaces the score of the member at <paramref name="offset"/>, moving the entry if its place changes: one walk
    /// to find its new place, the entry's room resized where it was (a score's encoding may be wider or narrower than
    /// before), then the bytes between its old and new places shifted by it. Nothing is allocated.
    /// </summary>
    public void UpdateScore(int offset, double newScore)
    {
        if (newScore == 0) newScore = 0;
        var bytes = Open(0, 0, 0, 0);
        int next = Read(bytes, offset, out var member, out _);
        int size = next - offset;
        // Where the entry goes among the others, in (score, member) order: the first other entry after it.
        int target = 0;
        while (target < bytes.Length)
        {
            if (target == offset)
            {
                target = next;
                continue;
            }
            int t = Read(bytes, target, out var m, out double score);
            if (SkipList.Compare(score, m, newScore, member) > 0) break;
            target = t;
        }
        int newSize = EntrySize(member, newScore);
        Span<byte> entry = newSize <= 256 ? stackalloc byte[newSize] : new byte[newSize];
        WriteEntry(entry, 0, member, newScore);
        if (newSize != size) bytes = Open(offset, size, newSize, 0);
        if (target < offset)
        {
            // Moving towards the head: the entries from its new place on move up past it.
            bytes[target..offset].CopyTo(bytes[(target + newSize)..]);
            entry.CopyTo(bytes[target..]);
        }
        else
        {
            // Staying, or moving towards the tail: the entries it passes (now just after its resized room) move down.
            int end = target + newSize - size;
            bytes[(offset + newSize)..end].CopyTo(bytes[offset..]);
            entry.CopyTo(bytes[(end - newSize)..]);
        }
    }

    private static int EntrySize(ReadOnlySpan<byte> member, double score) =>
        Varint.Size(member.Length * 2 + 1) + member.Length + ScoreSize(score);

    private static void WriteEntry(Span<byte> bytes, int offset, ReadOnlySpan<byte> member, double score)
    {
        int w = Varint.Write(bytes, offset, member.Length * 2 + (IsCompact(score, out _) ? 1 : 0));
        member.CopyTo(bytes[w..]);
        WriteScore(bytes, w + member.Length, score);
    }

    private static void WriteScore(Span<byte> bytes, int pos, double score)
    {
        if (IsCompact(score, out ulong zigzag)) Varint.Write(bytes, pos, zigzag);
        else BinaryPrimitives.WriteDoubleLittleEndian(bytes.Slice(pos, 8), score);
    }

    /// <summary>
    /// Makes <paramref name="insert"/> bytes of room at <paramref name="offset"/> in place of <paramref name="remove"/>
    /// bytes there, the rest kept; returns all the entries' bytes (the room to be written by the caller).
    /// </summary>
    private Span<byte> Open(int offset, int remove, int insert, int countDelta)
    {
        if (_table != null)
        {
            bool known = _countEdits == _table.Edits;
            var entries = _table.SplicePacked(_slot, offset, remove, insert);
            if (known)
            {
                _count += countDelta;
                _countEdits = _table.Edits;
                _table.RememberCount(_slot, _count);
            }
            return entries;
        }
        _count += countDelta;
        int size = _used - remove + insert;
        if (size > _buffer.Length) StoredBytes.Resize(ref _buffer, Math.Max(size, _buffer.Length * 2));
        Buffer.BlockCopy(_buffer, offset + remove, _buffer, offset + insert, _used - offset - remove);
        _used = size;
        return _buffer.AsSpan(0, _used);
    }
}
