using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>What writers of a hash's fields see of it, packed (<see cref="StoredHash"/>) or not (<see cref="RedisHash"/>).</summary>
public interface IHashFields : IScannableCollection
{
    int Count { get; }
    bool IsListpack { get; }
    ReadOnlySpan<byte> FieldAt(int pos, Span<byte> scratch);
    ReadOnlySpan<byte> ValueAt(int pos, Span<byte> scratch);
}

/// <summary>
/// A hash key's value as the hash commands read and change it, wherever it lives: a small hash's listpack packed
/// in its key's record (<see cref="KeyTable.PackedHash"/>), edited there in place with no object made; or a
/// hashtable-encoded <see cref="RedisHash"/>. A packed hash that outgrows the listpack limits becomes a
/// <see cref="RedisHash"/> for good, as Redis converts, and this handle follows it: keep it in one local and pass
/// it by reference. Positions are as <see cref="RedisHash"/>'s and stay valid until the hash changes. Open a hash
/// to change only through a write lookup: that is where its object's size is noted, to be counted when the
/// command ends.
/// </summary>
public struct StoredHash : IHashFields
{
    private readonly KeyTable _table;
    private readonly int _slot;
    private RedisHash? _object;

    private StoredHash(KeyTable table, int slot, RedisHash? hash)
    {
        _table = table;
        _slot = slot;
        _object = hash;
    }

    /// <summary>
    /// The hash in <paramref name="slot"/>: true with it when the slot holds a hash, false when it holds another type.
    /// </summary>
    public static bool TryOpen(KeyTable table, int slot, out StoredHash hash)
    {
        var boxed = table.BoxedAt(slot);
        if (ReferenceEquals(boxed, KeyTable.PackedHash) || boxed is RedisHash)
        {
            hash = new StoredHash(table, slot, boxed as RedisHash);
            return true;
        }
        hash = default;
        return false;
    }

    private readonly ReadOnlySpan<byte> Packed
    {
        get
        {
            _table.TryGetPacked(_slot, KeyTable.PackedHash, out var bytes);
            return bytes;
        }
    }

    public readonly bool IsListpack => _object == null || _object.IsListpack;

    public readonly int Count => _object?.Count ?? Listpack.Count(Packed) / 2;

    public readonly BytesHashTable? Table => _object?.Table;

    public readonly int First() => _object?.First() ?? (Packed.Length > 0 ? 0 : -1);

    public readonly int Next(int pos) =>
        _object?.Next(pos) ?? Listpack.NextPair(Packed, pos);

    readonly ReadOnlySpan<byte> IScannableCollection.ScanKeyAt(int pos, Span<byte> scratch) => FieldAt(pos, scratch);

    public readonly ReadOnlySpan<byte> FieldAt(int pos, Span<byte> scratch) =>
        _object != null ? _object.FieldAt(pos, scratch) : Listpack.Read(Packed, pos, scratch);

    public readonly ReadOnlySpan<byte> ValueAt(int pos, Span<byte> scratch) =>
        _object != null ? _object.ValueAt(pos, scratch) : Listpack.PairValue(Packed, pos, scratch);

    /// <summary>Position of <paramref name="field"/>, or -1.</summary>
    public readonly int Find(ReadOnlySpan<byte> field) =>
        _object?.Find(field) ?? Listpack.FindField(Packed, field);

    public readonly bool Contains(ReadOnlySpan<byte> field) => Find(field) >= 0;

    /// <summary>
    /// Sets a field; true when it is new. A packed hash becomes a hashtable first when the field or value is longer
    /// than <paramref name="maxListpackValue"/>, and after when its count passes <paramref name="maxListpackEntries"/>.
    /// </summary>
    public bool Set(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value, int maxListpackEntries, int maxListpackValue)
    {
        if (_object == null && (field.Length > maxListpackValue || value.Length > maxListpackValue)) ConvertToTable();
        if (_object != null) return _object.Set(field, value, maxListpackEntries, maxListpackValue);
        var lp = Packed;
        int pos = Listpack.FindField(lp, field);
        if (pos >= 0)
        {
            int valuePos = pos + Listpack.EntrySize(lp, pos);
            var edited = _table.SplicePacked(_slot, valuePos, Listpack.EntrySize(lp, valuePos), Listpack.EncodedSize(value));
            Listpack.Write(edited[valuePos..], value);
            return false;
        }
        int end = lp.Length, fieldSize = Listpack.EncodedSize(field);
        var grown = _table.SplicePacked(_slot, end, 0, fieldSize + Listpack.EncodedSize(value));
        Listpack.Write(grown[end..], field);
        Listpack.Write(grown[(end + fieldSize)..], value);
        if (Listpack.Count(grown) / 2 > maxListpackEntries) ConvertToTable();
        return true;
    }

    /// <summary>Removes a field; false when it was absent.</summary>
    public bool Remove(ReadOnlySpan<byte> field)
    {
        if (_object != null) return _object.Remove(field);
        var lp = Packed;
        int pos = Listpack.FindField(lp, field);
        if (pos < 0) return false;
        int fieldSize = Listpack.EntrySize(lp, pos);
        _table.SplicePacked(_slot, pos, fieldSize + Listpack.EntrySize(lp, pos + fieldSize), 0);
        return true;
    }

    /// <summary>Position of a uniformly chosen field (the hash must not be empty).</summary>
    public readonly int RandomPosition(Random random) =>
        _object?.RandomPosition(random) ?? Listpack.SeekPair(Packed, random.Next(Count));

    /// <summary>Every position in order (a snapshot, for commands that pick among them).</summary>
    public readonly List<int> Positions() => CollectionPositions.All(this, Count);

    /// <summary>
    /// The packed hash becomes a hashtable-encoded object in its key (a one-way change, as in Redis). Its later growth
    /// in this command is counted when the command ends, as for any object a write lookup found.
    /// </summary>
    private void ConvertToTable()
    {
        var table = RedisHash.TableFromListpack(Packed);
        _table.SetValue(_slot, table);
        _table.Ledger?.Note(_table, table);
        _object = table;
    }
}
