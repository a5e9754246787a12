namespace Cinnabar.Memory;

/// <summary>
/// Returns memory to the operating system without stopping clients. The GC keeps the regions it used
/// committed until a full collection finds them empty, so after FLUSHALL, mass deletes or expiry the process
/// can hold several times its live data. Used memory is counted exactly (<see cref="MemoryAccounting"/>), so
/// the trimmer knows when the committed heap is far above the live data without a collection: it then asks
/// for a background (concurrent) full collection, which marks while commands keep running and does not
/// compact; the regions it empties are decommitted by the runtime. It never takes the store lock.
/// Triggers: the old generations (as the last collection left them) above used memory by a sixteenth plus 4 MB
/// (a flush, mass delete, overwrites or eviction: values that lived long enough to be old are freed only by a
/// full collection),
/// at most every half second and one at a time, backing off to every 8 s while such collections find little
/// old garbage (a write load over few keys makes only young garbage, which young collections free); when the
/// server has been quiet for a second, 10% and 16 MB (and an eighth of the RSS) of slack (regions the last collection emptied and kept,
/// the heap now over used memory, or used memory fallen since the last trim), once per quiet period;
/// FLUSHALL/FLUSHDB and MEMORY PURGE.
/// </summary>
public sealed class MemoryTrimmer
{
    private const long QuietMillis = 1000;
    // A quiet trim compacts, a pause of 3-6 ms even for a small heap: not for the few MB of young garbage and
    // emptied young regions that any busy period leaves now that keys and strings are native.
    private const long MinimumSlackBytes = 16L * 1024 * 1024;
    private const long DropSlackBytes = 4L * 1024 * 1024;
    // A background collection marks the whole heap on the other core: at most two a second under load. With
    // maxmemory 100 MB and 20 MB/s of evictions this holds RSS to 1.25 x maxmemory over the empty server's.
    private const long MinimumIntervalMillis = 500;
    private const long MaximumIntervalMillis = 8000;
    private const long AggressiveBelowBytes = 256L * 1024 * 1024;

    private long _lastActivity = Environment.TickCount64;
    private bool _trimmedSinceActivity = true;
    private long _lastTrim = long.MinValue / 2;
    private volatile bool _requested;
    private volatile bool _compactRequested;
    private int _gen2AtLastTrim = -1;
    private long _usedAtTrim;
    private long _interval = MinimumIntervalMillis;
    private long _oldBeforeLoadTrim = -1;   // old generations' bytes when the last load trim started; -1 once judged
    private long _fullIndexAtLoadTrim;      // the index of the last full collection then

    public long Trims { get; private set; }

    /// <summary>
    /// True when this server is the process (cinnabar-server): only then does the heap against used memory say
    /// anything, so only then does the trimmer collect on its own. An embedding host's heap is its own.
    /// </summary>
    public bool OwnsProcess { get; set; }

    /// <summary>Called for every batch of commands (cheap: one store).</summary>
    public void NoteActivity()
    {
        _lastActivity = Environment.TickCount64;
        _trimmedSinceActivity = false;
    }

    /// <summary>
    /// Trim at the next cron tick: FLUSHALL and FLUSHDB with a background collection (clients may be busy);
    /// MEMORY PURGE with a compacting one when the live heap is small (it asks to give memory back now).
    /// </summary>
    public void RequestNow(bool compact = false)
    {
        if (compact) _compactRequested = true;
        _requested = true;
    }

