using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>
/// A Redis list as Redis 7.0 keeps it: a quicklist, i.e. a deque of nodes, each node one byte array of
/// listpack-style entries (<see cref="ListEntry"/>), a node's size bounded by list-max-listpack-size
/// (negative: -1..-5 = 4..64 KB per node; positive: entries per node, at most 8 KB). Pushes and pops at
/// both ends are amortized O(1); index access skips whole nodes by their counts from the nearer end.
/// Reports "quicklist" as Redis 7.0 does for every list.
/// </summary>
public sealed partial class RedisList : IRedisValue
{
    /// <summary>Redis's byte cap for nodes whose fill is a count of entries.</summary>
    private const int SafetyLimit = 8192;
    private static readonly int[] ByteLimits = [4096, 8192, 16384, 32768, 65536];

    private readonly int _fill;
    // Most lists are small: a list of one node keeps it in _solo and has no node array (null).
    private ListNode? _solo;
    private ListNode[]? _nodes;
    private int _first;
    private int _nodeCount;
    private int _count;
    private long _nodeBytes; // every node object and its array

    // Fields: fill, solo node, node array, first, node count, count, node bytes, accounted size.
    public long MemoryBytes => HeapSize.Object(48) + (_nodes == null ? 0 : HeapSize.Array(_nodes.Length, HeapSize.Reference)) + _nodeBytes;
    public long AccountedBytes { get; set; } = -1;

    // A node: its array reference, start, end and count.
    private static long NodeBytes(ListNode node) => HeapSize.Object(20) + HeapSize.ByteArray(node.Buf.Length);

    /// <summary>Gives <paramref name="node"/> a new array, keeping the byte count.</summary>
    private void SetBuffer(ListNode node, byte[] buf)
    {
        _nodeBytes += HeapSize.ByteArray(buf.Length) - HeapSize.ByteArray(node.Buf.Length);
        node.Buf = buf;
    }

    private void CompactNode(ListNode? node)
    {
        if (node == null) return;
        long before = NodeBytes(node);
        node.Compact();
        _nodeBytes += NodeBytes(node) - before;
    }

    /// <param name="fill">list-max-listpack-size at the list's creation (clamped as Redis does).</param>
    public RedisList(int fill = -2)
    {
        _fill = ClampFill(fill);
    }

    /// <summary>list-max-listpack-size as a list keeps it (clamped as Redis does).</summary>
    public static int ClampFill(int fill) => fill > 1 << 15 ? 1 << 15 : fill < -5 ? -5 : fill;

    public string TypeName => "list";
    public string EncodingName => "quicklist";

    public int Count => _count;

    /// <summary>Number of nodes (for tests and DEBUG).</summary>
    public int NodeCount => _nodeCount;

    /// <summary>Elements in node <paramref name="i"/> (RDB files keep Redis's node boundaries).</summary>
    public int NodeElementCount(int i) => NodeAt(i).Count;

    public byte[] this[int index]
    {
        get
        {
            var node = Locate(index, out _, out int pos);
            return Listpack.ReadBytes(node.Buf, pos);
        }
        set => Set(index, value);
    }

    // ---- node deque -------------------------------------------------------------------------------

    private ListNode NodeAt(int i) => _nodes == null ? _solo! : _nodes[(_first + i) & (_nodes.Length - 1)];

    /// <summary>Moves a one-node list to a node array before a second node joins.</summary>
    private ListNode[] NodeArrayForAdd()
    {
        if (_nodes == null)
        {
            _nodes = new ListNode[2];
            _nodes[0] = _solo!;
            _solo = null;
            _first = 0;
        }
        else if (_nodeCount == _nodes.Length)
        {
            ResizeNodes(_nodes.Length * 2);
        }
        return _nodes;
    }

    private void AddNodeLast(ListNode node)
    {
        _nodeBytes += NodeBytes(node);
        if (_nodeCount == 0) { _solo = node; _nodeCount = 1; return; }
        var nodes = NodeArrayForAdd();
        nodes[(_first + _nodeCount) & (nodes.Length - 1)] = node;
        _nodeCount++;
    }

    private void AddNodeFirst(ListNode node)
    {
        _nodeBytes += NodeBytes(node);
        if (_nodeCount == 0) { _solo = node; _nodeCount = 1; return; }
        var nodes = NodeArrayForAdd();
        _first = (_first - 1) & (nodes.Length - 1);
        nodes[_first] = node;
        _nodeCount++;
    }

