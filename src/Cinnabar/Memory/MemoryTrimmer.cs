namespace Cinnabar.Memory;

/// <summary>
/// Returns memory to the operating system once the server goes quiet. The .NET GC keeps the regions it
/// used for short-lived objects (request buffers, replaced values) committed, so after a bulk load or a
/// mass delete the process can hold 2–3× its live data. When no command has run for a second and the
/// committed heap is 4 MB and 10% above the live heap, one compacting collection that decommits free memory runs
/// — like an allocator's background purge. It never runs under load, so it costs no latency there, and it
/// runs once per quiet period.
/// </summary>
public sealed class MemoryTrimmer
{
    private const long QuietMillis = 1000;
    private const long MinimumSlackBytes = 4L * 1024 * 1024;

    private long _lastActivity = Environment.TickCount64;
    private bool _trimmedSinceActivity = true;

    public long Trims { get; private set; }

    /// <summary>Called for every batch of commands (cheap: one store).</summary>
    public void NoteActivity()
    {
        _lastActivity = Environment.TickCount64;
        _trimmedSinceActivity = false;
    }

    /// <summary>Called from the server cron, outside the store lock.</summary>
    public void MaybeTrim(Lock gate)
    {
        if (_trimmedSinceActivity || Environment.TickCount64 - _lastActivity < QuietMillis) return;
        _trimmedSinceActivity = true;
        var info = GC.GetGCMemoryInfo();
        long committed = info.TotalCommittedBytes;
        long live = info.HeapSizeBytes - info.FragmentedBytes;
        // Worth a collection when the slack is 4 MB and a tenth of the live heap: a big heap (whose collection
        // takes longer) is compacted only after proportionally more garbage.
        if (committed - live < Math.Max(MinimumSlackBytes, live / 10)) return;
        // Under the store lock, so no command runs while the heap is compacted.
        lock (gate) GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Trims++;
    }
}
