using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>
/// A stream: entries ordered by ID in <see cref="StreamNode"/>s of Redis's listpack layout, the nodes found
/// through an ordered index of their master IDs (Redis uses a radix tree keyed by the same IDs), so a range
/// read is a binary search then a sequential walk. Also the stream's counters (last, first and max deleted
/// IDs, entries ever added) and its consumer groups, ordered by name.
/// </summary>
public sealed class RedisStream : IRedisValue
{
    private const long ListpackMaxSize = 1L << 30;

    internal readonly StreamIdMap<StreamNode> Nodes = new();

    public long Length { get; private set; }
    public StreamId LastId { get; set; }
    /// <summary>First entry's ID as Redis records it (0-0 when empty).</summary>
    public StreamId FirstId { get; private set; }
    public StreamId MaxDeletedId { get; set; }
    public long EntriesAdded { get; set; }

    /// <summary>Consumer groups by name, in byte order as Redis's radix tree lists them; null until the first.</summary>
    public SortedDictionary<byte[], StreamGroup>? Groups { get; private set; }

    public string TypeName => "stream";
    public string EncodingName => "stream";
    public int NodeCount => Nodes.Count;

    private long _nodeBytes; // Σ CountedBytes of the nodes

    // Fields: node map, length, the three IDs, entries added, groups, node bytes, accounted size. The groups are
    // walked (a stream has few); the nodes are counted as they change.
    public long MemoryBytes
    {
        get
        {
            long bytes = HeapSize.Object(88) + Nodes.MemoryBytes + _nodeBytes;
            if (Groups != null)
            {
                bytes += HeapSize.Object(40);
                foreach (var group in Groups.Values) bytes += StreamGroup.SortedNodeBytes + group.MemoryBytes;
            }
            return bytes;
        }
    }
    public long AccountedBytes { get; set; } = -1;

    /// <summary>Brings the node's share of <see cref="MemoryBytes"/> up to date after its array changed.</summary>
    private void Recount(StreamNode node)
    {
        long now = node.MemoryBytes;
        _nodeBytes += now - node.CountedBytes;
        node.CountedBytes = now;
    }

    private void RemoveNodeAt(StreamIdMap<StreamNode>.Pos p)
    {
        _nodeBytes -= Nodes.ValueAt(p).CountedBytes;
        Nodes.RemoveAt(p);
    }

    /// <summary>
    /// Appends an entry. <paramref name="id"/> must be greater than <see cref="LastId"/> (the caller checked).
    /// A new node starts when the tail node's listpack plus the new data reaches <paramref name="maxBytes"/>
    /// or it holds <paramref name="maxEntries"/> entries (live and deleted), as Redis decides it.
    /// </summary>
    public void Append<T>(StreamId id, in T fields, long maxBytes, long maxEntries) where T : IStreamFieldSource, allows ref struct
    {
        long dataBytes = 0;
        for (int i = 0; i < fields.PairCount; i++) dataBytes += fields.Field(i).Length + fields.Value(i).Length;
        StreamNode? tail = Nodes.Count > 0 ? Nodes.ValueAt(Nodes.Last) : null;
        if (tail != null)
        {
            long nodeMax = maxBytes == 0 || maxBytes > ListpackMaxSize ? ListpackMaxSize : maxBytes;
            if (tail.ListpackBytes + dataBytes >= nodeMax || (maxEntries != 0 && tail.Live + tail.Deleted >= maxEntries))
            {
                tail.ShrinkToFit();
                Recount(tail);
                tail = null;
            }
        }
        if (tail == null)
        {
            tail = StreamNode.Create(id, fields);
            Nodes.TryAdd(id, tail);
            tail.AppendEntry(id, fields, sameFields: true);
        }
        else
        {
            tail.AppendEntry(id, fields, tail.HasMasterFields(fields));
        }
        Recount(tail);
        Length++;
        EntriesAdded++;
        LastId = id;
        if (Length == 1) FirstId = id;
    }

    /// <summary>Adds a node read from an RDB file (nodes come in ID order).</summary>
    internal bool LoadNode(StreamNode node)
    {
        if (!Nodes.TryAdd(node.Master, node)) return false;
        Recount(node);
        return true;
    }

    /// <summary>The counters an RDB file records (or, for old files, what they imply).</summary>
    internal void LoadCounters(long length, StreamId lastId, StreamId firstId, StreamId maxDeletedId, long entriesAdded)
    {
        Length = length;
        LastId = lastId;
        FirstId = firstId;
        MaxDeletedId = maxDeletedId;
        EntriesAdded = entriesAdded;
    }

    /// <summary>Total bytes of the field names and values of an entry, checked against Redis's 1 GB listpack limit.</summary>
    public static bool FitsInNode<T>(in T fields) where T : IStreamFieldSource, allows ref struct
    {
        long total = 0;
        for (int i = 0; i < fields.PairCount; i++) total += fields.Field(i).Length + fields.Value(i).Length;
        return total <= ListpackMaxSize;
    }

