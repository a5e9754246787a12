using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cinnabar.Types;

/// <summary>
/// The large encoding of a sorted set: a span-counting skiplist ordered by (score, member bytes), as Redis's
/// zskiplist, whose nodes are also the entries of the member index. Every forward link records how many level-0
/// nodes it jumps, so ranks and rank-based access are O(log n) without a separate index; a skiplist rather than a
/// balanced tree because range commands are "find a position, then walk neighbours", which the level-0 list (with
/// back links) does for free.
/// <para>Each node is one record of a <see cref="BytesHashTable"/> keyed by the member: the record's value holds the
/// node, <c>[score][back link][level-0 link]</c> then <c>[link][span]</c> for each higher level, links being record
/// handles (0: none). So a member costs one record and one 16-byte index entry, with no object and no array of its
/// own: a million-member set is a few pages to the collector. Records never move while they live (a node's size is
/// fixed by its level), so a handle is a stable name for a node; a score change rewrites the record's score in place
/// and, when the order changes, relinks the same record.</para>
/// </summary>
public sealed class SkipList
{
    public const int MaxLevel = 32;
    private const int LevelProbabilityInverse = 4; // p = 1/4, as Redis

    // A node's value: score, back link, level-0 link (a level-0 link always jumps one node, so it has no span),
    // then a link and a span for each higher level.
    private const int ScoreAt = 0, BackwardAt = 8, Forward0At = 16, UpperAt = 24, UpperLevelSize = 12;

    /// <summary>The header's stand-in handle: its links live in <see cref="_header"/>, laid out as a node's.</summary>
    private const long Header = -1;

    private readonly BytesHashTable _members = new();
    private readonly byte[] _header = new byte[NodeSize(MaxLevel)];
    private long _tail;
    private int _level = 1;
    private readonly Random _random;

    // Scratch vectors for insert/delete; commands run one at a time per thread, so one per thread suffices.
    [ThreadStatic] private static long[]? t_update;
    private static long[] UpdateVector() => t_update ??= new long[MaxLevel];

    public SkipList(Random? random = null) => _random = random ?? Random.Shared;

    public long Count => _members.Count;

    /// <summary>The member table whose records are the nodes (DEBUG HTSTATS-KEY describes it as Redis describes a zset's dict).</summary>
    public BytesHashTable MemberTable => _members;

    /// <summary>Bytes of the list: itself, its header's arrays and its member index with the node records.</summary>
    public long MemoryBytes =>
        HeapSize.Object(40) + HeapSize.ByteArray(NodeSize(MaxLevel)) + _members.MemoryBytes;

    /// <summary>The first node in ascending order, or 0.</summary>
    public long First => ReadLink(_header, Forward0At);

    /// <summary>The last node in ascending order, or 0.</summary>
    public long Last => _tail;

    /// <summary>Total order of elements: by score, then by member bytes (shorter prefix first).</summary>
    public static int Compare(double scoreA, ReadOnlySpan<byte> memberA, double scoreB, ReadOnlySpan<byte> memberB)
    {
        if (scoreA < scoreB) return -1;
        if (scoreA > scoreB) return 1;
        return memberA.SequenceCompareTo(memberB);
    }

    // ---- node fields -------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Node(long node, out ReadOnlySpan<byte> member) => _members.ValueOf(node, out member);

    /// <summary>A node's fields, the header's included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Fields(long node) => node == Header ? _header : _members.ValueOf(node, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LinkAt(int level) => level == 0 ? Forward0At : UpperAt + (level - 1) * UpperLevelSize;

