using Cinnabar.Types;

namespace Cinnabar.Storage;

/// <summary>
/// Packed values: a small collection's compact encoding kept as the value bytes of its key's record, as a plain
/// string is, with a marker in <see cref="BoxedAt"/> saying which type the bytes are. A small hash costs its
/// record and nothing else: no object and no array of its own for the collector to keep (Redis's robj and
/// listpack allocation, 56 bytes here, gone); so does a small set (an intset or a listpack of members). The hash
/// and set commands edit the bytes in place (<see cref="SplicePacked"/>); readers that want an object get a copy
/// (<see cref="ValueAt"/>), so nothing outside the table holds bytes a later write moves, and writers that want
/// one get a copy lent to them until their command ends (<see cref="Lend"/>).
/// </summary>
public sealed partial class KeyTable
{
    /// <summary>The marker of a hash whose listpack (<see cref="Listpack"/>, field, value, …) is its record's value.</summary>
    public static readonly object PackedHash = new PackedMarker("hash", typeof(RedisHash));

    /// <summary>The marker of a set of integers whose <see cref="IntSet"/> is its record's value.</summary>
    public static readonly object PackedIntSet = new PackedMarker("set", typeof(RedisSet));

    /// <summary>The marker of a small set of strings whose <see cref="Listpack"/> of members is its record's value.</summary>
    public static readonly object PackedSetListpack = new PackedMarker("set", typeof(RedisSet));

    /// <summary>The marker of a small sorted set whose <see cref="ZSetListpack"/> entries are its record's value.</summary>
    public static readonly object PackedZSet = new PackedMarker("zset", typeof(ZSet));

    /// <summary>
    /// The marker of a list of one node whose count (<see cref="PackedListCountSize"/> bytes, little endian) and
    /// entries (<see cref="ListEntry"/>) are its record's value. A list keeps the list-max-listpack-size it was created
    /// with, as Redis's quicklist does, so there is one marker per value of it: the key pays nothing for it.
    /// </summary>
    public static object PackedList(int fill) =>
        s_listMarkers.GetOrAdd(RedisList.ClampFill(fill), f => new PackedMarker("list", typeof(RedisList), f));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, object> s_listMarkers = new();

    /// <summary>Bytes of a packed list's count, before its entries.</summary>
    public const int PackedListCountSize = 2;

    /// <summary>True when <paramref name="boxed"/> is a packed list's marker; <paramref name="fill"/> gets the list's list-max-listpack-size.</summary>
    public static bool IsPackedList(object? boxed, out int fill)
    {
        if (boxed is PackedMarker { ObjectType: var type } marker && type == typeof(RedisList))
        {
            fill = marker.Fill;
            return true;
        }
        fill = 0;
        return false;
    }

    /// <summary>Says which type a record's packed bytes are (and, for a list, the fill it keeps); carries nothing else.</summary>
    private sealed class PackedMarker(string type, Type objectType, int fill = 0)
    {
        /// <summary>TYPE's name of the packed type.</summary>
        public string Type { get; } = type;
        /// <summary>The class a copy of the value comes as (<see cref="ValueAt"/>).</summary>
        public Type ObjectType { get; } = objectType;
        /// <summary>A packed list's list-max-listpack-size.</summary>
        public int Fill { get; } = fill;
        public override string ToString() => "packed " + Type;
    }

    private static bool IsPacked(object? boxed) => boxed is PackedMarker;

    /// <summary>
    /// The class of the value a marker stands for (<see cref="RedisHash"/>, <see cref="RedisSet"/>), or null when
    /// <paramref name="boxed"/> is no marker: type checks answer WRONGTYPE without making the copy.
    /// </summary>
    public static Type? PackedType(object? boxed) => (boxed as PackedMarker)?.ObjectType;

    /// <summary>
    /// True when <paramref name="value"/> should be kept packed in its record rather than as an object: its record's
    /// value is then <paramref name="head"/> (a packed list's count, written into <paramref name="headRoom"/>;
    /// otherwise empty) followed by <paramref name="bytes"/>.
    /// </summary>
    private static bool TryPack(object value, Span<byte> headRoom, out object marker, out ReadOnlySpan<byte> head, out ReadOnlySpan<byte> bytes)
    {
        head = default;
        switch (value)
        {
            case RedisList list when list.TryGetSoloEntries(out bytes):
                marker = PackedList(list.Fill);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(headRoom, (ushort)list.Count);
                head = headRoom[..PackedListCountSize];
                return true;
            case RedisHash { ListpackBytes: { } lp }:
                marker = PackedHash;
                bytes = lp;
                return true;
            case RedisSet { CompactBytes: { } compact } set:
                marker = set.IsIntSet ? PackedIntSet : PackedSetListpack;
                bytes = compact;
                return true;
            case ZSet zset when zset.TryGetListpackBytes(out bytes):
                marker = PackedZSet;
                return true;
        }
        marker = null!;
        bytes = default;
        return false;
    }

