using System.Numerics;
using System.Runtime.CompilerServices;
using Cinnabar.Types;

namespace Cinnabar.Storage;

/// <summary>
/// The keyspace hash table of one database. Entries live in fixed slots of chunked arrays (a slot number
/// never changes while the key lives, so other indexes may point at it); buckets are chains of slot
/// numbers. Growing and shrinking rehash incrementally, a bucket per operation, so a resize of millions of
/// keys never pauses. SCAN uses Redis's reverse-binary cursor, which returns every key present for the
/// whole scan even when the table resizes in between. Keys with a time to live are also listed in a dense
/// array so the active expiry cycle can sample them at random.
///
/// The entries are native memory (<see cref="NativeHeap"/>), 24 bytes a slot with no object reference, so the
/// collector never scans them; the few values that are objects (collections, in-place strings) sit in a managed
/// array beside each chunk, made when the chunk gets its first one. Ten million keys of plain strings are then no
/// work for the collector at all, and nothing of them waits for a collection to be given back.
/// </summary>
public sealed partial class KeyTable
{
    public struct Entry
    {
        /// <summary>Handle of the key's record in the table's <see cref="RecordSlab"/> (the key, and a string value); 0 for a free slot.</summary>
        public long Record;
        public int Hash;
        /// <summary>Next slot in the bucket chain, or -1; for a free slot, the next free slot.</summary>
        public int Next;
        /// <summary>1 + position in the volatile array, or 0 when the key has no time to live.</summary>
        public int ExpirePos;
        /// <summary>Last access, in seconds of the server clock (LRU) — or LFU data later.</summary>
        public uint Access;
    }

    private const int SegmentBits = 14;
    private const int SegmentSize = 1 << SegmentBits;
    private const int SegmentMask = SegmentSize - 1;
    private const int InitialBuckets = 4;

    private const int FirstSegmentSize = 8;

    private NativeArray<Entry>[] _segments = [new(FirstSegmentSize)];
    // Beside each chunk, the values that are objects (see BoxedAt); null until the chunk has one.
    private object?[]?[] _boxes = new object?[]?[1];
    private int _highWater;     // slots ever handed out
    private int _freeHead = -1;
    private int _count;
    private long _segmentBytes = FirstSegmentSize * EntryBytes; // the entry chunks and their object arrays

    private RehashingBuckets _buckets = new(InitialBuckets);

    // The volatile-key index: slot and expire time of each key with a time to live, dense (native: NativeArray says why).
    private NativeArray<int> _volatileSlots = new(4);
    private NativeArray<long> _volatileTimes = new(4);
    private int _volatileCount;

    public int Count => _count;

    private RecordSlab _slab = new();

    /// <summary>Bytes of the records (keys and the string values stored with them), as slot sizes of their classes.</summary>
    public long RecordBytes => _slab.LiveBytes;

    /// <summary>Bytes of the record pages, free slots included (what the records take from the heap).</summary>
    public long RecordPageBytes => _slab.PageBytes;

    /// <summary>Record pages holding bytes now.</summary>
    public int RecordPageCount => _slab.PageCount;

    /// <summary>Bytes counted for the values held outside the records (by their last settled size).</summary>
    public long ValueBytes { get; private set; }

    /// <summary>
    /// Bytes of the table's own structure (Redis's overhead.hashtable.main): the entry chunks (24 bytes a slot,
    /// free slots included) and the object arrays beside them, the chunk directory and the bucket arrays, and this object.
    /// </summary>
    public long MainOverheadBytes
    {
        get
        {
            return HeapSize.Object(104) + 2 * HeapSize.Array(_segments.Length, HeapSize.Reference) + _segmentBytes
                + BucketBytes;
        }
    }

    /// <summary>Bytes of the volatile-key index (Redis's overhead.hashtable.expires): slot and expire time arrays.</summary>
    public long ExpiresOverheadBytes => _volatileSlots.Bytes + _volatileTimes.Bytes;

    /// <summary>Record handle, hash, chain link, expiry position, access field.</summary>
    public const int EntryBytes = 24;

    /// <summary>Counts a value entering the table: a non-string value remembers the size counted for it.</summary>
    private static long Attach(object value)
    {
        if (value is IRedisValue v) return v.AccountedBytes = v.MemoryBytes;
        return 0; // only the table's own tests store other objects
    }

