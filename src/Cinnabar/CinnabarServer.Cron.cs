using System.Diagnostics;

namespace Cinnabar;

/// <summary>
/// The server cron (Redis's serverCron): hz ticks a second of clock, statistics, memory peak, eviction
/// catch-up, active expiry, save points and AOF rewrites, active rehashing, idle clients and the memory
/// trimmer. While an epoll loop serves clients, that loop's thread makes the ticks between its turns, as
/// redis-server's event loop runs its time events: the store lock is then free (the loop is the only one
/// executing), no pool thread wakes ten times a second to take the loop's core, and the rehash slices fall
/// between turns instead of contending for the lock (docs/ARCHITECTURE.md, "The cron on the loop"). The timer
/// makes the ticks when no loop runs (the sockets transport, a server with no clients yet, embedding) and
/// stands in whenever the loop is a whole period late.
/// </summary>
public sealed partial class CinnabarServer
{
    private const int RehashSlices = 10, RehashSliceMicros = 100;

    private int _cronRunning;
    // When the last tick started (Stopwatch ticks), whoever made it; the next is due a period later.
    private long _lastCronTicks;
    // Set while an epoll loop makes the ticks (the timer then only stands in for a late loop).
    private volatile bool _cronOnLoop;
    // The loop's rehash work left in this tick (none until its first tick).
    private RehashTick _loopRehash = RehashTick.Done;

    /// <summary>Ticks made by the epoll loop and by the timer (for tests).</summary>
    internal long CronTicksOnLoop { get; private set; }
    internal long CronTicksOnTimer { get; private set; }

    /// <summary>True while the timer's tick waits for the store lock (for tests).</summary>
    internal bool CronTimerWaitingForLock { get; private set; }

    private long CronPeriodTicks => Stopwatch.Frequency / Math.Max(1, Config.Hz);

    /// <summary>The timer's period when it makes every tick: 1000 / hz ms.</summary>
    private int CronPeriodMillis => Math.Max(1, 1000 / Math.Max(1, Config.Hz));

    /// <summary>Applies a changed hz (CONFIG SET hz) to the cron timer; the loop reads hz at every turn.</summary>
    public void RescheduleCron()
    {
        if (!_cronOnLoop) SetTimerPeriod(CronPeriodMillis);
    }

    private void SetTimerPeriod(int millis)
    {
        try
        {
            _cron?.Change(millis, millis);
        }
        catch (ObjectDisposedException)
        {
            // The server is stopping.
        }
    }

    private void CronFromTimer()
    {
        if (_cronOnLoop && Stopwatch.GetTimestamp() - Volatile.Read(ref _lastCronTicks) < 2 * CronPeriodTicks) return;
        Cron(onLoop: false);
    }

    /// <summary>
    /// The epoll loop that makes the ticks starts (true) or ends (false) doing so. Meanwhile the timer fires once a
    /// second only, to stand in for a loop held up: each firing wakes a pool thread, which then spins on the cores
    /// that the loop and its clients are using (ten a second cost the loop about 150 preemptions a second).
    /// </summary>
    internal void CronDrivenByLoop(bool driven)
    {
        _cronOnLoop = driven;
        if (driven) SetTimerPeriod(StandInMillis);
        else RescheduleCron();
    }

    private const int StandInMillis = 1000;

    /// <summary>
    /// Called by the loop that makes the ticks after each turn (and after a wait that found nothing): makes the
    /// tick when it is due, else one rehash slice when this tick has some left. Returns how long the loop may
    /// sleep before the next tick is due (ms; 0 while rehash slices are left).
    /// </summary>
    internal int CronFromLoop()
    {
        long now = Stopwatch.GetTimestamp();
        long period = CronPeriodTicks;
        long due = Volatile.Read(ref _lastCronTicks) + period;
        if (now >= due)
        {
            // A script holding the lock: the tick waits for a later turn (the loop never waits for the lock), and
            // the timer stands in if that takes a whole period.
            if (!Cron(onLoop: true)) return 10;
            // The tick just made starts the next period and may have left rehash slices.
            due = Volatile.Read(ref _lastCronTicks) + period;
        }
        else if (!_loopRehash.IsDone && RehashSlice(ref _loopRehash, waitForLock: false)) return 0;
        if (!_loopRehash.IsDone) return 0;
        // The clock read at the start serves: a tick or a slice moves the wait by at most its own length.
        return (int)Math.Clamp((due - now) * 1000 / Stopwatch.Frequency + 1, 1, 250);
    }

