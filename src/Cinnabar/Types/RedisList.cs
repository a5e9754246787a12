using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>
/// A Redis list: a double-ended queue of byte strings in a circular buffer, O(1) at both ends and for
/// index access. Reports "quicklist" as Redis 7.0 does for every list.
/// </summary>
public sealed class RedisList : IRedisValue
{
    private byte[][] _items = new byte[4][];
    private int _head;
    private int _count;

    public string TypeName => "list";
    public string EncodingName => "quicklist";

    public int Count => _count;

    /// <summary>An independent copy (COPY); elements are never changed in place, so they are shared.</summary>
    public IRedisValue DeepCopy()
    {
        var copy = new RedisList();
        for (int i = 0; i < _count; i++) copy.PushTail(this[i]);
        return copy;
    }

    public byte[] this[int index]
    {
        get => _items[(_head + index) & (_items.Length - 1)];
        set => _items[(_head + index) & (_items.Length - 1)] = value;
    }

    public void PushHead(byte[] value)
    {
        if (_count == _items.Length) Grow();
        _head = (_head - 1) & (_items.Length - 1);
        _items[_head] = value;
        _count++;
    }

    public void PushTail(byte[] value)
    {
        if (_count == _items.Length) Grow();
        _items[(_head + _count) & (_items.Length - 1)] = value;
        _count++;
    }

    public byte[] PopHead()
    {
        var v = _items[_head];
        _items[_head] = null!;
        _head = (_head + 1) & (_items.Length - 1);
        _count--;
        MaybeShrink();
        return v;
    }

    public byte[] PopTail()
    {
        int i = (_head + _count - 1) & (_items.Length - 1);
        var v = _items[i];
        _items[i] = null!;
        _count--;
        MaybeShrink();
        return v;
    }

    /// <summary>Inserts before position <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, byte[] value)
    {
        if (index == 0) { PushHead(value); return; }
        if (index == _count) { PushTail(value); return; }
        var all = ToList();
        all.Insert(index, value);
        Reload(all);
    }

    /// <summary>Removes the items at the given ascending positions.</summary>
    public void RemoveAt(IReadOnlyList<int> sortedPositions)
    {
        if (sortedPositions.Count == 0) return;
        var kept = new List<byte[]>(_count - sortedPositions.Count);
        int p = 0;
        for (int i = 0; i < _count; i++)
        {
            if (p < sortedPositions.Count && sortedPositions[p] == i) { p++; continue; }
            kept.Add(this[i]);
        }
        Reload(kept);
    }

    /// <summary>Keeps only positions start..end inclusive (already clamped).</summary>
    public void Trim(int start, int end)
    {
        if (start > end || start >= _count) { Reload([]); return; }
        var kept = new List<byte[]>(end - start + 1);
        for (int i = start; i <= end; i++) kept.Add(this[i]);
        Reload(kept);
    }

    public List<byte[]> ToList()
    {
        var list = new List<byte[]>(_count);
        for (int i = 0; i < _count; i++) list.Add(this[i]);
        return list;
    }

    private void Reload(List<byte[]> items)
    {
        int size = 4;
        while (size < items.Count) size *= 2;
        _items = new byte[size][];
        items.CopyTo(_items);
        _head = 0;
        _count = items.Count;
    }

    private void Grow()
    {
        var bigger = new byte[_items.Length * 2][];
        for (int i = 0; i < _count; i++) bigger[i] = this[i];
        _items = bigger;
        _head = 0;
    }

    private void MaybeShrink()
    {
        if (_items.Length > 64 && _count * 4 < _items.Length)
        {
            var smaller = new byte[_items.Length / 2][];
            for (int i = 0; i < _count; i++) smaller[i] = this[i];
            _items = smaller;
            _head = 0;
        }
    }
}
