using Cinnabar.Storage;

namespace Cinnabar.Persistence;

/// <summary>
/// Walks the whole dataset into an <see cref="RdbWriter"/>: header and aux fields, function libraries, then
/// each non-empty database's keys in slot order (slots never move, so the walk is immune to rehashing and can
/// stop and resume between slices). The caller holds the store lock while a slice runs. SAVE runs it to the
/// end at once; BGSAVE and the AOF rewrite resume it in slices.
/// <para>
/// A point-in-time snapshot (<see cref="Attach"/>) is the fork-less BGSAVE: it marks the slots holding a key
/// when it starts and hears of every change before it happens (<see cref="IWriteObserver"/>). A marked key the
/// walk has not reached is serialized first — into the file when the walk is in its database, else into that
/// database's pending buffer, written when the walk gets there — and unmarked, so the walk skips it. Keys
/// created later sit in unmarked slots and are never written; a flushed database keeps its old table, which the
/// walk goes on reading. The file is the dataset as it was at the start, at the cost of the values changed
/// during the save, never of a copy of everything.
/// </para>
/// </summary>
public sealed class RdbSnapshot : IWriteObserver
{
    private readonly CinnabarServer _server;
    private readonly RdbWriter _writer;
    private readonly long _nowMs;
    private readonly bool _lru, _lfu;
    private readonly KeyTable[] _tables;
    private ulong[][]? _marks;
    private MemoryStream?[]? _pending;
    private RdbWriter?[]? _pendingWriters;
    private int _db = -1;
    private int _slot;

