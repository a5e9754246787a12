namespace Cinnabar.Persistence;

/// <summary>
/// Whether a dataset is being loaded (an RDB or an AOF directory at start, DEBUG RELOAD), and how far: INFO's
/// loading_* fields and the -LOADING refusal read it. Written by the loader under the store lock; <see cref="Active"/>
/// is read by the gate on every command (one volatile read). <see cref="Step"/> is where a load lets clients in.
/// </summary>
public sealed class LoadingState
{
    public const string LoadingError = "LOADING Redis is loading the dataset in memory";

    /// <summary>Bytes read between two openings of the store lock to clients (Redis's loading_process_events_interval_bytes).</summary>
    public const long SliceBytes = 2 << 20;

    private volatile bool _active;
    private long _lastOpened;

    public bool Active => _active;
    public long StartUnixSeconds { get; private set; }
    public long StartMs { get; private set; }
    public long TotalBytes { get; private set; }
    public long LoadedBytes { get; private set; }

    /// <summary>The used-mem aux field of the RDB being loaded (loading_rdb_used_mem), 0 when none.</summary>
    public long RdbUsedMem { get; set; }

    public void Begin(long totalBytes)
    {
        StartMs = Environment.TickCount64;
        StartUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        TotalBytes = totalBytes;
        LoadedBytes = 0;
        RdbUsedMem = 0;
        _lastOpened = 0;
        _active = true;
    }

    public void Progress(long loadedBytes) => LoadedBytes = loadedBytes;

    /// <summary>
    /// Records how far the load is and, every <see cref="SliceBytes"/>, lets the store lock go for a moment so
    /// waiting clients get -LOADING (or run INFO, CONFIG and the other commands flagged loading) while a large file loads. The caller
    /// holds <paramref name="gate"/>; null loads in one hold (DEBUG RELOAD, a client's own command).
    /// </summary>
    public void Step(long loadedBytes, Lock? gate)
    {
        LoadedBytes = loadedBytes;
        if (gate == null || loadedBytes - _lastOpened < SliceBytes) return;
        _lastOpened = loadedBytes;
        gate.Exit();
        // A bare yield lets this thread take the lock again at once; a millisecond lets the waiting clients in.
        Thread.Sleep(1);
        gate.Enter();
    }

    public void End() => _active = false;

    /// <summary>loading_loaded_perc as Redis prints it (two decimals).</summary>
    public double LoadedPercent => TotalBytes > 0 ? Math.Min(100.0, LoadedBytes * 100.0 / TotalBytes) : 0;

    /// <summary>loading_eta_seconds: the rest at the rate so far (1 before any byte is read, as Redis).</summary>
    public long EtaSeconds
    {
        get
        {
            double elapsed = (Environment.TickCount64 - StartMs) / 1000.0;
            if (LoadedBytes <= 0 || elapsed <= 0) return 1;
            return (long)((TotalBytes - LoadedBytes) / (LoadedBytes / elapsed));
        }
    }
}
