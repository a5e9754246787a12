using System.Diagnostics.Tracing;

namespace Cinnabar.Memory;

/// <summary>
/// The runtime's own record of every stop-the-world pause: the GC events of the .NET runtime's event source
/// (suspension begins, execution restarts), heard in-process. Keeps the longest pause and the count since
/// the process started; MEMORY MALLOC-STATS prints them and the cron feeds each new pause to LATENCY as the
/// "gc-pause" event. The collector is process-wide, so there is one monitor per process, started by the
/// first server.
/// </summary>
public sealed class GcPauseMonitor : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private static GcPauseMonitor? s_instance;
    private static readonly Lock s_create = new();

    private long _suspendTicks;
    private long _maxPauseTicks;
    private long _lastPauseTicks;
    private long _pauses;
    // What started inside the current suspension (a background collection's later pauses start none).
    private string? _startedInPause;
    private volatile string _longestPauseCause = "";

    public static GcPauseMonitor Instance
    {
        get
        {
            lock (s_create) return s_instance ??= new GcPauseMonitor();
        }
    }

    /// <summary>Pauses seen since the process started.</summary>
    public long Pauses => Interlocked.Read(ref _pauses);

    public TimeSpan LongestPause => TimeSpan.FromTicks(Interlocked.Read(ref _maxPauseTicks));

    public TimeSpan LastPause => TimeSpan.FromTicks(Interlocked.Read(ref _lastPauseTicks));

    /// <summary>The collection the longest pause belonged to ("gen2 blocking, induced"), empty when none started in it.</summary>
    public string LongestPauseCause => _longestPauseCause;

    private static readonly string[] Kinds = ["blocking", "background", "foreground"];
    private static readonly string[] Reasons =
    [
        "small allocations", "induced", "low memory", "empty", "large allocation", "small heap out of space",
        "large heap out of space", "induced, not forced", "internal", "induced low memory", "induced compacting",
        "host low memory", "provisional mode", "host low memory, blocking",
    ];

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        switch (e.EventName)
        {
            case "GCSuspendEEBegin_V1":
                _suspendTicks = e.TimeStamp.Ticks;
                _startedInPause = null;
                break;
            case "GCStart_V2" when _suspendTicks != 0:
                _startedInPause = Describe(e);
                break;
            case "GCRestartEEEnd_V1" when _suspendTicks != 0:
                long pause = e.TimeStamp.Ticks - _suspendTicks;
                _suspendTicks = 0;
                Interlocked.Exchange(ref _lastPauseTicks, pause);
                if (pause > Interlocked.Read(ref _maxPauseTicks))
                {
                    Interlocked.Exchange(ref _maxPauseTicks, pause);
                    _longestPauseCause = _startedInPause ?? "within a background collection";
                }
                Interlocked.Increment(ref _pauses);
                break;
        }
    }

    /// <summary>"gen2 blocking, induced" from a GCStart event's Depth, Type and Reason.</summary>
    private static string Describe(EventWrittenEventArgs e)
    {
        uint depth = 0, type = 0, reason = 0;
        for (int i = 0; i < e.PayloadNames?.Count; i++)
        {
            switch (e.PayloadNames[i])
            {
                case "Depth": depth = Convert.ToUInt32(e.Payload![i]); break;
                case "Type": type = Convert.ToUInt32(e.Payload![i]); break;
                case "Reason": reason = Convert.ToUInt32(e.Payload![i]); break;
            }
        }
        string kind = type < Kinds.Length ? Kinds[type] : "type " + type;
        string why = reason < Reasons.Length ? Reasons[reason] : "reason " + reason;
        return $"gen{depth} {kind}, {why}";
    }
}
