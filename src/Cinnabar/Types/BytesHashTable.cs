namespace Cinnabar.Types;

/// <summary>
/// The large encoding of hashes and sets: a chained hash table of byte-string keys with optional values
/// (null for sets). Entries sit in slots of one array and never move while they live, so a slot number is
/// a stable SCAN cursor: an element present for a whole HSCAN/SSCAN is returned exactly once even when the
/// table grows in between (freed slots are reused, so an element added mid-scan may or may not appear,
/// which Redis allows too). Random members are picked by sampling slots.
/// </summary>
public sealed class BytesHashTable
{
    private struct Entry
    {
        public byte[]? Key;
        public byte[]? Value;
        public int Hash;
        /// <summary>Next slot in the bucket chain (or in the free list), -1 at the end.</summary>
        public int Next;
    }

    private Entry[] _entries;
    private int[] _buckets;
    private int _highWater;   // slots ever handed out
    private int _freeHead = -1;
    private int _count;
    private long _elementBytes; // the key and value arrays of the entries

    /// <summary>Bytes of the table: itself, its two arrays and the entries' keys and values.</summary>
    public long MemoryBytes =>
        HeapSize.Object(40) + HeapSize.Array(_entries.Length, 24) + HeapSize.Array(_buckets.Length, 4) + _elementBytes;

    private static long ElementBytes(byte[]? bytes) => bytes == null ? 0 : HeapSize.Of(bytes);

    public BytesHashTable(int capacity = 8)
    {
        int size = 8;
        while (size < capacity) size <<= 1;
        _entries = new Entry[size];
        _buckets = NewBuckets(size);
    }

    public int Count => _count;

    /// <summary>An independent copy (COPY). Keys and values are never changed in place, so the arrays are shared.</summary>
    public BytesHashTable Clone()
    {
        var copy = (BytesHashTable)MemberwiseClone();
        copy._entries = (Entry[])_entries.Clone();
        copy._buckets = (int[])_buckets.Clone();
        return copy;
    }

    /// <summary>One past the highest slot in use: slots run 0 .. SlotLimit-1 (some free).</summary>
    public int SlotLimit => _highWater;

    /// <summary>For DEBUG HTSTATS-KEY: the chain length of every bucket.</summary>
    public int[] ChainLengths()
    {
        var lengths = new int[_buckets.Length];
        for (int b = 0; b < _buckets.Length; b++)
            for (int slot = _buckets[b]; slot >= 0; slot = _entries[slot].Next) lengths[b]++;
        return lengths;
    }

    private static int[] NewBuckets(int size)
    {
        var b = new int[size];
        Array.Fill(b, -1);
        return b;
    }

    private static int HashOf(ReadOnlySpan<byte> key)
    {
        var h = new HashCode();
        h.AddBytes(key);
        return h.ToHashCode();
    }

    public bool IsOccupied(int slot) => slot < _highWater && _entries[slot].Key != null;
    public byte[] KeyAt(int slot) => _entries[slot].Key!;
    public byte[]? ValueAt(int slot) => _entries[slot].Value;
    public void SetValueAt(int slot, byte[] value)
    {
        _elementBytes += ElementBytes(value) - ElementBytes(_entries[slot].Value);
        _entries[slot].Value = value;
    }

    /// <summary>The slot holding <paramref name="key"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        if (_count == 0) return -1;
        int hash = HashOf(key);
        for (int s = _buckets[hash & (_buckets.Length - 1)]; s >= 0; s = _entries[s].Next)
        {
            ref var e = ref _entries[s];
            if (e.Hash == hash && key.SequenceEqual(e.Key)) return s;
        }
        return -1;
    }

    public bool Contains(ReadOnlySpan<byte> key) => Find(key) >= 0;

    /// <summary>Adds a key known to be absent; the table keeps <paramref name="key"/> and <paramref name="value"/>.</summary>
    public int Add(byte[] key, byte[]? value)
    {
        if (_count >= _buckets.Length) Resize(_buckets.Length * 2);
        int slot;
        if (_freeHead >= 0)
        {
            slot = _freeHead;
            _freeHead = _entries[slot].Next;
        }
        else
        {
            if (_highWater == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
            slot = _highWater++;
        }
        ref var e = ref _entries[slot];
        e.Key = key;
        e.Value = value;
        e.Hash = HashOf(key);
        _elementBytes += ElementBytes(key) + ElementBytes(value);
        ref int head = ref _buckets[e.Hash & (_buckets.Length - 1)];
        e.Next = head;
        head = slot;
        _count++;
        return slot;
    }

    /// <summary>Adds <paramref name="key"/> when absent; false when it was already there.</summary>
    public bool TryAdd(ReadOnlySpan<byte> key, byte[]? value = null)
    {
        if (Find(key) >= 0) return false;
        Add(StoredBytes.Copy(key), value);
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
        ref int link = ref _buckets[e.Hash & (_buckets.Length - 1)];
        while (link != slot) link = ref _entries[link].Next;
        link = e.Next;
        _elementBytes -= ElementBytes(e.Key) + ElementBytes(e.Value);
        e.Key = null;
        e.Value = null;
        e.Next = _freeHead;
        _freeHead = slot;
        _count--;
    }

    private void Resize(int size)
    {
        var buckets = NewBuckets(size);
        for (int s = 0; s < _highWater; s++)
        {
            ref var e = ref _entries[s];
            if (e.Key == null) continue;
            ref int head = ref buckets[e.Hash & (size - 1)];
            e.Next = head;
            head = s;
        }
        _buckets = buckets;
    }

    /// <summary>The first occupied slot at or after <paramref name="slot"/>, or -1.</summary>
    public int NextOccupied(int slot)
    {
        for (int s = Math.Max(slot, 0); s < _highWater; s++)
            if (_entries[s].Key != null) return s;
        return -1;
    }

    /// <summary>A uniformly chosen occupied slot (the table must not be empty).</summary>
    public int RandomSlot(Random random)
    {
        // Sampling slots is uniform; when the table is sparse after many deletions, fall back to a walk.
        for (int tries = 0; tries < 64; tries++)
        {
            int s = random.Next(_highWater);
            if (_entries[s].Key != null) return s;
        }
        int skip = random.Next(_count);
        for (int s = 0; ; s++)
            if (_entries[s].Key != null && skip-- == 0) return s;
    }
}
