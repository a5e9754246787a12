using System.Net.Sockets;
using Cinnabar.Commands;
using Cinnabar.Protocol;

namespace Cinnabar.Networking;

/// <summary>
/// One client socket: receives bytes, parses every complete command in them without the store lock
/// (Connection.Input.cs), executes the batch under the lock, and sends all replies in one write (pipelining)
/// once the server's end-of-batch step has run. One long-lived async loop per
/// connection, so a request allocates nothing: the transport's awaitables are reused (ClientTransport.cs).
/// Replies may also be appended by other clients' commands (unblocked pops, pub/sub messages) while a
/// send is in flight: the writer is double-buffered and only one send loop owns the socket at a time.
/// </summary>
public sealed partial class Connection : IReceiveTarget
{
    private const int InitialBufferSize = 16 * 1024;

    private readonly IClientTransport _transport;
    private readonly CinnabarServer _server;
    // Empty while the connection is idle: a buffer is rented for a read and returned once all was run.
    private byte[] _input = [];
    private int _start;
    private int _end;
    // The context's own argument list, restored after each queued command ran from its slot.
    private readonly CommandArgs _ownArgs;
    private long _needed;
    // Where a command received in pieces stopped parsing, so the next read resumes it (linear in its size).
    private ParseProgress _progress;
    private int _closed;
    private int _sending;
    private bool _pauseWaiter;
    // Empty while nothing is being sent: the writer's buffers come from a pool only while replies are in flight.
    private byte[] _sendBuffer = [];

    internal Connection(IClientTransport transport, CinnabarServer server, Client client)
    {
        _transport = transport;
        _server = server;
        Client = client;
        Writer = RespWriter.Pooled();
        Context = new CommandContext(server, client, Writer);
        _ownArgs = Context.Args;
        client.Connection = this;
        client.Context = Context;
    }

    public Client Client { get; }
    public RespWriter Writer { get; }
    public CommandContext Context { get; }
    public bool IsClosed => _closed != 0;


