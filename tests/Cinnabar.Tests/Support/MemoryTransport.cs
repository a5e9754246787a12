using System.Threading.Tasks.Sources;
using Cinnabar.Networking;

namespace Cinnabar.Tests.Support;

/// <summary>
/// A client transport without a socket, for measuring a <see cref="Connection"/>'s own path: the caller hands
/// request bytes to the waiting receive and the connection parses, runs and replies on the caller's thread
/// before <see cref="Deliver"/> returns (so GC.GetAllocatedBytesForCurrentThread sees all of it). Sends
/// complete at once; their bytes are counted and, when <see cref="Replies"/> is set, kept. Also compiled
/// into bench/micro.
/// </summary>
internal sealed class MemoryTransport : IClientTransport, IValueTaskSource<int>
{
    // Continuations run inline where the result is set: the connection's loop runs inside Deliver.
    private ManualResetValueTaskSourceCore<int> _receive;
    private IReceiveTarget? _target;
    private bool _waiting;
    private bool _closed;

    public long BytesSent { get; private set; }

    /// <summary>When set, every byte sent is appended here.</summary>
    public MemoryStream? Replies { get; set; }

    /// <summary>Starts the connection's loop; it runs until its first receive waits.</summary>
    public static (Connection Connection, MemoryTransport Transport) Connect(CinnabarServer server, Client client)
    {
        var transport = new MemoryTransport();
        var connection = new Connection(transport, server, client);
        _ = connection.RunAsync();
        return (connection, transport);
    }

    /// <summary>Gives <paramref name="request"/> to the connection, in as many reads as its buffer needs; returns once all ran.</summary>
    public void Deliver(ReadOnlySpan<byte> request)
    {
        while (request.Length > 0)
        {
            if (!_waiting) throw new InvalidOperationException("the connection is not waiting for input");
            _waiting = false;
            var memory = _target!.ReceiveMemory().Span;
            int n = Math.Min(memory.Length, request.Length);
            request[..n].CopyTo(memory);
            request = request[n..];
            _receive.SetResult(n);
        }
    }

    /// <summary>
    /// The peer closes its end. As on a socket, the end of stream is found by a read: the connection is asked for
    /// memory to read into, and the read returns 0.
    /// </summary>
    public void HangUp()
    {
        if (!_waiting) throw new InvalidOperationException("the connection is not waiting for input");
        _waiting = false;
        _target!.ReceiveMemory();
        _receive.SetResult(0);
    }

    public ValueTask<int> ReceiveAsync(IReceiveTarget target)
    {
        if (_closed) return new ValueTask<int>(0);
        _target = target;
        _receive.Reset();
        _waiting = true;
        return new ValueTask<int>(this, _receive.Version);
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data)
    {
        SendAll(data.Span);
        return new ValueTask<int>(data.Length);
    }

    public void SendAll(ReadOnlySpan<byte> data)
    {
        BytesSent += data.Length;
        Replies?.Write(data);
    }

    // As the epoll transport: receives complete on a thread that serves other connections.
    public bool CompletesInline => true;

    public long Handle => -1;

    public void Close(bool abort)
    {
        if (_closed) return;
        _closed = true;
        if (!_waiting) return;
        _waiting = false;
        _receive.SetResult(0);
    }

    int IValueTaskSource<int>.GetResult(short token) => _receive.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _receive.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _receive.OnCompleted(continuation, state, token, flags);
}
