using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>
/// The large encoding of hashes and sets: a chained hash table of byte-string keys with optional values
/// (none for sets). Entries sit in slots of one array and never move while they live, so a slot number is
/// a stable SCAN cursor: an element present for a whole HSCAN/SSCAN is returned exactly once even when the
/// table grows in between (freed slots are reused, so an element added mid-scan may or may not appear,
/// which Redis allows too). Random members are picked by sampling slots.
/// <para>Each element is one record in the table's own <see cref="RecordSlab"/> (as the key table keeps keys and
/// strings): <c>[key length][value length + 1, or 0 for none][value][key]</c>, lengths as <see cref="Varint"/>s (the value
/// first, so a sorted set's skiplist node, which is the value, sits in the record's first bytes: a walk step reads one
/// cache line).
/// So a hash of a million fields is a few pages to the collector, not two arrays a field, and a new value is
/// bytes written into a slot, not an allocation. A key or value read from the table is good until the table's
/// next change.</para>
/// <para>The entries and buckets are native arrays (<see cref="NativeArray{T}"/>), and a growing table moves its
/// chains into the doubled bucket array a bucket per operation, as Redis's dict rehashes: as managed arrays
/// rebuilt at once, the HSET, SADD or ZADD that doubled a table of 2M elements waited 48-58 ms.</para>
/// </summary>
public sealed class BytesHashTable
{
    private struct Entry
    {
        /// <summary>The element's record in <see cref="_slab"/>; 0 for a free slot.</summary>
        public long Record;
        public int Hash;
        /// <summary>Next slot in the bucket chain (or in the free list), -1 at the end.</summary>
        public int Next;
    }

    private NativeArray<Entry> _entries;
    private RehashingBuckets _buckets;
    private RecordSlab _slab = new();
    private int _highWater;   // slots ever handed out
    private int _freeHead = -1;
    private int _count;

    /// <summary>Bytes of the table: itself, its arrays (native), its slab's own arrays and its records' slots.</summary>
    public long MemoryBytes =>
        HeapSize.Object(48) + HeapSize.Object(12) * (_buckets.IsRehashing ? 3 : 2) + _entries.Bytes + _buckets.Bytes
        + _slab.OwnBytes + _slab.LiveBytes;

    public BytesHashTable(int capacity = 8)
    {
        int size = 8;
        while (size < capacity) size <<= 1;
        _entries = new NativeArray<Entry>(size);
        _buckets = new RehashingBuckets(size);
    }

    public int Count => _count;

    /// <summary>An independent copy (COPY): the same slots, each record copied into the copy's own slab.</summary>
    public BytesHashTable Clone()
    {
        var copy = (BytesHashTable)MemberwiseClone();
        copy._entries = new NativeArray<Entry>(_entries.Length);
        copy._entries.CopyFrom(_entries);
        copy._buckets = _buckets.Clone();
        copy._slab = new RecordSlab();
        for (int s = 0; s < _highWater; s++)
        {
            ref var e = ref copy._entries[s];
            if (e.Record == 0) continue;
            var record = Record(s);
            e.Record = copy._slab.Allocate(record.Length);
            record.CopyTo(copy._slab.Slot(e.Record));
        }
        return copy;
    }

    /// <summary>One past the highest slot in use: slots run 0 .. SlotLimit-1 (some free).</summary>
    public int SlotLimit => _highWater;

    /// <summary>
    /// For DEBUG HTSTATS-KEY: the chain length of every bucket of the main table (0) or of the rehashing target
    /// (1), or null when that table does not exist.
    /// </summary>
    public int[]? ChainLengths(int table) => _buckets.ChainLengths(table, new Links(_entries));

    private static int HashOf(ReadOnlySpan<byte> key)
    {
        var h = new HashCode();
        h.AddBytes(key);
        return h.ToHashCode();
    }

    public bool IsOccupied(int slot) => slot < _highWater && _entries[slot].Record != 0;

    /// <summary>
    /// The record of an occupied slot, read up to its key: where the key starts, its length, and the value field
    /// (the value's length + 1, or 0 for a set's member).
    /// </summary>
    private Span<byte> Head(int slot, out int keyStart, out int keyLength, out int valueField) =>
        Head(_entries[slot].Record, out keyStart, out keyLength, out valueField);

