using System.Diagnostics.CodeAnalysis;
using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>
/// A sorted set. Small sets live in a <see cref="ZSetListpack"/> (one byte array); past
/// zset-max-listpack-entries elements or a member longer than zset-max-listpack-value bytes the set turns
/// into a <see cref="SkipList"/>, whose nodes are the records of a hash on the member (order and ranks in
/// O(log n), a member's score in O(1)). Like Redis it never turns back (only a freshly built set, e.g. a STORE destination,
/// starts compact again). A small sorted set in the keyspace keeps its entries in its key's record
/// (<see cref="KeyTable.PackedZSet"/>); commands get an object over them (<see cref="OverRecord"/>), which edits
/// the record in place and, if it turns into a skiplist, becomes the key's value.
/// </summary>
public sealed class ZSet : IRedisValue
{
    private ZSetListpack? _listpack;
    private SkipList? _skipList;

    public string TypeName => "zset";
    public string EncodingName => _listpack != null ? "listpack" : "skiplist";
    public bool IsListpack => _listpack != null;

    /// <summary>The skiplist's member table, or null while the set is a listpack.</summary>
    public BytesHashTable? MemberTable => _skipList?.MemberTable;
    public long Count => _listpack?.Count ?? _skipList!.Count;

    // Fields: listpack, skiplist, accounted size.
    public long MemoryBytes => HeapSize.Object(24) + (_listpack?.MemoryBytes ?? _skipList!.MemoryBytes);
    public long AccountedBytes { get; set; } = -1;

    public ZSet() => _listpack = new();

    private ZSet(ZSetListpack listpack) => _listpack = listpack;

    /// <summary>
    /// The sorted set packed in <paramref name="slot"/>'s record (<see cref="KeyTable.PackedZSet"/>) as an object whose
    /// listpack reads and edits the record in place: what a command that looks the key up gets (a view, not a copy).
    /// </summary>
    public static ZSet OverRecord(KeyTable table, int slot) => new(ZSetListpack.OverRecord(table, slot));

    /// <summary>Whether this is an object over a record of <paramref name="table"/> (a view that has not turned into a skiplist).</summary>
    internal bool IsViewOver(KeyTable table) => _listpack?.Record is { } record && record.Table == table;

    /// <summary>Points a view (<see cref="IsViewOver"/>) at the packed sorted set of another slot of its table.</summary>
    internal void MoveView(int slot) => _listpack!.MoveTo(slot);

    /// <summary>A listpack-encoded sorted set over a copy of <paramref name="entries"/> (<see cref="ZSetListpack.Bytes"/>).</summary>
    public static ZSet FromListpack(ReadOnlySpan<byte> entries) => new(ZSetListpack.FromBytes(entries));

    /// <summary>The entries of a listpack with its own array (what a key's record takes when the set is stored).</summary>
    public bool TryGetListpackBytes(out ReadOnlySpan<byte> entries)
    {
        bool own = _listpack != null && _listpack.Record == null;
        entries = own ? _listpack!.Bytes : default;
        return own;
    }

    /// <summary>An independent copy in the same encoding (COPY), as Redis's zsetDup.</summary>
    public IRedisValue DeepCopy()
    {
        var copy = new ZSet();
        if (_listpack != null)
        {
            copy._listpack = _listpack.Clone();
            return copy;
        }
        copy.ConvertToSkipList();
        for (long node = _skipList!.First; node != 0; node = _skipList.Next(node))
            copy._skipList!.Insert(_skipList.ScoreOf(node), _skipList.MemberOf(node));
        return copy;
    }

    /// <summary>Switches to the skiplist encoding (no-op when already there).</summary>
    public void ConvertToSkipList()
    {
        if (_listpack == null) return;
        var lp = _listpack;
        _skipList = new SkipList();
        for (int o = 0; o < lp.End;)
        {
            o = lp.Read(o, out var m, out var s);
            _skipList.Insert(s, m);
        }
        _listpack = null;
        // Over a key's record: the key holds this object from now on (lent until the command ends, when the table
        // counts its final size).
        if (lp.Record is var (table, slot)) table.Lend(slot, this);
    }

    public bool TryGetScore(ReadOnlySpan<byte> member, out double score) => TryFind(member, out score, out _);

