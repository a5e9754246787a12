using System.Threading.Tasks.Sources;

namespace Cinnabar.Networking;

/// <summary>
/// Replies that wait for the end of an epoll loop's turn, so the AOF is written once per turn instead of once
/// per client batch (Redis writes it in beforeSleep, then sends the replies of every client the turn served).
/// A batch run inline on the loop thread whose writes left bytes in the AOF buffer joins the turn instead of
/// sending; once every event of the turn has run, the loop takes the store lock once, the AOF's bytes reach
/// the file (and the disk, with appendfsync always), each waiting connection claims its replies, and after the
/// lock is let go their sends start. With 50 clients writing, that is one write(2) for up to 50 batches.
/// No reply ever leaves before its AOF bytes: every other path that claims output to send writes the buffer
/// first (<see cref="CinnabarServer.WriteAofBeforeReplies"/>).
/// </summary>
internal sealed class LoopTurnReplies
{
    /// <summary>What EndOfBatch returns for a connection whose replies wait for the turn's end.</summary>
    public const int Waiting = -1;

    [ThreadStatic] private static LoopTurnReplies? t_current;

    /// <summary>The turn of the loop running on this thread; null on any other thread.</summary>
    public static LoopTurnReplies? Current => t_current;

    private List<Connection> _waiting = [];
    private List<Connection> _finishing = [];

    /// <summary>Called by the loop's thread when it starts.</summary>
    public void BindToThisThread() => t_current = this;

    /// <summary>With the store lock held, from the connection's own batch on the loop thread.</summary>
    public void Add(Connection connection) => _waiting.Add(connection);

    /// <summary>
    /// The turn's events have all run: writes the AOF once and starts the waiting connections' sends. A sent
    /// reply may let a connection run its next batch at once, which joins the next round here.
    /// </summary>
    public void Finish()
    {
        while (_waiting.Count > 0)
        {
            (_waiting, _finishing) = (_finishing, _waiting);
            var server = _finishing[0].Server;
            // The loop never waits behind a script holding the lock: a pool thread then claims the replies
            // (writing the AOF first) and starts the sends, and the connections go on receiving meanwhile.
            if (!server.Gate.TryEnter())
            {
                foreach (var connection in _finishing) Resume(server, connection, -1);
                _finishing.Clear();
                continue;
            }
            bool claimed = false;
            try
            {
                server.WriteAofBeforeReplies();
                foreach (var connection in _finishing) connection.ClaimTurnReplies();
                claimed = true;
            }
            catch (Exception e)
            {
                server.Log.Warning("claiming replies at the end of a loop turn failed: " + e);
            }
            finally
            {
                server.Gate.Exit();
            }
            foreach (var connection in _finishing)
            {
                // A fault before the claims leaves replies that may not have their AOF bytes written: those
                // clients are cut off rather than told their writes were kept.
                if (!claimed) connection.Close(abort: true);
                Resume(server, connection, claimed ? connection.TurnReplyLength : 0);
            }
            _finishing.Clear();
        }
    }

    private static void Resume(CinnabarServer server, Connection connection, int length)
    {
        try
        {
            connection.ReplyAfterLoopTurn(length);
        }
        catch (Exception e)
        {
            // On the loop's thread an escaping exception would stop every client's service.
            server.Log.Warning("resuming a connection after a loop turn failed: " + e);
            connection.Close(abort: true);
        }
    }
}

/// <summary>A reusable awaitable whose continuation runs inline where the result is set (on the loop thread).</summary>
internal sealed class InlineSignal : IValueTaskSource<int>
{
    private ManualResetValueTaskSourceCore<int> _core;

    public ValueTask<int> WaitAsync()
    {
        _core.Reset();
        return new ValueTask<int>(this, _core.Version);
    }

    public void Set(int value) => _core.SetResult(value);

    public int GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