    /// <summary>A record read up to its key (<see cref="Head(int, out int, out int, out int)"/> by handle).</summary>
    private Span<byte> Head(long handle, out int keyStart, out int keyLength, out int valueField)
    {
        var record = _slab.Slot(handle);
        int start = 0;
        keyLength = Varint.Read(record, ref start);
        valueField = Varint.Read(record, ref start);
        keyStart = start + ValueLength(valueField);
        return record;
    }

    private static int ValueLength(int valueField) => Math.Max(valueField - 1, 0);

    /// <summary>
    /// The record of an occupied slot: a name for its element that stays the same while the element lives (records
    /// never move unless <see cref="SetValueAt"/> outgrows the slot), for structures that link elements by record, as a
    /// sorted set's skiplist links its nodes.
    /// </summary>
    public long RecordOf(int slot) => _entries[slot].Record;

    /// <summary>The value of a record (<see cref="RecordOf"/>), writable in place, and its key (good until the table's next change).</summary>
    public Span<byte> ValueOf(long record, out ReadOnlySpan<byte> key)
    {
        var bytes = Head(record, out int keyStart, out int keyLength, out int valueField);
        int valueLength = ValueLength(valueField);
        key = bytes.Slice(keyStart, keyLength);
        return bytes.Slice(keyStart - valueLength, valueLength);
    }

    /// <summary>The key of an occupied slot (good until the table's next change).</summary>
    public ReadOnlySpan<byte> KeyAt(int slot) => Head(slot, out int start, out int length, out _).Slice(start, length);

    /// <summary>The value of an occupied slot (empty for a set's member; good until the table's next change).</summary>
    public ReadOnlySpan<byte> ValueAt(int slot)
    {
        var record = Head(slot, out int start, out int keyLength, out int valueField);
        return valueField == 0 ? default : record.Slice(start - (valueField - 1), valueField - 1);
    }

    /// <summary>Replaces the value of an occupied slot: in its record's slot when the size class holds it.</summary>
    public void SetValueAt(int slot, ReadOnlySpan<byte> value)
    {
        ref var e = ref _entries[slot];
        var record = Head(slot, out int keyStart, out int keyLength, out int valueField);
        var key = record.Slice(keyStart, keyLength);
        int size = RecordSize(keyLength, value.Length + 1);
        if (RecordSlab.SlotSizeFor(size) == record.Length && Varint.Size(value.Length + 1) == Varint.Size(valueField))
        {
            // Same class and the same width of the value's length: the key moves by the change of the value's length.
            int valueStart = keyStart - ValueLength(valueField);
            key.CopyTo(record[(valueStart + value.Length)..]);
            Varint.Write(record, Varint.Size(keyLength), value.Length + 1);
            value.CopyTo(record[valueStart..]);
            return;
        }
        long old = e.Record;
        e.Record = WriteRecord(key, value, hasValue: true);
        _slab.Free(old);
    }

    private static int RecordSize(int keyLength, int valueField) =>
        Varint.Size(keyLength) + Varint.Size(valueField) + keyLength + ValueLength(valueField);

    /// <summary>A new record holding <paramref name="key"/> and, with <paramref name="hasValue"/>, <paramref name="value"/>.</summary>
    private long WriteRecord(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool hasValue)
    {
        int valueField = hasValue ? value.Length + 1 : 0;
        long handle = _slab.Allocate(RecordSize(key.Length, valueField));
        var record = _slab.Slot(handle);
        int pos = Varint.Write(record, 0, key.Length);
        pos = Varint.Write(record, pos, valueField);
        value.CopyTo(record[pos..]);
        key.CopyTo(record[(pos + value.Length)..]);
        return handle;
    }

    /// <summary>The bytes of an occupied slot's record.</summary>
    private ReadOnlySpan<byte> Record(int slot)
    {
        var record = Head(slot, out int keyStart, out int keyLength, out int valueField);
        return record[..(keyStart + keyLength)];
    }

