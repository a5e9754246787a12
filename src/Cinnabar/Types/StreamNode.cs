namespace Cinnabar.Types;

/// <summary>The field/value pairs of an entry being added, read in place (command arguments) without copying.</summary>
public interface IStreamFieldSource
{
    /// <summary>Number of field/value pairs.</summary>
    int PairCount { get; }
    ReadOnlySpan<byte> Field(int i);
    ReadOnlySpan<byte> Value(int i);
}

/// <summary>
/// One node of a stream: a run of entries in Redis's listpack encoding, as Redis's stream keeps them
/// (t_stream.c's layout). It opens with a master entry, the field names of the node's first entry, then
/// each entry is: flags, ms and seq of its ID as differences from the node's master ID, the field count and
/// names unless they equal the master's (the SAMEFIELDS flag), the values, and the number of listpack
/// elements of the entry (so the node can be walked backwards). Deleted entries stay, flagged, until the
/// whole node is empty. The live and deleted counters, which open Redis's listpack, are kept as fields
/// here and only counted in <see cref="ListpackBytes"/>, so an append never moves the node's bytes.
/// </summary>
public sealed class StreamNode
{
    public const int FlagDeleted = 1, FlagSameFields = 2;

    /// <summary>ID of the node's first entry ever: entry IDs are stored as differences from it.</summary>
    public readonly StreamId Master;
    public byte[] Buf;
    public int Used;
    /// <summary>Entries not deleted.</summary>
    public int Live;
    /// <summary>Entries marked deleted (still in the bytes).</summary>
    public int Deleted;
    /// <summary>Number of master fields, and the offset of the first master field and of the first entry.</summary>
    public readonly int MasterFieldCount, MasterFieldsStart, FirstEntry;
    /// <summary>What its stream counts for this node (the <see cref="MemoryBytes"/> of its last settlement).</summary>
    public long CountedBytes;

    // Fields: master ID, array reference, used, live, deleted, the three master offsets, counted bytes.
    public long MemoryBytes => HeapSize.Object(56) + HeapSize.ByteArray(Buf.Length);

    private StreamNode(StreamId master, byte[] buf, int used, int masterFieldCount, int masterFieldsStart)
    {
        Master = master;
        Buf = buf;
        Used = used;
        MasterFieldCount = masterFieldCount;
        MasterFieldsStart = masterFieldsStart;
        FirstEntry = used;
    }

    private StreamNode(StreamNode other)
    {
        Master = other.Master;
        Buf = StoredBytes.Copy(other.Buf.AsSpan(0, other.Used));
        Used = other.Used;
        Live = other.Live;
        Deleted = other.Deleted;
        MasterFieldCount = other.MasterFieldCount;
        MasterFieldsStart = other.MasterFieldsStart;
        FirstEntry = other.FirstEntry;
    }

    public StreamNode Copy() => new(this);

    /// <summary>
    /// A node from the body of a Redis stream listpack (without its header, live and deleted counts and end
    /// byte), as an RDB file holds it. The caller validates the entries (<see cref="ReadHeader"/> walks).
    /// </summary>
    internal static StreamNode FromListpackBody(StreamId master, byte[] body, int live, int deleted)
    {
        int fieldCount = (int)StreamListpack.ReadInteger(body, 0);
        if (fieldCount < 0) throw new InvalidDataException("negative master field count");
        int fieldsStart = StreamListpack.Next(body, 0);
        int pos = fieldsStart;
        for (int i = 0; i < fieldCount; i++) pos = StreamListpack.Next(body, pos);
        if (pos >= body.Length || StreamListpack.ReadInteger(body, pos) != 0) throw new InvalidDataException("master entry without its terminator");
        pos = StreamListpack.Next(body, pos);
        return new StreamNode(master, body, body.Length, fieldCount, fieldsStart, pos) { Live = live, Deleted = deleted };
    }

    private StreamNode(StreamId master, byte[] buf, int used, int masterFieldCount, int masterFieldsStart, int firstEntry)
    {
        Master = master;
        Buf = buf;
        Used = used;
        MasterFieldCount = masterFieldCount;
        MasterFieldsStart = masterFieldsStart;
        FirstEntry = firstEntry;
    }