    /// <summary>An iterator over the live entries with IDs in [<paramref name="start"/>, <paramref name="end"/>].</summary>
    public StreamIterator Range(StreamId start, StreamId end, bool reverse = false) => new(this, start, end, reverse);

    /// <summary>True when a live entry has this ID.</summary>
    public bool Contains(StreamId id)
    {
        var it = Range(id, id);
        return it.MoveNext();
    }

    /// <summary>Deletes the entry with this ID; false when there is none. The node goes when its last live entry does.</summary>
    public bool Delete(StreamId id)
    {
        var it = Range(id, id);
        if (!it.MoveNext()) return false;
        RemoveAt(ref it);
        if (id > MaxDeletedId) MaxDeletedId = id;
        if (Length == 0) FirstId = StreamId.Zero;
        else if (id == FirstId) FirstId = FirstLiveId();
        return true;
    }

    private void RemoveAt(ref StreamIterator it)
    {
        var node = it.Node!;
        if (node.Live == 1) RemoveNodeAt(Nodes.Find(node.Master));
        else node.MarkDeleted(it.EntryPos);
        Length--;
    }

    /// <summary>ID of the first live entry (0-0 when empty).</summary>
    public StreamId FirstLiveId()
    {
        var it = Range(StreamId.Zero, StreamId.Max);
        return it.MoveNext() ? it.Id : StreamId.Zero;
    }

    /// <summary>ID of the first entry of the first node, even a deleted one (the maximum ID when there is none).</summary>
    public StreamId FirstEntryIdIncludingDeleted()
    {
        if (Nodes.Count == 0) return StreamId.Max;
        var node = Nodes.ValueAt(Nodes.First);
        return node.ReadHeader(node.FirstEntry).Id;
    }

    /// <summary>ID of the last live entry (0-0 when empty).</summary>
    public StreamId LastLiveId()
    {
        var it = Range(StreamId.Zero, StreamId.Max, reverse: true);
        return it.MoveNext() ? it.Id : StreamId.Zero;
    }

    /// <summary>
    /// Trims from the head as Redis's streamTrim does: whole nodes while they fit under the limit; with
    /// <paramref name="approximate"/> only whole nodes, otherwise entries inside the first node that is left.
    /// <paramref name="limit"/> (0 = none) caps the entries removed, in whole nodes. Returns how many went.
    /// </summary>
    public long Trim(bool byMaxLen, long maxLen, StreamId minId, bool approximate, long limit)
    {
        long deleted = 0;
        while (Nodes.Count > 0)
        {
            if (byMaxLen && Length <= maxLen) break;
            var first = Nodes.First;
            var node = Nodes.ValueAt(first);
            long entries = node.Live;
            if (limit != 0 && deleted + entries > limit) break;
            bool removeNode = byMaxLen ? Length - entries >= maxLen : LastEntryIdIncludingDeleted(node) < minId;
            if (removeNode)
            {
                RemoveNodeAt(first);
                Length -= entries;
                deleted += entries;
                continue;
            }
            if (approximate) break;
            // Mark entries deleted inside this node until the target is met; deleted ones are walked over too.
            for (int pos = node.FirstEntry; pos < node.Used;)
            {
                var h = node.ReadHeader(pos);
                bool stop = byMaxLen ? Length <= maxLen : h.Id >= minId;
                if (stop) break;
                int next = node.NextEntry(pos, h);
                if (!h.IsDeleted)
                {
                    node.MarkDeleted(pos);
                    Length--;
                    deleted++;
                }
                pos = next;
            }
            break;
        }
        if (Length == 0) FirstId = StreamId.Zero;
        else if (deleted > 0) FirstId = FirstLiveId();
        return deleted;
    }

    /// <summary>ID of the node's last entry, deleted or not (Redis's lpGetEdgeStreamID for MINID trimming).</summary>
    private static StreamId LastEntryIdIncludingDeleted(StreamNode node) => node.ReadHeader(node.EntryBefore(node.Used)).Id;

    // ---- consumer groups ---------------------------------------------------------------------------

    public StreamGroup? FindGroup(ReadOnlySpan<byte> name)
    {
        if (Groups == null) return null;
        return Groups.GetValueOrDefault(name.ToArray());
    }

    /// <summary>Creates a group; null when one of that name exists.</summary>
    public StreamGroup? CreateGroup(ReadOnlySpan<byte> name, StreamId lastId, long entriesRead)
    {
        Groups ??= new SortedDictionary<byte[], StreamGroup>(ByteOrder.Instance);
        var key = name.ToArray();
        if (Groups.ContainsKey(key)) return null;
        var group = new StreamGroup(key, lastId, entriesRead);
        Groups.Add(key, group);
        return group;
    }

    public bool DestroyGroup(ReadOnlySpan<byte> name) => Groups != null && Groups.Remove(name.ToArray());