    private void RemoveFirstNode()
    {
        if (_nodes == null) { ClearNodes(); return; }
        _nodeBytes -= NodeBytes(_nodes[_first]);
        _nodes[_first] = null!;
        _first = (_first + 1) & (_nodes.Length - 1);
        _nodeCount--;
        MaybeShrinkNodes();
    }

    private void RemoveLastNode()
    {
        if (_nodes == null) { ClearNodes(); return; }
        ref var last = ref _nodes[(_first + _nodeCount - 1) & (_nodes.Length - 1)];
        _nodeBytes -= NodeBytes(last);
        last = null!;
        _nodeCount--;
        MaybeShrinkNodes();
    }

    private void ClearNodes()
    {
        _solo = null;
        _nodes = null;
        _first = _nodeCount = 0;
        _nodeBytes = 0;
    }

    private void ResizeNodes(int size)
    {
        var resized = new ListNode[size];
        for (int i = 0; i < _nodeCount; i++) resized[i] = NodeAt(i);
        _nodes = resized;
        _first = 0;
    }

    private void MaybeShrinkNodes()
    {
        if (_nodeCount == 1)
        {
            var only = NodeAt(0);
            ClearNodes();
            _solo = only;
            _nodeCount = 1;
            _nodeBytes = NodeBytes(only);
        }
        else if (_nodes!.Length > 16 && _nodeCount * 4 < _nodes.Length)
        {
            ResizeNodes(_nodes.Length / 2);
        }
    }

    /// <summary>Replaces the whole node sequence (after edits in the middle).</summary>
    private void SetNodes(List<ListNode> nodes)
    {
        ClearNodes();
        if (nodes.Count == 1) _solo = nodes[0];
        else if (nodes.Count > 1)
        {
            int size = 2;
            while (size < nodes.Count) size *= 2;
            _nodes = new ListNode[size];
            nodes.CopyTo(_nodes);
        }
        _nodeCount = nodes.Count;
        foreach (var node in nodes) _nodeBytes += NodeBytes(node);
    }

    // ---- node size rules --------------------------------------------------------------------------

    /// <summary>A Redis listpack's header and end byte, counted so nodes split where Redis's do.</summary>
    private const int ListpackOverhead = 7;

    private int ByteLimit => ByteLimitFor(_fill);

    private static int ByteLimitFor(int fill) => fill < 0 ? ByteLimits[-fill - 1] : SafetyLimit;

    /// <summary>Whether an entry of <paramref name="size"/> bytes may join <paramref name="node"/> (Redis's rule).</summary>
    private bool AllowInsert(ListNode node, int size) => AllowInsert(_fill, node.Used, node.Count, size);

    /// <summary>
    /// Redis's rule for an entry of <paramref name="size"/> bytes joining a node of <paramref name="used"/> bytes and
    /// <paramref name="count"/> entries under list-max-listpack-size <paramref name="fill"/>.
    /// </summary>
    public static bool AllowInsert(int fill, int used, int count, int size) =>
        ListpackOverhead + used + size <= ByteLimitFor(fill) && (fill < 0 || count < fill);

    private bool CanMerge(ListNode a, ListNode b) =>
        ListpackOverhead + a.Used + b.Used <= ByteLimit && (_fill < 0 || a.Count + b.Count <= _fill);

    private bool Oversize(ListNode node) => Oversize(_fill, node.Used, node.Count);

    /// <summary>Whether a node of <paramref name="used"/> bytes and <paramref name="count"/> entries must split (after an edit in its middle).</summary>
    public static bool Oversize(int fill, int used, int count) =>
        count > 1 && (ListpackOverhead + used > ByteLimitFor(fill) || (fill >= 0 && count > Math.Max(fill, 1)));

    /// <summary>
    /// Makes room for <paramref name="size"/> bytes at one side of an end node: doubling the array up to the
    /// node limit, or re-centring the content when the free space is on the other side.
    /// </summary>
    private void EnsureRoom(ListNode node, int size, bool atHead)
    {
        if (atHead ? node.Start >= size : node.Buf.Length - node.End >= size) return;
        int used = node.Used;
        int length = node.Buf.Length;
        if (length - used < size)
            length = Math.Max(used + size, Math.Min(length * 2, ByteLimit));
        int free = length - used;
        bool alone = _nodeCount == 1;
        int front = atHead ? (alone ? size + (free - size) / 2 : free) : (alone ? (free - size) / 2 : 0);
        if (length != node.Buf.Length)
        {
            var bigger = StoredBytes.Allocate(length);
            node.Buf.AsSpan(node.Start, used).CopyTo(bigger.AsSpan(front));
            SetBuffer(node, bigger);
        }
        else
        {
            node.Buf.AsSpan(node.Start, used).CopyTo(node.Buf.AsSpan(front));
        }
        node.Start = front;
        node.End = front + used;
    }