    /// <summary>
    /// Called from the server cron, outside the store lock, with the used memory counted under it that lives in
    /// the managed heap (the native entries, pages and arrays left out).
    /// </summary>
    public void MaybeTrim(long usedBytes)
    {
        // Embedded (a test host, an application), the heap is shared with the host and any other server in it:
        // a blocking collection chosen from this server's figures would stop all of them. Only MEMORY PURGE, an
        // explicit ask, collects there.
        if (!OwnsProcess && !_compactRequested)
        {
            _requested = false;
            return;
        }
        long now = Environment.TickCount64;
        JudgeLastLoadTrim();
        bool trim = _requested, load = false;
        // What only a full collection frees: the old generations as the last collection of any kind left them,
        // against what is live now. Young garbage is the young collections' (a full collection for it paused 3-7 ms
        // and freed nothing they would not: with keys and strings native, a random SET/GET phase at 3M keys
        // allocates 2 MB a million requests, and the whole heap was a few MB over used memory after two of them).
        if (!trim && now - _lastTrim >= _interval && GC.CollectionCount(2) > _gen2AtLastTrim
            && OldGenerationBytes(GC.GetGCMemoryInfo()) > usedBytes + usedBytes / 16 + DropSlackBytes) trim = load = true;
        bool quiet = false;
        if (!trim && !_trimmedSinceActivity && now - _lastActivity >= QuietMillis)
        {
            _trimmedSinceActivity = true;
            var info = GC.GetGCMemoryInfo();
            long committed = info.TotalCommittedBytes;
            long live = info.HeapSizeBytes - info.FragmentedBytes;
            long heapNow = GC.GetTotalMemory(false);
            // The aggressive collection stops every thread for as long as its decommits take (10 ms once, after
            // loading 10M keys, and a request that came in that moment waited for it): only for an eighth of the
            // process's memory or more. After a load through one pipe, its few tens of MB of buffers are not.
            long floor = Math.Max(MinimumSlackBytes, ProcessMemory.ResidentSetBytes() / 8);
            // Regions the last collection emptied but kept: only the aggressive kind gives them back. Its figures
            // are as of that collection: once the heap has grown past them (a load since), they say nothing.
            bool emptyRegions = heapNow <= committed && committed - live >= Math.Max(floor, live / 10);
            // Garbage made since then (a value deleted after it): the heap now against what is known to be live.
            bool garbage = heapNow - usedBytes >= Math.Max(floor, usedBytes / 10);
            // A trim can also fall while a large reply is still being sent (no command for a second, yet 100 MB
            // in use), so what it left is no floor: used memory fallen since then calls for another.
            bool fallen = _usedAtTrim - usedBytes >= Math.Max(floor, _usedAtTrim / 10);
            // The process's RSS against its level after the last trim was a fourth test, and the wrong one after
            // a load: the data's own growth asked for a full collection with nothing to free, which the runtime
            // sometimes makes blocking and compacting (60-90 ms at 10M keys, whoever sends meanwhile waits).
            trim = quiet = emptyRegions || garbage || fallen;
        }
        if (!trim) return;
        bool compactRequested = _compactRequested;
        _requested = _compactRequested = false;
        _lastTrim = now;
        _gen2AtLastTrim = GC.CollectionCount(2);
        _usedAtTrim = usedBytes;
        if (load)
        {
            _oldBeforeLoadTrim = OldGenerationBytes(GC.GetGCMemoryInfo());
            _fullIndexAtLoadTrim = LastFullCollection().Index;
        }
        // A background collection when the runtime runs concurrent GC (the server does): no compaction, and
        // commands keep running while it marks. It frees objects but leaves emptied regions resident (after a
        // 100 MB SET/GET/DEL, RSS stayed at 350 MB). When quiet, or asked by MEMORY PURGE, with a small live
        // heap, an aggressive collection gives them back at once (back to the empty server's RSS within 2 s;
        // an 85 ms pause on a loaded machine, while no client is waiting). FLUSHALL asks for the background
        // kind: after a flush of 5M keys the aggressive one paused 155 ms while clients could be sending.
        bool small = usedBytes < AggressiveBelowBytes;
        if ((quiet || compactRequested) && small)
        {
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        else GC.Collect(2, GCCollectionMode.Forced, blocking: false, compacting: false);
        Trims++;
    }

    /// <summary>
    /// Once the full collection of the last load trim has finished: when it freed little of the old generations,
    /// the next load trim waits twice as long (up to 8 s); when it freed much, the half-second pace is back.
    /// </summary>
    private void JudgeLastLoadTrim()
    {
        if (_oldBeforeLoadTrim < 0) return;
        var full = LastFullCollection();
        if (full.Index <= _fullIndexAtLoadTrim) return;
        long freed = _oldBeforeLoadTrim - OldGenerationBytes(full);
        bool freedMuch = freed >= Math.Max(DropSlackBytes, _oldBeforeLoadTrim / 16);
        _interval = freedMuch ? MinimumIntervalMillis : Math.Min(_interval * 2, MaximumIntervalMillis);
        // A background collection keeps the regions it emptied: the next quiet second may give them back, even if
        // a quiet trim already ran since the last command (one that came while the garbage was still live: the
        // buffers of a 100 MB SET and GET whose client was still closing).
        if (freedMuch) _trimmedSinceActivity = false;
        _oldBeforeLoadTrim = -1;
    }

    /// <summary>The figures of the latest full collection, background or blocking.</summary>
    private static GCMemoryInfo LastFullCollection()
    {
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return background.Index >= blocking.Index ? background : blocking;
    }

    /// <summary>Bytes held in the old generations (gen2, large and pinned objects) after a collection, free space left out.</summary>
    private static long OldGenerationBytes(GCMemoryInfo info)
    {
        var generations = info.GenerationInfo;
        long bytes = 0;
        for (int g = 2; g < generations.Length; g++)
            bytes += generations[g].SizeAfterBytes - generations[g].FragmentationAfterBytes;
        return bytes;
    }
}
