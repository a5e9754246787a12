using System.Runtime.CompilerServices;
using Cinnabar.Types;

namespace Cinnabar.Storage;

/// <summary>The key table's records: each key, and its value when that is a plain string, in the table's <see cref="RecordSlab"/>.</summary>
public sealed partial class KeyTable
{
    // ---- records ----------------------------------------------------------------------------------
    // A record is [key length][value length * 2 + unshared flag][key][value], lengths as 7-bit varints. A key whose
    // value is not a plain string has a record with an empty value and the value beside its entry (BoxedAt).

    private const int UnsharedFlag = 1;

    /// <summary>
    /// A longer string is kept as an object (<see cref="RawString"/>), not in a record: the record's length field
    /// holds twice the value's length in an int. 512 MB, Redis's default proto-max-bulk-len; tests lower it.
    /// </summary>
    internal int MaxRecordValueLength { get; init; } = int.MaxValue / 4;

    private static int RecordSize(int keyLength, int valueLength) =>
        Varint.Size(keyLength) + Varint.Size(valueLength * 2 + 1) + keyLength + valueLength;

    /// <summary>Key, value and flags of a record's bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Parse(ReadOnlySpan<byte> record, out int keyStart, out int keyLength, out int valueLengthAndFlag)
    {
        int pos = 0;
        keyLength = Varint.Read(record, ref pos);
        valueLengthAndFlag = Varint.Read(record, ref pos);
        keyStart = pos;
    }

    private long NewRecord(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, int flags) => NewRecord(key, default, value, flags);

    /// <summary>A new record whose value is <paramref name="head"/> then <paramref name="value"/> (a packed list's count and entries).</summary>
    private long NewRecord(ReadOnlySpan<byte> key, ReadOnlySpan<byte> head, ReadOnlySpan<byte> value, int flags)
    {
        long handle = _slab.Allocate(RecordSize(key.Length, head.Length + value.Length));
        var room = WriteRecordHead(_slab.Slot(handle), key, head.Length + value.Length, flags);
        head.CopyTo(room);
        value.CopyTo(room[head.Length..]);
        return handle;
    }

    /// <summary>Writes a record's lengths and key into <paramref name="slot"/>; returns the room for its value.</summary>
    private static Span<byte> WriteRecordHead(Span<byte> slot, ReadOnlySpan<byte> key, int valueLength, int flags)
    {
        int pos = Varint.Write(slot, 0, key.Length);
        pos = Varint.Write(slot, pos, valueLength * 2 + flags);
        key.CopyTo(slot[pos..]);
        return slot.Slice(pos + key.Length, valueLength);
    }

    /// <summary>The key stored in <paramref name="slot"/> (valid until the table changes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> KeyAt(int slot)
    {
        ReadOnlySpan<byte> record = _slab.Slot(At(slot).Record);
        Parse(record, out int start, out int length, out _);
        return record.Slice(start, length);
    }

    /// <summary>A copy of the key stored in <paramref name="slot"/>.</summary>
    public byte[] KeyArray(int slot) => KeyAt(slot).ToArray();

    /// <summary>True when <paramref name="slot"/> holds a key.</summary>
    public bool IsOccupied(int slot) => At(slot).Record != 0;

    /// <summary>
    /// The value of <paramref name="slot"/> as an object: a value held outside the record itself; a string or packed
    /// collection held in the record as a new object over a copy of its bytes (writes never reach it), or the object
    /// lent for it to this command (<see cref="Lend"/>). Hot string
    /// commands read <see cref="TryGetString"/> instead, the hash commands <see cref="TryGetPacked"/>.
    /// </summary>
    public object ValueAt(int slot)
    {
        object? boxed = BoxedAt(slot);
        if (IsPacked(boxed)) return LoanOf(slot) ?? Unpack(boxed!, RecordValue(At(slot)));
        if (boxed != null) return boxed;
        TryGetString(slot, out var bytes);
        return bytes.ToArray();
    }

    /// <summary>TYPE's answer for the value of <paramref name="slot"/>.</summary>
    public string TypeNameAt(int slot) => BoxedAt(slot) switch
    {
        null => "string",
        PackedMarker marker => marker.Type,
        var boxed => ValueKind.TypeName(boxed),
    };

    /// <summary>True when <paramref name="slot"/> holds a string (in its record or in place-modified form).</summary>
    public bool IsString(int slot) => BoxedAt(slot) is null or RawString;

    /// <summary>The string value of <paramref name="slot"/> (valid until the table changes); false for other types.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetString(int slot, out ReadOnlySpan<byte> bytes)
    {
        object? boxed = BoxedAt(slot);
        if (boxed == null)
        {
            ReadOnlySpan<byte> record = _slab.Slot(At(slot).Record);
            Parse(record, out int start, out int keyLength, out int value);
            bytes = record.Slice(start + keyLength, value >> 1);
            return true;
        }
        return StringValue.TryGetBytes(boxed, out bytes);
    }

    /// <summary>
    /// Marks a string value held in the record as not a shared integer (Redis's COPY duplicates the integer object;
    /// OBJECT REFCOUNT then reports 1).
    /// </summary>
    public void MarkUnshared(int slot)
    {
        if (BoxedAt(slot) != null) return;
        var record = _slab.Slot(At(slot).Record);
        int pos = 0;
        Varint.Read(record, ref pos);
        record[pos] |= UnsharedFlag; // the flag is the low bit of the varint's first byte
    }

    /// <summary>Whether a string held in the record was marked by <see cref="MarkUnshared"/>.</summary>
    public bool IsUnshared(int slot)
    {
        if (BoxedAt(slot) != null) return false;
        Parse(_slab.Slot(At(slot).Record), out _, out _, out int value);
        return (value & UnsharedFlag) != 0;
    }

    /// <summary>What MEMORY USAGE reports for the key of <paramref name="slot"/>: its record, its value outside it, its entry.</summary>
    public long MemoryUsage(int slot)
    {
        object? boxed = BoxedAt(slot);
        return _slab.SlotSize(At(slot).Record) + (boxed == null || IsPacked(boxed) ? 0 : ValueKind.MemoryBytes(boxed)) + EntryBytes;
    }
}