    /// <summary>The size Redis's listpack for this node has (what stream-node-max-bytes is compared with).</summary>
    public long ListpackBytes =>
        Used + StreamListpack.IntegerSize(Live) + StreamListpack.IntegerSize(Deleted) + StreamListpack.Overhead;

    /// <summary>A new node whose master entry holds the fields of <paramref name="fields"/>; entries are added with <see cref="AppendEntry{T}"/>.</summary>
    public static StreamNode Create<T>(StreamId master, in T fields) where T : IStreamFieldSource, allows ref struct
    {
        int n = fields.PairCount;
        int size = StreamListpack.IntegerSize(n) + StreamListpack.IntegerSize(0);
        for (int i = 0; i < n; i++) size += StreamListpack.StringSize(fields.Field(i));
        // Room for a few entries like the first one, so the next appends do not grow the array at once. The
        // node grows on the ordinary heap, where the arrays it outgrows die young; ShrinkToFit stores it.
        var buf = new byte[Math.Max(256, size * 4)];
        int pos = StreamListpack.WriteInteger(buf, n);
        int fieldsStart = pos;
        for (int i = 0; i < n; i++) pos += StreamListpack.WriteString(buf.AsSpan(pos), fields.Field(i));
        pos += StreamListpack.WriteInteger(buf.AsSpan(pos), 0);
        return new StreamNode(master, buf, pos, n, fieldsStart);
    }

    /// <summary>True when <paramref name="fields"/> has exactly the master entry's field names, in order.</summary>
    public bool HasMasterFields<T>(in T fields) where T : IStreamFieldSource, allows ref struct
    {
        if (fields.PairCount != MasterFieldCount) return false;
        int pos = MasterFieldsStart;
        var buf = Buf;
        for (int i = 0; i < MasterFieldCount; i++)
        {
            var field = fields.Field(i);
            byte h = buf[pos];
            // Short names are 6-bit-length strings: compare in place; anything else through its text.
            bool same = h is >= 0x80 and < 0xC0
                ? (h & 0x3F) == field.Length && buf.AsSpan(pos + 1, field.Length).SequenceEqual(field)
                : StreamListpack.Equals(buf, pos, field);
            if (!same) return false;
            pos = StreamListpack.Next(buf, pos);
        }
        return true;
    }

    /// <summary>Appends an entry (the caller chose the node and checked the ID order).</summary>
    public void AppendEntry<T>(StreamId id, in T fields, bool sameFields) where T : IStreamFieldSource, allows ref struct
    {
        int n = fields.PairCount;
        // One pass: room for the worst case (every element a 32-bit-length string with a 5-byte backlen),
        // then the entry is written and its real size taken.
        long bound = 5 * MaxIntegerEntry;
        for (int i = 0; i < n; i++) bound += fields.Field(i).Length + fields.Value(i).Length + 2 * MaxStringOverhead;
        if (Used + bound > Buf.Length)
            Array.Resize(ref Buf, (int)Math.Min(Array.MaxLength, Math.Max(Used + bound, (long)Buf.Length * 2)));
        int flags = sameFields ? FlagSameFields : 0;
        var dest = Buf.AsSpan();
        int pos = Used;
        pos += StreamListpack.WriteInteger(dest[pos..], flags);
        pos += StreamListpack.WriteInteger(dest[pos..], unchecked((long)(id.Ms - Master.Ms)));
        pos += StreamListpack.WriteInteger(dest[pos..], unchecked((long)(id.Seq - Master.Seq)));
        if (!sameFields) pos += StreamListpack.WriteInteger(dest[pos..], n);
        for (int i = 0; i < n; i++)
        {
            if (!sameFields) pos += StreamListpack.WriteString(dest[pos..], fields.Field(i));
            pos += StreamListpack.WriteString(dest[pos..], fields.Value(i));
        }
        pos += StreamListpack.WriteInteger(dest[pos..], n + 3 + (sameFields ? 0 : n + 1));
        Used = pos;
        Live++;
    }

    private const int MaxIntegerEntry = 10, MaxStringOverhead = 10;

    /// <summary>
    /// Drops the spare capacity: the node is full, no more appends will come to it.
    /// </summary>
    public void ShrinkToFit()
    {
        if (Buf.Length != Used) Buf = StoredBytes.Copy(Buf.AsSpan(0, Used));
    }