    /// <summary>How many level-0 steps a node's link at <paramref name="level"/> jumps (read only while it leads somewhere).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SpanIn(Span<byte> node, int level) =>
        level == 0 ? 1 : MemoryMarshal.Read<int>(node[(UpperAt + (level - 1) * UpperLevelSize + 8)..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long ReadLink(Span<byte> node, int at) => MemoryMarshal.Read<long>(node[at..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteLink(Span<byte> node, int at, long link) => MemoryMarshal.Write(node[at..], in link);

    private static int LevelsOf(Span<byte> node) => (node.Length - UpperAt) / UpperLevelSize + 1;

    private static int NodeSize(int levels) => UpperAt + (levels - 1) * UpperLevelSize;

    public double ScoreOf(long node) => MemoryMarshal.Read<double>(Node(node, out _));

    /// <summary>A node's member (good until the set's next change).</summary>
    public ReadOnlySpan<byte> MemberOf(long node)
    {
        Node(node, out var member);
        return member;
    }

    /// <summary>The node after <paramref name="node"/> in ascending order, or 0.</summary>
    public long Next(long node) => ReadLink(Node(node, out _), Forward0At);

    /// <summary>The node before <paramref name="node"/> in ascending order, or 0.</summary>
    public long Previous(long node) => ReadLink(Node(node, out _), BackwardAt);

    private long Forward(long node, int level) => ReadLink(Fields(node), LinkAt(level));

    private void SetForward(long node, int level, long to) => WriteLink(Fields(node), LinkAt(level), to);

    private int Span(long node, int level) => level == 0 ? 1 : SpanIn(Fields(node), level);

    private void SetSpan(long node, int level, int span)
    {
        if (level != 0) MemoryMarshal.Write(Fields(node)[(UpperAt + (level - 1) * UpperLevelSize + 8)..], in span);
    }

    /// <summary>
    /// Whether the node a link of <paramref name="x"/> (fields <paramref name="xFields"/>) leads to sorts before
    /// (score, member), or sorts the same with <paramref name="orEqual"/>: then <paramref name="forward"/> and
    /// <paramref name="forwardFields"/> are that node, the walk's next step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ForwardBefore(Span<byte> xFields, int level, double score, ReadOnlySpan<byte> member, out long forward,
        out Span<byte> forwardFields, bool orEqual = false)
    {
        forward = ReadLink(xFields, LinkAt(level));
        if (forward == 0)
        {
            forwardFields = default;
            return false;
        }
        forwardFields = Node(forward, out var fMember);
        double fScore = MemoryMarshal.Read<double>(forwardFields);
        if (fScore != score) return fScore < score;
        int c = fMember.SequenceCompareTo(member);
        return c < 0 || (orEqual && c == 0);
    }

    private int RandomLevel()
    {
        int level = 1;
        while (level < MaxLevel && _random.Next(LevelProbabilityInverse) == 0) level++;
        return level;
    }

    // ---- lookups -----------------------------------------------------------------------------------

    /// <summary>The node of <paramref name="member"/>, or 0.</summary>
    public long Find(ReadOnlySpan<byte> member)
    {
        int slot = _members.Find(member);
        return slot < 0 ? 0 : _members.RecordOf(slot);
    }

    /// <summary>1-based rank of the element, or 0 when absent.</summary>
    public long GetRank(double score, ReadOnlySpan<byte> member)
    {
        long rank = 0;
        long x = Header;
        Span<byte> xf = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (ForwardBefore(xf, i, score, member, out long f, out var ff, orEqual: true))
            {
                rank += SpanIn(xf, i);
                x = f;
                xf = ff;
            }
            if (x != Header)
            {
                Node(x, out var m);
                if (MemoryMarshal.Read<double>(xf) == score && m.SequenceEqual(member)) return rank;
            }
        }
        return 0;
    }

    /// <summary>The node at a 1-based rank, or 0 when out of range.</summary>
    public long GetByRank(long rank)
    {
        if (rank < 1 || rank > Count) return 0;
        long traversed = 0;
        long x = Header;
        Span<byte> xf = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            long f;
            while ((f = ReadLink(xf, LinkAt(i))) != 0 && traversed + SpanIn(xf, i) <= rank)
            {
                traversed += SpanIn(xf, i);
                x = f;
                xf = Node(f, out _);
            }
            if (traversed == rank) return x;
        }
        return 0;
    }

    /// <summary>
    /// How many leading elements satisfy <paramref name="before"/>, which must hold for a prefix of the
    /// order (e.g. "score &lt; min"). O(log n) by walking the levels and summing spans.
    /// </summary>
    public long CountWhile<TPredicate>(in TPredicate before) where TPredicate : struct, IElementPredicate
    {
        long rank = 0;
        Span<byte> xf = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            long f;
            while ((f = ReadLink(xf, LinkAt(i))) != 0)
            {
                var n = Node(f, out var m);
                if (!before.Holds(MemoryMarshal.Read<double>(n), m)) break;
                rank += SpanIn(xf, i);
                xf = n;
            }
        }
        return rank;
    }

    // ---- changes -----------------------------------------------------------------------------------

