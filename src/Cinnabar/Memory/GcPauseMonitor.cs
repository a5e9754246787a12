using System.Diagnostics.Tracing;

namespace Cinnabar.Memory;

/// <summary>
/// The runtime's own record of every stop-the-world pause: the GC events of the .NET runtime's event source
/// (suspension begins, execution restarts), heard in-process. Keeps the longest pause and the count since
/// the process started; MEMORY MALLOC-STATS prints them and the cron feeds each new pause to LATENCY as the
/// "gc-pause" event. The longest pause is also split into its phases: stopping the threads, marking what lives
/// (up to the runtime's last mark event), planning and moving it, restarting the threads. Only the split tells
/// a slow suspension from a long collection, and a collection's marking from its compaction. The collector is
/// process-wide, so there is one monitor per process, started by the first server.
/// </summary>
public sealed class GcPauseMonitor : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private static GcPauseMonitor? s_instance;
    private static readonly Lock s_create = new();

    private long _suspendTicks;
    // When the current pause's threads were all stopped, its last mark event, and when their restart began (0: not yet).
    private long _suspendedTicks;
    private long _markedTicks;
    private long _restartTicks;
    private volatile PauseRecord _last = PauseRecord.None;
    private long _pauses;
    // What started inside the current suspension (a background collection's later pauses start none).
    private string? _startedInPause;
    // Replaced whole, so a reader never sees one pause's length with another's cause or phases.
    private volatile PauseRecord _longest = PauseRecord.None;

    public static GcPauseMonitor Instance
    {
        get
        {
            lock (s_create) return s_instance ??= new GcPauseMonitor();
        }
    }

    /// <summary>Pauses seen since the process started.</summary>
    public long Pauses => Interlocked.Read(ref _pauses);

    /// <summary>The longest pause since the process started, with what it was.</summary>
    public PauseRecord Longest => _longest;

    /// <summary>The latest pause, with what it was.</summary>
    public PauseRecord Last => _last;

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
                _suspendedTicks = _markedTicks = _restartTicks = 0;
                _startedInPause = null;
                break;
            case "GCSuspendEEEnd_V1" when _suspendTicks != 0:
                _suspendedTicks = e.TimeStamp.Ticks;
                break;
            case "GCMarkWithType" when _suspendTicks != 0:
                _markedTicks = e.TimeStamp.Ticks;
                break;
            case "GCRestartEEBegin_V1" when _suspendTicks != 0:
                _restartTicks = e.TimeStamp.Ticks;
                break;
            case "GCStart_V2" when _suspendTicks != 0:
                _startedInPause = Describe(e);
                break;
            case "GCRestartEEEnd_V1" when _suspendTicks != 0:
                long begin = _suspendTicks;
                long pause = e.TimeStamp.Ticks - begin;
                _suspendTicks = 0;
                var record = new PauseRecord(pause, _startedInPause ?? "within a background collection",
                    Phases(begin, _suspendedTicks, _markedTicks, _restartTicks, e.TimeStamp.Ticks));
                _last = record;
                if (pause > _longest.Ticks) _longest = record;
                Interlocked.Increment(ref _pauses);
                break;
        }
    }

    /// <summary>
    /// The pause's phases in ms, from its events' times; empty when one was not heard. A pause with no mark event
    /// (a background collection's second pause) has one "collecting" phase between stopping and restarting.
    /// </summary>
    private static string Phases(long suspendBegin, long suspended, long marked, long restartBegin, long restarted)
    {
        if (suspended == 0 || restartBegin == 0 || suspended < suspendBegin || restartBegin < suspended || restarted < restartBegin) return "";
        static string Ms(long ticks) => TimeSpan.FromTicks(ticks).TotalMilliseconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        string work = marked >= suspended && marked <= restartBegin
            ? $"marking {Ms(marked - suspended)} ms, planning and moving {Ms(restartBegin - marked)} ms"
            : $"collecting {Ms(restartBegin - suspended)} ms";
        return $"stopping threads {Ms(suspended - suspendBegin)} ms, {work}, restarting {Ms(restarted - restartBegin)} ms";
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

/// <summary>
/// One pause: its length, the collection it belonged to ("gen2 blocking, induced"; empty when none started in
/// it) and its phases ("stopping threads 0.05 ms, collecting 1.90 ms, restarting 0.02 ms"; empty when an event
/// was not heard).
/// </summary>
public sealed record PauseRecord(long Ticks, string Cause, string Phases)
{
    public static readonly PauseRecord None = new(0, "", "");

    public TimeSpan Duration => TimeSpan.FromTicks(Ticks);

    /// <summary>"7.08 ms (gen0 blocking, small allocations; stopping threads 0.10 ms, ...)", as MEMORY MALLOC-STATS prints it.</summary>
    public override string ToString()
    {
        string about = string.Join("; ", new[] { Cause, Phases }.Where(part => part.Length > 0));
        string ms = Duration.TotalMilliseconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        return about.Length > 0 ? $"{ms} ms ({about})" : $"{ms} ms";
    }
}
