namespace Cinnabar.Persistence;

/// <summary>
/// Whether a dataset is being loaded (an RDB at start, DEBUG RELOAD, an AOF), and how far: INFO's loading_*
/// fields and the -LOADING refusal read it. Written by the loader under the store lock; <see cref="Active"/>
/// is read by the gate on every command (one volatile read).
/// </summary>
public sealed class LoadingState
{
    public const string LoadingError = "LOADING Redis is loading the dataset in memory";

    private volatile bool _active;

    public bool Active => _active;
    public long StartUnixSeconds { get; private set; }
    public long StartMs { get; private set; }
    public long TotalBytes { get; private set; }
    public long LoadedBytes { get; private set; }
    public long LoadedKeys { get; set; }

    public void Begin(long totalBytes)
    {
        StartMs = Environment.TickCount64;
        StartUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        TotalBytes = totalBytes;
        LoadedBytes = 0;
        LoadedKeys = 0;
        _active = true;
    }

    public void Progress(long loadedBytes) => LoadedBytes = loadedBytes;

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
