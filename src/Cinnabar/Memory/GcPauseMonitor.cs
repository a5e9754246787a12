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
                break;
            case "GCRestartEEEnd_V1" when _suspendTicks != 0:
                long pause = e.TimeStamp.Ticks - _suspendTicks;
                _suspendTicks = 0;
                Interlocked.Exchange(ref _lastPauseTicks, pause);
                if (pause > Interlocked.Read(ref _maxPauseTicks)) Interlocked.Exchange(ref _maxPauseTicks, pause);
                Interlocked.Increment(ref _pauses);
                break;
        }
    }
}