    // ---- ends ---------------------------------------------------------------------------------------

    public void PushHead(ReadOnlySpan<byte> value)
    {
        int size = ListEntry.EncodedSize(value);
        ListNode? head = _nodeCount > 0 ? NodeAt(0) : null;
        if (head == null || !AllowInsert(head, size))
        {
            // A node that filled up predicts its neighbour: size the new one like it, so a growing list
            // makes no garbage of intermediate arrays.
            int capacity = Math.Max(size, Math.Min(head?.Used ?? 0, ByteLimit));
            CompactNode(head);
            head = new ListNode(StoredBytes.Allocate(capacity), capacity, capacity, 0);
            AddNodeFirst(head);
        }
        else
        {
            EnsureRoom(head, size, atHead: true);
        }
        head.Start -= size;
        ListEntry.Write(head.Buf.AsSpan(head.Start), value);
        head.Count++;
        _count++;
    }

    public void PushTail(ReadOnlySpan<byte> value)
    {
        int size = ListEntry.EncodedSize(value);
        ListNode? tail = _nodeCount > 0 ? NodeAt(_nodeCount - 1) : null;
        if (tail == null || !AllowInsert(tail, size))
        {
            int capacity = Math.Max(size, Math.Min(tail?.Used ?? 0, ByteLimit));
            CompactNode(tail);
            tail = new ListNode(StoredBytes.Allocate(capacity), 0, 0, 0);
            AddNodeLast(tail);
        }
        else
        {
            EnsureRoom(tail, size, atHead: false);
        }
        ListEntry.Write(tail.Buf.AsSpan(tail.End), value);
        tail.End += size;
        tail.Count++;
        _count++;
    }

    public byte[] PopHead() => Pop(head: true);

    public byte[] PopTail() => Pop(head: false);

    /// <summary>Removes the first (or last) element and returns a copy of it (the list commands reply from <see cref="PeekEnd"/> instead).</summary>
    private byte[] Pop(bool head)
    {
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        var value = PeekEnd(head, scratch).ToArray();
        DropEnd(head);
        return value;
    }

    // ---- positions ----------------------------------------------------------------------------------

    /// <summary>The node holding element <paramref name="index"/>, its number and the entry's offset in it.</summary>
    private ListNode Locate(int index, out int nodeIndex, out int pos)
    {
        if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
        ListNode node;
        int inNode;
        if (index < _count / 2)
        {
            nodeIndex = 0;
            node = NodeAt(0);
            while (index >= node.Count)
            {
                index -= node.Count;
                node = NodeAt(++nodeIndex);
            }
            inNode = index;
        }
        else
        {
            int fromEnd = _count - 1 - index;
            nodeIndex = _nodeCount - 1;
            node = NodeAt(nodeIndex);
            while (fromEnd >= node.Count)
            {
                fromEnd -= node.Count;
                node = NodeAt(--nodeIndex);
            }
            inNode = node.Count - 1 - fromEnd;
        }
        pos = SeekInNode(node, inNode);
        return node;
    }

    /// <summary>Offset of entry <paramref name="i"/> of a node, walked from the node's nearer end.</summary>
    private static int SeekInNode(ListNode node, int i)
    {
        int pos;
        if (i <= node.Count / 2)
        {
            pos = node.Start;
            for (int k = 0; k < i; k++) pos += ListEntry.SizeAt(node.Buf, pos);
        }
        else
        {
            pos = node.End;
            for (int k = node.Count; k > i; k--) pos = ListEntry.StartBefore(node.Buf, pos);
        }
        return pos;
    }

    /// <summary>A cursor at element <paramref name="start"/>, moving towards the tail (or the head when <paramref name="reverse"/>).</summary>
    public Cursor Iterate(int start, bool reverse = false)
    {
        if (start < 0 || start >= _count) return default;
        var node = Locate(start, out int nodeIndex, out int pos);
        return new Cursor(this, nodeIndex, node, pos, reverse ? start + 1 : _count - start, reverse);
    }

    /// <summary>Walks entries without copying them; a position is valid until the list changes.</summary>
    public struct Cursor
    {
        private readonly RedisList _list;
        private readonly bool _reverse;
        private int _nodeIndex;
        private ListNode _node;
        private int _pos;
        private int _left;

        internal Cursor(RedisList list, int nodeIndex, ListNode node, int pos, int left, bool reverse)
        {
            _list = list;
            _nodeIndex = nodeIndex;
            _node = node;
            _pos = pos;
            _left = left;
            _reverse = reverse;
        }

