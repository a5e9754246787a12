using Cinnabar.Protocol;
using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>The configured size limits of the compact set encodings.</summary>
public readonly record struct SetLimits(int MaxIntsetEntries, int MaxListpackEntries, int MaxListpackValue)
{
    public static readonly SetLimits Default = new(512, 128, 64);
}

/// <summary>
/// A set value in one of three encodings, each converted one way only, as Redis does:
/// <list type="bullet">
/// <item>intset — every member a canonical 64-bit integer, at most set-max-intset-entries of them;</item>
/// <item>listpack — a small set of short strings (at most set-max-listpack-entries members of at most
/// set-max-listpack-value bytes), as Redis 7.2 keeps them. Redis 7.0, whose OBJECT ENCODING we follow,
/// used a hash table here, so this encoding reports "hashtable": only the memory use differs;</item>
/// <item>hashtable — a <see cref="BytesHashTable"/> without values.</item>
/// </list>
/// A small set in the keyspace is not one of these: its intset or listpack is packed in its key's record
/// (<see cref="StoredSet"/>); this class carries one into the table and out of it as a copy, and holds the
/// hashtable encoding. Members are visited by position: an index in the intset, a byte offset in the listpack, a slot in the
/// table. Positions stay valid until the set is modified.
/// </summary>
public sealed class RedisSet : IRedisValue, ISetMembers
{
    private enum Kind : byte { IntSet, Listpack, Table }

    private object _data = IntSet.Create();
    private Kind _kind = Kind.IntSet;

    public string TypeName => "set";
    public string EncodingName => _kind == Kind.IntSet ? "intset" : "hashtable";

    /// <summary>True for the intset and listpack encodings (SSCAN returns them whole, in one call).</summary>
    public bool IsCompact => _kind != Kind.Table;
    public bool IsIntSet => _kind == Kind.IntSet;

    /// <summary>An intset-encoded set over <paramref name="intset"/> (which it takes: the caller keeps no alias).</summary>
    public static RedisSet FromIntSet(byte[] intset) => new() { _data = intset, _kind = Kind.IntSet };

    /// <summary>A listpack-encoded set over <paramref name="listpack"/> (which it takes: the caller keeps no alias).</summary>
    public static RedisSet FromListpack(byte[] listpack) => new() { _data = listpack, _kind = Kind.Listpack };

    public IRedisValue DeepCopy() => new RedisSet
    {
        _kind = _kind,
        _data = _data is byte[] compact ? compact.AsSpan().ToArray() : ((BytesHashTable)_data).Clone(),
    };

    public int Count => _kind switch
    {
        Kind.IntSet => IntSet.Count((byte[])_data),
        Kind.Listpack => Listpack.Count((byte[])_data),
        _ => ((BytesHashTable)_data).Count,
    };

    public BytesHashTable? Table => _data as BytesHashTable;

    // Fields: the encoding's data, its kind and the accounted size.
    public long MemoryBytes => HeapSize.Object(24) + (_data is byte[] compact ? HeapSize.ByteArray(compact.Length) : ((BytesHashTable)_data).MemoryBytes);
    public long AccountedBytes { get; set; } = -1;

    /// <summary>The intset's or the listpack's bytes, or null in the hashtable encoding.</summary>
    public byte[]? CompactBytes => _kind == Kind.Table ? null : (byte[])_data;

    /// <summary>The listpack encoding's bytes, or null in the other encodings.</summary>
    public byte[]? ListpackBytes => _kind == Kind.Listpack ? (byte[])_data : null;

    public int First() => _kind switch
    {
        Kind.IntSet => IntSet.Count((byte[])_data) > 0 ? 0 : -1,
        Kind.Listpack => ((byte[])_data).Length > 0 ? 0 : -1,
        _ => ((BytesHashTable)_data).NextOccupied(0),
    };

    public int Next(int pos)
    {
        switch (_kind)
        {
            case Kind.IntSet:
                return pos + 1 < IntSet.Count((byte[])_data) ? pos + 1 : -1;
            case Kind.Listpack:
                var lp = (byte[])_data;
                pos += Listpack.EntrySize(lp, pos);
                return pos < lp.Length ? pos : -1;
            default:
                return ((BytesHashTable)_data).NextOccupied(pos + 1);
        }
    }

    ReadOnlySpan<byte> IScannableCollection.ScanKeyAt(int pos, Span<byte> scratch) => MemberAt(pos, scratch);

    /// <summary>The member at <paramref name="pos"/>; integers are formatted into <paramref name="scratch"/> (20 bytes).</summary>
    public ReadOnlySpan<byte> MemberAt(int pos, Span<byte> scratch)
    {
        switch (_kind)
        {
            case Kind.IntSet:
                int n = RespParser.FormatLong(IntSet.Get((byte[])_data, pos), scratch);
                return scratch[..n];
            case Kind.Listpack:
                return Listpack.Read((byte[])_data, pos, scratch);
            default:
                return ((BytesHashTable)_data).KeyAt(pos);
        }
    }

