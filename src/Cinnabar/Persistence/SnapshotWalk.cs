using Cinnabar.Storage;

namespace Cinnabar.Persistence;

/// <summary>A walk of the dataset in slices, whatever it writes (the AOF rewrite takes either format).</summary>
public interface ISnapshotWalk
{
    void Attach();
    void Detach();
    bool WriteSome(int maxKeys);
    bool Done { get; }
    Exception? Failure { get; }
    void Fail(Exception e);
}

/// <summary>
/// The one walker of the dataset, whatever the format it writes (<see cref="RdbSnapshot"/>: RDB files, the AOF's
/// RDB preamble; <see cref="AofCommandSnapshot"/>: an AOF base of commands): each database's slots in order
/// (slots never move, so the walk is immune to rehashing and can stop and resume between slices). The caller
/// holds the store lock while a slice runs. SAVE runs it to the end at once; BGSAVE and the AOF rewrite resume
/// it in slices.
/// <para>
/// A point-in-time walk (<see cref="Attach"/>) is the fork-less snapshot: it marks the slots holding a key when
/// it starts and hears of every change before it happens (<see cref="IWriteObserver"/>). A marked key the walk
/// has not reached is serialized first — into the output when the walk is in its database, else into that
/// database's pending buffer, written when the walk gets there — and unmarked, so the walk skips it. Keys
/// created later sit in unmarked slots and are never written; a flushed database keeps its old table, which the
/// walk goes on reading. The output is the dataset as it was at the start, at the cost of the values changed
/// during the walk, never of a copy of everything.
/// </para>
/// </summary>
/// <typeparam name="TWriter">The format's writer: one for the output, one per database with keys written ahead.</typeparam>
public abstract class SnapshotWalk<TWriter> : ISnapshotWalk, IWriteObserver where TWriter : class
{
    protected readonly CinnabarServer Server;
    private readonly KeyTable[] _tables;
    private ulong[][]? _marks;
    private MemoryStream?[]? _pending;
    private TWriter?[]? _pendingWriters;
    private int _db = -1;
    private int _slot;

    protected SnapshotWalk(CinnabarServer server)
    {
        Server = server;
        _tables = server.Databases.Select(d => d.Table).ToArray();
    }

    /// <summary>The writer of the output.</summary>
    protected abstract TWriter Output { get; }

    /// <summary>A writer of the same format into <paramref name="buffer"/>, for keys serialized ahead of the walk.</summary>
    protected abstract TWriter PendingWriter(MemoryStream buffer);

    /// <summary>Bytes <paramref name="writer"/> has produced.</summary>
    protected abstract long Written(TWriter writer);

    /// <summary>Hands what <paramref name="writer"/> buffers to its stream.</summary>
    protected abstract void Flush(TWriter writer);

    /// <summary>What goes before a database's keys (RDB's SELECTDB and RESIZEDB, the AOF's SELECT).</summary>
    protected abstract void BeginDatabase(int db, KeyTable table);

    /// <summary>Bytes of a pending buffer, appended to the output once the walk is in their database.</summary>
    protected abstract void WriteRaw(ReadOnlySpan<byte> bytes);

    /// <summary>A key and its value, with its expiry time (-1: none) and its access field (LRU clock or LFU data).</summary>
    protected abstract void WriteEntry(TWriter writer, ReadOnlySpan<byte> key, object value, long expireMs, uint access);

    /// <summary>
    /// Serializes the key of <paramref name="slot"/> when its value is a hash, set or sorted set packed in its record, read where it
    /// is; false when it is not one.
    /// </summary>
    protected abstract bool TryWritePackedEntry(TWriter writer, KeyTable table, int slot, long expireMs, uint access);

    /// <summary>Serializes one plain string key given as bytes (its record's, or a copy of them).</summary>
    protected abstract void WriteStringEntry(TWriter writer, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expireMs, uint access);

    /// <summary>What ends the output (RDB's EOF and checksum); the walk is over.</summary>
    protected abstract void WriteEnd();

    /// <summary>A slice is over: a writer that gathers its output hands it to the stream here.</summary>
    protected virtual void EndSlice() { }

    /// <summary>Keys written so far.</summary>
    public long KeysWritten { get; private set; }

    /// <summary>Keys in the dataset when the snapshot started.</summary>
    public long KeysTotal { get; private set; }

