using Cinnabar.Protocol;
using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>What readers of a set's members see of it, packed (<see cref="StoredSet"/>) or not (<see cref="RedisSet"/>).</summary>
public interface ISetMembers : IScannableCollection
{
    int Count { get; }

    /// <summary>True for the intset encoding (members are integers, in order).</summary>
    bool IsIntSet { get; }

    /// <summary>The member at a position; integers are formatted into <paramref name="scratch"/> (20 bytes).</summary>
    ReadOnlySpan<byte> MemberAt(int pos, Span<byte> scratch);
}

/// <summary>
/// A set key's value as the set commands read and change it, wherever it lives: a small set's intset or listpack
/// packed in its key's record (<see cref="KeyTable.PackedIntSet"/>, <see cref="KeyTable.PackedSetListpack"/>),
/// edited there in place; or a hashtable-encoded <see cref="RedisSet"/>. A change of encoding (an intset that
/// takes a string or outgrows its limit, a listpack that outgrows its) goes through a <see cref="RedisSet"/> copy,
/// which the key then holds, packed again while it stays compact; the handle follows it. Keep it in one local and
/// pass it by reference. Positions are as <see cref="RedisSet"/>'s and stay valid until the set changes. Open a set
/// to change only through a write lookup: that is where its object's size is noted, to be counted when the
/// command ends.
/// </summary>
public struct StoredSet : ISetMembers
{
    private readonly KeyTable _table;
    private readonly int _slot;
    private object _marker;       // the packed marker, or the RedisSet itself
    private RedisSet? _object;

    private StoredSet(KeyTable table, int slot, object boxed)
    {
        _table = table;
        _slot = slot;
        _marker = boxed;
        _object = boxed as RedisSet;
    }

    /// <summary>The set in <paramref name="slot"/>: true with it when the slot holds a set, false when it holds another type.</summary>
    public static bool TryOpen(KeyTable table, int slot, out StoredSet set)
    {
        var boxed = table.BoxedAt(slot);
        if (boxed is RedisSet || ReferenceEquals(boxed, KeyTable.PackedIntSet) || ReferenceEquals(boxed, KeyTable.PackedSetListpack))
        {
            set = new StoredSet(table, slot, boxed);
            return true;
        }
        set = default;
        return false;
    }

    /// <summary>The same key as <paramref name="other"/> (SMOVE to itself).</summary>
    public readonly bool SameKey(in StoredSet other) => ReferenceEquals(_table, other._table) && _slot == other._slot;

    private readonly bool IsPackedIntSet => ReferenceEquals(_marker, KeyTable.PackedIntSet);

    private readonly ReadOnlySpan<byte> Packed
    {
        get
        {
            _table.TryGetPacked(_slot, _marker, out var bytes);
            return bytes;
        }
    }

    public readonly bool IsIntSet => _object?.IsIntSet ?? IsPackedIntSet;
    public readonly bool IsCompact => _object?.IsCompact ?? true;

    public readonly int Count => _object?.Count ?? (IsPackedIntSet ? IntSet.Count(Packed) : Listpack.Count(Packed));

    public readonly BytesHashTable? Table => _object?.Table;

    public readonly int First()
    {
        if (_object != null) return _object.First();
        return IsPackedIntSet ? (IntSet.Count(Packed) > 0 ? 0 : -1) : (Packed.Length > 0 ? 0 : -1);
    }

    public readonly int Next(int pos)
    {
        if (_object != null) return _object.Next(pos);
        var bytes = Packed;
        if (IsPackedIntSet) return pos + 1 < IntSet.Count(bytes) ? pos + 1 : -1;
        pos += Listpack.EntrySize(bytes, pos);
        return pos < bytes.Length ? pos : -1;
    }

    readonly ReadOnlySpan<byte> IScannableCollection.ScanKeyAt(int pos, Span<byte> scratch) => MemberAt(pos, scratch);

    public readonly ReadOnlySpan<byte> MemberAt(int pos, Span<byte> scratch)
    {
        if (_object != null) return _object.MemberAt(pos, scratch);
        if (IsPackedIntSet) return scratch[..RespParser.FormatLong(IntSet.Get(Packed, pos), scratch)];
        return Listpack.Read(Packed, pos, scratch);
    }