    /// <summary>
    /// Redis's streamRangeHasTombstones: whether an entry deleted from the middle of the stream may lie at or
    /// after <paramref name="start"/>, which makes a group's entries-read counter unreliable.
    /// </summary>
    public bool RangeHasTombstones(StreamId start)
    {
        if (Length == 0 || MaxDeletedId.IsZero) return false;
        if (FirstId > MaxDeletedId) return false;
        return start <= MaxDeletedId;
    }

    /// <summary>Redis's streamEstimateDistanceFromFirstEverEntry; -1 when it cannot be known.</summary>
    public long EstimateEntriesReadAt(StreamId id)
    {
        if (EntriesAdded == 0) return 0;
        if (Length == 0 && id <= LastId) return EntriesAdded;
        int cmpLast = id.CompareTo(LastId);
        if (cmpLast == 0) return EntriesAdded;
        if (cmpLast > 0) return StreamGroup.UnknownEntriesRead;
        int cmpFirst = id.CompareTo(FirstId);
        if (MaxDeletedId.IsZero || MaxDeletedId < FirstId)
        {
            if (cmpFirst < 0) return EntriesAdded - Length;
            if (cmpFirst == 0) return EntriesAdded - Length + 1;
        }
        return StreamGroup.UnknownEntriesRead;
    }

    /// <summary>A group's lag as XINFO reports it; null when it cannot be computed.</summary>
    public long? Lag(StreamGroup group)
    {
        if (EntriesAdded == 0) return 0;
        if (group.EntriesRead != StreamGroup.UnknownEntriesRead && !RangeHasTombstones(group.LastId))
            return EntriesAdded - group.EntriesRead;
        long read = EstimateEntriesReadAt(group.LastId);
        return read != StreamGroup.UnknownEntriesRead ? EntriesAdded - read : null;
    }

    /// <summary>Moves a group's last delivered ID to an entry it delivers, keeping entries-read as Redis does.</summary>
    public void AdvanceGroup(StreamGroup group, StreamId id)
    {
        if (id <= group.LastId) return;
        if (group.EntriesRead != StreamGroup.UnknownEntriesRead && !RangeHasTombstones(id)) group.EntriesRead++;
        else if (EntriesAdded != 0) group.EntriesRead = EstimateEntriesReadAt(id);
        group.LastId = id;
    }

    /// <summary>
    /// The number of nodes Redis's radix tree would have for these node keys (XINFO's radix-tree-nodes): the
    /// keys are the 16-byte big-endian master IDs, and a compressed radix tree over a set of keys has one
    /// node per edge plus the root.
    /// </summary>
    public long RadixTreeNodeCount()
    {
        var keys = new StreamId[Nodes.Count];
        int k = 0;
        foreach (var (key, _) in Nodes.Pairs()) keys[k++] = key;
        if (keys.Length == 0) return 1;
        return RadixNodes(keys, 0, keys.Length, 0);
    }

    private static int ByteAt(StreamId id, int depth) =>
        depth < 8 ? (int)(id.Ms >> (56 - 8 * depth)) & 0xFF : (int)(id.Seq >> (56 - 8 * (depth - 8))) & 0xFF;

    private static int CommonPrefix(StreamId a, StreamId b, int from)
    {
        int d = from;
        while (d < 16 && ByteAt(a, d) == ByteAt(b, d)) d++;
        return d;
    }

    /// <summary>Nodes of the subtree holding sorted keys [lo, hi) below a node at <paramref name="depth"/> bytes.</summary>
    private static long RadixNodes(StreamId[] keys, int lo, int hi, int depth)
    {
        if (depth == 16) return 1; // a key ends here: a leaf
        int common = CommonPrefix(keys[lo], keys[hi - 1], depth);
        if (common > depth) return 1 + RadixNodes(keys, lo, hi, common); // compressed node, then what follows
        long total = 1; // a branching node, then one child per distinct next byte
        int i = lo;
        while (i < hi)
        {
            int b = ByteAt(keys[i], depth);
            int j = i + 1;
            while (j < hi && ByteAt(keys[j], depth) == b) j++;
            total += RadixNodes(keys, i, j, depth + 1);
            i = j;
        }
        return total;
    }

    public IRedisValue DeepCopy()
    {
        var copy = new RedisStream
        {
            Length = Length,
            LastId = LastId,
            FirstId = FirstId,
            MaxDeletedId = MaxDeletedId,
            EntriesAdded = EntriesAdded,
        };
        foreach (var (key, node) in Nodes.Pairs())
        {
            var nodeCopy = node.Copy();
            copy.Nodes.TryAdd(key, nodeCopy);
            copy.Recount(nodeCopy);
        }
        if (Groups != null)
        {
            copy.Groups = new SortedDictionary<byte[], StreamGroup>(ByteOrder.Instance);
            foreach (var (name, group) in Groups) copy.Groups.Add(name, group.Copy());
        }
        return copy;
    }
}

/// <summary>Byte-wise order of names (memcmp, shorter first on a common prefix), as Redis's radix trees sort keys.</summary>
public sealed class ByteOrder : IComparer<byte[]>
{
    public static readonly ByteOrder Instance = new();
    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
