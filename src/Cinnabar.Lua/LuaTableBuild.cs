using System.Buffers;
using System.Runtime.CompilerServices;

namespace Cinnabar.Lua;

/// <summary>
/// Filling a new table in one go with what a run of raw sets would store (cjson's decoder), without building
/// the hash parts those sets grow through, while ending with exactly their layout: next's order depends on it.
/// </summary>
public sealed partial class LuaTable
{
    /// <summary>
    /// As <c>SetInt(i + 1, values[i])</c> for each i in order on a new empty table, for non-nil values: such a
    /// run rehashes whenever a key falls just past the array part, and ends with an array part of the next power
    /// of two and no hash part.
    /// </summary>
    internal void FillSequence(ReadOnlySpan<LuaValue> values)
    {
        if (values.IsEmpty) return;
        SetArrayVector(1 << CeilLog2((uint)values.Length));
        values.CopyTo(_array);
    }

    /// <summary>
    /// As <c>SetStr(keys[i], values[i])</c> for each i in order on a new empty table, for non-nil values
    /// (pairs holds key, value, key, value...). A table with string keys only rehashes when full, to twice the
    /// size, reinserting its nodes from the last to the first; that run is replayed here on node indexes
    /// (which pair's key and value sit in a node, and its chain link) and the nodes are built once at the end.
    /// </summary>
    [SkipLocalsInit]
    internal void FillStringPairs(ReadOnlySpan<LuaValue> pairs, PairsLayoutCache? layouts = null)
    {
        int n = pairs.Length / 2;
        if (n == 0) return;
        if (layouts is not null && layouts.Find(pairs, RedisHash) is { } known)
        {
            BuildNodes(pairs, known.Size, known.LastFree, known.KeyOf, known.ValOf, known.Next);
            return;
        }
        int cap = 1 << CeilLog2((uint)n);
        const int StackCap = 64;
        int[]? rented = cap > StackCap ? ArrayPool<int>.Shared.Rent(6 * cap) : null;
        Span<int> scratch = rented is null ? stackalloc int[6 * cap] : rented; // every slot is written before it is read
        var hash = scratch[..n];
        var keyOf = scratch.Slice(cap, cap);      // pair whose key a node holds, -1 if empty
        var valOf = scratch.Slice(2 * cap, cap);  // pair whose value it holds (a later equal key overwrites)
        var next = scratch.Slice(3 * cap, cap);
        var oldKey = scratch.Slice(4 * cap, cap);
        var oldVal = scratch.Slice(5 * cap, cap);
        // keys are strings (the caller's contract): no cast checks in the loops
        for (int p = 0; p < n; p++) hash[p] = (int)StrHash(Unsafe.As<LuaString>(pairs[2 * p].O!));

        int size = 0, used = 0, lastFree = 0;
        for (int p = 0; p < n; p++)
        {
            if (size > 0)
            {
                var key = Unsafe.As<LuaString>(pairs[2 * p].O!);
                int found = -1;
                for (int i = hash[p] & (size - 1); i >= 0; i = next[i])
                {
                    int k = keyOf[i];
                    if (k >= 0 && hash[k] == hash[p] && Unsafe.As<LuaString>(pairs[2 * k].O!).ContentEquals(key)) { found = i; break; }
                }
                if (found >= 0) { valOf[found] = p; continue; }
            }
            if (used == size)
            {
                // full: 5.1 doubles the node vector (1 from none) and reinserts the old nodes from the last down
                int oldSize = size;
                size = oldSize == 0 ? 1 : oldSize * 2;
                for (int i = 0; i < oldSize; i++) { oldKey[i] = keyOf[i]; oldVal[i] = valOf[i]; }
                for (int i = 0; i < size; i++) { keyOf[i] = -1; next[i] = -1; }
                lastFree = size;
                for (int i = oldSize - 1; i >= 0; i--)
                    PlaceNode(oldKey[i], oldVal[i], hash, keyOf, valOf, next, size, ref lastFree);
            }
            PlaceNode(p, p, hash, keyOf, valOf, next, size, ref lastFree);
            used++;
        }

        BuildNodes(pairs, size, lastFree, keyOf, valOf, next);
        layouts?.Keep(pairs, RedisHash, size, lastFree, keyOf, valOf, next);
        if (rented is not null) ArrayPool<int>.Shared.Return(rented);
    }