    /// <summary>
    /// As <see cref="TryGetScore"/>, with where the member is (a listpack offset or a skiplist node), so that a
    /// score change that follows (<see cref="SetScoreAt"/>) does not look the member up again.
    /// </summary>
    public bool TryFind(ReadOnlySpan<byte> member, out double score, out long position)
    {
        if (_listpack != null)
        {
            bool found = _listpack.TryFind(member, out _, out int offset, out score);
            position = offset;
            return found;
        }
        position = _skipList!.Find(member);
        score = position == 0 ? 0 : _skipList.ScoreOf(position);
        return position != 0;
    }

    /// <summary>Changes the score of the member <see cref="TryFind"/> found at <paramref name="position"/> (nothing changed since).</summary>
    public void SetScoreAt(long position, double score)
    {
        if (_listpack != null) _listpack.UpdateScore((int)position, score);
        else _skipList!.UpdateScore(position, score);
    }

    /// <summary>Adds a member the caller knows is absent, converting the encoding when a limit is passed.</summary>
    public void Insert(ReadOnlySpan<byte> member, double score, int maxListpackEntries, int maxListpackValue)
    {
        if (_listpack != null && (_listpack.Count + 1 > maxListpackEntries || member.Length > maxListpackValue))
            ConvertToSkipList();
        if (_listpack != null)
        {
            _listpack.Insert(member, score);
            return;
        }
        _skipList!.Insert(score, member);
    }

    /// <summary>Changes the score of a member if present.</summary>
    public void SetScore(ReadOnlySpan<byte> member, double score)
    {
        if (TryFind(member, out double old, out long position) && old != score) SetScoreAt(position, score);
    }

    public bool Remove(ReadOnlySpan<byte> member)
    {
        if (_listpack != null)
        {
            if (!_listpack.TryFind(member, out _, out int offset, out _)) return false;
            _listpack.RemoveAt(offset);
            return true;
        }
        return _skipList!.Delete(member);
    }

    /// <summary>0-based rank in ascending order, or -1 when the member is absent.</summary>
    public long RankOf(ReadOnlySpan<byte> member, out double score)
    {
        if (_listpack != null) return _listpack.TryFind(member, out int index, out _, out score) ? index : -1;
        long node = _skipList!.Find(member);
        if (node == 0)
        {
            score = 0;
            return -1;
        }
        score = _skipList.ScoreOf(node);
        return _skipList.GetRank(score, member) - 1;
    }

    /// <summary>Number of leading elements (ascending) for which the predicate holds.</summary>
    public long CountWhile<TPredicate>(in TPredicate predicate) where TPredicate : struct, IElementPredicate
    {
        if (_listpack == null) return _skipList!.CountWhile(predicate);
        long n = 0;
        var entries = _listpack.Bytes;
        for (int o = 0; o < entries.Length; n++)
        {
            o = ZSetListpack.Read(entries, o, out var m, out var s);
            if (!predicate.Holds(s, m)) break;
        }
        return n;
    }

    /// <summary>Ranks [start, end) of the elements inside a score range.</summary>
    public (long Start, long End) RankRange(in ScoreRange range)
    {
        long start = CountWhile(new ScoreRange.BelowMin(range.Min));
        long end = CountWhile(new ScoreRange.NotAboveMax(range.Max));
        return (start, Math.Max(start, end));
    }

    /// <summary>
    /// Ranks [start, end) of the elements inside a lex range, walked from the end <paramref name="reverse"/>
    /// names (ZRANGE ... BYLEX REV starts from the highest rank).
    /// </summary>
    public (long Start, long End) RankRange(in LexRange range, bool reverse = false)
    {
        // Redis first checks the range against the first and last elements (zslIsInLexRange); with
        // members that are not in lex order (mixed scores) this decides the result, so do the same.
        if (Count == 0) return (0, 0);
        var belowMin = new LexRange.BelowMin(range.Min);
        var notAboveMax = new LexRange.NotAboveMax(range.Max);
        GetByRank(Count - 1, out var last, out _);
        if (belowMin.Holds(0, last)) return (0, 0);
        GetByRank(0, out var first, out _);
        if (!notAboveMax.Holds(0, first)) return (0, 0);
        if (_listpack != null) return ListpackLexWalk(belowMin, notAboveMax, reverse);
        long start = CountWhile(belowMin);
        long end = CountWhile(notAboveMax);
        return (start, Math.Max(start, end));
    }