    /// <summary>Starts a snapshot: writes the header and the function libraries.</summary>
    public RdbSnapshot(CinnabarServer server, Stream stream, bool aofPreamble = false)
    {
        _server = server;
        var config = server.Config;
        _writer = new RdbWriter(stream, config.RdbCompression, config.RdbChecksum);
        _nowMs = server.NowMs;
        _lru = config.MaxMemoryPolicy.EndsWith("-lru", StringComparison.Ordinal);
        _lfu = config.MaxMemoryPolicy.EndsWith("-lfu", StringComparison.Ordinal);
        _tables = server.Databases.Select(d => d.Table).ToArray();
        _writer.WriteHeader(server.MemoryUsage.UsedBytes, aofPreamble, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        foreach (var library in server.Scripting.Functions.Libraries.Values) _writer.WriteFunction(library.Code);
    }

    /// <summary>Keys written so far.</summary>
    public long KeysWritten { get; private set; }

    /// <summary>Keys in the dataset when the snapshot started.</summary>
    public long KeysTotal { get; private set; }

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => _writer.Position;

    /// <summary>Bytes of values serialized ahead of the walk and not yet in the file (the save's extra memory).</summary>
    public long PendingBytes => _pendingWriters?.Sum(w => w?.Position ?? 0) ?? 0;

    public bool Done { get; private set; }

    /// <summary>Set when writing a key ahead of the walk failed (the snapshot has let go of the databases).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Database being walked, and the slot the walk has reached in it (every lower slot is written).</summary>
    public int CurrentDatabase => _db;
    public int CurrentSlot => _slot;

    /// <summary>
    /// Makes this a point-in-time snapshot of the dataset as it is now: marks every slot holding a key and
    /// becomes every database's write observer until <see cref="Detach"/> (or the end of the walk).
    /// </summary>
    public void Attach()
    {
        int n = _tables.Length;
        _marks = new ulong[n][];
        _pending = new MemoryStream?[n];
        _pendingWriters = new RdbWriter?[n];
        for (int d = 0; d < n; d++)
        {
            var table = _tables[d];
            var marks = _marks[d] = new ulong[(table.SlotLimit + 63) >> 6];
            for (int slot = 0; slot < table.SlotLimit; slot++)
                if (table.At(slot).Key != null) marks[slot >> 6] |= 1UL << (slot & 63);
            KeysTotal += table.Count;
        }
        foreach (var db in _server.Databases) db.WriteObserver = this;
    }

    /// <summary>Marks the snapshot failed (a write error met outside its own slices) and lets go of the databases.</summary>
    public void Fail(Exception e)
    {
        Failure = e;
        Detach();
    }

    /// <summary>Stops hearing of writes (the walk is over, or abandoned).</summary>
    public void Detach()
    {
        foreach (var db in _server.Databases)
            if (db.WriteObserver == this) db.WriteObserver = null;
    }

    /// <summary>Writes everything (SAVE, DEBUG RELOAD).</summary>
    public void WriteAll()
    {
        while (!WriteSome(int.MaxValue)) { }
    }

    /// <summary>Writes up to about <paramref name="maxKeys"/> keys; true once the file is complete.</summary>
    public bool WriteSome(int maxKeys)
    {
        if (Failure != null) throw new IOException("the snapshot failed writing a key ahead of the walk", Failure);
        if (Done) return true;
        int budget = maxKeys;
        while (budget > 0)
        {
            if (_db < 0 || _slot >= _tables[_db].SlotLimit)
            {
                if (!NextDatabase())
                {
                    Detach();
                    _writer.WriteEnd();
                    Done = true;
                    return true;
                }
                continue;
            }
            var table = _tables[_db];
            if (table.At(_slot).Key != null && IsMarkedOrNotTracking(_db, _slot))
            {
                WriteEntry(_writer, table, _slot);
                budget--;
            }
            _slot++;
        }
        return false;
    }

    private bool IsMarkedOrNotTracking(int db, int slot)
    {
        if (_marks == null) return true;
        var marks = _marks[db];
        return (slot >> 6) < marks.Length && (marks[slot >> 6] & (1UL << (slot & 63))) != 0;
    }

    private bool NextDatabase()
    {
        while (++_db < _tables.Length)
        {
            var table = _tables[_db];
            _slot = 0;
            var pending = _pending?[_db];
            if (table.Count == 0 && pending == null) continue;
            _writer.WriteDatabase(_db, table.Count, table.VolatileCount);
            if (pending != null)
            {
                _pendingWriters![_db]!.Flush();
                _writer.WriteRaw(pending.GetBuffer().AsSpan(0, (int)pending.Length));
                _pending![_db] = null;
                _pendingWriters[_db] = null;
            }
            return true;
        }
        return false;
    }

    /// <summary>Writes the key in <paramref name="slot"/> of <paramref name="table"/>.</summary>
    private void WriteEntry(RdbWriter writer, KeyTable table, int slot)
    {
        ref var e = ref table.At(slot);
        long idle = -1;
        int lfu = -1;
        if (_lru) idle = _server.LruClock >= e.Access ? _server.LruClock - e.Access : 0;
        else if (_lfu) lfu = (int)LfuCounter.Decayed(e.Access, _nowMs, _server.LfuDecayTime);
        writer.WriteKey(e.Key!, e.Value!, table.GetExpire(slot), idle, lfu);
        KeysWritten++;
    }

    /// <summary>A key about to change: serialized now if the walk has not written it yet.</summary>
    void IWriteObserver.BeforeWrite(Database db, int slot)
    {
        var table = db.Table;
        int d = db.Index < _tables.Length && _tables[db.Index] == table ? db.Index : Array.IndexOf(_tables, table);
        if (d < 0 || d < _db || (d == _db && slot < _slot) || !IsMarkedOrNotTracking(d, slot)) return;
        _marks![d][slot >> 6] &= ~(1UL << (slot & 63));
        try
        {
            if (d == _db) WriteEntry(_writer, table, slot);
            else
            {
                if (_pending![d] == null)
                {
                    _pending[d] = new MemoryStream();
                    _pendingWriters![d] = new RdbWriter(_pending[d]!, _server.Config.RdbCompression, checksum: false);
                }
                WriteEntry(_pendingWriters![d]!, table, slot);
            }
        }
        catch (IOException e)
        {
            // The client's write goes on; the save is lost and says so when its walk resumes.
            Fail(e);
        }
    }

    /// <summary>
    /// The database's table is about to be replaced (FLUSHDB, FLUSHALL) or exchanged (SWAPDB): nothing to do,
    /// the walk keeps the table it started with, which no write reaches any more (or, swapped, still reaches
    /// through the other database, whose writes are heard by table).
    /// </summary>
    void IWriteObserver.BeforeFlush(Database db) { }
}
