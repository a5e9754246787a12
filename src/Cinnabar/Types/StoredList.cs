using System.Buffers.Binary;
using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>
/// A list key's value as the list commands read and change it, wherever it lives: a list of one node packed in its
/// key's record (<see cref="KeyTable.PackedList"/>: a 2-byte count, then the node's entries), edited there in place
/// with no object made; or a quicklist <see cref="RedisList"/>. A packed list that needs a second node (by the
/// list-max-listpack-size it was created with) becomes a <see cref="RedisList"/> for good, and this handle follows
/// it: keep it in one local and pass it by reference. Indexes are the list's; a span read from it is good until the
/// list changes. Open a list to change only through a write lookup: that is where its object's size is noted, to
/// be counted when the command ends.
/// </summary>
public struct StoredList
{
    private const int CountSize = KeyTable.PackedListCountSize;

    private readonly KeyTable _table;
    private readonly int _slot;
    private readonly object? _marker;
    private readonly int _fill;
    private RedisList? _object;

    private StoredList(KeyTable table, int slot, object? marker, int fill, RedisList? list)
    {
        _table = table;
        _slot = slot;
        _marker = marker;
        _fill = fill;
        _object = list;
    }

    /// <summary>The list in <paramref name="slot"/>: true with it when the slot holds a list, false when it holds another type.</summary>
    public static bool TryOpen(KeyTable table, int slot, out StoredList list)
    {
        var boxed = table.BoxedAt(slot);
        if (boxed is RedisList redisList)
        {
            list = new StoredList(table, slot, null, redisList.Fill, redisList);
            return true;
        }
        if (KeyTable.IsPackedList(boxed, out int fill))
        {
            // An object lent for the key earlier in this command holds its latest content.
            list = new StoredList(table, slot, boxed, fill, table.LoanOf(slot) as RedisList);
            return true;
        }
        list = default;
        return false;
    }

    /// <summary>The same key as <paramref name="other"/> (LMOVE of a list onto itself).</summary>
    public readonly bool SameKey(in StoredList other) => ReferenceEquals(_table, other._table) && _slot == other._slot;

    /// <summary>The packed value: the count, then the entries.</summary>
    private readonly ReadOnlySpan<byte> Packed
    {
        get
        {
            _table.TryGetPacked(_slot, _marker!, out var bytes);
            return bytes;
        }
    }

    public readonly int Count => _object?.Count ?? BinaryPrimitives.ReadUInt16LittleEndian(Packed);

    /// <summary>True while the list lives in its key's record (for tests).</summary>
    public readonly bool IsPacked => _object == null;

    /// <summary>Offset in <paramref name="packed"/> of entry <paramref name="index"/>, walked from the nearer end.</summary>
    private static int Seek(ReadOnlySpan<byte> packed, int count, int index)
    {
        int pos;
        if (index <= count / 2)
        {
            pos = CountSize;
            for (int i = 0; i < index; i++) pos += ListEntry.SizeAt(packed, pos);
        }
        else
        {
            pos = packed.Length;
            for (int i = count; i > index; i--) pos = ListEntry.StartBefore(packed, pos);
        }
        return pos;
    }

    private static void SetCount(Span<byte> packed, int count) => BinaryPrimitives.WriteUInt16LittleEndian(packed, (ushort)count);

    // ---- reads ----------------------------------------------------------------------------------------

    /// <summary>Element <paramref name="index"/> (0 ≤ index &lt; Count): a slice of the list, or of <paramref name="scratch"/> for an integer.</summary>
    public readonly ReadOnlySpan<byte> Get(int index, Span<byte> scratch)
    {
        if (_object != null) return _object.Iterate(index).Read(scratch);
        var packed = Packed;
        return Listpack.Read(packed, Seek(packed, BinaryPrimitives.ReadUInt16LittleEndian(packed), index), scratch);
    }