    /// <summary>The object a packed value stands for: a new one, over a copy of its bytes.</summary>
    private static object Unpack(object marker, ReadOnlySpan<byte> bytes)
    {
        if (marker == PackedHash) return RedisHash.FromListpack(bytes.ToArray());
        if (marker == PackedIntSet) return RedisSet.FromIntSet(bytes.ToArray());
        if (marker == PackedSetListpack) return RedisSet.FromListpack(bytes.ToArray());
        if (marker == PackedZSet) return ZSet.FromListpack(bytes);
        if (IsPackedList(marker, out int fill))
            return RedisList.FromEntries(bytes[PackedListCountSize..], System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(bytes), fill);
        throw new InvalidOperationException("unknown packed value " + marker);
    }

    /// <summary>
    /// Bumped by every change to any value or key of the table: an object reading a record (a sorted set's listpack
    /// over it) knows what it worked out from the bytes (its count) still holds while this has not moved.
    /// </summary>
    public long Edits { get; private set; }

    private int _countedSlot = -1;
    private int _countedValue;
    private long _countedAt = -1;

    /// <summary>
    /// The element count last worked out for <paramref name="slot"/>'s packed value (<see cref="RememberCount"/>),
    /// while no edit of the table has happened since: a packed sorted set is counted by a walk, and the next
    /// command on the same key is usually the next edit.
    /// </summary>
    public bool TryGetRememberedCount(int slot, out int count)
    {
        count = _countedValue;
        return _countedSlot == slot && _countedAt == Edits;
    }

    /// <summary>Remembers <paramref name="count"/> as the element count of <paramref name="slot"/>'s packed value now.</summary>
    public void RememberCount(int slot, int count)
    {
        _countedSlot = slot;
        _countedValue = count;
        _countedAt = Edits;
    }

    /// <summary>The value bytes of a record (any value held in it: a string's, a packed collection's).</summary>
    private ReadOnlySpan<byte> RecordValue(in Entry e)
    {
        ReadOnlySpan<byte> record = _slab.Slot(e.Record);
        Parse(record, out int start, out int keyLength, out int value);
        return record.Slice(start + keyLength, value >> 1);
    }

    /// <summary>True with the packed bytes when <paramref name="slot"/> holds a value packed under <paramref name="marker"/>.</summary>
    public bool TryGetPacked(int slot, object marker, out ReadOnlySpan<byte> bytes)
    {
        if (ReferenceEquals(BoxedAt(slot), marker))
        {
            bytes = RecordValue(At(slot));
            return true;
        }
        bytes = default;
        return false;
    }

    /// <summary>
    /// Edits the packed value of <paramref name="slot"/>: the <paramref name="removeLength"/> bytes at
    /// <paramref name="pos"/> make way for <paramref name="insertLength"/> bytes the caller then writes into the
    /// returned span (the whole new value) at <paramref name="pos"/>. Bytes before and after keep their content. The
    /// record stays in its slot while its size class holds it; otherwise it moves to one of the new class.
    /// </summary>
    public Span<byte> SplicePacked(int slot, int pos, int removeLength, int insertLength)
    {
        CancelLoan(slot);
        Edits++;
        ref Entry e = ref At(slot);
        var old = _slab.Slot(e.Record);
        Parse(old, out int start, out int keyLength, out int lengthAndFlags);
        int oldLength = lengthAndFlags >> 1, flags = lengthAndFlags & UnsharedFlag;
        if ((uint)pos > (uint)oldLength || (uint)removeLength > (uint)(oldLength - pos) || insertLength < 0)
            throw new ArgumentOutOfRangeException(nameof(pos));
        int newLength = oldLength - removeLength + insertLength;
        int valueStart = start + keyLength;
        int tail = oldLength - pos - removeLength;
        int size = RecordSize(keyLength, newLength);
        if (RecordSlab.SlotSizeFor(size) == old.Length && Varint.Size(newLength * 2 + 1) == Varint.Size(oldLength * 2 + 1))
        {
            // Same class and the same width of the length field: shift the tail within the slot.
            var inPlace = old.Slice(valueStart, Math.Max(oldLength, newLength));
            inPlace.Slice(pos + removeLength, tail).CopyTo(inPlace[(pos + insertLength)..]);
            Varint.Write(old, Varint.Size(keyLength), newLength * 2 + flags);
            return old.Slice(valueStart, newLength);
        }
        long handle = _slab.Allocate(size);
        var value = WriteRecordHead(_slab.Slot(handle), old.Slice(start, keyLength), newLength, flags);
        var oldValue = old.Slice(valueStart, oldLength);
        oldValue[..pos].CopyTo(value);
        oldValue.Slice(pos + removeLength, tail).CopyTo(value[(pos + insertLength)..]);
        _slab.Free(e.Record);
        e.Record = handle;
        return value;
    }

