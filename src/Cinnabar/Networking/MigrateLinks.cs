using System.Net;
using System.Net.Sockets;

namespace Cinnabar.Networking;

/// <summary>
/// MIGRATE's connections to target servers, kept per "host:port" as Redis's migrate cached sockets: at most 64
/// (a random one is dropped for a new one), closed by the cron once idle for more than 10 seconds, and dropped by
/// MIGRATE on any error so the next one connects afresh. Used only with the store lock held.
/// </summary>
public sealed class MigrateLinks
{
    public const int MaxLinks = 64;
    public const long IdleSeconds = 10;

    private readonly Dictionary<string, MigrateLink> _links = new(StringComparer.Ordinal);
    private readonly List<string> _idle = [];

    /// <summary>INFO stats' migrate_cached_sockets.</summary>
    public int Count => _links.Count;

    /// <summary>
    /// The cached link to <paramref name="name"/>, or a new one connected within <paramref name="timeoutMs"/>; null
    /// when the address does not resolve or the connect fails at once. As Redis's connBlockingConnect, a connect
    /// still in progress when the time is up (or refused later) is not an error here: the first write reports it.
    /// </summary>
    public MigrateLink? Get(string name, string host, int port, long timeoutMs, long nowSeconds)
    {
        if (_links.TryGetValue(name, out var link))
        {
            link.LastUseSeconds = nowSeconds;
            return link;
        }
        if (_links.Count == MaxLinks)
        {
            var victim = _links.Keys.ElementAt(Random.Shared.Next(_links.Count));
            Close(victim);
        }
        var socket = MigrateLink.Connect(host, port, timeoutMs);
        if (socket == null) return null;
        link = new MigrateLink(socket) { LastUseSeconds = nowSeconds };
        _links.Add(name, link);
        return link;
    }

    /// <summary>Closes and forgets the link to <paramref name="name"/>, if any.</summary>
    public void Close(string name)
    {
        if (_links.Remove(name, out var link)) link.Dispose();
    }

    /// <summary>The cron's sweep (Redis's migrateCloseTimedoutSockets): links unused for more than 10 seconds.</summary>
    public void CloseIdle(long nowSeconds)
    {
        if (_links.Count == 0) return;
        foreach (var (name, link) in _links)
            if (nowSeconds - link.LastUseSeconds > IdleSeconds) _idle.Add(name);
        foreach (var name in _idle) Close(name);
        _idle.Clear();
    }

    public void CloseAll()
    {
        foreach (var link in _links.Values) link.Dispose();
        _links.Clear();
    }
}

/// <summary>
/// One connection to a MIGRATE target, used synchronously with a timeout per operation as Redis's syncio does:
/// a non-blocking socket, each write or read tried first and then waited on for what is left of the timeout.
/// </summary>
public sealed class MigrateLink : IDisposable
{
    /// <summary>Redis's connSyncReadLine buffer: a line longer than this is returned in pieces.</summary>
    public const int MaxLine = 1023;

    private readonly Socket _socket;
    private readonly byte[] _input = new byte[4096];
    private int _start, _end;

    internal MigrateLink(Socket socket) => _socket = socket;

    /// <summary>The database the target has selected for this link, -1 when unknown (a new link, or after an error).</summary>
    public long LastDbId { get; set; } = -1;

    public long LastUseSeconds { get; set; }

    /// <summary>True when the last failed write or read ran out of time (Redis does not retry those).</summary>
    public bool TimedOut { get; private set; }

    internal static Socket? Connect(string host, int port, long timeoutMs)
    {
        IPAddress address;
        try
        {
            if (!IPAddress.TryParse(host, out address!))
            {
                var found = host.Length == 0 ? [] : Dns.GetHostAddresses(host);
                if (found.Length == 0) return null;
                address = found[0];
            }
        }
        catch (SocketException) { return null; }
        catch (ArgumentException) { return null; }
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false, NoDelay = true };
        try
        {
            socket.Connect(new IPEndPoint(address, port));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            socket.Poll(Wait(timeoutMs), SelectMode.SelectWrite);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
        return socket;
    }

    /// <summary>Redis's syncWrite: all of <paramref name="data"/> within <paramref name="timeoutMs"/>, else false.</summary>
    public bool Write(ReadOnlySpan<byte> data, long timeoutMs)
    {
        TimedOut = false;
        long start = Environment.TickCount64, remaining = timeoutMs;
        while (true)
        {
            // Tried first, waited on only when the kernel takes no more (a connect still in progress included).
            int n = _socket.Send(data, SocketFlags.None, out var error);
            if (error == SocketError.Success) data = data[n..];
            else if (error != SocketError.WouldBlock) return false;
            if (data.IsEmpty) return true;
            _socket.Poll(Wait(remaining), SelectMode.SelectWrite);
            long elapsed = Environment.TickCount64 - start;
            if (elapsed >= timeoutMs) return Expired();
            remaining = timeoutMs - elapsed;
        }
    }

    /// <summary>
    /// Redis's syncReadLine: the next line without its CRLF (at most <see cref="MaxLine"/> bytes), each byte awaited
    /// for at most <paramref name="timeoutMs"/>. Null on error, end of stream or timeout.
    /// </summary>
    public byte[]? ReadLine(long timeoutMs)
    {
        TimedOut = false;
        int scanned = 0;
        while (true)
        {
            int available = _end - _start;
            int newline = _input.AsSpan(_start + scanned, Math.Min(available, MaxLine) - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int length = scanned + newline;
                var line = _input.AsSpan(_start, length);
                if (length > 0 && line[^1] == '\r') line = line[..^1];
                var result = line.ToArray();
                _start += length + 1;
                return result;
            }
            if (available >= MaxLine)
            {
                var piece = _input.AsSpan(_start, MaxLine).ToArray();
                _start += MaxLine;
                return piece;
            }
            scanned = available;
            if (!Fill(timeoutMs)) return null;
        }
    }

    private bool Fill(long timeoutMs)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_input, _start, _input, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        long start = Environment.TickCount64, remaining = timeoutMs;
        while (true)
        {
            int n = _socket.Receive(_input.AsSpan(_end), SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                if (n == 0) return false;
                _end += n;
                return true;
            }
            if (error != SocketError.WouldBlock) return false;
            _socket.Poll(Wait(remaining), SelectMode.SelectRead);
            long elapsed = Environment.TickCount64 - start;
            if (elapsed >= timeoutMs) return Expired();
            remaining = timeoutMs - elapsed;
        }
    }

    private bool Expired()
    {
        TimedOut = true;
        return false;
    }

    /// <summary>Redis waits at least 10 ms at a time (SYNCIO__RESOLUTION).</summary>
    private static TimeSpan Wait(long ms) => TimeSpan.FromMilliseconds(Math.Clamp(ms, 10, int.MaxValue));

    public void Dispose() => _socket.Dispose();
}