    /// <summary>Uncounts a value leaving the table: what was counted for it, and it is marked as in no table.</summary>
    private static long Detach(object? value)
    {
        if (value is not IRedisValue v) return 0;
        long counted = v.AccountedBytes;
        v.AccountedBytes = -1;
        return counted;
    }

    /// <summary>Replaces the value in <paramref name="slot"/>, moving the count from the old value to the new.</summary>
    public void SetValue(int slot, object value)
    {
        if (value is byte[] bytes)
        {
            SetString(slot, bytes);
            return;
        }
        CancelLoan(slot);
        Edits++;
        if (ReferenceEquals(BoxedAt(slot), value)) return;
        Span<byte> headRoom = stackalloc byte[PackedListCountSize];
        if (TryPack(value, headRoom, out var marker, out var head, out var packed))
        {
            SetPacked(slot, marker, head, packed);
            return;
        }
        StoreObject(slot, value);
    }

    /// <summary>
    /// Replaces the value in <paramref name="slot"/> with <paramref name="value"/> as an object, even one that could be
    /// packed: a packed value that outgrows its record becomes its object for good (a list of one node about to take
    /// its second), as Redis converts.
    /// </summary>
    public void SetObject(int slot, IRedisValue value)
    {
        CancelLoan(slot);
        Edits++;
        if (!ReferenceEquals(BoxedAt(slot), value)) StoreObject(slot, value);
    }

    private void StoreObject(int slot, object value)
    {
        object? old = BoxedAt(slot);
        if (old == null || IsPacked(old)) RewriteRecord(ref At(slot), ReadOnlySpan<byte>.Empty);
        ValueBytes -= Detach(old);
        SetBoxed(slot, value);
        ValueBytes += Attach(value);
    }