    public byte[] MemberBytesAt(int pos)
    {
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        return MemberAt(pos, scratch).ToArray();
    }

    public bool Contains(ReadOnlySpan<byte> member)
    {
        switch (_kind)
        {
            case Kind.IntSet:
                return RespParser.TryParseLong(member, out long v) && IntSet.Contains((byte[])_data, v);
            case Kind.Listpack:
                return Listpack.Find((byte[])_data, new Listpack.Probe(member)) >= 0;
            default:
                return ((BytesHashTable)_data).Contains(member);
        }
    }

    /// <summary>Adds a member; false when it was already there. Converts the encoding as Redis does.</summary>
    public bool Add(ReadOnlySpan<byte> member, in SetLimits limits)
    {
        if (_kind == Kind.IntSet)
        {
            if (RespParser.TryParseLong(member, out long v))
            {
                var set = (byte[])_data;
                if (!IntSet.Add(ref set, v)) return false;
                _data = set;
                if (IntSet.Count(set) > limits.MaxIntsetEntries) ConvertToTable();
                return true;
            }
            int count = IntSet.Count((byte[])_data);
            if (count + 1 <= limits.MaxListpackEntries && member.Length <= limits.MaxListpackValue) ConvertIntSetToListpack();
            else ConvertToTable();
        }
        if (_kind == Kind.Listpack)
        {
            var lp = (byte[])_data;
            if (member.Length > limits.MaxListpackValue) ConvertToTable();
            else
            {
                if (Listpack.Find(lp, new Listpack.Probe(member)) >= 0) return false;
                lp = Listpack.Append(lp, member);
                _data = lp;
                if (Listpack.Count(lp) > limits.MaxListpackEntries) ConvertToTable();
                return true;
            }
        }
        return ((BytesHashTable)_data).TryAdd(member);
    }

    /// <summary>Removes a member; false when it was absent.</summary>
    public bool Remove(ReadOnlySpan<byte> member)
    {
        switch (_kind)
        {
            case Kind.IntSet:
                if (!RespParser.TryParseLong(member, out long v)) return false;
                var set = (byte[])_data;
                if (!IntSet.Remove(ref set, v)) return false;
                _data = set;
                return true;
            case Kind.Listpack:
                var lp = (byte[])_data;
                int pos = Listpack.Find(lp, new Listpack.Probe(member));
                if (pos < 0) return false;
                _data = Listpack.RemoveRange(lp, pos, Listpack.EntrySize(lp, pos));
                return true;
            default:
                return ((BytesHashTable)_data).Remove(member);
        }
    }

    /// <summary>Removes the member at <paramref name="pos"/> (other positions may shift).</summary>
    public void RemoveAt(int pos)
    {
        switch (_kind)
        {
            case Kind.IntSet:
                var set = (byte[])_data;
                IntSet.RemoveAt(ref set, pos);
                _data = set;
                break;
            case Kind.Listpack:
                var lp = (byte[])_data;
                _data = Listpack.RemoveRange(lp, pos, Listpack.EntrySize(lp, pos));
                break;
            default:
                ((BytesHashTable)_data).RemoveSlot(pos);
                break;
        }
    }

    /// <summary>Position of a uniformly chosen member (the set must not be empty).</summary>
    public int RandomPosition(Random random)
    {
        switch (_kind)
        {
            case Kind.IntSet:
                return random.Next(IntSet.Count((byte[])_data));
            case Kind.Listpack:
                var lp = (byte[])_data;
                return Listpack.Seek(lp, random.Next(Listpack.Count(lp)));
            default:
                return ((BytesHashTable)_data).RandomSlot(random);
        }
    }

    /// <summary>Every position in order (a snapshot, for commands that pick among them).</summary>
    public List<int> Positions() => CollectionPositions.All(this, Count);

    private void ConvertIntSetToListpack()
    {
        var set = (byte[])_data;
        int count = IntSet.Count(set);
        Span<byte> text = stackalloc byte[Listpack.ScratchSize];
        int size = 0;
        for (int i = 0; i < count; i++)
            size += Listpack.EncodedSize(text[..RespParser.FormatLong(IntSet.Get(set, i), text)]);
        var lp = new byte[size];
        int at = 0;
        for (int i = 0; i < count; i++)
            at += Listpack.Write(lp.AsSpan(at), text[..RespParser.FormatLong(IntSet.Get(set, i), text)]);
        _data = lp;
        _kind = Kind.Listpack;
    }

    private void ConvertToTable()
    {
        var table = new BytesHashTable(Count + 1);
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        for (int pos = First(); pos >= 0; pos = Next(pos)) table.Add(MemberAt(pos, scratch), default, hasValue: false);
        _data = table;
        _kind = Kind.Table;
    }
}
