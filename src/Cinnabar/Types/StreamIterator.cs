namespace Cinnabar.Types;

/// <summary>
/// Walks the live entries of a stream with IDs in [start, end], forwards or backwards: a binary search
/// finds the node that may hold the first one, then entries are read in place. Deleted entries are skipped.
/// Valid until the stream changes (callers that delete start a new one).
/// </summary>
public struct StreamIterator
{
    private readonly RedisStream _stream;
    private readonly StreamId _start, _end;
    private readonly bool _reverse;
    private StreamIdMap<StreamNode>.Pos _nodePos;
    private int _pos;
    private bool _done;

    public StreamNode? Node { get; private set; }
    /// <summary>Offset of the current entry's flags in <see cref="Node"/>.</summary>
    public int EntryPos { get; private set; }
    public StreamNode.EntryHeader Header { get; private set; }
    public readonly StreamId Id => Header.Id;

    internal StreamIterator(RedisStream stream, StreamId start, StreamId end, bool reverse)
    {
        _stream = stream;
        _start = start;
        _end = end;
        _reverse = reverse;
        var nodes = stream.Nodes;
        if (!reverse)
        {
            _nodePos = start.IsZero ? nodes.First : nodes.Floor(start);
            if (!_nodePos.IsValid) _nodePos = nodes.First;
        }
        else
        {
            _nodePos = end.IsZero ? nodes.Last : nodes.Floor(end);
            if (!_nodePos.IsValid) _nodePos = nodes.Last;
        }
        Node = _nodePos.IsValid ? nodes.ValueAt(_nodePos) : null;
        _pos = Node == null ? 0 : reverse ? Node.Used : Node.FirstEntry;
        _done = Node == null;
    }

    /// <summary>Reads the field/value pairs of the current entry.</summary>
    public readonly StreamNode.FieldReader Fields() => Node!.Fields(Header);

    public bool MoveNext()
    {
        while (!_done)
        {
            var node = Node!;
            if (!_reverse)
            {
                while (_pos < node.Used)
                {
                    var h = node.ReadHeader(_pos);
                    int at = _pos;
                    _pos = node.NextEntry(_pos, h);
                    if (h.Id < _start || h.IsDeleted) continue;
                    if (h.Id > _end) return Finish();
                    return Found(at, h);
                }
                _nodePos = _stream.Nodes.Next(_nodePos);
            }
            else
            {
                while (_pos > node.FirstEntry)
                {
                    _pos = node.EntryBefore(_pos);
                    var h = node.ReadHeader(_pos);
                    if (h.Id > _end || h.IsDeleted) continue;
                    if (h.Id < _start) return Finish();
                    return Found(_pos, h);
                }
                _nodePos = _stream.Nodes.Prev(_nodePos);
            }
            if (!_nodePos.IsValid) return Finish();
            Node = _stream.Nodes.ValueAt(_nodePos);
            _pos = _reverse ? Node.Used : Node.FirstEntry;
        }
        return false;
    }

    private bool Found(int at, in StreamNode.EntryHeader h)
    {
        EntryPos = at;
        Header = h;
        return true;
    }

    private bool Finish()
    {
        _done = true;
        return false;
    }
}
