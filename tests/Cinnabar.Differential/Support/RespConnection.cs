using System.Net.Sockets;
using System.Text;

namespace Cinnabar.Differential.Support;

/// <summary>
/// A raw socket to one server. Sends commands (RESP multibulk) or raw bytes and reads replies back as
/// <see cref="RespValue"/>s with their exact bytes. A connection the server closed yields <see cref="RespValue.Closed"/>.
/// </summary>
public sealed class RespConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[256 * 1024];
    private int _start, _end;
    private bool _closed;
    private const int ReadTimeoutMs = 60_000;

    public RespConnection(int port)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect("127.0.0.1", port);
        // Generous: a batch may GET several 64 MB strings (SETBIT at bit 536870912), which on a loaded 2-core
        // machine took Redis itself 8-15 s to produce; a real hang still fails, just later.
        _socket.ReceiveTimeout = ReadTimeoutMs;
        _socket.SendTimeout = ReadTimeoutMs;
    }

    public bool IsClosed => _closed;

    /// <summary>True when reply bytes are buffered or waiting on the socket (a reply has started to arrive).</summary>
    public bool HasPendingData
    {
        get
        {
            if (_closed || _end > _start) return true;
            try { return _socket.Available > 0 || _socket.Poll(0, SelectMode.SelectRead); }
            catch (SocketException) { return true; }
            catch (ObjectDisposedException) { return true; }
        }
    }

    public static void Encode(MemoryStream ms, IReadOnlyList<byte[]> args)
    {
        void W(string s) { var b = Encoding.ASCII.GetBytes(s); ms.Write(b, 0, b.Length); }
        W($"*{args.Count}\r\n");
        foreach (var a in args)
        {
            W($"${a.Length}\r\n");
            ms.Write(a, 0, a.Length);
            W("\r\n");
        }
    }

    public void Send(byte[] bytes)
    {
        if (_closed) return;
        try { _socket.Send(bytes); }
        catch (SocketException) { _closed = true; }
    }

    public RespValue Call(IReadOnlyList<byte[]> args)
    {
        var ms = new MemoryStream();
        Encode(ms, args);
        Send(ms.ToArray());
        return Read();
    }

    public RespValue Call(params string[] args) => Call(args.Select(Encoding.UTF8.GetBytes).ToArray());

    /// <summary>Sends many commands at once and reads all their replies (pipelining).</summary>
    public List<RespValue> Pipeline(IReadOnlyList<IReadOnlyList<byte[]>> commands)
    {
        var ms = new MemoryStream();
        foreach (var c in commands) Encode(ms, c);
        var bytes = ms.ToArray();
        // Send on another thread so large replies cannot fill both socket buffers and deadlock us.
        var sender = Task.Run(() => Send(bytes));
        var replies = new List<RespValue>(commands.Count);
        for (int i = 0; i < commands.Count; i++)
        {
            try { replies.Add(Read()); }
            catch (TimeoutException e)
            {
                // Name the command whose reply never came, and what preceded it, so a hang can be replayed.
                static string Show(IReadOnlyList<byte[]> c) =>
                    string.Join(' ', c.Select(a => a.Length > 40 ? Encoding.UTF8.GetString(a, 0, 40) + $"…({a.Length} bytes)" : Encoding.UTF8.GetString(a)));
                var before = string.Join(" | ", commands.Skip(Math.Max(0, i - 3)).Take(Math.Min(3, i)).Select(Show));
                throw new TimeoutException($"{e.Message}; waiting for reply {i} of {commands.Count}: {Show(commands[i])}; sent {(sender.IsCompleted ? "all" : "not yet all")}; before it: {before}", e);
            }
        }
        sender.Wait();
        return replies;
    }

    /// <summary>Reads one complete reply, or <see cref="RespValue.Closed"/> when the server closed the connection.</summary>
    public RespValue Read()
    {
        if (_closed) return RespValue.Closed;
        try
        {
            int consumed = 0;
            var value = Parse(ref consumed);
            _start += consumed;
            return value;
        }
        catch (ConnectionClosed)
        {
            _closed = true;
            return RespValue.Closed;
        }
    }

    /// <summary>True when the server closes the connection within the timeout (any pending bytes are discarded).</summary>
    public bool WaitClosed(int timeoutMs = 5000)
    {
        if (_closed) return true;
        _socket.ReceiveTimeout = timeoutMs;
        try
        {
            var scratch = new byte[4096];
            while (_socket.Receive(scratch) > 0) { }
            _closed = true;
            return true;
        }
        catch (SocketException) { return false; }
        finally { _socket.ReceiveTimeout = ReadTimeoutMs; }
    }

    private sealed class ConnectionClosed : Exception;

    // Positions are relative to _start, so compacting the buffer while a reply is half read is safe:
    // the whole reply stays buffered until it is consumed.
    private RespValue Parse(ref int pos)
    {
        int begin = pos;
        int lineEnd = FindLineEnd(pos);
        char type = (char)_buffer[_start + pos];
        byte[] line = _buffer.AsSpan(_start + pos + 1, lineEnd - pos - 1).ToArray();
        pos = lineEnd + 2;
        var children = new List<RespValue>();
        byte[] payload = line;
        switch (type)
        {
            case '$':
            case '=':
            case '!':
                {
                    long len = long.Parse(Encoding.ASCII.GetString(line));
                    if (len >= 0)
                    {
                        Ensure(pos + (int)len + 2);
                        payload = _buffer.AsSpan(_start + pos, (int)len).ToArray();
                        pos += (int)len + 2;
                    }
                    else payload = [];
                    break;
                }
            case '*':
            case '~':
            case '>':
            case '%':
            case '|':
                {
                    long n = long.Parse(Encoding.ASCII.GetString(line));
                    if (type is '%' or '|') n *= 2;
                    for (long i = 0; i < n; i++) children.Add(Parse(ref pos));
                    payload = [];
                    if (type == '|')
                    {
                        // An attribute precedes the real value: keep it in Raw, return the value's tree.
                        var inner = Parse(ref pos);
                        return new RespValue(inner.Type, _buffer.AsSpan(_start + begin, pos - begin).ToArray(), inner.Payload, inner.Children);
                    }
                    break;
                }
        }
        return new RespValue(type, _buffer.AsSpan(_start + begin, pos - begin).ToArray(), payload, children);
    }

    private int FindLineEnd(int pos)
    {
        while (true)
        {
            int from = _start + pos;
            int idx = _buffer.AsSpan(from, _end - from).IndexOf("\r\n"u8);
            if (idx >= 0) return pos + idx;
            Fill();
        }
    }

    private void Ensure(int relativeEnd)
    {
        while (_end - _start < relativeEnd) Fill();
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int n;
        try { n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None); }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset) { n = 0; }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            throw new TimeoutException($"no complete reply within {ReadTimeoutMs / 1000} s (server hung or sent a malformed reply); "
                + $"test host pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} work items waiting");
        }
        if (n == 0) throw new ConnectionClosed();
        _end += n;
    }

    public void Dispose() => _socket.Dispose();
}
