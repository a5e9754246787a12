using Cinnabar.Storage;

namespace Cinnabar.Persistence;

/// <summary>
/// Walks the whole dataset into an <see cref="RdbWriter"/>: header and aux fields, function libraries, then
/// each non-empty database's keys in slot order (slots never move, so the walk is immune to rehashing and can
/// stop and resume between slices). The caller holds the store lock while a slice runs. SAVE runs it to the
/// end at once; a background save and the AOF rewrite resume it in slices.
/// </summary>
public sealed class RdbSnapshot
{
    private readonly CinnabarServer _server;
    private readonly RdbWriter _writer;
    private readonly long _nowMs;
    private readonly bool _lru, _lfu;
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
        _writer.WriteHeader(server.MemoryUsage.UsedBytes, aofPreamble, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        foreach (var library in server.Scripting.Functions.Libraries.Values) _writer.WriteFunction(library.Code);
    }

    /// <summary>Keys written so far.</summary>
    public long KeysWritten { get; private set; }

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => _writer.Position;

    public bool Done { get; private set; }

    /// <summary>Database being walked, and the slot the walk has reached in it (every lower slot is written).</summary>
    public int CurrentDatabase => _db;
    public int CurrentSlot => _slot;

    /// <summary>Writes everything (SAVE, DEBUG RELOAD).</summary>
    public void WriteAll()
    {
        while (!WriteSome(int.MaxValue)) { }
    }

    /// <summary>Writes up to about <paramref name="maxKeys"/> keys; true once the file is complete.</summary>
    public bool WriteSome(int maxKeys)
    {
        if (Done) return true;
        var databases = _server.Databases;
        int budget = maxKeys;
        while (budget > 0)
        {
            if (_db < 0 || _slot >= databases[_db].Table.SlotLimit)
            {
                if (!NextDatabase(databases))
                {
                    _writer.WriteEnd();
                    Done = true;
                    return true;
                }
                continue;
            }
            var table = databases[_db].Table;
            ref var e = ref table.At(_slot);
            if (e.Key != null)
            {
                WriteEntry(table, _slot);
                budget--;
            }
            _slot++;
        }
        return false;
    }

    private bool NextDatabase(Database[] databases)
    {
        while (++_db < databases.Length)
        {
            var db = databases[_db];
            _slot = 0;
            if (db.Count == 0) continue;
            _writer.WriteDatabase(_db, db.Count, db.VolatileCount);
            return true;
        }
        return false;
    }

    /// <summary>Writes the key in <paramref name="slot"/> of <paramref name="table"/>.</summary>
    public void WriteEntry(KeyTable table, int slot)
    {
        ref var e = ref table.At(slot);
        long idle = -1;
        int lfu = -1;
        if (_lru) idle = _server.LruClock >= e.Access ? _server.LruClock - e.Access : 0;
        else if (_lfu) lfu = (int)LfuCounter.Decayed(e.Access, _nowMs, _server.LfuDecayTime);
        _writer.WriteKey(e.Key!, e.Value!, table.GetExpire(slot), idle, lfu);
        KeysWritten++;
    }
}
