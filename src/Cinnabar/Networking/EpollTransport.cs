using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;
using static Cinnabar.Networking.LinuxSocketCalls;

namespace Cinnabar.Networking;

/// <summary>
/// A client connection on Cinnabar's own epoll loop (Linux), read only when epoll reported input, as
/// redis-server does: a request costs one read and one write. .NET's socket operations would try a read
/// that finds nothing after every request and wake through their own engine; here the socket is only ever
/// touched through its descriptor, and .NET's engine never sees it.
///
/// The descriptor is registered edge-triggered, so the transport remembers an edge it has not consumed:
/// a read that filled the whole buffer may have left bytes behind and the next receive reads again at once;
/// a short read drained the socket and the next receive waits for the loop. A waiting receive or send is
/// one reusable awaitable each (no allocation per await); the loop performs the read or send itself and
/// runs the connection's continuation inline. The receive buffer is asked for only when a read is made, so a
/// connection waiting for input needs none (Connection returns it to a pool while idle). Every call on the descriptor holds a reference on the
/// socket's handle, so a close from another thread (CLIENT KILL, timeout) never lets the number be reused
/// under a call in flight.
/// </summary>
internal sealed unsafe class EpollTransport : IClientTransport
{
    // States of each direction. Idle: nothing known to be waiting in the kernel; Ready: an edge not yet
    // consumed; Waiting: the owner waits for the loop; Serving: the loop is reading or sending for the owner.
    private const int Idle = 0, Ready = 1, Waiting = 2, Serving = 3, Closed = 4;
    private const int WouldBlock = -1;
    private const uint InputEvents = EPOLLIN | EPOLLRDHUP | EPOLLET;

    private readonly Socket _socket;
    private readonly SafeHandle _handle;
    private readonly int _fd;
    private readonly EpollLoop _loop;
    private readonly Completion _receive = new();
    private readonly Completion _send = new();
    // The first receive reads before waiting: bytes may have arrived before the registration.
    private int _readState = Ready;
    private int _writeState = Idle;
    private IReceiveTarget? _receiveTarget;
    private ReadOnlyMemory<byte> _sendData;
    private int _closed;
    // The peer closed or reset its end (EPOLLRDHUP, EPOLLHUP, EPOLLERR). Its edge may come together with the
    // last bytes: a read takes those bytes first and leaves the end of stream for a later read, which no new
    // edge will ever announce. So once this is set, a short read no longer means the socket is drained.
    private volatile bool _peerHungUp;

    /// <summary>The loop's name for this connection: table slot and registration number.</summary>
    internal ulong Token;

    private EpollTransport(Socket socket, EpollLoop loop)
    {
        _socket = socket;
        _handle = socket.SafeHandle;
        _fd = (int)_handle.DangerousGetHandle();
        _loop = loop;
    }

    /// <summary>Takes an accepted socket over: non-blocking, and watched by one of the loops from now on.</summary>
    public static EpollTransport Register(Socket socket, EpollLoop loop)
    {
        var transport = new EpollTransport(socket, loop);
        SetNonBlocking(transport._fd);
        transport._loop.Add(transport, transport._fd);
        return transport;
    }

    public bool CompletesInline => true;

    public long Handle => Volatile.Read(ref _closed) != 0 ? -1 : _fd;

    public ValueTask<int> ReceiveAsync(IReceiveTarget target)
    {
        while (true)
        {
            int state = Volatile.Read(ref _readState);
            if (state == Closed) return new ValueTask<int>(0);
            if (state == Ready)
            {
                if (Interlocked.CompareExchange(ref _readState, Idle, Ready) != Ready) continue;
                var buffer = target.ReceiveMemory();
                int n = Read(buffer.Span);
                if (n == WouldBlock)
                {
                    target.ReceivedNothing();
                    continue;
                }
                // A full buffer may have left bytes in the socket, and edge-triggered epoll will not say so again;
                // after a hang-up the end of stream is still to be read.
                if (n == buffer.Length || _peerHungUp) Interlocked.CompareExchange(ref _readState, Ready, Idle);
                return new ValueTask<int>(n);
            }
            _receiveTarget = target;
            _receive.Reset();
            if (Interlocked.CompareExchange(ref _readState, Waiting, Idle) == Idle)
                return new ValueTask<int>(_receive, _receive.Version);
        }
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data)
    {
        if (Volatile.Read(ref _writeState) == Closed) return new ValueTask<int>(0);
        int n = Send(data.Span);
        if (n != WouldBlock) return new ValueTask<int>(n);
        // The kernel's buffer is full: the loop sends the rest once epoll reports room.
        _sendData = data;
        _send.Reset();
        if (Interlocked.CompareExchange(ref _writeState, Waiting, Idle) != Idle) return new ValueTask<int>(0);
        Watch(InputEvents | EPOLLOUT);
        return new ValueTask<int>(_send, _send.Version);
    }