    /// <summary>Inserts an element the caller knows is absent; returns its node.</summary>
    public long Insert(double score, ReadOnlySpan<byte> member)
    {
        int level = RandomLevel();
        Span<byte> fresh = stackalloc byte[NodeSize(level)];
        MemoryMarshal.Write(fresh, in score);
        long node = _members.RecordOf(_members.Add(member, fresh, hasValue: true));
        Link(node, score, MemberOf(node), level);
        return node;
    }

    /// <summary>Puts an unlinked node (its score already written) in its place in the order.</summary>
    private void Link(long node, double score, ReadOnlySpan<byte> member, int level)
    {
        Span<int> rank = stackalloc int[MaxLevel];
        var update = UpdateVector();
        long x = Header;
        Span<byte> xf = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            rank[i] = i == _level - 1 ? 0 : rank[i + 1];
            while (ForwardBefore(xf, i, score, member, out long f, out var ff))
            {
                rank[i] += SpanIn(xf, i);
                x = f;
                xf = ff;
            }
            update[i] = x;
        }
        int count = (int)Count - 1; // the node is already counted by the index
        if (level > _level)
        {
            for (int i = _level; i < level; i++)
            {
                rank[i] = 0;
                update[i] = Header;
                SetSpan(Header, i, count);
            }
            _level = level;
        }
        for (int i = 0; i < level; i++)
        {
            SetForward(node, i, Forward(update[i], i));
            SetForward(update[i], i, node);
            SetSpan(node, i, Span(update[i], i) - (rank[0] - rank[i]));
            SetSpan(update[i], i, rank[0] - rank[i] + 1);
        }
        for (int i = level; i < _level; i++) SetSpan(update[i], i, Span(update[i], i) + 1);
        var n = Node(node, out _);
        WriteLink(n, BackwardAt, update[0] == Header ? 0 : update[0]);
        long after = ReadLink(n, Forward0At);
        if (after != 0) WriteLink(Node(after, out _), BackwardAt, node);
        else _tail = node;
    }

    /// <summary>Takes a node out of the order (its record stays, still indexed).</summary>
    private void Unlink(long node)
    {
        var update = UpdateVector();
        var n = Node(node, out var member);
        double score = MemoryMarshal.Read<double>(n);
        long x = Header;
        Span<byte> xf = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (ForwardBefore(xf, i, score, member, out long f, out var ff))
            {
                x = f;
                xf = ff;
            }
            update[i] = x;
        }
        for (int i = 0; i < _level; i++)
        {
            if (Forward(update[i], i) == node)
            {
                SetSpan(update[i], i, Span(update[i], i) + Span(node, i) - 1);
                SetForward(update[i], i, Forward(node, i));
            }
            else SetSpan(update[i], i, Span(update[i], i) - 1);
        }
        long after = ReadLink(n, Forward0At), before = ReadLink(n, BackwardAt);
        if (after != 0) WriteLink(Node(after, out _), BackwardAt, before);
        else _tail = before;
        while (_level > 1 && Forward(Header, _level - 1) == 0) _level--;
    }

    /// <summary>Removes the element of <paramref name="member"/>; false when absent.</summary>
    public bool Delete(ReadOnlySpan<byte> member)
    {
        int slot = _members.Find(member);
        if (slot < 0) return false;
        Unlink(_members.RecordOf(slot));
        _members.RemoveSlot(slot);
        return true;
    }

    /// <summary>Removes the element of a node.</summary>
    public void Delete(long node)
    {
        Unlink(node);
        _members.Remove(MemberOf(node));
    }

    /// <summary>
    /// Changes a node's score. When the node stays between its neighbours only the score changes; otherwise the
    /// node is unlinked and linked again at its new place. The node keeps its handle either way.
    /// </summary>
    public void UpdateScore(long node, double newScore)
    {
        var n = Node(node, out var member);
        long prev = ReadLink(n, BackwardAt), next = ReadLink(n, Forward0At);
        bool inPlace = (prev == 0 || Compare(ScoreOf(prev), MemberOf(prev), newScore, member) < 0)
            && (next == 0 || Compare(ScoreOf(next), MemberOf(next), newScore, member) > 0);
        if (!inPlace) Unlink(node);
        MemoryMarshal.Write(n, in newScore);
        if (!inPlace) Link(node, newScore, member, LevelsOf(n));
    }
}

/// <summary>A test on an element that holds for a prefix of the sorted order (used to turn bounds into ranks).</summary>
public interface IElementPredicate
{
    bool Holds(double score, ReadOnlySpan<byte> member);
}
