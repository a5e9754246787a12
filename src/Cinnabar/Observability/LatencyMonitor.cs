namespace Cinnabar.Observability;

/// <summary>
/// The latency monitor (LATENCY LATEST/HISTORY/RESET): per event ("command", "fast-command",
/// "expire-cycle"), the last 160 seconds that had a sample at or above latency-monitor-threshold ms, with
/// samples of the same second merged to their maximum, and the all-time maximum, as Redis's latency.c keeps
/// them. Used with the store lock held.
/// </summary>
public sealed class LatencyMonitor
{
    public const int HistoryLength = 160;

    public sealed class Series
    {
        public readonly long[] Times = new long[HistoryLength];
        public readonly long[] Latencies = new long[HistoryLength];
        public int Next;
        public long Max;

        public int Last => (Next + HistoryLength - 1) % HistoryLength;
    }

    private readonly Dictionary<string, Series> _events = new(StringComparer.Ordinal);
    private readonly CinnabarServer _server;

    public LatencyMonitor(CinnabarServer server) => _server = server;

    /// <summary>Records <paramref name="milliseconds"/> for <paramref name="name"/> when the threshold is set and reached.</summary>
    public void AddIfNeeded(string name, long milliseconds)
    {
        long threshold = _server.Config.LatencyMonitorThreshold;
        if (threshold == 0 || milliseconds < threshold) return;
        if (!_events.TryGetValue(name, out var series)) _events[name] = series = new Series();
        if (milliseconds > series.Max) series.Max = milliseconds;
        long now = NowSeconds;
        int last = series.Last;
        if (series.Times[last] == now)
        {
            if (milliseconds > series.Latencies[last]) series.Latencies[last] = milliseconds;
            return;
        }
        series.Times[series.Next] = now;
        series.Latencies[series.Next] = milliseconds;
        series.Next = (series.Next + 1) % HistoryLength;
    }

    public IEnumerable<KeyValuePair<string, Series>> Events => _events;

    /// <summary>The event a collector pause is recorded as.</summary>
    public const string GcPauseEvent = "gc-pause";

    /// <summary>
    /// The longest collector pause given to <see cref="AddGcPause"/> since the "gc-pause" event was last reset,
    /// whatever the threshold, with its collection and phases (MEMORY MALLOC-STATS): the process's longest pause
    /// is often the start-up's, this one tells what paused a phase of work.
    /// </summary>
    public Memory.PauseRecord LongestGcPause { get; private set; } = Memory.PauseRecord.None;

    /// <summary>Records a collector pause as the "gc-pause" event, and keeps it when it is the longest since the event's reset.</summary>
    public void AddGcPause(Memory.PauseRecord pause)
    {
        AddIfNeeded(GcPauseEvent, (long)pause.Duration.TotalMilliseconds);
        if (pause.Ticks > LongestGcPause.Ticks) LongestGcPause = pause;
    }

    /// <summary>The clock samples are stamped with (Redis's time(NULL)).</summary>
    public static long NowSeconds => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>The samples of a series, oldest first (a slot with time 0 was never filled).</summary>
    public static IEnumerable<(long Time, long Latency)> Samples(Series series)
    {
        for (int j = 0; j < HistoryLength; j++)
        {
            int i = (series.Next + j) % HistoryLength;
            if (series.Times[i] != 0) yield return (series.Times[i], series.Latencies[i]);
        }
    }

    /// <summary>What LATENCY DOCTOR says of one event (Redis's analyzeLatencyForEvent).</summary>
    public readonly record struct Analysis(int Samples, long Average, long MeanDeviation, long PeriodSeconds);

    /// <summary>
    /// Count, integer average, mean absolute deviation from that average, and the seconds since the oldest
    /// sample (at least 1), as Redis computes them.
    /// </summary>
    public static Analysis Analyze(Series series)
    {
        var samples = Samples(series).ToList();
        if (samples.Count == 0) return default;
        long sum = 0, oldest = long.MaxValue;
        foreach (var (time, latency) in samples)
        {
            sum += latency;
            oldest = Math.Min(oldest, time);
        }
        long average = sum / samples.Count;
        long deviations = samples.Sum(s => Math.Abs(average - s.Latency));
        long period = NowSeconds - oldest;
        return new Analysis(samples.Count, average, deviations / samples.Count, period == 0 ? 1 : period);
    }

    public Series? Find(string name) => _events.GetValueOrDefault(name);

    /// <summary>Forgets one event (case-insensitive, as Redis compares) or all of them; returns how many went.</summary>
    public int Reset(string? name)
    {
        if (name == null || string.Equals(name, GcPauseEvent, StringComparison.OrdinalIgnoreCase)) LongestGcPause = Memory.PauseRecord.None;
        if (name == null)
        {
            int n = _events.Count;
            _events.Clear();
            return n;
        }
        var matching = _events.Keys.Where(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var k in matching) _events.Remove(k);
        return matching.Count;
    }
}
