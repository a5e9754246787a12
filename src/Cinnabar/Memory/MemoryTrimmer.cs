namespace Cinnabar.Memory;

/// <summary>
/// Returns memory to the operating system without stopping clients. The GC keeps the regions it used
/// committed until a full collection finds them empty, so after FLUSHALL, mass deletes or expiry the process
/// can hold several times its live data. Used memory is counted exactly (<see cref="MemoryAccounting"/>), so
/// the trimmer knows when the committed heap is far above the live data without a collection: it then asks
/// for a background (concurrent) full collection, which marks while commands keep running and does not
/// compact; the regions it empties are decommitted by the runtime. It never takes the store lock.
/// Triggers: committed heap above twice the used memory plus 16 MB (a flush or mass delete) at most every
/// 5 seconds; when the server has been quiet for a second, 10% and 4 MB of slack, once per quiet period;
/// and MEMORY PURGE.
/// </summary>
public sealed class MemoryTrimmer
{
    private const long QuietMillis = 1000;
    private const long MinimumSlackBytes = 4L * 1024 * 1024;
    private const long DropSlackBytes = 16L * 1024 * 1024;
    private const long MinimumIntervalMillis = 500;

    private long _lastActivity = Environment.TickCount64;
    private bool _trimmedSinceActivity = true;
    private long _lastTrim = long.MinValue / 2;
    private volatile bool _requested;
    private int _gen2AtLastTrim = -1;

    public long Trims { get; private set; }

    /// <summary>Called for every batch of commands (cheap: one store).</summary>
    public void NoteActivity()
    {
        _lastActivity = Environment.TickCount64;
        _trimmedSinceActivity = false;
    }

    /// <summary>MEMORY PURGE, FLUSHALL: trim at the next cron tick.</summary>
    public void RequestNow() => _requested = true;

    /// <summary>Called from the server cron, outside the store lock, with the used memory counted under it.</summary>
    public void MaybeTrim(long usedBytes)
    {
        long now = Environment.TickCount64;
        var info = GC.GetGCMemoryInfo();
        long committed = info.TotalCommittedBytes;
        bool trim = _requested;
        // The heap as it is now, garbage included (the GC's own figures are as of its last collection).
        long heap = GC.GetTotalMemory(false);
        if (!trim && now - _lastTrim >= MinimumIntervalMillis && GC.CollectionCount(2) > _gen2AtLastTrim
            && heap > usedBytes + usedBytes / 4 + DropSlackBytes) trim = true;
        if (!trim && !_trimmedSinceActivity && now - _lastActivity >= QuietMillis)
        {
            _trimmedSinceActivity = true;
            long live = info.HeapSizeBytes - info.FragmentedBytes;
            trim = committed - live >= Math.Max(MinimumSlackBytes, live / 10);
        }
        if (!trim) return;
        _requested = false;
        _lastTrim = now;
        _gen2AtLastTrim = GC.CollectionCount(2);
        // A background collection when the runtime runs concurrent GC (the server does): no compaction, and
        // commands keep running while it marks.
        GC.Collect(2, GCCollectionMode.Forced, blocking: false, compacting: false);
        Trims++;
    }
}
