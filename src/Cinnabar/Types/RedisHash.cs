using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>
/// A hash value. Small hashes are one listpack (field, value, field, value …) in insertion order, as Redis
/// keeps them; once a hash has more than hash-max-listpack-entries fields or a field or value longer than
/// hash-max-listpack-value bytes it becomes a <see cref="BytesHashTable"/> for good (conversion is one-way,
/// as in Redis). A small hash in the keyspace is not one of these: its listpack is packed in its key's record
/// (<see cref="StoredHash"/>, Storage/KeyTable.Packed.cs). The listpack form carries a hash into the table (loading,
/// RESTORE, COPY) and out of it as a copy (DUMP, the snapshot, SORT); the hashtable form is stored as is.
/// <para>Elements are visited by position: a byte offset in the listpack or a slot in the table. Positions
/// stay valid until the hash is modified.</para>
/// </summary>
public sealed class RedisHash : IRedisValue, IHashFields
{
    /// <summary>byte[] listpack of pairs, or a BytesHashTable with values.</summary>
    private object _data = Listpack.Empty;

    public string TypeName => "hash";
    public string EncodingName => _data is byte[] ? "listpack" : "hashtable";
    public bool IsListpack => _data is byte[];

    /// <summary>A listpack-encoded hash over <paramref name="listpack"/> (which it takes: the caller keeps no alias).</summary>
    public static RedisHash FromListpack(byte[] listpack) => new() { _data = listpack };

    /// <summary>A hashtable-encoded hash holding the pairs of <paramref name="listpack"/> (a packed hash outgrowing it).</summary>
    public static RedisHash TableFromListpack(ReadOnlySpan<byte> listpack)
    {
        var hash = new RedisHash();
        hash._data = TableOf(listpack);
        return hash;
    }

    public IRedisValue DeepCopy() => new RedisHash { _data = _data is byte[] lp ? lp.AsSpan().ToArray() : ((BytesHashTable)_data).Clone() };

    // Fields: the encoding's data and the accounted size.
    public long MemoryBytes => HeapSize.Object(16) + (_data is byte[] lp ? HeapSize.ByteArray(lp.Length) : ((BytesHashTable)_data).MemoryBytes);
    public long AccountedBytes { get; set; } = -1;

    public int Count => _data is byte[] lp ? Listpack.Count(lp) / 2 : ((BytesHashTable)_data).Count;

    /// <summary>The listpack encoding's bytes (field, value, field, value...), or null once a hashtable.</summary>
    public byte[]? ListpackBytes => _data as byte[];

    /// <summary>Position of the first field, or -1 when empty.</summary>
    public int First() => _data is byte[] lp ? (lp.Length > 0 ? 0 : -1) : ((BytesHashTable)_data).NextOccupied(0);

    /// <summary>Position after <paramref name="pos"/>, or -1.</summary>
    public int Next(int pos) =>
        _data is byte[] lp ? Listpack.NextPair(lp, pos) : ((BytesHashTable)_data).NextOccupied(pos + 1);

    ReadOnlySpan<byte> IScannableCollection.ScanKeyAt(int pos, Span<byte> scratch) => FieldAt(pos, scratch);

    public ReadOnlySpan<byte> FieldAt(int pos, Span<byte> scratch) =>
        _data is byte[] lp ? Listpack.Read(lp, pos, scratch) : ((BytesHashTable)_data).KeyAt(pos);

    public ReadOnlySpan<byte> ValueAt(int pos, Span<byte> scratch) =>
        _data is byte[] lp ? Listpack.PairValue(lp, pos, scratch) : ((BytesHashTable)_data).ValueAt(pos);

    /// <summary>Position of <paramref name="field"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> field) =>
        _data is byte[] lp ? Listpack.FindField(lp, field) : ((BytesHashTable)_data).Find(field);

    public bool Contains(ReadOnlySpan<byte> field) => Find(field) >= 0;

    /// <summary>
    /// Sets a field; true when the field is new. Converts to a hash table first when the field or value is
    /// longer than <paramref name="maxListpackValue"/>, and after when the count passes
    /// <paramref name="maxListpackEntries"/>.
    /// </summary>
    public bool Set(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value, int maxListpackEntries, int maxListpackValue)
    {
        if (_data is byte[] && (field.Length > maxListpackValue || value.Length > maxListpackValue)) ConvertToTable();
        if (_data is byte[] lp)
        {
            int pos = Listpack.FindField(lp, field);
            if (pos >= 0)
            {
                _data = Listpack.ReplaceEntry(lp, pos + Listpack.EntrySize(lp, pos), value);
                return false;
            }
            lp = Listpack.Append(lp, field, value);
            _data = lp;
            if (Listpack.Count(lp) / 2 > maxListpackEntries) ConvertToTable();
            return true;
        }
        var table = (BytesHashTable)_data;
        int slot = table.Find(field);
        if (slot >= 0)
        {
            table.SetValueAt(slot, value);
            return false;
        }
        table.Add(field, value, hasValue: true);
        return true;
    }

    /// <summary>Removes a field; false when it was absent.</summary>
    public bool Remove(ReadOnlySpan<byte> field)
    {
        if (_data is byte[] lp)
        {
            int pos = Listpack.FindField(lp, field);
            if (pos < 0) return false;
            int fieldSize = Listpack.EntrySize(lp, pos);
            _data = Listpack.RemoveRange(lp, pos, fieldSize + Listpack.EntrySize(lp, pos + fieldSize));
            return true;
        }
        return ((BytesHashTable)_data).Remove(field);
    }

    /// <summary>Position of a uniformly chosen field (the hash must not be empty).</summary>
    public int RandomPosition(Random random) =>
        _data is byte[] lp ? Listpack.SeekPair(lp, random.Next(Listpack.Count(lp) / 2)) : ((BytesHashTable)_data).RandomSlot(random);

    /// <summary>Every position in order (a snapshot, for commands that pick among them).</summary>
    public List<int> Positions() => CollectionPositions.All(this, Count);

    /// <summary>For HSCAN of the table encoding: the slot limit (listpacks are returned whole).</summary>
    public BytesHashTable? Table => _data as BytesHashTable;

    private void ConvertToTable() => _data = TableOf((byte[])_data);

    private static BytesHashTable TableOf(ReadOnlySpan<byte> lp)
    {
        var table = new BytesHashTable(Listpack.Count(lp) / 2 + 1);
        Span<byte> fieldScratch = stackalloc byte[Listpack.ScratchSize];
        Span<byte> valueScratch = stackalloc byte[Listpack.ScratchSize];
        for (int pos = 0; pos < lp.Length;)
        {
            var field = Listpack.Read(lp, pos, fieldScratch);
            pos += Listpack.EntrySize(lp, pos);
            var value = Listpack.Read(lp, pos, valueScratch);
            pos += Listpack.EntrySize(lp, pos);
            table.Add(field, value, hasValue: true);
        }
        return table;
    }
}