    /// <summary>Stores a value packed in the record of <paramref name="slot"/> (replacing whatever value it had).</summary>
    private void SetPacked(int slot, object marker, ReadOnlySpan<byte> head, ReadOnlySpan<byte> bytes)
    {
        ValueBytes -= Detach(BoxedAt(slot));
        SetBoxed(slot, marker);
        RewriteRecord(ref At(slot), head, bytes);
    }

    // ---- loans: packed values handed out as objects to code that changes objects ---------------------

    private List<(int Slot, IRedisValue Value)>? _loans;

    /// <summary>
    /// Lends <paramref name="value"/>, an object standing for the packed value of <paramref name="slot"/>, to a command
    /// that changes objects (a write lookup's copy, or a value the command added and goes on filling): readers of the
    /// slot get this same object until <see cref="ReturnLoans"/> stores it back at the end of the command. A write
    /// that replaces or removes the value, or edits its bytes in place, cancels the loan.
    /// </summary>
    public void Lend(int slot, IRedisValue value)
    {
        CancelLoan(slot);
        (_loans ??= []).Add((slot, value));
        Ledger?.NoteLoan(this);
    }

    /// <summary>Where this table's loans are returned at the end of each command (its database's server's); null in tests.</summary>
    public SizeLedger? Ledger { get; set; }

    /// <summary>
    /// What a command that looks up <paramref name="slot"/> gets of a packed sorted set: the object lent for it, or an
    /// object over its record (<see cref="ZSet.OverRecord"/>); null for any other value. The first such view a command
    /// gets is used again by the next command (<see cref="RecycleViews"/>), so that the commands of a busy sorted-set
    /// workload allocate nothing: a view is good for the command that got it, as a loan is, and no longer.
    /// </summary>
    public ZSet? ZSetViewAt(int slot)
    {
        if (!ReferenceEquals(BoxedAt(slot), PackedZSet)) return null;
        if (LoanOf(slot) is ZSet lent) return lent;
        ZSet view;
        if (_spareView != null)
        {
            view = _spareView;
            _spareView = null;
            view.MoveView(slot);
        }
        else view = ZSet.OverRecord(this, slot);
        if (_firstView == null)
        {
            _firstView = view;
            Ledger?.NoteView(this);
        }
        return view;
    }

    // The view the next lookup may take, and the first one handed out since the last command ended.
    private ZSet? _spareView;
    private ZSet? _firstView;

    /// <summary>
    /// The end of a command: its first view becomes the spare for the next command's lookup, unless it turned into a
    /// skiplist meanwhile (then it is the key's value, stored back as a loan).
    /// </summary>
    public void RecycleViews()
    {
        if (_firstView is { } view && view.IsViewOver(this)) _spareView = view;
        _firstView = null;
    }

    /// <summary>The object lent for <paramref name="slot"/>, or null.</summary>
    public IRedisValue? LoanOf(int slot)
    {
        if (_loans is not { Count: > 0 } loans) return null;
        foreach (var (s, value) in loans)
            if (s == slot) return value;
        return null;
    }

    private void CancelLoan(int slot)
    {
        if (_loans is not { Count: > 0 } loans) return;
        for (int i = loans.Count - 1; i >= 0; i--)
            if (loans[i].Slot == slot) loans.RemoveAt(i);
    }

    /// <summary>Stores every lent object back into its slot (packed again while it is compact); the end of a command.</summary>
    public void ReturnLoans()
    {
        if (_loans is not { Count: > 0 } loans) return;
        var returning = loans.ToArray();
        loans.Clear();
        foreach (var (slot, value) in returning) SetValue(slot, value);
    }
}