    /// <summary>
    /// Redis's listpack lex walk, which decides the result when members are not in lex order: forward, the first
    /// member not below min starts the range if it is not above max, and the range runs while members stay not
    /// above max; in reverse, the last member not above max ends it if it is not below min, and it runs back
    /// while members stay not below min. (A skiplist answers by search, the same as this for members in order.)
    /// </summary>
    private (long Start, long End) ListpackLexWalk(LexRange.BelowMin belowMin, LexRange.NotAboveMax notAboveMax, bool reverse)
    {
        long n = Count;
        if (!reverse)
        {
            long start = 0;
            while (start < n && Below(start, belowMin)) start++;
            long end = start;
            while (end < n && NotAbove(end, notAboveMax)) end++;
            return (start, end);
        }
        long hi = n - 1;
        while (hi >= 0 && !NotAbove(hi, notAboveMax)) hi--;
        if (hi < 0 || Below(hi, belowMin)) return (0, 0);
        long lo = hi;
        while (lo > 0 && !Below(lo - 1, belowMin)) lo--;
        return (lo, hi + 1);
    }

    private bool Below(long rank, LexRange.BelowMin belowMin)
    {
        GetByRank(rank, out var member, out _);
        return belowMin.Holds(0, member);
    }

    private bool NotAbove(long rank, LexRange.NotAboveMax notAboveMax)
    {
        GetByRank(rank, out var member, out _);
        return notAboveMax.Holds(0, member);
    }

    /// <summary>Removes the elements with ranks [start, start + count) (ascending).</summary>
    public void RemoveRankRange(long start, long count)
    {
        if (count <= 0) return;
        if (_listpack != null)
        {
            _listpack.RemoveAt(_listpack.OffsetOf((int)start), (int)count);
            return;
        }
        long node = _skipList!.GetByRank(start + 1);
        for (long i = 0; i < count && node != 0; i++)
        {
            long next = _skipList.Next(node);
            _skipList.Delete(node);
            node = next;
        }
    }

    /// <summary>
    /// Walks elements from ascending rank <paramref name="startRank"/>, towards higher ranks or, when
    /// <paramref name="reverse"/>, towards lower ranks. The set must not change while the cursor is used.
    /// </summary>
    public Cursor Iterate(long startRank, bool reverse = false) => new(this, startRank, reverse);

    /// <summary>An element by ascending rank (for random picks).</summary>
    public void GetByRank(long rank, out ReadOnlySpan<byte> member, out double score)
    {
        var c = Iterate(rank);
        c.MoveNext();
        member = c.Member;
        score = c.Score;
    }

    public ref struct Cursor
    {
        private readonly ZSet _set;
        private readonly bool _reverse;
        private long _node;
        private int _offset;
        private int[]? _offsets; // listpack walked backwards: entry offsets collected on the way forward
        private long _position;
        private bool _started;

        internal Cursor(ZSet set, long startRank, bool reverse)
        {
            _set = set;
            _reverse = reverse;
            _position = startRank;
            _node = 0;
            _offset = 0;
            _offsets = null;
            _started = false;
            Member = default;
            Score = 0;
            if (startRank < 0 || startRank >= set.Count) { _position = -1; return; }
            if (set._listpack is { } lp)
            {
                if (reverse)
                {
                    _offsets = new int[startRank + 1];
                    var bytes = lp.Bytes;
                    int o = 0;
                    for (int i = 0; i <= startRank; i++)
                    {
                        _offsets[i] = o;
                        o = ZSetListpack.Skip(bytes, o);
                    }
                }
                else _offset = lp.OffsetOf((int)startRank);
            }
            else _node = set._skipList!.GetByRank(startRank + 1);
        }

        public ReadOnlySpan<byte> Member { get; private set; }
        public double Score { get; private set; }
        /// <summary>The current element's member as a new byte array.</summary>
        public readonly byte[] MemberArray => Member.ToArray();

        public bool MoveNext()
        {
            if (_position < 0) return false;
            if (_started)
            {
                _position += _reverse ? -1 : 1;
                // A listpack read forwards ends at its last byte (its count may be a walk, over a record).
                bool past = _position < 0 || (_set._listpack is { } entries ? !_reverse && _offset >= entries.End : _position >= _set.Count);
                if (past) { _position = -1; return false; }
                if (_node != 0) _node = _reverse ? _set._skipList!.Previous(_node) : _set._skipList!.Next(_node);
            }
            _started = true;
            if (_set._listpack is { } lp)
            {
                int o = _reverse ? _offsets![_position] : _offset;
                int next = lp.Read(o, out var m, out var s);
                if (!_reverse) _offset = next;
                Member = m;
                Score = s;
                return true;
            }
            if (_node == 0) { _position = -1; return false; }
            Member = _set._skipList!.MemberOf(_node);
            Score = _set._skipList.ScoreOf(_node);
            return true;
        }
    }
}
