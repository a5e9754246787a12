using System.Net.Sockets;
using Cinnabar.Commands;
using Cinnabar.Protocol;

namespace Cinnabar.Networking;

/// <summary>
/// One client socket: receives bytes, parses every complete command in them, executes the batch under
/// the store lock and sends all replies in one write (pipelining). One long-lived async loop per
/// connection, so a request allocates nothing: the socket awaitables are reused by the runtime.
/// </summary>
public sealed class Connection
{
    private const int InitialBufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly CinnabarServer _server;
    private byte[] _input = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private long _needed;
    private int _closed;

    public Connection(Socket socket, CinnabarServer server, Client client)
    {
        _socket = socket;
        _server = server;
        Client = client;
        Writer = new RespWriter(4096);
        Context = new CommandContext(server, client, Writer);
        client.Connection = this;
    }

    public Client Client { get; }
    public RespWriter Writer { get; }
    public CommandContext Context { get; }

    /// <summary>Receives, executes and replies until the peer closes or the server closes the client.</summary>
    public async Task RunAsync()
    {
        try
        {
            while (true)
            {
                if (_end == _input.Length || _needed > _input.Length) MakeRoom();
                int n = await _socket.ReceiveAsync(_input.AsMemory(_end), SocketFlags.None).ConfigureAwait(false);
                if (n <= 0) break;
                _end += n;
                Interlocked.Add(ref _server.Stats.TotalNetInputBytes, n);
                Interlocked.Increment(ref _server.Stats.TotalReadsProcessed);
                if (_end < _needed) continue;
                bool close = ProcessInput();
                if (Writer.Length > 0) await FlushAsync().ConfigureAwait(false);
                if (close || Client.CloseAfterReply || Client.KillRequested) break;
            }
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        finally
        {
            Close();
        }
    }

    /// <summary>Parses and executes every complete command in the input buffer. Returns true to close.</summary>
    private bool ProcessInput()
    {
        var ctx = Context;
        var server = _server;
        bool close = false;
        lock (server.Gate)
        {
            server.UpdateClock();
            Client.LastInteractionMs = server.NowMs;
            while (_start < _end && !Client.CloseAfterReply && !Client.KillRequested)
            {
                bool authed = Client.Authenticated || !server.RequiresAuth(Client);
                var result = RespParser.TryParse(_input, _start, _end, ctx.Args, authed, server.Config.ProtoMaxBulkLen,
                    out int consumed, out long needed, out string? error);
                if (result == ParseResult.Incomplete)
                {
                    _needed = needed;
                    break;
                }
                _needed = 0;
                if (result == ParseResult.Error)
                {
                    server.Stats.CountError("ERR");
                    Writer.WriteError("ERR Protocol error: " + error);
                    close = true;
                    break;
                }
                if (result == ParseResult.Command) ExecuteOne(ctx);
                _start += consumed;
            }
        }
        if (_start == _end) _start = _end = 0;
        Client.QueryBufferLength = _end - _start;
        if (_end - _start > server.Config.ClientQueryBufferLimit) close = true;
        return close;
    }

    private void ExecuteOne(CommandContext ctx)
    {
        int mark = Writer.Length;
        Dispatcher.Execute(ctx);
        switch (Client.ReplyMode)
        {
            case ReplyMode.Off:
                Writer.Truncate(mark);
                break;
            case ReplyMode.Skip:
                // SKIP itself replied nothing; the next command's reply is dropped.
                Client.ReplyMode = ReplyMode.SkipNext;
                break;
            case ReplyMode.SkipNext:
                Writer.Truncate(mark);
                Client.ReplyMode = ReplyMode.On;
                break;
        }
    }

    /// <summary>Keeps unparsed bytes at the front and grows the buffer for a large argument.</summary>
    private void MakeRoom()
    {
        int pending = _end - _start;
        long neededFromStart = _needed > 0 ? _needed - _start : 0;
        long want = Math.Max(neededFromStart, pending + 1);
        byte[] target = _input;
        if (want > _input.Length)
        {
            // A big bulk gets a buffer of exactly its size, so a 512 MB value is copied once, not doubled repeatedly.
            long size = neededFromStart > _input.Length ? neededFromStart : Math.Max(want, (long)_input.Length * 2);
            target = new byte[Math.Min(size, Array.MaxLength)];
        }
        if (_start > 0 || target != _input) Buffer.BlockCopy(_input, _start, target, 0, pending);
        if (_needed > 0) _needed -= _start;
        _start = 0;
        _end = pending;
        _input = target;
    }

    private async ValueTask FlushAsync()
    {
        while (Writer.Length > 0)
        {
            int sent = await _socket.SendAsync(Writer.Written, SocketFlags.None).ConfigureAwait(false);
            if (sent <= 0) throw new SocketException((int)SocketError.ConnectionReset);
            Interlocked.Add(ref _server.Stats.TotalNetOutputBytes, sent);
            Interlocked.Increment(ref _server.Stats.TotalWritesProcessed);
            Writer.Consume(sent);
        }
        Writer.ShrinkIfLarge();
        if (_start == _end && _input.Length > 1024 * 1024)
        {
            _input = new byte[InitialBufferSize];
            _start = _end = 0;
        }
    }

    /// <summary>Closes the socket (from any thread); the receive loop then ends and unregisters the client.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        try { _socket.Shutdown(SocketShutdown.Both); } catch { }
        _socket.Dispose();
        _server.RemoveClient(Client);
    }
}