    /// <summary>Reads the entry whose flags are at <paramref name="pos"/>: its flags, ID and where its fields start.</summary>
    public EntryHeader ReadHeader(int pos)
    {
        var buf = Buf.AsSpan(0, Used);
        int flags = (int)StreamListpack.ReadInteger(buf, pos);
        pos = StreamListpack.Next(buf, pos);
        ulong ms = unchecked(Master.Ms + (ulong)StreamListpack.ReadInteger(buf, pos));
        pos = StreamListpack.Next(buf, pos);
        ulong seq = unchecked(Master.Seq + (ulong)StreamListpack.ReadInteger(buf, pos));
        pos = StreamListpack.Next(buf, pos);
        int fieldCount = MasterFieldCount;
        if ((flags & FlagSameFields) == 0)
        {
            fieldCount = (int)StreamListpack.ReadInteger(buf, pos);
            pos = StreamListpack.Next(buf, pos);
        }
        return new EntryHeader(new StreamId(ms, seq), flags, fieldCount, pos);
    }

    /// <summary>Offset of the entry after the one at <paramref name="pos"/> (described by <paramref name="h"/>).</summary>
    public int NextEntry(int pos, in EntryHeader h)
    {
        var buf = Buf.AsSpan(0, Used);
        int p = h.FieldsStart;
        int skip = (h.Flags & FlagSameFields) != 0 ? h.FieldCount : h.FieldCount * 2;
        for (int i = 0; i < skip; i++) p = StreamListpack.Next(buf, p);
        return StreamListpack.Next(buf, p); // the lp-count element
    }

    /// <summary>Offset of the entry that ends at <paramref name="end"/> (walking backwards by its lp-count).</summary>
    public int EntryBefore(int end)
    {
        var buf = Buf.AsSpan(0, Used);
        int p = StreamListpack.Prev(buf, end);
        long count = StreamListpack.ReadInteger(buf, p);
        for (long i = 0; i < count; i++) p = StreamListpack.Prev(buf, p);
        return p;
    }

    /// <summary>Flags the entry at <paramref name="pos"/> deleted (flag values stay one byte, so in place).</summary>
    public void MarkDeleted(int pos)
    {
        int flags = (int)StreamListpack.ReadInteger(Buf, pos);
        StreamListpack.TryReplaceIntegerInPlace(Buf, pos, flags | FlagDeleted);
        Live--;
        Deleted++;
    }

    /// <summary>
    /// Walks the field/value pairs of an entry. Field names of a SAMEFIELDS entry come from the master entry.
    /// </summary>
    public FieldReader Fields(EntryHeader h) => new(this, h);

    public readonly record struct EntryHeader(StreamId Id, int Flags, int FieldCount, int FieldsStart)
    {
        public bool IsDeleted => (Flags & FlagDeleted) != 0;
    }

    public struct FieldReader
    {
        private readonly StreamNode _node;
        private readonly bool _same;
        private int _fieldPos, _valuePos, _left;

        public FieldReader(StreamNode node, EntryHeader h)
        {
            _node = node;
            _same = (h.Flags & FlagSameFields) != 0;
            _fieldPos = _same ? node.MasterFieldsStart : h.FieldsStart;
            _valuePos = h.FieldsStart;
            _left = h.FieldCount;
        }

        /// <summary>Moves to the next pair; its field and value are read with <see cref="Field"/> and <see cref="Value"/>.</summary>
        public bool MoveNext()
        {
            if (_left == 0) return false;
            _left--;
            if (Started)
            {
                var buf = _node.Buf.AsSpan(0, _node.Used);
                if (_same)
                {
                    _fieldPos = StreamListpack.Next(buf, _fieldPos);
                    _valuePos = StreamListpack.Next(buf, _valuePos);
                }
                else
                {
                    _fieldPos = StreamListpack.Next(buf, StreamListpack.Next(buf, _fieldPos));
                }
            }
            Started = true;
            if (!_same) _valuePos = StreamListpack.Next(_node.Buf.AsSpan(0, _node.Used), _fieldPos);
            return true;
        }

        private bool Started;

        public readonly ReadOnlySpan<byte> Field(Span<byte> scratch) => StreamListpack.Read(_node.Buf.AsSpan(0, _node.Used), _fieldPos, scratch);
        public readonly ReadOnlySpan<byte> Value(Span<byte> scratch) => StreamListpack.Read(_node.Buf.AsSpan(0, _node.Used), _valuePos, scratch);
    }
}