    /// <summary>The first (or last) element of a list that is not empty, read where it is.</summary>
    public readonly ReadOnlySpan<byte> PeekEnd(bool head, Span<byte> scratch)
    {
        if (_object != null) return _object.PeekEnd(head, scratch);
        var packed = Packed;
        return Listpack.Read(packed, head ? CountSize : ListEntry.StartBefore(packed, packed.Length), scratch);
    }

    /// <summary>A cursor at element <paramref name="start"/>, moving towards the tail (or the head when <paramref name="reverse"/>).</summary>
    public readonly Cursor Iterate(int start, bool reverse = false)
    {
        if (_object != null) return new Cursor(_object.Iterate(start, reverse));
        var packed = Packed;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(packed);
        if (start < 0 || start >= count) return default;
        return new Cursor(packed, Seek(packed, count, start), reverse ? start + 1 : count - start, reverse);
    }

    /// <summary>Walks the elements without copying them; good until the list changes.</summary>
    public ref struct Cursor
    {
        private RedisList.Cursor _object;
        private readonly ReadOnlySpan<byte> _packed;
        private readonly bool _isObject;
        private readonly bool _reverse;
        private int _pos;
        private int _left;

        internal Cursor(RedisList.Cursor cursor)
        {
            _object = cursor;
            _isObject = true;
        }

        internal Cursor(ReadOnlySpan<byte> packed, int pos, int left, bool reverse)
        {
            _packed = packed;
            _pos = pos;
            _left = left;
            _reverse = reverse;
        }

        /// <summary>True while the cursor is on an element.</summary>
        public readonly bool Valid => _isObject ? _object.Valid : _left > 0;

        /// <summary>The element's text: a slice of the list, or of <paramref name="scratch"/> (≥ <see cref="Listpack.ScratchSize"/> bytes) for an integer.</summary>
        public readonly ReadOnlySpan<byte> Read(Span<byte> scratch) => _isObject ? _object.Read(scratch) : Listpack.Read(_packed, _pos, scratch);

        public readonly bool Matches(in Listpack.Probe probe) => _isObject ? _object.Matches(probe) : Listpack.Matches(_packed, _pos, probe);

        public void MoveNext()
        {
            if (_isObject)
            {
                _object.MoveNext();
                return;
            }
            if (--_left <= 0) return;
            _pos = _reverse ? ListEntry.StartBefore(_packed, _pos) : _pos + ListEntry.SizeAt(_packed, _pos);
        }
    }

    // ---- writes ---------------------------------------------------------------------------------------

    /// <summary>Adds <paramref name="value"/> at the head (or the tail); a packed list whose node is full becomes its object first.</summary>
    public void Push(bool head, ReadOnlySpan<byte> value)
    {
        if (_object == null)
        {
            var packed = Packed;
            int count = BinaryPrimitives.ReadUInt16LittleEndian(packed);
            int size = ListEntry.EncodedSize(value);
            // The first element always has a node, as the quicklist makes one for it.
            if (count == 0 || (count < ushort.MaxValue && RedisList.AllowInsert(_fill, packed.Length - CountSize, count, size)))
            {
                int pos = head ? CountSize : packed.Length;
                var edited = _table.SplicePacked(_slot, pos, 0, size);
                ListEntry.Write(edited[pos..], value);
                SetCount(edited, count + 1);
                return;
            }
            ConvertToObject();
        }
        if (head) _object!.PushHead(value);
        else _object!.PushTail(value);
    }

    /// <summary>Removes the first (or last) element of a list that is not empty, without a copy of it (read it first with <see cref="PeekEnd"/>).</summary>
    public void DropEnd(bool head)
    {
        if (_object != null)
        {
            _object.DropEnd(head);
            return;
        }
        var packed = Packed;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(packed);
        int pos = head ? CountSize : ListEntry.StartBefore(packed, packed.Length);
        var edited = _table.SplicePacked(_slot, pos, ListEntry.SizeAt(packed, pos), 0);
        SetCount(edited, count - 1);
    }

