namespace Cinnabar.Types;

/// <summary>
/// An ordered map from stream IDs to values, kept as a sorted run of small sorted chunks (at most
/// <see cref="ChunkMax"/> keys each): a lookup is a binary search over the chunks then within one, an
/// insert or removal moves at most one chunk's keys, and a range walk is sequential. It serves the stream's
/// node index (keys are node master IDs), where appends at the end and removals at the front dominate,
/// and the pending entries lists of consumer groups and consumers, where acknowledgements remove keys
/// anywhere. A position (<see cref="Pos"/>) is valid until the next change.
/// </summary>
public sealed class StreamIdMap<T>
{
    private const int ChunkMax = 128;

    private sealed class Chunk
    {
        public readonly StreamId[] Keys;
        public readonly T[] Values;
        public int Count;

        public Chunk(int capacity)
        {
            Keys = new StreamId[capacity];
            Values = new T[capacity];
        }

        public StreamId Last => Keys[Count - 1];
    }

    private Chunk[] _chunks = [];
    private int _chunkCount;

    public int Count { get; private set; }

    private long _chunkBytes;

    /// <summary>Bytes of the map: itself, its chunk array and the chunks (values are references; what they point to is not counted).</summary>
    public long MemoryBytes => HeapSize.Object(16) + HeapSize.Array(_chunks.Length, HeapSize.Reference) + _chunkBytes;

    // A chunk: its two array references and count, its 16-byte keys and its values.
    private static long ChunkBytes(Chunk c) => HeapSize.Object(20) + HeapSize.Array(c.Keys.Length, 16) + HeapSize.Array(c.Keys.Length, HeapSize.Reference);

    /// <summary>A place in the map: a chunk and an index in it. <see cref="IsValid"/> is false past either end.</summary>
    public readonly record struct Pos(int Chunk, int Index)
    {
        public bool IsValid => Chunk >= 0;
        public static readonly Pos None = new(-1, -1);
    }

    public Pos First => _chunkCount == 0 ? Pos.None : new Pos(0, 0);
    public Pos Last => _chunkCount == 0 ? Pos.None : new Pos(_chunkCount - 1, _chunks[_chunkCount - 1].Count - 1);

    public StreamId KeyAt(Pos p) => _chunks[p.Chunk].Keys[p.Index];
    public T ValueAt(Pos p) => _chunks[p.Chunk].Values[p.Index];
    public void SetValueAt(Pos p, T value) => _chunks[p.Chunk].Values[p.Index] = value;

    public Pos Next(Pos p)
    {
        if (p.Index + 1 < _chunks[p.Chunk].Count) return new Pos(p.Chunk, p.Index + 1);
        return p.Chunk + 1 < _chunkCount ? new Pos(p.Chunk + 1, 0) : Pos.None;
    }

    public Pos Prev(Pos p)
    {
        if (p.Index > 0) return new Pos(p.Chunk, p.Index - 1);
        return p.Chunk > 0 ? new Pos(p.Chunk - 1, _chunks[p.Chunk - 1].Count - 1) : Pos.None;
    }

