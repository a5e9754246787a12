using Cinnabar.Commands;
using Cinnabar.Protocol;

namespace Cinnabar.Networking;

/// <summary>
/// CLIENT PAUSE: until the deadline (or CLIENT UNPAUSE) commands of every client (ALL) or only commands
/// that write or may replicate (WRITE) are postponed: the connection leaves them in its input
/// buffer and runs them when the pause ends, so their order and atomicity are kept.
/// </summary>
public sealed class ClientPause
{
    private long _endMs;
    private bool _all;
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True while a pause is in effect at <paramref name="nowMs"/>.</summary>
    public bool IsActive(long nowMs) => _endMs != 0 && nowMs < _endMs;

    public bool PausesAll => _all;
    public long EndMs => _endMs;

    /// <summary>Starts or extends a pause; a WRITE pause never weakens a running ALL pause, as in Redis.</summary>
    public void Pause(long nowMs, long endMs, bool all)
    {
        bool running = IsActive(nowMs);
        _all = all || (running && _all);
        _endMs = running ? Math.Max(_endMs, endMs) : endMs;
    }

    /// <summary>Ends the pause and wakes the postponed clients.</summary>
    public void Unpause()
    {
        _endMs = 0;
        _all = false;
        var released = _released;
        _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.TrySetResult();
    }

    /// <summary>Whether the command <paramref name="def"/>, past the rest of the gate, must wait for the pause to end.</summary>
    public bool ShouldPostpone(CinnabarServer server, Client client, CommandDef def)
    {
        if (!IsActive(server.NowMs)) return false;
        if (_all) return true;
        if (WritesOrReplicates(def)) return true;
        // EXEC of a transaction holding a write waits too.
        if (def.Name == "EXEC" && client.Multi != null)
        {
            foreach (var queued in client.Multi.Queue)
                if (WritesOrReplicates(queued.Command)) return true;
        }
        return false;
    }

    private static bool WritesOrReplicates(CommandDef def) => (def.Flags & (CommandFlags.Write | CommandFlags.MayReplicate)) != 0;

    /// <summary>Completes when the pause ends: at its deadline or on CLIENT UNPAUSE (read under the store lock).</summary>
    public async Task WaitAsync(CinnabarServer server)
    {
        while (true)
        {
            Task released;
            long remaining;
            lock (server.Gate)
            {
                server.UpdateClock();
                if (!IsActive(server.NowMs)) return;
                released = _released.Task;
                remaining = _endMs - server.NowMs;
            }
            await Task.WhenAny(released, Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, remaining)))).ConfigureAwait(false);
        }
    }
}