    /// <summary>
    /// One tick. On the loop it takes the store lock only if it is free (false when it was not: the tick was not
    /// made) and leaves the rehash to the slices between the loop's next turns; on the timer it waits for the lock.
    /// </summary>
    private bool Cron(bool onLoop)
    {
        // A tick that finds the previous one still waiting for the store lock (a long script) is skipped:
        // timer callbacks piling up on the lock would each hold a pool thread and starve the sockets.
        if (Interlocked.Exchange(ref _cronRunning, 1) != 0) return false;
        try
        {
            if (onLoop)
            {
                if (!Gate.TryEnter()) return false;
            }
            else
            {
                CronTimerWaitingForLock = true;
                Gate.Enter();
                CronTimerWaitingForLock = false;
            }
            long used, recordSlack;
            try
            {
                Volatile.Write(ref _lastCronTicks, Stopwatch.GetTimestamp());
                if (onLoop) CronTicksOnLoop++;
                else CronTicksOnTimer++;
                UpdateClock();
                Stats.TrackInstantaneous(NowMs);
                // Redis tracks the memory peak from its cron too, not only when INFO is asked.
                FeedGcPauses();
                MemoryUsage.RefreshClients();
                used = MemoryUsage.TrackPeak();
                recordSlack = MemoryUsage.RecordSlackBytes;
                // The background eviction may have stopped short: a lowered maxmemory is met even when idle.
                if (Config.MaxMemory != 0) MemoryPolicy.IsOverLimit(this);
                if (Config.ActiveExpireEnabled && !Loading) Expiry.RunCycle();
                MigrateLinks.CloseIdle(NowMs / 1000);
                if (!LoadingState.Active)
                {
                    Rdb.Cron();
                    Aof.Cron();
                }
                EndOfBatch(null);
            }
            finally
            {
                Gate.Exit();
            }
            if (Config.ActiveRehashing)
            {
                if (onLoop) _loopRehash = RehashTick.Start;
                else
                {
                    // From the timer: the tick's slices in a row, the lock let go and the thread yielding between them.
                    var tick = RehashTick.Start;
                    while (RehashSlice(ref tick, waitForLock: true)) Thread.Yield();
                }
            }
            CloseIdleClients();
            // Used memory in native memory is no part of the managed heap the trimmer weighs it against. The native
            // figure counts the record pages whole, used memory only their records: their free room goes back in.
            MemoryTrimmer.MaybeTrim(used - Storage.NativeHeap.Bytes + recordSlack);
        }
        catch (Exception ex)
        {
            Log.Warning("cron failed: " + ex.Message);
        }
        finally
        {
            Volatile.Write(ref _cronRunning, 0);
        }
        return true;
    }

    /// <summary>
    /// Active rehashing: up to 1 ms a database each tick, as Redis, but in slices of 100 µs with the store lock
    /// let go between them. A table of 10M keys takes minutes of ticks to rehash after it doubles, and one 1 ms
    /// hold every 100 ms put a millisecond in front of whichever requests came meanwhile. The loop makes one
    /// slice between two of its turns, so requests that came meanwhile wait at most one slice; the timer makes
    /// them in a row.
    /// </summary>
    private readonly record struct RehashTick(int Db, int SlicesLeft)
    {
        public static RehashTick Start => new(0, RehashSlices);
        public static RehashTick Done => new(int.MaxValue, 0);
        public bool IsDone => Db == int.MaxValue;
    }

    /// <summary>
    /// One slice of the tick's rehashing, passing over databases with nothing to rehash; true while the tick has
    /// slices left. Without <paramref name="waitForLock"/> a busy lock (a script, a pool pass) ends the tick's
    /// rehashing rather than being polled for.
    /// </summary>
    private bool RehashSlice(ref RehashTick tick, bool waitForLock)
    {
        while (tick.Db < Databases.Length)
        {
            if (waitForLock) Gate.Enter();
            else if (!Gate.TryEnter()) break;
            bool more;
            try
            {
                more = Databases[tick.Db].Table.RehashFor(RehashSliceMicros);
            }
            finally
            {
                Gate.Exit();
            }
            if (more && tick.SlicesLeft > 1)
            {
                tick = tick with { SlicesLeft = tick.SlicesLeft - 1 };
                return true;
            }
            tick = new RehashTick(tick.Db + 1, RehashSlices);
        }
        tick = RehashTick.Done;
        return false;
    }

    private Memory.GcPauseMonitor? _gcPauses;
    private long _pausesSeen;

    /// <summary>A collector pause since the last tick goes to LATENCY as "gc-pause" (the last one; all count in MEMORY MALLOC-STATS).</summary>
    private void FeedGcPauses()
    {
        if (_gcPauses == null || _gcPauses.Pauses == _pausesSeen) return;
        _pausesSeen = _gcPauses.Pauses;
        Latency.AddGcPause(_gcPauses.Last);
    }

    private void CloseIdleClients()
    {
        long timeout = Config.TimeoutSeconds;
        if (timeout <= 0) return;
        long now = NowMs;
        // Walked in place every tick; only the (rare) clients to close are copied out, since closing one
        // removes it from the table being walked.
        List<Client>? expired = null;
        lock (_clients)
        {
            foreach (var c in _clients.Values)
                if (now - c.LastInteractionMs > timeout * 1000 && !c.IsExemptFromTimeout) (expired ??= []).Add(c);
        }
        if (expired == null) return;
        foreach (var c in expired) c.Connection?.Close();
    }
}
