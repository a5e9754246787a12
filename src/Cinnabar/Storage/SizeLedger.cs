namespace Cinnabar.Storage;

/// <summary>
/// Keeps the key tables' value counts exact. A value handed out by a write lookup (or just added) may change
/// size while its command runs; the ledger remembers it and, when the command ends, each table adds the
/// difference between the value's size now and what it counted (<see cref="KeyTable.Settle"/>). A value that
/// left its table meanwhile is skipped. So between commands used memory is known without walking anything:
/// one O(1) size read per value a command wrote. Before that, the tables that lent packed values as objects to
/// the command (<see cref="KeyTable.Lend"/>) store them back, and the tables that handed it views of packed sorted sets
/// may use one again (<see cref="KeyTable.RecycleViews"/>).
/// </summary>
public sealed class SizeLedger
{
    private (KeyTable Table, IRedisValue Value)[] _pending = new (KeyTable, IRedisValue)[16];
    private int _count;
    private readonly List<KeyTable> _lenders = [];
    private readonly List<KeyTable> _viewers = [];

    /// <summary><paramref name="table"/> lent a packed value to the command: it is returned when the command ends.</summary>
    public void NoteLoan(KeyTable table)
    {
        if (!_lenders.Contains(table)) _lenders.Add(table);
    }

    /// <summary><paramref name="table"/> handed the command a view of a packed sorted set: it may use it again once the command ends.</summary>
    public void NoteView(KeyTable table)
    {
        if (!_viewers.Contains(table)) _viewers.Add(table);
    }

    /// <summary>The value in <paramref name="table"/> may change size before the next <see cref="Settle"/>.</summary>
    public void Note(KeyTable table, IRedisValue value)
    {
        if (_count == _pending.Length) Array.Resize(ref _pending, _count * 2);
        _pending[_count++] = (table, value);
    }

    /// <summary>Counts every noted value's change of size (end of each command).</summary>
    public void Settle()
    {
        if (_lenders.Count > 0)
        {
            foreach (var table in _lenders) table.ReturnLoans();
            _lenders.Clear();
        }
        if (_viewers.Count > 0)
        {
            foreach (var table in _viewers) table.RecycleViews();
            _viewers.Clear();
        }
        if (_count == 0) return;
        for (int i = 0; i < _count; i++)
        {
            ref var p = ref _pending[i];
            p.Table.Settle(p.Value);
            p = default;
        }
        _count = 0;
        // A command that wrote a great many values leaves no great array behind.
        if (_pending.Length > 1024) _pending = new (KeyTable, IRedisValue)[16];
    }
}