    /// <summary>Receives, executes and replies until the peer closes or the server closes the client.</summary>
    public async Task RunAsync()
    {
        try
        {
            while (true)
            {
                int n = await _transport.ReceiveAsync(this).ConfigureAwait(false);
                if (n <= 0) break;
                Interlocked.Add(ref _server.Stats.TotalNetInputBytes, n);
                Interlocked.Increment(ref _server.Stats.TotalReadsProcessed);
                int length;
                bool close, ready;
                // Parsing needs no store lock: only this loop appends bytes, and the queue has its own lock.
                lock (_inputLock)
                {
                    _end += n;
                    ready = _end >= _needed && ParseAvailable();
                }
                if (QueryBufferOverLimit()) break;
                if (!ready) continue;
                if (_transport.CompletesInline && QueueMayHoldLockLong()) await Task.Yield();
                var entry = EnterGateOrServeBusy(mayNotWait: _transport.CompletesInline);
                if (entry == GateEntry.MustWait)
                {
                    await Task.Yield();
                    entry = EnterGateOrServeBusy(mayNotWait: false);
                }
                if (entry == GateEntry.ServedWhileBusy) continue;
                try
                {
                    _server.MemoryTrimmer.NoteActivity();
                    close = ProcessPendingInput(compact: true);
                    length = _server.EndOfBatch(this, LoopTurnReplies.Current);
                }
                finally
                {
                    _server.Gate.Exit();
                }
                if (length == LoopTurnReplies.Waiting) length = await (_turnEnd ??= new()).WaitAsync().ConfigureAwait(false);
                if (length > 0) await SendLoopAsync(length).ConfigureAwait(false);
                if (close || Client.CloseAfterReply || Client.KillRequested) break;
            }
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        catch (IOException) { }
        finally
        {
            Close(abort: false, loopEnded: true);
        }
    }

    /// <summary>
    /// The next command waits for CLIENT PAUSE to end: it stays unparsed in the buffer and one waiter per
    /// connection runs the pending input once the pause is over.
    /// </summary>
    private void ResumeAfterPause()
    {
        if (_pauseWaiter) return;
        _pauseWaiter = true;
        _ = ResumeAfterPauseAsync();
    }

    private async Task ResumeAfterPauseAsync()
    {
        await _server.Pause.WaitAsync(_server).ConfigureAwait(false);
        bool close;
        int length;
        lock (_server.Gate)
        {
            _pauseWaiter = false;
            if (_closed != 0) return;
            close = ProcessPendingInput(compact: false);
            length = _server.EndOfBatch(this);
        }
        try
        {
            if (length > 0) await SendLoopAsync(length).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            close = true;
        }
        // The receive loop is waiting for input, so a QUIT run here closes the connection itself.
        if (close || Client.CloseAfterReply || Client.KillRequested) Close();
    }

    /// <summary>True while a command waits for CLIENT PAUSE to end (such a client is not idle for the timeout).</summary>
    public bool IsPostponed => _pauseWaiter;

    /// <summary>The socket's file descriptor on Unix (CLIENT LIST fd=).</summary>
    public long SocketHandle => _transport.Handle;

    /// <summary>Size of the query buffer (CLIENT LIST qbuf-free and rbs).</summary>
    public int InputBufferSize => _input.Length;

    /// <summary>Bytes of input, reply and send buffers the connection holds (0 once idle with every reply sent).</summary>
    internal int HeldBufferBytes => _input.Length + Writer.Capacity + Volatile.Read(ref _sendBuffer).Length;

    /// <summary>Runs one parsed command through the gate; false when CLIENT PAUSE postponed it (nothing written).</summary>
    private bool ExecuteOne(CommandContext ctx)
    {
        int mark = Writer.Length;
        // With replies off or skipped, pub/sub pushes still reach the client (Redis's CLIENT_PUSHING).
        Writer.TrackPushes = Client.ReplyMode != ReplyMode.On;
        var result = Dispatcher.Process(ctx);
        Writer.TrackPushes = false;
        if (result == ProcessResult.Postponed) return false;
        switch (Client.ReplyMode)
        {
            case ReplyMode.Off:
                Writer.TruncateKeepingPushes(mark);
                break;
            case ReplyMode.Skip:
                // SKIP itself replied nothing; the next command's reply is dropped.
                Client.ReplyMode = ReplyMode.SkipNext;
                break;
            case ReplyMode.SkipNext:
                Writer.TruncateKeepingPushes(mark);
                Client.ReplyMode = ReplyMode.On;
                break;
        }
        Writer.ForgetPushes();
        if (_server.Blocking.HasReadyKeys) _server.Blocking.HandleReadyKeys();
        return true;
    }

    /// <summary>
    /// With the store lock held: when replies are pending and no send loop runs, claims the send side and
    /// moves the pending bytes into the send buffer. Returns their length (0 when nothing to do).
    /// </summary>
    internal int TakeOutputForSend()
    {
        if (Writer.Length == 0 || Interlocked.CompareExchange(ref _sending, 1, 0) != 0) return 0;
        _server.WriteAofBeforeReplies();
        return Writer.Swap(ref _sendBuffer);
    }

    internal CinnabarServer Server => _server;

    // Replies waiting for the end of the loop's turn (LoopTurnReplies): created with the first such batch.
    private InlineSignal? _turnEnd;

    /// <summary>The bytes <see cref="ClaimTurnReplies"/> claimed for the send that follows the turn.</summary>
    internal int TurnReplyLength;

    /// <summary>With the store lock held, at the turn's end, after the AOF was written.</summary>
    internal void ClaimTurnReplies() => TurnReplyLength = _closed != 0 ? 0 : TakeOutputForSend();

    /// <summary>
    /// Resumes the receive loop after the turn: it sends <paramref name="length"/> claimed bytes; with -1 (the
    /// store lock was taken) a pool thread claims and sends the replies once the lock is free.
    /// </summary>
    internal void ReplyAfterLoopTurn(int length)
    {
        if (length < 0)
        {
            _server.WhenGateFree(SendRestOrRelease);
            length = 0;
        }
        _turnEnd!.Set(length);
    }

    private bool _flushQueued;

    /// <summary>
    /// Called with the store lock held after appending replies for this client from another client's
    /// command. The send is deferred to the end of the current batch (<see cref="CinnabarServer.EndOfBatch"/>),
    /// so a client receiving many messages in one batch gets them in one write, as Redis does before sleeping.
    /// </summary>
    public void RequestFlush()
    {
        if (_closed != 0 || _flushQueued || CheckOutputLimit()) return;
        _flushQueued = true;
        _server.QueueFlush(this);
    }

    /// <summary>With the store lock held: starts a send loop unless one is already running (it will pick the bytes up).</summary>
    internal void FlushQueued()
    {
        _flushQueued = false;
        if (_closed != 0) return;
        int length = TakeOutputForSend();
        if (length > 0) _server.StartSend(this, length);
    }

    /// <summary>Sends the claimed <paramref name="length"/> bytes and whatever follows them (from any thread).</summary>
    internal void StartSendLoop(int length) => _ = SendLoopGuardedAsync(length);

    /// <summary>
    /// With the store lock held, after a send loop that found it taken: sends what was appended meanwhile or,
    /// with nothing left and no loop started since, gives the buffers back as the loop would have.
    /// </summary>
    private void SendRestOrRelease()
    {
        if (_closed != 0) return;
        if (Writer.Length > 0) FlushQueued();
        else if (Volatile.Read(ref _sending) == 0) ReleaseSendBuffers();
    }

    /// <summary>All sent: both buffers go back to the pool, so an idle client holds none (as Redis's).</summary>
    private void ReleaseSendBuffers()
    {
        Writer.ReleaseBuffer();
        RespWriter.ReturnToPool(_sendBuffer);
        _sendBuffer = [];
    }

    private async Task SendLoopGuardedAsync(int length)
    {
        try
        {
            await SendLoopAsync(length).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Close();
        }
    }

    /// <summary>Sends the claimed buffer, then whatever was appended meanwhile, then releases the send side.</summary>
    private async ValueTask SendLoopAsync(int length)
    {
        while (true)
        {
            int offset = 0;
            while (offset < length)
            {
                var sending = _transport.SendAsync(_sendBuffer.AsMemory(offset, length - offset));
                int sent;
                if (sending.IsCompletedSuccessfully) sent = sending.Result;
                else
                {
                    // The kernel's buffer is full: what waits here still counts as this client's output buffer.
                    // (Bytes the kernel took at once are sent, as for Redis, so they are never counted.)
                    Interlocked.Exchange(ref _inFlight, length - offset);
                    sent = await sending.ConfigureAwait(false);
                    Interlocked.Exchange(ref _inFlight, 0);
                }
                if (sent <= 0) throw new SocketException((int)SocketError.ConnectionReset);
                offset += sent;
            }
            Interlocked.Add(ref _server.Stats.TotalNetOutputBytes, length);
            Interlocked.Increment(ref _server.Stats.TotalWritesProcessed);
            // A script holding the store lock must not stall this thread (other clients' -BUSY replies go
            // through it): the send side is released and a pool thread sends what was appended meanwhile.
            if (!_server.Gate.TryEnter())
            {
                Volatile.Write(ref _sending, 0);
                _server.WhenGateFree(SendRestOrRelease);
                return;
            }
            try
            {
                if (Writer.Length == 0)
                {
                    ReleaseSendBuffers();
                    Volatile.Write(ref _sending, 0);
                    return;
                }
                // One grown past the pooled sizes for a large reply is left to the collector.
                if (_sendBuffer.Length > RespWriter.MaxPooledSize) _sendBuffer = [];
                _server.WriteAofBeforeReplies();
                length = Writer.Swap(ref _sendBuffer);
            }
            finally
            {
                _server.Gate.Exit();
            }
        }
    }

    /// <summary>Closes the socket (from any thread); the receive loop then ends and unregisters the client.</summary>
    public void Close() => Close(abort: false);

    /// <summary>
    /// Closes the socket; with <paramref name="abort"/> the replies still queued in the kernel are dropped and
    /// the peer gets a reset at once (a client cut off by its output-buffer limit would otherwise keep the
    /// socket draining megabytes at the pace of a reader that is not reading).
    /// </summary>
    public void Close(bool abort) => Close(abort, loopEnded: false);

    /// <summary>
    /// Closes (once) and cleans up under the store lock. When the receive loop has ended
    /// (<paramref name="loopEnded"/>), also gives back the buffer rented for its last read, the one that found the
    /// end of stream, or every connection would cost a new buffer. That waits for the store lock too, as a
    /// postponed batch (<see cref="ResumeAfterPauseAsync"/>) reads the buffer under it until it sees the close.
    /// </summary>
    private void Close(bool abort, bool loopEnded)
    {
        bool closing = Interlocked.Exchange(ref _closed, 1) == 0;
        if (!closing && !loopEnded) return;
        if (closing) _transport.Close(abort);
        // Cleaning up after a client takes the store lock; a script holding it must not stall this thread
        // (an I/O thread serving other clients), so the cleanup then waits on a pool thread instead.
        if (_server.Gate.TryEnter())
        {
            try { CleanUp(closing, loopEnded); }
            finally { _server.Gate.Exit(); }
        }
        else CleanUpWhenGateFree(closing, loopEnded);
    }

    // Apart from Close, so the closure is made only on this path.
    private void CleanUpWhenGateFree(bool removeClient, bool releaseInput) =>
        _server.WhenGateFree(() => CleanUp(removeClient, releaseInput));

    /// <summary>Store lock held: unregisters the client and, once the loop has ended, returns its input buffer.</summary>
    private void CleanUp(bool removeClient, bool releaseInput)
    {
        if (removeClient) _server.RemoveClient(Client);
        if (releaseInput) lock (_inputLock) ReleaseInput();
    }
}