    /// <summary>The slot holding <paramref name="key"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        if (_count == 0) return -1;
        if (_buckets.IsRehashing) RehashStep(mayFinish: false);
        int hash = HashOf(key);
        int slot = _buckets.MainMayHold(hash) ? FindIn(_buckets.Main, key, hash) : -1;
        return slot < 0 && _buckets.Target is { } target ? FindIn(target, key, hash) : slot;
    }

    private int FindIn(BucketArray buckets, ReadOnlySpan<byte> key, int hash)
    {
        for (int s = buckets.Head(buckets.BucketOf(hash)); s >= 0; s = _entries[s].Next)
            if (_entries[s].Hash == hash && key.SequenceEqual(KeyAt(s))) return s;
        return -1;
    }

    public bool Contains(ReadOnlySpan<byte> key) => Find(key) >= 0;

    /// <summary>Adds a key known to be absent, with <paramref name="value"/> when <paramref name="hasValue"/> (a hash's field); returns its slot.</summary>
    public int Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool hasValue)
    {
        if (_buckets.IsRehashing) RehashStep(mayFinish: true);
        else if (_count >= _buckets.Main.Length) _buckets.StartResize(_buckets.Main.Length * 2);
        int slot;
        if (_freeHead >= 0)
        {
            slot = _freeHead;
            _freeHead = _entries[slot].Next;
        }
        else
        {
            if (_highWater == _entries.Length) _entries.Resize(_entries.Length * 2);
            slot = _highWater++;
        }
        ref var e = ref _entries[slot];
        e.Record = WriteRecord(key, value, hasValue);
        e.Hash = HashOf(key);
        var buckets = _buckets.ForInsert;
        int bucket = buckets.BucketOf(e.Hash);
        e.Next = buckets.Head(bucket);
        buckets.SetHead(bucket, slot);
        _count++;
        return slot;
    }

    /// <summary>Adds <paramref name="key"/> (a set's member) when absent; false when it was already there.</summary>
    public bool TryAdd(ReadOnlySpan<byte> key)
    {
        if (Find(key) >= 0) return false;
        Add(key, default, hasValue: false);
        return true;
    }

    public bool Remove(ReadOnlySpan<byte> key)
    {
        int slot = Find(key);
        if (slot < 0) return false;
        RemoveSlot(slot);
        return true;
    }

    public void RemoveSlot(int slot)
    {
        ref var e = ref _entries[slot];
        if (!_buckets.Unlink(slot, e.Hash, new Links(_entries)))
            throw new InvalidOperationException("slot not in table");
        _slab.Free(e.Record);
        e.Record = 0;
        e.Next = _freeHead;
        _freeHead = slot;
        _count--;
        if (_buckets.IsRehashing) RehashStep(mayFinish: true);
    }

    /// <summary>The chain links of the entries, for the bucket arrays' moves and unlinks.</summary>
    private readonly struct Links(NativeArray<Entry> entries) : IChainLinks
    {
        public ref int Next(int slot) => ref entries[slot].Next;

        public int Hash(int slot) => entries[slot].Hash;
    }

    /// <summary>
    /// Moves one bucket's chain into the doubled array (visiting at most ten empty buckets). Only a write
    /// (<paramref name="mayFinish"/>) moves the last bucket and ends the growth: that frees the old array and
    /// changes <see cref="MemoryBytes"/>, which the memory accounting settles after writes only. A table that
    /// is only read keeps its old array, all but one bucket empty, until its next add or removal.
    /// </summary>
    private void RehashStep(bool mayFinish)
    {
        int end = mayFinish ? _buckets.Main.Length : _buckets.Main.Length - 1;
        int emptyVisits = 10;
        _buckets.MoveNextChain(end, ref emptyVisits, new Links(_entries));
        if (_buckets.AllMoved) _buckets.Finish();
    }

    /// <summary>The first occupied slot at or after <paramref name="slot"/>, or -1.</summary>
    public int NextOccupied(int slot)
    {
        for (int s = Math.Max(slot, 0); s < _highWater; s++)
            if (_entries[s].Record != 0) return s;
        return -1;
    }

    /// <summary>A uniformly chosen occupied slot (the table must not be empty).</summary>
    public int RandomSlot(Random random)
    {
        // Sampling slots is uniform; when the table is sparse after many deletions, fall back to a walk.
        for (int tries = 0; tries < 64; tries++)
        {
            int s = random.Next(_highWater);
            if (_entries[s].Record != 0) return s;
        }
        int skip = random.Next(_count);
        for (int s = 0; ; s++)
            if (_entries[s].Record != 0 && skip-- == 0) return s;
    }
}
