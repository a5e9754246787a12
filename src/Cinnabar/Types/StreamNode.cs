namespace Cinnabar.Types;

/// <summary>Takes a stream node's elements as Redis's listpack orders them (<see cref="StreamNode.WriteListpackElements{TSink}"/>).</summary>
public interface IListpackSink
{
    /// <summary>A bare element (header and payload) in listpack encoding.</summary>
    void Element(ReadOnlySpan<byte> element);
    void Integer(long value);
}

/// <summary>The field/value pairs of an entry being added, read in place (command arguments) without copying.</summary>
public interface IStreamFieldSource
{
    /// <summary>Number of field/value pairs.</summary>
    int PairCount { get; }
    ReadOnlySpan<byte> Field(int i);
    ReadOnlySpan<byte> Value(int i);
}

/// <summary>
/// One node of a stream: a run of entries laid out as Redis's stream lays out a listpack node (t_stream.c),
/// each element in listpack's element encoding (<see cref="StreamListpack"/>). It opens with a master
/// entry, the field names of the node's first entry, then each entry is: flags, ms and seq of its ID as
/// differences from the node's master ID, the field count and names unless they equal the master's (the
/// SAMEFIELDS flag), the values. Deleted entries stay, flagged, until the whole node is empty.
///
/// Where Redis ends every element with its backlen and every entry with its element count (both only to
/// walk backwards), a node here ends each entry with one backlen: the entry's own length. For an entry of
/// three short fields that is 8 bytes fewer of about 36. What Redis's listpack would take is still counted
/// (<see cref="ListpackBytes"/>), so a node fills up (stream-node-max-bytes) at the same entry as Redis's,
/// and RDB files get Redis's listpack (<see cref="WriteListpackElements"/>, <see cref="FromListpackBody"/>).
/// The live and deleted counters, which open Redis's listpack, are fields here, so an append never moves
/// the node's bytes.
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
    /// <summary>Bytes Redis's listpack body for these entries takes (every element with its backlen, the entry counts).</summary>
    private int _listpackBody;

    // Fields: master ID, array reference, used, live, deleted, the three master offsets, counted bytes, listpack body.
    public long MemoryBytes => HeapSize.Object(60) + HeapSize.ByteArray(Buf.Length);

    private StreamNode(StreamId master, byte[] buf, int used, int masterFieldCount, int masterFieldsStart, int listpackBody)
    {
        Master = master;
        Buf = buf;
        Used = used;
        MasterFieldCount = masterFieldCount;
        MasterFieldsStart = masterFieldsStart;
        FirstEntry = used;
        _listpackBody = listpackBody;
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
        _listpackBody = other._listpackBody;
    }

    public StreamNode Copy() => new(this);

    /// <summary>
    /// A node from the body of a Redis stream listpack (without its header, live and deleted counts and end
    /// byte), as an RDB file holds it: the elements are copied without their backlens and each entry's
    /// element count is checked and dropped. The caller checked that every listpack entry lies inside
    /// <paramref name="body"/> (and checks the IDs' order and the counts).
    /// </summary>
    internal static StreamNode FromListpackBody(StreamId master, ReadOnlySpan<byte> body, int live, int deleted)
    {
        var copy = new ElementCopier(body);
        if (!copy.Next(out long fieldCount) || fieldCount < 0 || fieldCount > body.Length)
            throw new InvalidDataException("stream master entry damaged");
        int fieldsStart = copy.To;
        for (long i = 0; i < fieldCount; i++)
            if (!copy.Next(out _)) throw new InvalidDataException("stream master entry damaged");
        if (!copy.Next(out long terminator) || terminator != 0) throw new InvalidDataException("master entry without its terminator");
        var node = new StreamNode(master, copy.Buf, copy.To, (int)fieldCount, fieldsStart, body.Length) { Live = live, Deleted = deleted };
        while (!copy.AtEnd)
        {
            int start = copy.To;
            if (!copy.Next(out long flags) || flags is < 0 or > (FlagDeleted | FlagSameFields))
                throw new InvalidDataException("stream entry damaged");
            // In its one-byte form whatever the file used, so MarkDeleted can set the flag in place.
            copy.To = start + StreamListpack.WriteIntegerElement(copy.Buf.AsSpan(start), flags);
            if (!copy.Next(out _) || !copy.Next(out _)) throw new InvalidDataException("stream entry damaged");
            long count = fieldCount;
            if ((flags & FlagSameFields) == 0 && !copy.Next(out count)) throw new InvalidDataException("stream entry damaged");
            if (count < 0 || count > body.Length) throw new InvalidDataException("stream entry damaged");
            long elements = (flags & FlagSameFields) != 0 ? count : 2 * count;
            for (long i = 0; i < elements; i++)
                if (!copy.Next(out _)) throw new InvalidDataException("stream entry runs past its node");
            // Redis's entry closes with its element count; ours with its length.
            if (!copy.SkipCount(elements + ((flags & FlagSameFields) != 0 ? 3 : 4)))
                throw new InvalidDataException("stream entry element count damaged");
            copy.To += StreamListpack.WriteBacklen(copy.Buf.AsSpan(copy.To), copy.To - start);
        }
        node.Used = copy.To;
        node.ShrinkToFit();
        return node;
    }

    /// <summary>Copies a listpack body's elements without their backlens (never longer than the body).</summary>
    private ref struct ElementCopier(ReadOnlySpan<byte> body)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private int _from;
        public readonly byte[] Buf = new byte[body.Length];
        public int To;

        public readonly bool AtEnd => _from >= _body.Length;

        /// <summary>Copies the next element and reads it as an integer (0 for text); false at the end of the body.</summary>
        public bool Next(out long integer)
        {
            integer = 0;
            if (AtEnd) return false;
            int size = StreamListpack.ElementSize(_body, _from);
            integer = StreamListpack.ReadInteger(_body, _from);
            _body.Slice(_from, size).CopyTo(Buf.AsSpan(To));
            _from += StreamListpack.EntrySize(size);
            To += size;
            return true;
        }

        /// <summary>Skips an entry's element count, true when it is <paramref name="expected"/>.</summary>
        public bool SkipCount(long expected)
        {
            if (AtEnd || StreamListpack.ReadInteger(_body, _from) != expected) return false;
            _from = StreamListpack.Next(_body, _from);
            return true;
        }
    }

    /// <summary>The size Redis's listpack for this node has (what stream-node-max-bytes is compared with).</summary>
    public long ListpackBytes =>
        _listpackBody + StreamListpack.IntegerSize(Live) + StreamListpack.IntegerSize(Deleted) + StreamListpack.Overhead;

    /// <summary>A new node whose master entry holds the fields of <paramref name="fields"/>; entries are added with <see cref="AppendEntry{T}"/>.</summary>
    public static StreamNode Create<T>(StreamId master, in T fields) where T : IStreamFieldSource, allows ref struct
    {
        int n = fields.PairCount;
        int size = StreamListpack.IntegerSize(n) + StreamListpack.IntegerSize(0);
        for (int i = 0; i < n; i++) size += StreamListpack.StringSize(fields.Field(i));
        // Room for a few entries like the first one, so the next appends do not grow the array at once. The
        // node grows on the ordinary heap, where the arrays it outgrows die young; ShrinkToFit stores it.
        var buf = new byte[Math.Max(256, size * 4)];
        int pos = StreamListpack.WriteIntegerElement(buf, n);
        int fieldsStart = pos;
        for (int i = 0; i < n; i++) pos += StreamListpack.WriteStringElement(buf.AsSpan(pos), fields.Field(i));
        pos += StreamListpack.WriteIntegerElement(buf.AsSpan(pos), 0);
        return new StreamNode(master, buf, pos, n, fieldsStart, listpackBody: size);
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
            pos = StreamListpack.NextElement(buf, pos);
        }
        return true;
    }

    /// <summary>Appends an entry (the caller chose the node and checked the ID order).</summary>
    public void AppendEntry<T>(StreamId id, in T fields, bool sameFields) where T : IStreamFieldSource, allows ref struct
    {
        int n = fields.PairCount;
        // One pass: room for the worst case (every element a 32-bit-length string, a 5-byte entry length),
        // then the entry is written and its real size taken.
        long bound = 5 * MaxIntegerEntry;
        for (int i = 0; i < n; i++) bound += fields.Field(i).Length + fields.Value(i).Length + 2 * MaxStringOverhead;
        if (Used + bound > Buf.Length)
            Array.Resize(ref Buf, (int)Math.Min(Array.MaxLength, Math.Max(Used + bound, (long)Buf.Length * 2)));
        int flags = sameFields ? FlagSameFields : 0;
        var dest = Buf.AsSpan();
        int start = Used, pos = Used, listpack = 0;
        pos += Counted(StreamListpack.WriteIntegerElement(dest[pos..], flags), ref listpack);
        pos += Counted(StreamListpack.WriteIntegerElement(dest[pos..], unchecked((long)(id.Ms - Master.Ms))), ref listpack);
        pos += Counted(StreamListpack.WriteIntegerElement(dest[pos..], unchecked((long)(id.Seq - Master.Seq))), ref listpack);
        if (!sameFields) pos += Counted(StreamListpack.WriteIntegerElement(dest[pos..], n), ref listpack);
        for (int i = 0; i < n; i++)
        {
            if (!sameFields) pos += Counted(StreamListpack.WriteStringElement(dest[pos..], fields.Field(i)), ref listpack);
            pos += Counted(StreamListpack.WriteStringElement(dest[pos..], fields.Value(i)), ref listpack);
        }
        pos += StreamListpack.WriteBacklen(dest[pos..], pos - start);
        // Redis's entry ends with its element count instead.
        _listpackBody += listpack + StreamListpack.IntegerSize(n + 3 + (sameFields ? 0 : n + 1));
        Used = pos;
        Live++;
    }

    /// <summary>Counts an element just written into what Redis's listpack would take; returns its size.</summary>
    private static int Counted(int size, ref int listpack)
    {
        listpack += StreamListpack.EntrySize(size);
        return size;
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
        pos = StreamListpack.NextElement(buf, pos);
        ulong ms = unchecked(Master.Ms + (ulong)StreamListpack.ReadInteger(buf, pos));
        pos = StreamListpack.NextElement(buf, pos);
        ulong seq = unchecked(Master.Seq + (ulong)StreamListpack.ReadInteger(buf, pos));
        pos = StreamListpack.NextElement(buf, pos);
        int fieldCount = MasterFieldCount;
        if ((flags & FlagSameFields) == 0)
        {
            fieldCount = (int)StreamListpack.ReadInteger(buf, pos);
            pos = StreamListpack.NextElement(buf, pos);
        }
        return new EntryHeader(new StreamId(ms, seq), flags, fieldCount, pos);
    }

    /// <summary>Offset just after the last value of the entry at <paramref name="pos"/> (where its length is).</summary>
    public int ValuesEnd(in EntryHeader h)
    {
        var buf = Buf.AsSpan(0, Used);
        int p = h.FieldsStart;
        int skip = (h.Flags & FlagSameFields) != 0 ? h.FieldCount : h.FieldCount * 2;
        for (int i = 0; i < skip; i++) p = StreamListpack.NextElement(buf, p);
        return p;
    }

    /// <summary>Offset of the entry after the one at <paramref name="pos"/> (described by <paramref name="h"/>).</summary>
    public int NextEntry(int pos, in EntryHeader h)
    {
        int end = ValuesEnd(h);
        return end + StreamListpack.BacklenSize(end - pos);
    }

    /// <summary>Offset of the entry that ends at <paramref name="end"/> (read back from its length).</summary>
    public int EntryBefore(int end) => StreamListpack.Prev(Buf.AsSpan(0, Used), end);

    /// <summary>Gives the element at <paramref name="p"/> to <paramref name="sink"/>; returns the offset after it.</summary>
    private static int PassElement<TSink>(ReadOnlySpan<byte> buf, int p, TSink sink) where TSink : IListpackSink, allows ref struct
    {
        int next = StreamListpack.NextElement(buf, p);
        sink.Element(buf[p..next]);
        return next;
    }

    /// <summary>Flags the entry at <paramref name="pos"/> deleted (flags are a one-byte element: 0 to 3).</summary>
    public void MarkDeleted(int pos)
    {
        Buf[pos] |= FlagDeleted;
        Live--;
        Deleted++;
    }

    /// <summary>
    /// Hands every element of the node, master entry first, to <paramref name="sink"/> as Redis's listpack
    /// holds them (after its live and deleted counts): bare elements for the sink to give backlens, and
    /// after each entry its element count as an integer.
    /// </summary>
    public void WriteListpackElements<TSink>(TSink sink) where TSink : IListpackSink, allows ref struct
    {
        var buf = Buf.AsSpan(0, Used);
        int p = 0;
        while (p < FirstEntry) p = PassElement(buf, p, sink);
        while (p < Used)
        {
            int start = p;
            // The element count follows from the header: flags, ms, seq, then the values alone (SAMEFIELDS) or
            // the field count and the pairs.
            var h = ReadHeader(start);
            int elements = (h.Flags & FlagSameFields) != 0 ? 3 + h.FieldCount : 4 + 2 * h.FieldCount;
            for (int i = 0; i < elements; i++) p = PassElement(buf, p, sink);
            sink.Integer(elements);
            p += StreamListpack.BacklenSize(p - start);
        }
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
                    _fieldPos = StreamListpack.NextElement(buf, _fieldPos);
                    _valuePos = StreamListpack.NextElement(buf, _valuePos);
                }
                else
                {
                    _fieldPos = StreamListpack.NextElement(buf, StreamListpack.NextElement(buf, _fieldPos));
                }
            }
            Started = true;
            if (!_same) _valuePos = StreamListpack.NextElement(_node.Buf.AsSpan(0, _node.Used), _fieldPos);
            return true;
        }

        private bool Started;

        public readonly ReadOnlySpan<byte> Field(Span<byte> scratch) => StreamListpack.Read(_node.Buf.AsSpan(0, _node.Used), _fieldPos, scratch);
        public readonly ReadOnlySpan<byte> Value(Span<byte> scratch) => StreamListpack.Read(_node.Buf.AsSpan(0, _node.Used), _valuePos, scratch);
    }
}
