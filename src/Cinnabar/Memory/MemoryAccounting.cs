namespace Cinnabar.Memory;

/// <summary>
/// used_memory and its parts, from counts kept as things change, so it is known at any instant without a
/// collection or a walk over keys: the key tables count their keys, values and structure
/// (<see cref="Storage.KeyTable"/>, settled after each command by <see cref="Storage.SizeLedger"/>); the
/// script cache counts its bodies; client buffers are summed over the connections (a walk over clients, not
/// keys: every cron tick and when INFO/MEMORY ask). The startup figure is the managed heap when the server
/// was created (command table, configuration, empty databases), as Redis's used_memory_startup is its heap
/// after initialisation.
/// </summary>
public sealed class MemoryAccounting
{
    private readonly CinnabarServer _server;

    public MemoryAccounting(CinnabarServer server) => _server = server;

    /// <summary>Query buffers of normal clients (counted for eviction, as in Redis).</summary>
    public long ClientInputBytes { get; private set; }

    /// <summary>
    /// Output buffers of normal clients. Reported in mem_clients_normal but not counted for eviction (unlike
    /// Redis, where a slow reader's output can make the server evict the dataset).
    /// </summary>
    public long ClientOutputBytes { get; private set; }

    public long StartupBytes => _server.Stats.StartupMemory;

    /// <summary>Keys and values of every database (Redis's dataset, before its overhead is taken out).</summary>
    public long KeysAndValuesBytes
    {
        get
        {
            long bytes = 0;
            foreach (var db in _server.Databases) bytes += db.Table.RecordBytes + db.Table.ValueBytes;
            return bytes;
        }
    }

    /// <summary>
    /// Free room in the key tables' record pages: heap the records hold beyond their slots (reused by the next
    /// records of their classes, given back as pages empty). Not garbage, so no collection can free it.
    /// </summary>
    public long RecordSlackBytes
    {
        get
        {
            long bytes = 0;
            foreach (var db in _server.Databases) bytes += db.Table.RecordPageBytes - db.Table.RecordBytes;
            return bytes;
        }
    }

    /// <summary>The key tables' own structure: entry chunks, buckets and the volatile-key index.</summary>
    public long TablesOverheadBytes
    {
        get
        {
            long bytes = 0;
            foreach (var db in _server.Databases) bytes += db.Table.MainOverheadBytes + db.Table.ExpiresOverheadBytes;
            return bytes;
        }
    }

    public long ClientsBytes => ClientInputBytes + ClientOutputBytes;

    /// <summary>Redis's lua_caches: the EVAL cache and the function libraries.</summary>
    public long ScriptsBytes => _server.Scripting.CachedScriptBytes + _server.Scripting.Functions.LibraryBytes;

    /// <summary>Redis's used_memory_overhead: startup, clients, scripts and the key tables' structure.</summary>
    public long OverheadBytes => StartupBytes + ClientsBytes + ScriptsBytes + TablesOverheadBytes;

    /// <summary>used_memory.</summary>
    public long UsedBytes => OverheadBytes + KeysAndValuesBytes;

    /// <summary>used_memory_dataset: what is left when the overhead is taken out.</summary>
    public long DatasetBytes => UsedBytes - OverheadBytes;

    /// <summary>mem_not_counted_for_evict: normal clients' output buffers (no AOF or replica buffers exist).</summary>
    public long NotCountedForEvictBytes => ClientOutputBytes;

    /// <summary>What maxmemory is compared with.</summary>
    public long EvictionUsedBytes => UsedBytes - NotCountedForEvictBytes;

    /// <summary>Sums the connections' buffers (cron, INFO, MEMORY STATS). The caller holds the store lock.</summary>
    public void RefreshClients()
    {
        _server.SumClientBuffers(out long input, out long output);
        ClientInputBytes = input;
        ClientOutputBytes = output;
    }

    /// <summary>Raises used_memory_peak when used memory is above it; returns used memory.</summary>
    public long TrackPeak()
    {
        long used = UsedBytes;
        if (used > _server.Stats.PeakMemory) _server.Stats.PeakMemory = used;
        return used;
    }
}
