using System.Diagnostics;
using Cinnabar.Commands;

namespace Cinnabar.Scripting;

/// <summary>Redis's script flags: from an EVAL shebang (`#!lua flags=…`) or a function's registration.</summary>
[Flags]
public enum ScriptFlags
{
    None = 0,
    NoWrites = 1 << 0,
    AllowOom = 1 << 1,
    AllowStale = 1 << 2,
    NoCluster = 1 << 3,
    AllowCrossSlotKeys = 1 << 4,
    /// <summary>An EVAL script without a shebang: Redis 6's rules (no flags, may write).</summary>
    EvalCompatMode = 1 << 5,
}

/// <summary>
/// The one script running now (Redis's scriptRunCtx): who called it, what it may do, what it did, and the
/// kill/busy state other connections look at. Fields read by other threads are volatile.
/// </summary>
public sealed class ScriptRun
{
    public required CommandContext Caller { get; init; }
    /// <summary>The script's own client context: redis.call runs commands through it.</summary>
    public required CommandContext ScriptContext { get; init; }
    /// <summary>The SHA (EVAL) or function name (FCALL) shown in errors and logs.</summary>
    public required string FunctionName { get; init; }
    /// <summary>"@user_script" or "@user_function": the source named in error positions.</summary>
    public required string Source { get; init; }
    public required bool EvalMode { get; init; }
    public bool ReadOnly { get; init; }
    public bool AllowOom { get; init; }
    /// <summary>Over maxmemory when the script started (Redis's pre_command_oom_state).</summary>
    public bool StartedOverMemory { get; init; }
    /// <summary>When the EVAL or FCALL that runs the script started: its own call's clock read, not a second one.</summary>
    public required long StartTimestamp { get; init; }

    /// <summary>A write command ran: SCRIPT KILL is refused from now on.</summary>
    public volatile bool WriteDirty;
    public volatile bool Killed;
    /// <summary>Past busy-reply-threshold: other clients get -BUSY.</summary>
    public bool TimedOut;
    /// <summary>redis.setresp: the protocol commands reply in to the script.</summary>
    public int Resp = 2;
    /// <summary>redis.set_repl flags (REPL_AOF | REPL_REPLICA by default).</summary>
    public int ReplicationFlags = 3;

    /// <summary>The command that started the run, for FUNCTION STATS (its arguments stay put while it runs).</summary>
    public byte[][] CallerArguments => Caller.Args.ToArrays();

    public long ElapsedMs => (long)Stopwatch.GetElapsedTime(StartTimestamp).TotalMilliseconds;

    public CallFlags CallFlags
    {
        get
        {
            var flags = CallFlags.InScript;
            if (ReadOnly) flags |= CallFlags.NoWrites;
            if (Caller.InTransaction) flags |= CallFlags.InMulti;
            return flags;
        }
    }
}