    public void SendAll(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0 && Volatile.Read(ref _closed) == 0)
        {
            int n = Send(data);
            if (n == 0) return;
            if (n > 0) data = data[n..];
            else WaitWritable(10);
        }
    }

    /// <summary>On the loop thread: epoll reported events for this descriptor.</summary>
    internal void OnEvents(uint events)
    {
        if ((events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) _peerHungUp = true;
        if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) OnReadable();
        if ((events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0) OnWritable();
    }

    private void OnReadable()
    {
        while (true)
        {
            int state = Volatile.Read(ref _readState);
            if (state is Closed or Ready) return;
            if (state == Idle)
            {
                // No one waits: the edge is remembered for the next receive.
                if (Interlocked.CompareExchange(ref _readState, Ready, Idle) == Idle) return;
                continue;
            }
            if (Interlocked.CompareExchange(ref _readState, Serving, Waiting) != Waiting) continue;
            var buffer = _receiveTarget!.ReceiveMemory();
            int n = Read(buffer.Span);
            if (n == WouldBlock)
            {
                _receiveTarget.ReceivedNothing();
                if (Interlocked.CompareExchange(ref _readState, Waiting, Serving) == Serving) return;
                n = 0; // closed meanwhile
            }
            else Interlocked.CompareExchange(ref _readState, n == buffer.Length || _peerHungUp ? Ready : Idle, Serving);
            _receive.SetResult(n);
            return;
        }
    }

    private void OnWritable()
    {
        if (Interlocked.CompareExchange(ref _writeState, Serving, Waiting) != Waiting) return;
        int n = Send(_sendData.Span);
        if (n == WouldBlock)
        {
            if (Interlocked.CompareExchange(ref _writeState, Waiting, Serving) == Serving) return;
            n = 0; // closed meanwhile
        }
        else if (Interlocked.CompareExchange(ref _writeState, Idle, Serving) == Serving) Watch(InputEvents);
        _sendData = default;
        _send.SetResult(n);
    }

    public void Close(bool abort)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        bool added = false;
        try
        {
            // Unregistered while the descriptor is surely open: once closed its number may belong to a new client.
            _handle.DangerousAddRef(ref added);
            _loop.Remove(this, _fd);
        }
        catch (ObjectDisposedException) { }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
        try
        {
            if (abort) _socket.LingerState = new LingerOption(true, 0);
            else _socket.Shutdown(SocketShutdown.Both);
        }
        catch { }
        _socket.Dispose();
        // A waiter is released on a pool thread: the closing thread may hold the store lock.
        if (Interlocked.Exchange(ref _readState, Closed) == Waiting) _receive.SetResultLater(0);
        if (Interlocked.Exchange(ref _writeState, Closed) == Waiting) _send.SetResultLater(0);
    }

    private void Watch(uint events)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            _loop.Modify(this, _fd, events);
        }
        catch (ObjectDisposedException) { }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    /// <summary>One read(2): the byte count, 0 at end of stream or on an error (the peer is gone), or <see cref="WouldBlock"/>.</summary>
    private int Read(Span<byte> buffer) => Transfer(buffer, send: false);

    /// <summary>One send(2) that never raises SIGPIPE: bytes taken, 0 on an error (the peer is gone), or <see cref="WouldBlock"/>.</summary>
    private int Send(ReadOnlySpan<byte> data) => Transfer(data, send: true);

    private int Transfer(ReadOnlySpan<byte> bytes, bool send)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            fixed (byte* p = bytes)
            {
                while (true)
                {
                    nint n = send ? LinuxSocketCalls.Send(_fd, p, bytes.Length, MSG_NOSIGNAL | MSG_DONTWAIT) : LinuxSocketCalls.Read(_fd, p, bytes.Length);
                    if (n >= 0) return (int)n;
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR) continue;
                    return errno == EAGAIN ? WouldBlock : 0;
                }
            }
        }
        catch (ObjectDisposedException) { return 0; }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    private void WaitWritable(int timeoutMs)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            var pollFd = new PollFd { Fd = _fd, Events = POLLOUT };
            Poll(&pollFd, 1, timeoutMs);
        }
        catch (ObjectDisposedException) { }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    /// <summary>A reusable awaitable for one direction; its continuation runs inline where the result is set.</summary>
    private sealed class Completion : IValueTaskSource<int>
    {
        private ManualResetValueTaskSourceCore<int> _core;

        public short Version => _core.Version;

        public void Reset() => _core.Reset();

        public void SetResult(int n) => _core.SetResult(n);

        public void SetResultLater(int n) =>
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Source.SetResult(state.N), (Source: this, N: n), preferLocal: false);

        public int GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