        /// <summary>True while the cursor is on an element.</summary>
        public readonly bool Valid => _left > 0;

        /// <summary>The element's text: a slice of the node, or of <paramref name="scratch"/> (≥ <see cref="Listpack.ScratchSize"/> bytes) for integers.</summary>
        public readonly ReadOnlySpan<byte> Read(Span<byte> scratch) => Listpack.Read(_node.Buf, _pos, scratch);

        public readonly byte[] ReadBytes() => Listpack.ReadBytes(_node.Buf, _pos);

        public readonly bool Matches(in Listpack.Probe probe) => Listpack.Matches(_node.Buf, _pos, probe);

        public void MoveNext()
        {
            if (--_left <= 0) return;
            if (!_reverse)
            {
                _pos += ListEntry.SizeAt(_node.Buf, _pos);
                if (_pos >= _node.End)
                {
                    _node = _list.NodeAt(++_nodeIndex);
                    _pos = _node.Start;
                }
            }
            else if (_pos == _node.Start)
            {
                _node = _list.NodeAt(--_nodeIndex);
                _pos = ListEntry.StartBefore(_node.Buf, _node.End);
            }
            else
            {
                _pos = ListEntry.StartBefore(_node.Buf, _pos);
            }
        }
    }

    // ---- edits in the middle ----------------------------------------------------------------------

    /// <summary>Replaces element <paramref name="index"/>.</summary>
    public void Set(int index, ReadOnlySpan<byte> value)
    {
        var node = Locate(index, out int nodeIndex, out int pos);
        Splice(node, pos, ListEntry.SizeAt(node.Buf, pos), value, insert: true);
        node.Count--;
        if (Oversize(node)) SplitAt(nodeIndex);
    }

    /// <summary>Inserts before position <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, ReadOnlySpan<byte> value)
    {
        if (index == 0) { PushHead(value); return; }
        if (index == _count) { PushTail(value); return; }
        var node = Locate(index, out int nodeIndex, out int pos);
        int size = ListEntry.EncodedSize(value);
        if (pos == node.Start && !AllowInsert(node, size) && AllowInsert(NodeAt(nodeIndex - 1), size))
        {
            // Before the first entry of a full node: the end of the previous node has room.
            var prev = NodeAt(nodeIndex - 1);
            Splice(prev, prev.End, 0, value, insert: true);
            _count++;
            return;
        }
        Splice(node, pos, 0, value, insert: true);
        _count++;
        if (Oversize(node)) SplitAt(nodeIndex);
    }

    /// <summary>
    /// Rewrites a node into an exactly sized array: <paramref name="removeLength"/> bytes at
    /// <paramref name="pos"/> go, and <paramref name="value"/>'s entry takes their place when <paramref name="insert"/>.
    /// </summary>
    private void Splice(ListNode node, int pos, int removeLength, ReadOnlySpan<byte> value, bool insert)
    {
        int size = insert ? ListEntry.EncodedSize(value) : 0;
        var buf = StoredBytes.Allocate(node.Used - removeLength + size);
        int head = pos - node.Start;
        node.Buf.AsSpan(node.Start, head).CopyTo(buf);
        if (insert) ListEntry.Write(buf.AsSpan(head), value);
        node.Buf.AsSpan(pos + removeLength, node.End - pos - removeLength).CopyTo(buf.AsSpan(head + size));
        SetBuffer(node, buf);
        node.Start = 0;
        node.End = buf.Length;
        if (insert) node.Count++;
    }

    /// <summary>Splits an oversized node in two at its middle entry, and again while a half is oversized.</summary>
    private void SplitAt(int nodeIndex)
    {
        var nodes = new List<ListNode>(_nodeCount + 2);
        for (int i = 0; i < _nodeCount; i++)
        {
            if (i == nodeIndex) SplitInto(NodeAt(i), nodes);
            else nodes.Add(NodeAt(i));
        }
        SetNodes(nodes);
    }

    private void SplitInto(ListNode node, List<ListNode> into)
    {
        if (!Oversize(node))
        {
            into.Add(node);
            return;
        }
        int half = node.Count / 2;
        int mid = SeekInNode(node, half);
        SplitInto(ListNode.Exact(node.Buf.AsSpan(node.Start, mid - node.Start), half), into);
        SplitInto(ListNode.Exact(node.Buf.AsSpan(mid, node.End - mid), node.Count - half), into);
    }