    /// <summary>Replaces the value in <paramref name="slot"/> with a string held in the record.</summary>
    public void SetString(int slot, ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxRecordValueLength)
        {
            SetValue(slot, new RawString(value));
            return;
        }
        CancelLoan(slot);
        Edits++;
        if (BoxedAt(slot) is { } old)
        {
            ValueBytes -= Detach(old);
            SetBoxed(slot, null);
        }
        RewriteRecord(ref At(slot), value);
    }

    /// <summary>Gives the record of <paramref name="e"/> a new value, in its slot when the size class is the same.</summary>
    private void RewriteRecord(ref Entry e, ReadOnlySpan<byte> value) => RewriteRecord(ref e, default, value);

    /// <summary>Gives the record of <paramref name="e"/> the value <paramref name="head"/> then <paramref name="value"/>.</summary>
    private void RewriteRecord(ref Entry e, ReadOnlySpan<byte> head, ReadOnlySpan<byte> value)
    {
        var old = _slab.Slot(e.Record);
        Parse(old, out int start, out int keyLength, out _);
        int length = head.Length + value.Length;
        int size = RecordSize(keyLength, length);
        if (RecordSlab.SlotSizeFor(size) == old.Length)
        {
            // Same class: the key stays where it is unless the value's length field changes size.
            int newStart = Varint.Size(keyLength) + Varint.Size(length * 2);
            if (newStart != start) old.Slice(start, keyLength).CopyTo(old[newStart..]);
            Varint.Write(old, Varint.Size(keyLength), length * 2);
            head.CopyTo(old[(newStart + keyLength)..]);
            value.CopyTo(old[(newStart + keyLength + head.Length)..]);
            return;
        }
        long handle = NewRecord(old.Slice(start, keyLength), head, value, 0);
        _slab.Free(e.Record);
        e.Record = handle;
    }

    /// <summary>Counts the change in size of a value of this table since it was last counted (no-op when it left the table).</summary>
    public void Settle(IRedisValue value)
    {
        long counted = value.AccountedBytes;
        if (counted < 0) return;
        long now = value.MemoryBytes;
        ValueBytes += now - counted;
        value.AccountedBytes = now;
    }

    /// <summary>Σ of every boxed value's current size, walking the table (for tests of the incremental count).</summary>
    public long WalkValueBytes()
    {
        long total = 0;
        foreach (int slot in Slots())
            if (BoxedAt(slot) is { } boxed && !IsPacked(boxed)) total += ValueKind.MemoryBytes(boxed);
        return total;
    }

    /// <summary>Σ of every record's slot size, walking the table (for tests of the incremental count).</summary>
    public long WalkRecordBytes()
    {
        long total = 0;
        foreach (int slot in Slots()) total += _slab.SlotSize(At(slot).Record);
        return total;
    }

    public int VolatileCount => _volatileCount;
    public bool IsRehashing => _buckets.IsRehashing;
    public int BucketCount => _buckets.Length;

    /// <summary>Slots of the volatile-key array (DEBUG HTSTATS describes it as the expires table).</summary>
    public int VolatileCapacity => _volatileSlots.Length;

    /// <summary>
    /// For DEBUG HTSTATS: the chain length of every bucket of the main table (0) or of the rehashing target
    /// (1), or null when that table does not exist.
    /// </summary>
    public int[]? ChainLengths(int table) => _buckets.ChainLengths(table, new Links(this));

    /// <summary>Bytes of the bucket arrays, held in native memory (<see cref="BucketArray"/>).</summary>
    public long BucketBytes => _buckets.Bytes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref Entry At(int slot) => ref _segments[slot >> SegmentBits][slot & SegmentMask];

    /// <summary>
    /// The value's object when it is not held in the record; null for a string held there, a packed type's marker
    /// (<see cref="PackedHash"/>) for a collection held there (type checks without a copy).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object? BoxedAt(int slot) => _boxes[slot >> SegmentBits]?[slot & SegmentMask];

    private void SetBoxed(int slot, object? value)
    {
        int seg = slot >> SegmentBits;
        var boxes = _boxes[seg];
        if (boxes == null)
        {
            if (value == null) return;
            boxes = _boxes[seg] = new object?[_segments[seg].Length];
            _segmentBytes += HeapSize.Array(boxes.Length, HeapSize.Reference);
        }
        boxes[slot & SegmentMask] = value;
    }

    public static int HashKey(ReadOnlySpan<byte> key)
    {
        var h = new HashCode();
        h.AddBytes(key);
        return h.ToHashCode();
    }

    /// <summary>Returns the slot of <paramref name="key"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        if (_count == 0) return -1;
        if (_buckets.IsRehashing) RehashStep(1);
        int hash = HashKey(key);
        int slot = _buckets.MainMayHold(hash) ? FindIn(_buckets.Main, key, hash) : -1;
        if (slot < 0 && _buckets.Target is { } target) slot = FindIn(target, key, hash);
        return slot;
    }

    private int FindIn(BucketArray table, ReadOnlySpan<byte> key, int hash)
    {
        int slot = table.Head(table.BucketOf(hash));
        while (slot >= 0)
        {
            ref Entry e = ref At(slot);
            if (e.Hash == hash && key.SequenceEqual(KeyAt(slot))) return slot;
            slot = e.Next;
        }
        return -1;
    }

    /// <summary>Adds a key that is known to be absent; returns its slot.</summary>
    public int Insert(ReadOnlySpan<byte> key, object value, uint access = 0)
    {
        if (value is byte[] bytes) return InsertString(key, bytes, access);
        Span<byte> headRoom = stackalloc byte[PackedListCountSize];
        if (TryPack(value, headRoom, out var marker, out var head, out var packed)) return InsertPacked(key, marker, head, packed, access);
        int slot = InsertRecord(key, ReadOnlySpan<byte>.Empty, access);
        SetBoxed(slot, value);
        ValueBytes += Attach(value);
        return slot;
    }

    /// <summary>
    /// Adds a key that is known to be absent with a packed collection (<paramref name="marker"/>, such as
    /// <see cref="PackedHash"/>, and its <paramref name="bytes"/>: empty for a command that creates the key and
    /// then fills it in place); returns its slot.
    /// </summary>
    public int InsertPacked(ReadOnlySpan<byte> key, object marker, ReadOnlySpan<byte> bytes, uint access = 0) =>
        InsertPacked(key, marker, default, bytes, access);

    /// <summary><see cref="InsertPacked(ReadOnlySpan{byte}, object, ReadOnlySpan{byte}, uint)"/> of a value that is <paramref name="head"/> then <paramref name="bytes"/>.</summary>
    private int InsertPacked(ReadOnlySpan<byte> key, object marker, ReadOnlySpan<byte> head, ReadOnlySpan<byte> bytes, uint access)
    {
        int slot = InsertRecord(key, head, bytes, access);
        SetBoxed(slot, marker);
        return slot;
    }

    /// <summary>Adds a key that is known to be absent with a string value held in its record; returns its slot.</summary>
    public int InsertString(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, uint access = 0) =>
        value.Length > MaxRecordValueLength ? Insert(key, new RawString(value), access) : InsertRecord(key, value, access);

    private int InsertRecord(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, uint access) => InsertRecord(key, default, value, access);

    /// <summary>Adds a key known to be absent whose record's value is <paramref name="head"/> then <paramref name="value"/>.</summary>
    private int InsertRecord(ReadOnlySpan<byte> key, ReadOnlySpan<byte> head, ReadOnlySpan<byte> value, uint access)
    {
        if (_buckets.IsRehashing) RehashStep(1);
        else if (_count >= _buckets.Main.Length) StartResize(_buckets.Main.Length * 2);
        int slot = AllocateSlot();
        Edits++;
        ref Entry e = ref At(slot);
        e.Record = NewRecord(key, head, value, 0);
        e.Hash = HashKey(key);
        e.ExpirePos = 0;
        e.Access = access;
        var table = _buckets.ForInsert;
        int bucket = table.BucketOf(e.Hash);
        e.Next = table.Head(bucket);
        table.SetHead(bucket, slot);
        _count++;
        return slot;
    }

    private int AllocateSlot()
    {
        if (_freeHead >= 0)
        {
            int s = _freeHead;
            _freeHead = At(s).Next;
            return s;
        }
        int slot = _highWater;
        int seg = slot >> SegmentBits;
        if (seg == 0 && slot >= _segments[0].Length) GrowFirstSegment();
        else if (seg >= _segments.Length)
        {
            Array.Resize(ref _segments, _segments.Length * 2);
            Array.Resize(ref _boxes, _segments.Length);
        }
        if (seg > 0 && _segments[seg] == null)
        {
            _segments[seg] = new NativeArray<Entry>(SegmentSize);
            _segmentBytes += SegmentSize * EntryBytes;
        }
        _highWater++;
        return slot;
    }

    /// <summary>
    /// The first chunk starts small and doubles up to a full chunk (a small database holds no 384 KB of entries). The
    /// old chunk is retired, not freed: the command that inserts may still hold a reference to one of its entries.
    /// </summary>
    private void GrowFirstSegment()
    {
        var old = _segments[0];
        var grown = new NativeArray<Entry>(Math.Min(SegmentSize, old.Length * 2));
        grown.CopyPrefixFrom(old);
        _segments[0] = grown;
        old.Retire();
        _segmentBytes += (long)(grown.Length - old.Length) * EntryBytes;
        if (_boxes[0] is { } boxes)
        {
            _segmentBytes -= HeapSize.Array(boxes.Length, HeapSize.Reference);
            Array.Resize(ref boxes, grown.Length);
            _boxes[0] = boxes;
            _segmentBytes += HeapSize.Array(boxes.Length, HeapSize.Reference);
        }
    }

    /// <summary>Removes the key in <paramref name="slot"/> from its chain and frees the slot.</summary>
    public void RemoveSlot(int slot)
    {
        CancelLoan(slot);
        Edits++;
        ref Entry e = ref At(slot);
        if (!_buckets.Unlink(slot, e.Hash, new Links(this)))
            throw new InvalidOperationException("slot not in table");
        if (e.ExpirePos != 0) ClearExpire(slot);
        _slab.Free(e.Record);
        ValueBytes -= Detach(BoxedAt(slot));
        e.Record = 0;
        SetBoxed(slot, null);
        e.Next = _freeHead;
        _freeHead = slot;
        _count--;
        MaybeShrink();
    }

    /// <summary>The chain links of the entries, for the bucket arrays' moves and unlinks.</summary>
    private readonly struct Links(KeyTable table) : IChainLinks
    {
        public ref int Next(int slot) => ref table.At(slot).Next;

        public int Hash(int slot) => table.At(slot).Hash;
    }

    public bool Remove(ReadOnlySpan<byte> key)
    {
        int slot = Find(key);
        if (slot < 0) return false;
        RemoveSlot(slot);
        return true;
    }

    public void Clear()
    {
        // The chunks and pages are retired, not freed at once: the command that emptied the table may hold a span.
        foreach (var segment in _segments) segment?.Retire();
        _segments = [new(FirstSegmentSize)];
        _boxes = new object?[]?[1];
        _segmentBytes = FirstSegmentSize * EntryBytes;
        _highWater = 0;
        _freeHead = -1;
        _count = 0;
        _buckets.Dispose();
        _buckets = new RehashingBuckets(InitialBuckets);
        _volatileSlots.Dispose();
        _volatileTimes.Dispose();
        _volatileSlots = new NativeArray<int>(4);
        _volatileTimes = new NativeArray<long>(4);
        _volatileCount = 0;
        _slab.Release();
        _slab = new RecordSlab();
        ValueBytes = 0;
    }

    // ---- resizing -------------------------------------------------------------------------------

    private void StartResize(int size)
    {
        size = Math.Max(InitialBuckets, size);
        if (size == _buckets.Main.Length) return;
        _buckets.StartResize(size);
    }

    private void MaybeShrink()
    {
        if (_buckets.IsRehashing || _buckets.Main.Length <= InitialBuckets) return;
        // Like Redis: shrink when fewer than 1 in 10 buckets would be used.
        if ((long)_count * 10 < _buckets.Main.Length)
            StartResize((int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(_count, InitialBuckets)));
    }

    /// <summary>Moves up to <paramref name="buckets"/> buckets to the new table (visiting at most ten empty ones each).</summary>
    public bool RehashStep(int buckets)
    {
        if (!_buckets.IsRehashing) return false;
        int emptyVisits = buckets * 10;
        while (buckets-- > 0 && _buckets.MoveNextChain(_buckets.Main.Length, ref emptyVisits, new Links(this))) { }
        if (!_buckets.AllMoved) return true;
        _buckets.Finish();
        // Deletes during the rehash may have left the new table too sparse already.
        MaybeShrink();
        return _buckets.IsRehashing;
    }

    /// <summary>
    /// Starts a shrink when needed, then rehashes for about <paramref name="maxMicros"/> microseconds (server
    /// cron); true while a rehash is still under way.
    /// </summary>
    public bool RehashFor(int maxMicros)
    {
        // A table emptied by deletes or expiry gives back its entry chunks (slots cannot move, so a table
        // that still holds keys keeps them).
        if (_count == 0 && _highWater > 8) Clear();
        // Like Redis's cron (tryResizeHashTables): a table left sparse by deletes shrinks even if no
        // further delete comes to trigger it.
        if (!_buckets.IsRehashing) MaybeShrink();
        if (!_buckets.IsRehashing) return false;
        long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + maxMicros * System.Diagnostics.Stopwatch.Frequency / 1_000_000;
        while (RehashStep(100))
            if (System.Diagnostics.Stopwatch.GetTimestamp() > deadline) return true;
        return _buckets.IsRehashing;
    }

    // ---- expiry index ---------------------------------------------------------------------------

    public long GetExpire(int slot)
    {
        int pos = At(slot).ExpirePos;
        return pos == 0 ? -1 : _volatileTimes[pos - 1];
    }

    public void SetExpire(int slot, long unixMs)
    {
        ref Entry e = ref At(slot);
        if (e.ExpirePos != 0)
        {
            _volatileTimes[e.ExpirePos - 1] = unixMs;
            return;
        }
        if (_volatileCount == _volatileSlots.Length)
        {
            _volatileSlots.Resize(_volatileCount * 2);
            _volatileTimes.Resize(_volatileCount * 2);
        }
        _volatileSlots[_volatileCount] = slot;
        _volatileTimes[_volatileCount] = unixMs;
        _volatileCount++;
        e.ExpirePos = _volatileCount;
    }

    public bool ClearExpire(int slot)
    {
        ref Entry e = ref At(slot);
        if (e.ExpirePos == 0) return false;
        int pos = e.ExpirePos - 1;
        int last = _volatileCount - 1;
        if (pos != last)
        {
            int moved = _volatileSlots[last];
            _volatileSlots[pos] = moved;
            _volatileTimes[pos] = _volatileTimes[last];
            At(moved).ExpirePos = pos + 1;
        }
        _volatileCount--;
        e.ExpirePos = 0;
        if (_volatileSlots.Length > 64 && _volatileCount * 4 < _volatileSlots.Length)
        {
            _volatileSlots.Resize(_volatileSlots.Length / 2);
            _volatileTimes.Resize(_volatileTimes.Length / 2);
        }
        return true;
    }

    /// <summary>The <paramref name="index"/>-th key with a time to live (0 ≤ index &lt; VolatileCount): its slot and expire time.
    /// Removing a volatile key moves the last one into its place.</summary>
    public (int Slot, long ExpireAt) VolatileAt(int index) => (_volatileSlots[index], _volatileTimes[index]);

    /// <summary>A random key with a time to live: (slot, expire time), or slot -1 when there is none.</summary>
    public (int Slot, long ExpireAt) RandomVolatile(Random random)
    {
        if (_volatileCount == 0) return (-1, 0);
        int i = random.Next(_volatileCount);
        return (_volatileSlots[i], _volatileTimes[i]);
    }

    // ---- sampling and scanning ------------------------------------------------------------------

    /// <summary>A random slot, fair enough for RANDOMKEY and eviction sampling; -1 when empty.</summary>
    public int RandomSlot(Random random)
    {
        if (_count == 0) return -1;
        while (true)
        {
            BucketArray table;
            int bucket;
            var main = _buckets.Main;
            if (_buckets.Target is { } target)
            {
                // Buckets of the main array below the rehash index are empty: sample the rest of both arrays.
                int span0 = main.Length - _buckets.RehashIndex;
                int pick = random.Next(span0 + target.Length);
                if (pick < span0) { table = main; bucket = _buckets.RehashIndex + pick; }
                else { table = target; bucket = pick - span0; }
            }
            else
            {
                table = main;
                bucket = random.Next(main.Length);
            }
            int head = table.Head(bucket);
            if (head < 0) continue;
            int len = 0;
            for (int s = head; s >= 0; s = At(s).Next) len++;
            int skip = random.Next(len);
            int slot = head;
            while (skip-- > 0) slot = At(slot).Next;
            return slot;
        }
    }

    /// <summary>
    /// Visits at least one bucket from <paramref name="cursor"/>, adding its slots to <paramref name="output"/>,
    /// and returns the next cursor (0 when the scan is complete).
    /// </summary>
    public ulong Scan(ulong cursor, List<int> output)
    {
        if (_count == 0) return 0;
        ulong v = cursor;
        if (_buckets.Target == null)
        {
            var main = _buckets.Main;
            ulong m0 = (ulong)(main.Length - 1);
            EmitBucket(main, (int)(v & m0), output);
            v |= ~m0;
            v = ReverseBits(ReverseBits(v) + 1);
        }
        else
        {
            BucketArray t0 = _buckets.Main, t1 = _buckets.Target;
            if (t0.Length > t1.Length) (t0, t1) = (t1, t0);
            ulong m0 = (ulong)(t0.Length - 1), m1 = (ulong)(t1.Length - 1);
            EmitBucket(t0, (int)(v & m0), output);
            do
            {
                EmitBucket(t1, (int)(v & m1), output);
                v |= ~m1;
                v = ReverseBits(ReverseBits(v) + 1);
            } while ((v & (m0 ^ m1)) != 0);
        }
        return v;
    }

    private void EmitBucket(BucketArray table, int bucket, List<int> output)
    {
        for (int s = table.Head(bucket); s >= 0; s = At(s).Next) output.Add(s);
    }

    private static ulong ReverseBits(ulong v)
    {
        v = ((v >> 1) & 0x5555555555555555UL) | ((v & 0x5555555555555555UL) << 1);
        v = ((v >> 2) & 0x3333333333333333UL) | ((v & 0x3333333333333333UL) << 2);
        v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FUL) | ((v & 0x0F0F0F0F0F0F0F0FUL) << 4);
        return BinaryPrimitivesReverse(v);
    }

    private static ulong BinaryPrimitivesReverse(ulong v) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);

    /// <summary>Slots ever handed out: every occupied slot is below it (walks in slot order: snapshots).</summary>
    public int SlotLimit => _highWater;

    /// <summary>Every occupied slot (for KEYS, FLUSH, persistence). Do not modify the table while enumerating.</summary>
    public IEnumerable<int> Slots()
    {
        for (int s = 0; s < _highWater; s++)
            if (At(s).Record != 0) yield return s;
    }
}