    /// <summary>Replaces element <paramref name="index"/> (0 ≤ index &lt; Count).</summary>
    public void Set(int index, ReadOnlySpan<byte> value)
    {
        if (_object == null)
        {
            var packed = Packed;
            int count = BinaryPrimitives.ReadUInt16LittleEndian(packed);
            int pos = Seek(packed, count, index);
            int oldSize = ListEntry.SizeAt(packed, pos), size = ListEntry.EncodedSize(value);
            if (!RedisList.Oversize(_fill, packed.Length - CountSize - oldSize + size, count))
            {
                var edited = _table.SplicePacked(_slot, pos, oldSize, size);
                ListEntry.Write(edited[pos..], value);
                return;
            }
            ConvertToObject();
        }
        _object!.Set(index, value);
    }

    /// <summary>Inserts <paramref name="value"/> before position <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, ReadOnlySpan<byte> value)
    {
        if (_object == null)
        {
            var packed = Packed;
            int count = BinaryPrimitives.ReadUInt16LittleEndian(packed);
            if (index == 0 || index == count)
            {
                Push(index == 0, value);
                return;
            }
            int size = ListEntry.EncodedSize(value);
            if (count < ushort.MaxValue && !RedisList.Oversize(_fill, packed.Length - CountSize + size, count + 1))
            {
                int pos = Seek(packed, count, index);
                var edited = _table.SplicePacked(_slot, pos, 0, size);
                ListEntry.Write(edited[pos..], value);
                SetCount(edited, count + 1);
                return;
            }
            ConvertToObject();
        }
        _object!.Insert(index, value);
    }

    /// <summary>Removes the elements at the given ascending positions (LREM).</summary>
    public void RemoveAt(IReadOnlyList<int> sortedPositions)
    {
        if (_object != null)
        {
            _object.RemoveAt(sortedPositions);
            return;
        }
        if (sortedPositions.Count == 0) return;
        // The kept entries close up within the record, which then loses its tail.
        int length = Packed.Length;
        var bytes = _table.SplicePacked(_slot, 0, 0, 0);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        int read = CountSize, write = CountSize, p = 0;
        for (int i = 0; i < count; i++)
        {
            int size = ListEntry.SizeAt(bytes, read);
            if (p < sortedPositions.Count && sortedPositions[p] == i) p++;
            else
            {
                if (write != read) bytes.Slice(read, size).CopyTo(bytes[write..]);
                write += size;
            }
            read += size;
        }
        var edited = _table.SplicePacked(_slot, write, length - write, 0);
        SetCount(edited, count - sortedPositions.Count);
    }

    /// <summary>Keeps only positions <paramref name="start"/>..<paramref name="end"/> inclusive (already clamped; start &gt; end empties the list).</summary>
    public void Trim(int start, int end)
    {
        if (_object != null)
        {
            _object.Trim(start, end);
            return;
        }
        var packed = Packed;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(packed);
        if (start > end || start >= count)
        {
            SetCount(_table.SplicePacked(_slot, CountSize, packed.Length - CountSize, 0), 0);
            return;
        }
        int endPos = end + 1 >= count ? packed.Length : Seek(packed, count, end + 1);
        int startPos = Seek(packed, count, start);
        _table.SplicePacked(_slot, endPos, packed.Length - endPos, 0);
        SetCount(_table.SplicePacked(_slot, CountSize, startPos - CountSize, 0), end - start + 1);
    }

    /// <summary>
    /// The packed list becomes a quicklist object in its key, for good (as a list that needs a second node stays a
    /// quicklist). Its later growth in this command is counted when the command ends, as for any object a write
    /// lookup found.
    /// </summary>
    private void ConvertToObject()
    {
        var packed = Packed;
        var list = RedisList.FromEntries(packed[CountSize..], BinaryPrimitives.ReadUInt16LittleEndian(packed), _fill);
        _table.SetObject(_slot, list);
        _table.Ledger?.Note(_table, list);
        _object = list;
    }
}