    /// <summary>Removes the items at the given ascending positions (LREM).</summary>
    public void RemoveAt(IReadOnlyList<int> sortedPositions)
    {
        if (sortedPositions.Count == 0) return;
        var kept = new List<ListNode>(_nodeCount);
        int p = 0;
        int first = 0;
        for (int i = 0; i < _nodeCount; i++)
        {
            var node = NodeAt(i);
            int next = first + node.Count;
            if (p < sortedPositions.Count && sortedPositions[p] < next)
                node = WithoutEntries(node, first, sortedPositions, ref p);
            first = next;
            if (node.Count > 0) AddMerging(kept, node);
        }
        _count -= sortedPositions.Count;
        SetNodes(kept);
    }

    /// <summary>A copy of <paramref name="node"/> (whose first element has list index <paramref name="first"/>) without the listed positions.</summary>
    private static ListNode WithoutEntries(ListNode node, int first, IReadOnlyList<int> positions, ref int p)
    {
        var buf = StoredBytes.Allocate(node.Used);
        int length = 0, count = 0, pos = node.Start;
        for (int i = first; pos < node.End; i++)
        {
            int size = ListEntry.SizeAt(node.Buf, pos);
            if (p < positions.Count && positions[p] == i) p++;
            else
            {
                node.Buf.AsSpan(pos, size).CopyTo(buf.AsSpan(length));
                length += size;
                count++;
            }
            pos += size;
        }
        return ListNode.Exact(buf.AsSpan(0, length), count);
    }

    /// <summary>Adds a node to a rebuilt sequence, joining it to the previous one when both fit in one node.</summary>
    private void AddMerging(List<ListNode> nodes, ListNode node)
    {
        if (nodes.Count > 0 && CanMerge(nodes[^1], node))
        {
            var prev = nodes[^1];
            var buf = StoredBytes.Allocate(prev.Used + node.Used);
            prev.Buf.AsSpan(prev.Start, prev.Used).CopyTo(buf);
            node.Buf.AsSpan(node.Start, node.Used).CopyTo(buf.AsSpan(prev.Used));
            nodes[^1] = new ListNode(buf, 0, buf.Length, prev.Count + node.Count);
            return;
        }
        nodes.Add(node);
    }

    /// <summary>Keeps only positions start..end inclusive (already clamped; start &gt; end empties the list).</summary>
    public void Trim(int start, int end)
    {
        if (start > end || start >= _count)
        {
            ClearNodes();
            _count = 0;
            return;
        }
        int fromTail = _count - 1 - end;
        int fromHead = start;
        while (fromHead > 0)
        {
            var node = NodeAt(0);
            if (node.Count <= fromHead)
            {
                fromHead -= node.Count;
                _count -= node.Count;
                RemoveFirstNode();
                continue;
            }
            node.Start = SeekInNode(node, fromHead);
            node.Count -= fromHead;
            _count -= fromHead;
            fromHead = 0;
        }
        while (fromTail > 0)
        {
            var node = NodeAt(_nodeCount - 1);
            if (node.Count <= fromTail)
            {
                fromTail -= node.Count;
                _count -= node.Count;
                RemoveLastNode();
                continue;
            }
            node.End = SeekInNode(node, node.Count - fromTail);
            node.Count -= fromTail;
            _count -= fromTail;
            fromTail = 0;
        }
    }

    public List<byte[]> ToList()
    {
        var list = new List<byte[]>(_count);
        for (var c = Iterate(0); c.Valid; c.MoveNext()) list.Add(c.ReadBytes());
        return list;
    }

    /// <summary>Bytes held by the nodes' arrays (content and free space), for tests and memory checks.</summary>
    public long AllocatedBytes()
    {
        long total = 0;
        for (int i = 0; i < _nodeCount; i++) total += NodeAt(i).Buf.Length;
        return total;
    }

    /// <summary>DEBUG OBJECT's quicklist fields, as Redis 7.0 prints them (nodes are never compressed here).</summary>
    public string DebugFields()
    {
        long bytes = 0;
        for (int i = 0; i < _nodeCount; i++) bytes += ListpackOverhead + NodeAt(i).Used;
        double average = _nodeCount == 0 ? 0 : (double)_count / _nodeCount;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"ql_nodes:{_nodeCount} ql_avg_node:{average:F2} ql_listpack_max:{_fill} ql_compressed:0 ql_uncompressed_size:{bytes}");
    }

    public IRedisValue DeepCopy()
    {
        var copy = new RedisList(_fill);
        var nodes = new List<ListNode>(_nodeCount);
        for (int i = 0; i < _nodeCount; i++)
        {
            var node = NodeAt(i);
            nodes.Add(ListNode.Exact(node.Buf.AsSpan(node.Start, node.Used), node.Count));
        }
        copy.SetNodes(nodes);
        copy._count = _count;
        return copy;
    }
}
