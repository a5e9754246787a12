using System.Net.Sockets;
using System.Text;

namespace Cinnabar.Tests.Support;

/// <summary>
/// A raw RESP client for tests that check exact bytes: sends commands and returns each reply as the exact
/// text the server sent (e.g. "+OK\r\n", "$1\r\na\r\n", "*2\r\n$1\r\na\r\n$1\r\nb\r\n").
/// </summary>
public sealed class RespClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    public RespClient(int port)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect("127.0.0.1", port);
        _socket.ReceiveTimeout = DefaultReceiveTimeoutMs;
    }

    /// <summary>
    /// How long a read waits by default: long enough that a loaded CI machine's stall is not a failure (a reply
    /// once took over 10 s to a DEBUG POPULATE that takes 0.2 s), short enough that a hung server fails the test.
    /// </summary>
    public const int DefaultReceiveTimeoutMs = 30_000;

    /// <summary>How long a read waits for the server (<see cref="DefaultReceiveTimeoutMs"/> unless a test sets it).</summary>
    public int ReceiveTimeoutMs
    {
        get => _socket.ReceiveTimeout;
        set => _socket.ReceiveTimeout = value;
    }

    public static byte[] Encode(params object[] args)
    {
        var ms = new MemoryStream();
        void W(string s) { var b = Encoding.UTF8.GetBytes(s); ms.Write(b, 0, b.Length); }
        W($"*{args.Length}\r\n");
        foreach (var a in args)
        {
            byte[] bytes = a as byte[] ?? Encoding.UTF8.GetBytes(Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)!);
            W($"${bytes.Length}\r\n");
            ms.Write(bytes, 0, bytes.Length);
            W("\r\n");
        }
        return ms.ToArray();
    }

    public void SendRaw(byte[] bytes) => _socket.Send(bytes);
    public void SendRaw(string text) => _socket.Send(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends one command and returns its raw reply text.</summary>
    public string Call(params object[] args)
    {
        SendRaw(Encode(args));
        return ReadReply();
    }

    /// <summary>Reads one complete reply (any RESP2/RESP3 type), returned as its exact text.</summary>
    public string ReadReply()
    {
        var sb = new StringBuilder();
        ReadValue(sb);
        return sb.ToString();
    }

    /// <summary>True when the server closed the connection, gracefully or with a reset (reads until EOF or timeout).</summary>
    public bool IsClosedByServer(int timeoutMs = 5000)
    {
        _socket.ReceiveTimeout = timeoutMs;
        try
        {
            while (true)
            {
                if (_start < _end) { _start = _end; continue; }
                int n = _socket.Receive(_buffer);
                if (n == 0) return true;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted) { return true; }
        catch (SocketException) { return false; }
    }

    private void ReadValue(StringBuilder sb)
    {
        string line = ReadLine();
        sb.Append(line).Append("\r\n");
        char type = line[0];
        switch (type)
        {
            case '$':
            case '=':
            case '!':
                int len = int.Parse(line.AsSpan(1));
                if (len >= 0)
                {
                    sb.Append(Encoding.UTF8.GetString(ReadExact(len + 2)));
                }
                break;
            case '*':
            case '~':
            case '>':
                int n = int.Parse(line.AsSpan(1));
                for (int i = 0; i < n; i++) ReadValue(sb);
                break;
            case '%':
            case '|':
                int m = int.Parse(line.AsSpan(1));
                for (int i = 0; i < m * 2; i++) ReadValue(sb);
                break;
        }
    }

    private string ReadLine()
    {
        while (true)
        {
            int idx = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (idx > 0 && _buffer[idx - 1] == '\r')
            {
                var s = Encoding.UTF8.GetString(_buffer, _start, idx - 1 - _start);
                _start = idx + 1;
                return s;
            }
            Fill();
        }
    }

    private byte[] ReadExact(int n)
    {
        var result = new byte[n];
        int got = 0;
        while (got < n)
        {
            if (_start == _end) Fill();
            int take = Math.Min(n - got, _end - _start);
            Array.Copy(_buffer, _start, result, got, take);
            _start += take;
            got += take;
        }
        return result;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) throw new InvalidOperationException("reply line too long for the test client");
        int n;
        try { n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None); }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            throw new TimeoutException($"no complete reply within {_socket.ReceiveTimeout / 1000.0} s; test host pool: "
                + $"{ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} work items waiting", e);
        }
        if (n == 0) throw new IOException("connection closed by server");
        _end += n;
    }

    public void Dispose() => _socket.Dispose();
}
