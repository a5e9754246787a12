namespace Cinnabar.Types;

/// <summary>
/// A span-counting skiplist ordered by (score, member bytes), as Redis's zskiplist: every forward link
/// records how many level-0 nodes it jumps, so rank lookups and rank-based access are O(log n) without a
/// separate index. Chosen over a balanced tree because ZRANGE-style work is "find a position, then walk
/// neighbours", which the level-0 list (with back links) does with no extra cost.
/// </summary>
public sealed class SkipList
{
    public const int MaxLevel = 32;
    private const int LevelProbabilityInverse = 4; // p = 1/4, as Redis

    public sealed class Node
    {
        internal Node(int level, double score, byte[]? member)
        {
            Score = score;
            Member = member!;
            if (level > 1) _upper = new Level[level - 1];
        }

        public byte[] Member { get; }
        public double Score { get; internal set; }
        public Node? Backward { get; internal set; }
        // Three nodes in four have one level: its link is a field, and only higher levels take an array
        // (32 bytes less per such node). A level-0 link always jumps one node, so its span is not stored.
        private Node? _forward0;
        private readonly Level[]? _upper;

        /// <summary>The next node in ascending order, or null.</summary>
        public Node? Next => _forward0;

        internal int LevelCount => _upper == null ? 1 : _upper.Length + 1;

        internal Node? Forward(int level) => level == 0 ? _forward0 : _upper![level - 1].Forward;

        internal void SetForward(int level, Node? node)
        {
            if (level == 0) _forward0 = node;
            else _upper![level - 1].Forward = node;
        }

        /// <summary>How many level-0 steps the link at <paramref name="level"/> jumps (read only while it leads somewhere).</summary>
        internal long Span(int level) => level == 0 ? 1 : _upper![level - 1].Span;

        internal void SetSpan(int level, long span)
        {
            if (level != 0) _upper![level - 1].Span = span;
        }
    }

    private struct Level
    {
        public Node? Forward;
        /// <summary>How many level-0 steps the forward link jumps.</summary>
        public long Span;
    }

    private readonly Node _header = new(MaxLevel, 0, null);
    private Node? _tail;
    private int _level = 1;
    private readonly Random _random;

    // Scratch vectors for insert/delete; commands run one at a time per thread, so one per thread suffices.
    [ThreadStatic] private static Node[]? t_update;
    private static Node[] UpdateVector() => t_update ??= new Node[MaxLevel];

    public SkipList(Random? random = null) => _random = random ?? Random.Shared;

    public long Count { get; private set; }

    /// <summary>Bytes of the element nodes: each node (member, score, back link, levels reference), its level array and its member.</summary>
    public long NodeBytes { get; private set; }

    /// <summary>Bytes of the list itself and its 32-level header node, besides <see cref="NodeBytes"/>.</summary>
    public static readonly long FixedBytes = HeapSize.Object(48) + NodeSize(MaxLevel, 0);

    private static long NodeSize(int levels, int memberLength) =>
        HeapSize.Object(40) + (levels > 1 ? HeapSize.Array(levels - 1, 16) : 0) + (memberLength > 0 ? HeapSize.ByteArray(memberLength) : 0);
    public Node? First => _header.Next;
    public Node? Last => _tail;

    /// <summary>Total order of elements: by score, then by member bytes (shorter prefix first).</summary>
    public static int Compare(double scoreA, ReadOnlySpan<byte> memberA, double scoreB, ReadOnlySpan<byte> memberB)
    {
        if (scoreA < scoreB) return -1;
        if (scoreA > scoreB) return 1;
        return memberA.SequenceCompareTo(memberB);
    }

    private int RandomLevel()
    {
        int level = 1;
        while (level < MaxLevel && _random.Next(LevelProbabilityInverse) == 0) level++;
        return level;
    }

