namespace Cinnabar.Types;

/// <summary>
/// What a list packed in its key's record (<see cref="Storage.KeyTable.PackedList"/>) needs of the quicklist: a
/// list of one node gives its entries, and a list is built back from them. The packed bytes are those of the
/// node (<see cref="ListEntry"/> entries), so packing and unpacking copy them and change nothing else. An end is
/// read where it is, then removed, so a pop is answered without an array per element.
/// </summary>
public sealed partial class RedisList
{
    /// <summary>list-max-listpack-size as this list keeps it (clamped; a list keeps the value it was created with).</summary>
    public int Fill => _fill;

    /// <summary>
    /// The entries of a list of one node (its node's bytes): true when the list fits in one node and so may be packed
    /// in its key's record. An empty list is never stored (a push to a new key starts from an empty packed list
    /// instead), so one stays an object.
    /// </summary>
    public bool TryGetSoloEntries(out ReadOnlySpan<byte> entries)
    {
        if (_nodeCount == 1 && _solo!.Count <= ushort.MaxValue)
        {
            entries = _solo.Buf.AsSpan(_solo.Start, _solo.Used);
            return true;
        }
        entries = default;
        return false;
    }

    /// <summary>A list of one node over a copy of <paramref name="entries"/> (<paramref name="count"/> of them; none: an empty list).</summary>
    public static RedisList FromEntries(ReadOnlySpan<byte> entries, int count, int fill)
    {
        var list = new RedisList(fill);
        if (count == 0) return list;
        var node = ListNode.Exact(entries, count);
        list._solo = node;
        list._nodeCount = 1;
        list._count = count;
        list._nodeBytes = NodeBytes(node);
        return list;
    }

    /// <summary>The first (or last) element, read where it is: a slice of the node, or of <paramref name="scratch"/> for an integer.</summary>
    public ReadOnlySpan<byte> PeekEnd(bool head, Span<byte> scratch)
    {
        var node = NodeAt(head ? 0 : _nodeCount - 1);
        return Listpack.Read(node.Buf, head ? node.Start : ListEntry.StartBefore(node.Buf, node.End), scratch);
    }

    /// <summary>Removes the first (or last) element with no copy of it (after <see cref="PeekEnd"/> read it).</summary>
    public void DropEnd(bool head)
    {
        if (head)
        {
            var node = NodeAt(0);
            node.Start += ListEntry.SizeAt(node.Buf, node.Start);
            node.Count--;
            _count--;
            if (node.Count == 0) RemoveFirstNode();
        }
        else
        {
            var node = NodeAt(_nodeCount - 1);
            node.End = ListEntry.StartBefore(node.Buf, node.End);
            node.Count--;
            _count--;
            if (node.Count == 0) RemoveLastNode();
        }
    }
}