    public readonly byte[] MemberBytesAt(int pos)
    {
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        return MemberAt(pos, scratch).ToArray();
    }

    public readonly bool Contains(ReadOnlySpan<byte> member)
    {
        if (_object != null) return _object.Contains(member);
        if (IsPackedIntSet) return RespParser.TryParseLong(member, out long v) && IntSet.Contains(Packed, v);
        return Listpack.Find(Packed, new Listpack.Probe(member)) >= 0;
    }

    /// <summary>Adds a member; false when it was already there. Converts the encoding as Redis does.</summary>
    public bool Add(ReadOnlySpan<byte> member, in SetLimits limits)
    {
        if (_object != null) return _object.Add(member, limits);
        var bytes = Packed;
        if (IsPackedIntSet)
        {
            // In place: an integer of the set's width, within the intset's limit.
            if (RespParser.TryParseLong(member, out long v) && IntSet.WidthFor(v) <= IntSet.Width(bytes))
            {
                int index = IntSet.Search(bytes, v);
                if (index >= 0) return false;
                if (IntSet.Count(bytes) + 1 <= limits.MaxIntsetEntries)
                {
                    index = ~index;
                    int width = IntSet.Width(bytes), at = 1 + index * width;
                    IntSet.WriteAt(_table.SplicePacked(_slot, at, 0, width), index, v);
                    return true;
                }
            }
        }
        else if (member.Length <= limits.MaxListpackValue)
        {
            if (Listpack.Find(bytes, new Listpack.Probe(member)) >= 0) return false;
            if (Listpack.Count(bytes) + 1 <= limits.MaxListpackEntries)
            {
                int end = bytes.Length;
                Listpack.Write(_table.SplicePacked(_slot, end, 0, Listpack.EncodedSize(member))[end..], member);
                return true;
            }
        }
        return AddThroughCopy(member, limits);
    }

    /// <summary>
    /// An add that changes the encoding (or widens the intset): done by <see cref="RedisSet"/> on a copy, which
    /// then replaces the value (packed again when still compact).
    /// </summary>
    private bool AddThroughCopy(ReadOnlySpan<byte> member, in SetLimits limits)
    {
        var copy = (RedisSet)_table.ValueAt(_slot);
        bool added = copy.Add(member, limits);
        if (!added) return false;
        _table.SetValue(_slot, copy);
        _marker = _table.BoxedAt(_slot)!;
        _object = _marker as RedisSet;
        // Held as an object now (a hashtable): its later growth in this command is counted when the command ends.
        if (_object != null) _table.Ledger?.Note(_table, _object);
        return true;
    }

    /// <summary>Removes a member; false when it was absent.</summary>
    public bool Remove(ReadOnlySpan<byte> member)
    {
        if (_object != null) return _object.Remove(member);
        var bytes = Packed;
        int pos;
        if (IsPackedIntSet)
        {
            if (!RespParser.TryParseLong(member, out long v) || IntSet.WidthFor(v) > IntSet.Width(bytes)) return false;
            pos = IntSet.Search(bytes, v);
        }
        else pos = Listpack.Find(bytes, new Listpack.Probe(member));
        if (pos < 0) return false;
        RemoveAt(pos);
        return true;
    }

    /// <summary>Removes the member at <paramref name="pos"/> (other positions may shift).</summary>
    public void RemoveAt(int pos)
    {
        if (_object != null)
        {
            _object.RemoveAt(pos);
            return;
        }
        var bytes = Packed;
        if (IsPackedIntSet)
        {
            int width = IntSet.Width(bytes);
            _table.SplicePacked(_slot, 1 + pos * width, width, 0);
        }
        else _table.SplicePacked(_slot, pos, Listpack.EntrySize(bytes, pos), 0);
    }

    /// <summary>Position of a uniformly chosen member (the set must not be empty).</summary>
    public readonly int RandomPosition(Random random)
    {
        if (_object != null) return _object.RandomPosition(random);
        var bytes = Packed;
        return IsPackedIntSet ? random.Next(IntSet.Count(bytes)) : Listpack.Seek(bytes, random.Next(Listpack.Count(bytes)));
    }

    /// <summary>Every position in order (a snapshot, for commands that pick among them).</summary>
    public readonly List<int> Positions() => CollectionPositions.All(this, Count);
}
