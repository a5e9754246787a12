using System.Diagnostics;

namespace Cinnabar.Commands;

/// <summary>
/// The clock <see cref="Dispatcher.Call"/> times commands with (command statistics, SLOWLOG, the latency
/// monitor). Reading the clock took 7% of the server's time on a pipelined GET at <c>-P 16</c>, two reads a
/// command, so while one connection's batch runs the end of one command is the start of the next: a batch of
/// 16 reads it 17 times, not 32. Only inside a batch (nothing waits between its commands but the loop that
/// hands them out), and never for commands a script calls: the Lua time between two redis.call's belongs to
/// no command. The batch is its connection's context: should a batch end without <see cref="EndBatch"/> (an
/// exception closing the connection), nothing it carried can reach another client's command. Used under the
/// store lock.
/// </summary>
public sealed class CallClock
{
    private CommandContext? _batch;
    private long _carried;

    /// <summary>A connection starts running its queued commands.</summary>
    public void BeginBatch(CommandContext ctx)
    {
        _batch = ctx;
        _carried = 0;
    }

    /// <summary>The batch is over: the next command reads the clock afresh.</summary>
    public void EndBatch()
    {
        _batch = null;
        _carried = 0;
    }

    /// <summary>When a call starts: the previous command's end within the batch, else now.</summary>
    public long Start(CommandContext ctx, CallFlags flags)
    {
        long carried = _carried;
        if (carried == 0 || ctx != _batch || (flags & CallFlags.InScript) != 0) return Stopwatch.GetTimestamp();
        _carried = 0;
        return carried;
    }

    /// <summary>When a call ends: now, kept as the next command's start within the batch.</summary>
    public long End(CommandContext ctx, CallFlags flags)
    {
        long now = Stopwatch.GetTimestamp();
        if (ctx == _batch && (flags & CallFlags.InScript) == 0) _carried = now;
        return now;
    }
}