    void BuildNodes(ReadOnlySpan<LuaValue> pairs, int size, int lastFree, ReadOnlySpan<int> keyOf, ReadOnlySpan<int> valOf, ReadOnlySpan<int> next)
    {
        SetNodeVector(size);
        var node = _node;
        for (int i = 0; i < size; i++)
        {
            int k = keyOf[i];
            if (k < 0) continue;
            node[i].Key = pairs[2 * k];
            node[i].Val = pairs[2 * valOf[i] + 1];
            node[i].Next = next[i];
        }
        _lastFree = lastFree;
    }

    // NewKey on node indexes: the key of pair k goes to its main position, moving a colliding node that is not
    // in its own main position to a free node, or chaining itself in a free node after the one that is.
    static void PlaceNode(int k, int v, Span<int> hash, Span<int> keyOf, Span<int> valOf, Span<int> next, int size, ref int lastFree)
    {
        int mask = size - 1;
        int mp = hash[k] & mask;
        if (keyOf[mp] >= 0)
        {
            int free;
            do free = --lastFree; while (keyOf[free] >= 0); // a free node exists: the table is not full
            int othern = hash[keyOf[mp]] & mask;
            if (othern != mp)
            {
                while (next[othern] != mp) othern = next[othern];
                next[othern] = free;
                keyOf[free] = keyOf[mp]; valOf[free] = valOf[mp]; next[free] = next[mp];
                next[mp] = -1;
            }
            else
            {
                next[free] = next[mp];
                next[mp] = free;
                mp = free;
            }
        }
        keyOf[mp] = k;
        valOf[mp] = v;
    }
}

/// <summary>
/// Layouts FillStringPairs found, by their key sequence: a decoder that meets objects of one shape again (the
/// same interned key strings in the same order) reuses the layout instead of replaying the inserts. The layout
/// depends only on the keys' hashes and which of them are equal, so the same key objects give the same one.
/// </summary>
internal sealed class PairsLayoutCache
{
    internal sealed class Layout
    {
        public LuaString[] Keys = [];
        public int Count;
        public bool RedisHash;
        public int Size, LastFree;
        public int[] KeyOf = [], ValOf = [], Next = [];
    }

    const int Slots = 16;
    const int MaxKeys = 64; // larger objects are rarely repeated shapes; not kept
    readonly Layout?[] _slots = new Layout?[Slots];

    static int SlotOf(ReadOnlySpan<LuaValue> pairs)
    {
        int n = pairs.Length / 2;
        uint h = (uint)n * 31 + ((LuaString)pairs[0].O!).Hash * 7 + ((LuaString)pairs[2 * (n - 1)].O!).Hash;
        return (int)(h % Slots);
    }

    public Layout? Find(ReadOnlySpan<LuaValue> pairs, bool redisHash)
    {
        int n = pairs.Length / 2;
        if (n > MaxKeys) return null;
        var l = _slots[SlotOf(pairs)];
        if (l is null || l.Count != n || l.RedisHash != redisHash) return null;
        var keys = l.Keys;
        for (int i = 0; i < n; i++)
            if (!ReferenceEquals(keys[i], pairs[2 * i].O)) return null;
        return l;
    }

    public void Keep(ReadOnlySpan<LuaValue> pairs, bool redisHash, int size, int lastFree, ReadOnlySpan<int> keyOf, ReadOnlySpan<int> valOf, ReadOnlySpan<int> next)
    {
        int n = pairs.Length / 2;
        if (n > MaxKeys) return;
        ref var slot = ref _slots[SlotOf(pairs)];
        var l = slot ??= new Layout();
        // a slot's arrays are reused when they are large enough: a stream of new shapes allocates little
        if (l.Keys.Length < n) l.Keys = new LuaString[Math.Max(n, 8)];
        if (l.KeyOf.Length < size) { int c = Math.Max(size, 8); l.KeyOf = new int[c]; l.ValOf = new int[c]; l.Next = new int[c]; }
        for (int i = 0; i < n; i++) l.Keys[i] = (LuaString)pairs[2 * i].O!;
        l.Keys.AsSpan(n).Clear(); // no hold on strings of an older shape
        keyOf[..size].CopyTo(l.KeyOf);
        valOf[..size].CopyTo(l.ValOf);
        next[..size].CopyTo(l.Next);
        l.Count = n;
        l.RedisHash = redisHash;
        l.Size = size;
        l.LastFree = lastFree;
    }
}