    /// <summary>Bytes of values serialized ahead of the walk and not yet in the output (the snapshot's extra memory).</summary>
    public long PendingBytes => _deferredBytes + (_pendingWriters?.Sum(w => w == null ? 0 : Written(w)) ?? 0);

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
        _pendingWriters = new TWriter?[n];
        for (int d = 0; d < n; d++)
        {
            var table = _tables[d];
            var marks = _marks[d] = new ulong[(table.SlotLimit + 63) >> 6];
            for (int slot = 0; slot < table.SlotLimit; slot++)
                if (table.IsOccupied(slot)) marks[slot >> 6] |= 1UL << (slot & 63);
            KeysTotal += table.Count;
        }
        foreach (var db in Server.Databases) db.WriteObserver = this;
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
        foreach (var db in Server.Databases)
            if (db.WriteObserver == this) db.WriteObserver = null;
    }

    /// <summary>Writes everything (SAVE, DEBUG RELOAD, a first AOF base).</summary>
    public void WriteAll()
    {
        while (!WriteSome(int.MaxValue)) { }
    }

    /// <summary>Writes up to about <paramref name="maxKeys"/> keys; true once the output is complete.</summary>
    public bool WriteSome(int maxKeys)
    {
        if (Failure != null) throw new IOException("the snapshot failed writing a key ahead of the walk", Failure);
        if (Done) return true;
        int budget = maxKeys - WriteDeferred(maxKeys);
        while (budget > 0)
        {
            if (_db < 0 || _slot >= _tables[_db].SlotLimit)
            {
                // Deferred entries belong to the database being left: written before the next one begins.
                WriteDeferred(int.MaxValue);
                if (!NextDatabase())
                {
                    Detach();
                    WriteEnd();
                    Done = true;
                    return true;
                }
                continue;
            }
            var table = _tables[_db];
            if (table.IsOccupied(_slot) && IsMarkedOrNotTracking(_db, _slot))
            {
                Write(Output, table, _slot);
                budget--;
            }
            _slot++;
        }
        EndSlice();
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
            BeginDatabase(_db, table);
            if (pending != null)
            {
                Flush(_pendingWriters![_db]!);
                WriteRaw(pending.GetBuffer().AsSpan(0, (int)pending.Length));
                _pending![_db] = null;
                _pendingWriters[_db] = null;
            }
            return true;
        }
        return false;
    }

    private void Write(TWriter writer, KeyTable table, int slot)
    {
        // A string, or a small hash, set or sorted set, is written from its record's bytes: no copy is made of it.
        long expireMs = table.GetExpire(slot);
        uint access = table.At(slot).Access;
        if (table.TryGetString(slot, out var bytes)) WriteStringEntry(writer, table.KeyAt(slot), bytes, expireMs, access);
        else if (!TryWritePackedEntry(writer, table, slot, expireMs, access)) WriteEntry(writer, table.KeyAt(slot), table.ValueAt(slot), expireMs, access);
        KeysWritten++;
    }

    /// <summary>
    /// A key of the walk's database about to be overwritten or removed while its value is a plain string: its key
    /// and value are copied out of the record onto a stack of bytes (no object per key) and serialized by the
    /// walk's next slice or step instead of inside the client's command (measured: that serialization, LZF and
    /// all, was about a microsecond of every SET to a key the walk had not reached).
    /// </summary>
    private readonly record struct DeferredEntry(int Offset, int KeyLength, int ValueLength, long ExpireMs, uint Access);

    private readonly List<DeferredEntry> _deferred = [];
    private byte[] _deferredStack = [];
    private int _deferredBytes;

    /// <summary>Writes up to <paramref name="max"/> deferred entries (all of the walk's current database) to the output; returns how many.</summary>
    private int WriteDeferred(int max)
    {
        int n = Math.Min(max, _deferred.Count);
        for (int i = 0; i < n; i++)
        {
            var d = _deferred[^1];
            _deferred.RemoveAt(_deferred.Count - 1);
            var bytes = _deferredStack.AsSpan(d.Offset, d.KeyLength + d.ValueLength);
            WriteStringEntry(Output, bytes[..d.KeyLength], bytes[d.KeyLength..], d.ExpireMs, d.Access);
            _deferredBytes = d.Offset;
            KeysWritten++;
        }
        return n;
    }

    /// <summary>A key about to change: serialized now if the walk has not written it yet.</summary>
    void IWriteObserver.BeforeWrite(Database db, int slot)
    {
        var table = db.Table;
        int d = db.Index < _tables.Length && _tables[db.Index] == table ? db.Index : Array.IndexOf(_tables, table);
        if (d < 0 || d < _db || (d == _db && slot < _slot) || !IsMarkedOrNotTracking(d, slot)) return;
        _marks![d][slot >> 6] &= ~(1UL << (slot & 63));
        if (d == _db && table.BoxedAt(slot) == null)
        {
            var key = table.KeyAt(slot);
            table.TryGetString(slot, out var value);
            int size = key.Length + value.Length;
            if (_deferredStack.Length - _deferredBytes < size)
                Array.Resize(ref _deferredStack, Math.Max(_deferredStack.Length * 2, Math.Max(64 * 1024, _deferredBytes + size)));
            key.CopyTo(_deferredStack.AsSpan(_deferredBytes));
            value.CopyTo(_deferredStack.AsSpan(_deferredBytes + key.Length));
            _deferred.Add(new DeferredEntry(_deferredBytes, key.Length, value.Length, table.GetExpire(slot), table.At(slot).Access));
            _deferredBytes += size;
            return;
        }
        try
        {
            if (d == _db) Write(Output, table, slot);
            else
            {
                var pending = _pendingWriters![d];
                if (pending == null)
                {
                    _pending![d] = new MemoryStream();
                    pending = _pendingWriters[d] = PendingWriter(_pending[d]!);
                }
                Write(pending, table, slot);
            }
        }
        catch (IOException e)
        {
            // The client's write goes on; the snapshot is lost and says so when its walk resumes.
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