    /// <summary>Index of the first chunk whose last key is ≥ <paramref name="id"/> (= chunk count when none).</summary>
    private int ChunkFor(StreamId id)
    {
        int lo = 0, hi = _chunkCount;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_chunks[mid].Last < id) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static int IndexIn(Chunk c, StreamId id)
    {
        int lo = 0, hi = c.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (c.Keys[mid] < id) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The first key ≥ <paramref name="id"/>.</summary>
    public Pos LowerBound(StreamId id)
    {
        int ci = ChunkFor(id);
        return ci == _chunkCount ? Pos.None : new Pos(ci, IndexIn(_chunks[ci], id));
    }

    /// <summary>The last key ≤ <paramref name="id"/>.</summary>
    public Pos Floor(StreamId id)
    {
        var p = LowerBound(id);
        if (!p.IsValid) return Last;
        return KeyAt(p) == id ? p : Prev(p);
    }

    public Pos Find(StreamId id)
    {
        var p = LowerBound(id);
        return p.IsValid && KeyAt(p) == id ? p : Pos.None;
    }

    public bool TryGetValue(StreamId id, out T value)
    {
        var p = Find(id);
        value = p.IsValid ? ValueAt(p) : default!;
        return p.IsValid;
    }

    public bool ContainsKey(StreamId id) => Find(id).IsValid;

    /// <summary>Adds <paramref name="id"/>; false (nothing changed) when it is already there.</summary>
    public bool TryAdd(StreamId id, T value)
    {
        if (_chunkCount == 0)
        {
            var first = new Chunk(4);
            first.Keys[0] = id;
            first.Values[0] = value;
            first.Count = 1;
            InsertChunk(0, first);
            Count = 1;
            return true;
        }
        int ci = ChunkFor(id);
        if (ci == _chunkCount) ci--; // beyond every key: append to the last chunk
        var c = _chunks[ci];
        int i = IndexIn(c, id);
        if (i < c.Count && c.Keys[i] == id) return false;
        if (c.Count == c.Keys.Length)
        {
            if (c.Count < ChunkMax)
            {
                _chunkBytes -= ChunkBytes(c);
                c = Grow(c, Math.Min(ChunkMax, c.Count * 2));
                _chunkBytes += ChunkBytes(c);
                _chunks[ci] = c;
            }
            else
            {
                // Appending past the end starts a new chunk (ordered inserts fill chunks completely);
                // otherwise split in halves.
                if (ci == _chunkCount - 1 && i == c.Count)
                {
                    var tail = new Chunk(ChunkMax);
                    tail.Keys[0] = id;
                    tail.Values[0] = value;
                    tail.Count = 1;
                    InsertChunk(ci + 1, tail);
                    Count++;
                    return true;
                }
                var right = new Chunk(ChunkMax);
                int half = c.Count / 2;
                Array.Copy(c.Keys, half, right.Keys, 0, c.Count - half);
                Array.Copy(c.Values, half, right.Values, 0, c.Count - half);
                right.Count = c.Count - half;
                Array.Clear(c.Values, half, c.Count - half);
                c.Count = half;
                InsertChunk(ci + 1, right);
                if (i > half)
                {
                    c = right;
                    i -= half;
                }
            }
        }
        Array.Copy(c.Keys, i, c.Keys, i + 1, c.Count - i);
        Array.Copy(c.Values, i, c.Values, i + 1, c.Count - i);
        c.Keys[i] = id;
        c.Values[i] = value;
        c.Count++;
        Count++;
        return true;
    }

    private static Chunk Grow(Chunk c, int capacity)
    {
        var bigger = new Chunk(capacity);
        Array.Copy(c.Keys, bigger.Keys, c.Count);
        Array.Copy(c.Values, bigger.Values, c.Count);
        bigger.Count = c.Count;
        return bigger;
    }

    private void InsertChunk(int at, Chunk c)
    {
        if (_chunkCount == _chunks.Length) Array.Resize(ref _chunks, Math.Max(4, _chunkCount * 2));
        Array.Copy(_chunks, at, _chunks, at + 1, _chunkCount - at);
        _chunks[at] = c;
        _chunkCount++;
        _chunkBytes += ChunkBytes(c);
    }

    public bool Remove(StreamId id)
    {
        var p = Find(id);
        if (!p.IsValid) return false;
        RemoveAt(p);
        return true;
    }

    /// <summary>Removes the key at <paramref name="p"/>; returns the position of the key that followed it.</summary>
    public Pos RemoveAt(Pos p)
    {
        var c = _chunks[p.Chunk];
        c.Count--;
        Array.Copy(c.Keys, p.Index + 1, c.Keys, p.Index, c.Count - p.Index);
        Array.Copy(c.Values, p.Index + 1, c.Values, p.Index, c.Count - p.Index);
        c.Values[c.Count] = default!;
        Count--;
        if (c.Count == 0)
        {
            _chunkBytes -= ChunkBytes(c);
            _chunkCount--;
            Array.Copy(_chunks, p.Chunk + 1, _chunks, p.Chunk, _chunkCount - p.Chunk);
            _chunks[_chunkCount] = null!;
            if (_chunkCount == 0) _chunks = [];
            return p.Chunk < _chunkCount ? new Pos(p.Chunk, 0) : Pos.None;
        }
        if (p.Index < c.Count) return p;
        return p.Chunk + 1 < _chunkCount ? new Pos(p.Chunk + 1, 0) : Pos.None;
    }

    /// <summary>Every pair in order (for copies and tests).</summary>
    public IEnumerable<(StreamId Key, T Value)> Pairs()
    {
        for (int ci = 0; ci < _chunkCount; ci++)
        {
            var c = _chunks[ci];
            for (int i = 0; i < c.Count; i++) yield return (c.Keys[i], c.Values[i]);
        }
    }
}
