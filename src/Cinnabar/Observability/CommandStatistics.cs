using Cinnabar.Commands;

namespace Cinnabar.Observability;

/// <summary>One command's INFO commandstats and latencystats counters.</summary>
public struct CommandStats
{
    public long Calls;
    public long Microseconds;
    public long RejectedCalls;
    public long FailedCalls;
    /// <summary>INFO latencystats; created on the first call, as Redis does.</summary>
    public LatencyHistogram? Latency;

    /// <summary>Whether INFO commandstats lists the command (Redis skips commands never called nor refused).</summary>
    public readonly bool IsEmpty => Calls == 0 && FailedCalls == 0 && RejectedCalls == 0;
}

/// <summary>
/// The per-server command counters, one slot per command of the table, indexed by <see cref="CommandDef.Index"/>.
/// The command table is shared by every server in the process, so its counters live here, owned by the server.
/// Updated by the dispatcher with the store lock held; recording a call allocates nothing (the latency
/// histogram of a command is created on its first call only).
/// </summary>
public sealed class CommandStatistics
{
    private readonly CommandStats[] _stats;
    private readonly Config.ServerConfig _config;

    public CommandStatistics(CommandTable table, Config.ServerConfig config)
    {
        _stats = new CommandStats[table.IndexCount];
        _config = config;
    }

    /// <summary>The counters of <paramref name="def"/>, by reference.</summary>
    public ref CommandStats this[CommandDef def] => ref _stats[def.Index];

    /// <summary>A call that ran its handler and took <paramref name="microseconds"/>.</summary>
    public void RecordCall(CommandDef def, long microseconds, bool failed)
    {
        ref var s = ref _stats[def.Index];
        s.Calls++;
        s.Microseconds += microseconds;
        // latency-tracking no: no histogram is created or fed (those already made are kept, as in Redis).
        if (_config.LatencyTracking) (s.Latency ??= new LatencyHistogram()).Record(microseconds);
        if (failed) s.FailedCalls++;
    }

    /// <summary>A call refused before its handler ran (arity, NOAUTH).</summary>
    public void RecordRejected(CommandDef def) => _stats[def.Index].RejectedCalls++;

    /// <summary>Clears every counter and latency histogram (CONFIG RESETSTAT).</summary>
    public void Reset() => Array.Clear(_stats);
}
