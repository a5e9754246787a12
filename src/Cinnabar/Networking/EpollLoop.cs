using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Cinnabar.Networking.LinuxSocketCalls;

namespace Cinnabar.Networking;

/// <summary>
/// One epoll instance and the thread that waits on it (Redis's ae event loop): client sockets are registered
/// edge-triggered, and each event runs the connection's waiting receive or send inline on this thread. An
/// event names its connection by a token (table slot and registration number), never by descriptor, so an
/// event still queued for a connection closed meanwhile finds the slot empty or reused and is dropped.
/// </summary>
internal sealed unsafe class EpollLoop
{
    private const int MaxEvents = 256;

    /// <summary>
    /// Loops shared by every server of the process, started on first use. One by default: on the 2-core
    /// machines measured, a second loop cost more CPU per request than it gained (docs/ARCHITECTURE.md);
    /// CINNABAR_EPOLL_LOOPS overrides it for measurement.
    /// </summary>
    private static readonly Lazy<EpollLoop[]> Loops = new(() =>
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("CINNABAR_EPOLL_LOOPS"), out int n) && n > 0 ? n : 1;
        var loops = new EpollLoop[count];
        for (int i = 0; i < count; i++) loops[i] = new EpollLoop(i);
        return loops;
    });

    private static int _nextLoop;

    /// <summary>The loop for a new connection (round robin).</summary>
    public static EpollLoop Next()
    {
        var loops = Loops.Value;
        return loops.Length == 1 ? loops[0] : loops[(int)((uint)Interlocked.Increment(ref _nextLoop) % (uint)loops.Length)];
    }

    private readonly int _epfd;
    private readonly Lock _tableLock = new();
    private EpollTransport?[] _table = new EpollTransport?[64];
    private int[] _free = new int[64];
    private int _freeCount;
    private int _used;
    private uint _registrations;

    private EpollLoop(int index)
    {
        _epfd = EpollCreate(EPOLL_CLOEXEC);
        if (_epfd < 0) throw new SocketException(Marshal.GetLastPInvokeError());
        new Thread(Run) { IsBackground = true, Name = "epoll loop " + index }.Start();
    }

    /// <summary>Puts the connection in the table, then watches its descriptor for input (the fd is open: the caller holds it).</summary>
    public void Add(EpollTransport transport, int fd)
    {
        lock (_tableLock)
        {
            int slot;
            if (_freeCount > 0) slot = _free[--_freeCount];
            else
            {
                if (_used == _table.Length)
                {
                    var grown = new EpollTransport?[_table.Length * 2];
                    Array.Copy(_table, grown, _table.Length);
                    Volatile.Write(ref _table, grown);
                }
                slot = _used++;
            }
            transport.Token = (ulong)++_registrations << 32 | (uint)slot;
            Volatile.Write(ref _table[slot], transport);
        }
        if (Control(EPOLL_CTL_ADD, fd, transport.Token, EPOLLIN | EPOLLRDHUP | EPOLLET) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            Forget(transport);
            throw new SocketException(error);
        }
    }

    /// <summary>Changes the events watched (adding EPOLLOUT while a send waits for room).</summary>
    public void Modify(EpollTransport transport, int fd, uint events) => Control(EPOLL_CTL_MOD, fd, transport.Token, events);

    /// <summary>Stops watching the descriptor (before it is closed) and frees its slot.</summary>
    public void Remove(EpollTransport transport, int fd)
    {
        Control(EPOLL_CTL_DEL, fd, 0, 0);
        Forget(transport);
    }

    private void Forget(EpollTransport transport)
    {
        lock (_tableLock)
        {
            int slot = (int)(uint)transport.Token;
            if (_table[slot] != transport) return;
            Volatile.Write(ref _table[slot], null);
            if (_freeCount == _free.Length) Array.Resize(ref _free, _free.Length * 2);
            _free[_freeCount++] = slot;
        }
    }

    private int Control(int op, int fd, ulong token, uint events)
    {
        byte* ev = stackalloc byte[16];
        WriteEvent(ev, events, token);
        return EpollCtl(_epfd, op, fd, ev);
    }

    private void Run()
    {
        int size = EventSize, dataOffset = EventDataOffset;
        byte* events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * size));
        while (true)
        {
            int n = EpollWait(_epfd, events, MaxEvents, -1);
            if (n < 0) continue; // EINTR (a signal); the descriptor itself never goes away
            // Read after the wait: a connection is in the table before its descriptor is added to epoll.
            var table = Volatile.Read(ref _table);
            for (int i = 0; i < n; i++)
            {
                byte* ev = events + i * size;
                ulong token = Unsafe.ReadUnaligned<ulong>(ev + dataOffset);
                int slot = (int)(uint)token;
                if (slot >= table.Length) continue;
                var transport = Volatile.Read(ref table[slot]);
                if (transport == null || transport.Token != token) continue;
                try
                {
                    transport.OnEvents(*(uint*)ev);
                }
                catch (Exception)
                {
                    // A fault in one connection's code must not stop the loop that serves the others.
                    transport.Close(abort: true);
                }
            }
        }
    }
}