    /// <summary>Inserts an element the caller knows is absent.</summary>
    public Node Insert(double score, byte[] member)
    {
        Span<long> rank = stackalloc long[MaxLevel];
        var update = UpdateVector();
        var x = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            rank[i] = i == _level - 1 ? 0 : rank[i + 1];
            while (x.Forward(i) is { } f && Compare(f.Score, f.Member, score, member) < 0)
            {
                rank[i] += x.Span(i);
                x = f;
            }
            update[i] = x;
        }
        int level = RandomLevel();
        if (level > _level)
        {
            for (int i = _level; i < level; i++)
            {
                rank[i] = 0;
                update[i] = _header;
                update[i].SetSpan(i, Count);
            }
            _level = level;
        }
        var node = new Node(level, score, member);
        for (int i = 0; i < level; i++)
        {
            node.SetForward(i, update[i].Forward(i));
            update[i].SetForward(i, node);
            node.SetSpan(i, update[i].Span(i) - (rank[0] - rank[i]));
            update[i].SetSpan(i, rank[0] - rank[i] + 1);
        }
        for (int i = level; i < _level; i++) update[i].SetSpan(i, update[i].Span(i) + 1);
        node.Backward = update[0] == _header ? null : update[0];
        if (node.Next is { } after) after.Backward = node;
        else _tail = node;
        Count++;
        NodeBytes += NodeSize(level, member.Length);
        return node;
    }

    /// <summary>Removes the element with this score and member; false when absent.</summary>
    public bool Delete(double score, ReadOnlySpan<byte> member)
    {
        var update = UpdateVector();
        var x = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Forward(i) is { } f && Compare(f.Score, f.Member, score, member) < 0) x = f;
            update[i] = x;
        }
        var target = x.Next;
        if (target == null || target.Score != score || !target.Member.AsSpan().SequenceEqual(member)) return false;
        Unlink(target, update);
        return true;
    }

    private void Unlink(Node node, Node[] update)
    {
        for (int i = 0; i < _level; i++)
        {
            if (update[i].Forward(i) == node)
            {
                update[i].SetSpan(i, update[i].Span(i) + node.Span(i) - 1);
                update[i].SetForward(i, node.Forward(i));
            }
            else update[i].SetSpan(i, update[i].Span(i) - 1);
        }
        if (node.Next is { } after) after.Backward = node.Backward;
        else _tail = node.Backward;
        while (_level > 1 && _header.Forward(_level - 1) == null) _level--;
        Count--;
        NodeBytes -= NodeSize(node.LevelCount, node.Member.Length);
    }

    /// <summary>
    /// Changes a node's score. When the node stays between its neighbours it is updated in place;
    /// otherwise it is removed and inserted again. Returns the node now holding the element.
    /// </summary>
    public Node UpdateScore(Node node, double newScore)
    {
        var prev = node.Backward;
        var next = node.Next;
        if ((prev == null || Compare(prev.Score, prev.Member, newScore, node.Member) < 0)
            && (next == null || Compare(next.Score, next.Member, newScore, node.Member) > 0))
        {
            node.Score = newScore;
            return node;
        }
        Delete(node.Score, node.Member);
        return Insert(newScore, node.Member);
    }

    /// <summary>1-based rank of the element, or 0 when absent.</summary>
    public long GetRank(double score, ReadOnlySpan<byte> member)
    {
        long rank = 0;
        var x = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Forward(i) is { } f && Compare(f.Score, f.Member, score, member) <= 0)
            {
                rank += x.Span(i);
                x = f;
            }
            if (x != _header && x.Score == score && x.Member.AsSpan().SequenceEqual(member)) return rank;
        }
        return 0;
    }

    /// <summary>The node at a 1-based rank, or null when out of range.</summary>
    public Node? GetByRank(long rank)
    {
        if (rank < 1 || rank > Count) return null;
        long traversed = 0;
        var x = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Forward(i) is { } f && traversed + x.Span(i) <= rank)
            {
                traversed += x.Span(i);
                x = f;
            }
            if (traversed == rank) return x;
        }
        return null;
    }

    /// <summary>
    /// How many leading elements satisfy <paramref name="before"/>, which must hold for a prefix of the
    /// order (e.g. "score &lt; min"). O(log n) by walking the levels and summing spans.
    /// </summary>
    public long CountWhile<TPredicate>(in TPredicate before) where TPredicate : struct, IElementPredicate
    {
        long rank = 0;
        var x = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Forward(i) is { } f && before.Holds(f.Score, f.Member))
            {
                rank += x.Span(i);
                x = f;
            }
        }
        return rank;
    }
}

/// <summary>A test on an element that holds for a prefix of the sorted order (used to turn bounds into ranks).</summary>
public interface IElementPredicate
{
    bool Holds(double score, ReadOnlySpan<byte> member);
}
