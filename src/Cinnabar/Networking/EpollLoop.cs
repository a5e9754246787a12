using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cinnabar.Config;
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
    /// A server's loops, started with its first client. One by default: on the 2-core machines measured, a
    /// second loop cost more CPU per request than it gained (docs/ARCHITECTURE.md); CINNABAR_EPOLL_LOOPS
    /// overrides it for measurement. Each server has its own, as each redis-server has its own event loop:
    /// a command that waits on the network under the store lock (MIGRATE to a server in the same process)
    /// stalls its own server only.
    /// </summary>
    internal static EpollLoop[] StartLoops(CinnabarServer server, string serverName)
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("CINNABAR_EPOLL_LOOPS"), out int n) && n > 0 ? n : 1;
        var loops = new EpollLoop[count];
        long busyPollTicks = BusyPollTicks(server.Config.BusyPollMicroseconds);
        for (int i = 0; i < count; i++) loops[i] = new EpollLoop(server, $"epoll loop {serverName}/{i}", busyPollTicks, drivesCron: i == 0);
        return loops;
    }

    // Set (under the table lock) once the server stops: no new registration, and the thread exits.
    private volatile bool _stopping;
    private readonly Thread _thread;
    private readonly LoopTurnReplies _turn = new();
    private readonly CinnabarServer _server;
    private readonly long _busyPollTicks;
    // The first loop makes the server's cron ticks between its turns (CinnabarServer.Cron.cs).
    private readonly bool _drivesCron;

    private int _epfd;
    private readonly Lock _tableLock = new();
    private EpollTransport?[] _table = new EpollTransport?[64];
    private int[] _free = new int[64];
    private int _freeCount;
    private int _used;
    private uint _registrations;

    private EpollLoop(CinnabarServer server, string name, long busyPollTicks, bool drivesCron)
    {
        _server = server;
        _busyPollTicks = busyPollTicks;
        _drivesCron = drivesCron;
        _epfd = EpollCreate(EPOLL_CLOEXEC);
        if (_epfd < 0) throw new SocketException(Marshal.GetLastPInvokeError());
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>
    /// Ends the loop once its server stopped (its clients are closed first). The epoll descriptor is closed only
    /// when no connection is registered any more, so a late unregistration can never reach a reused number.
    /// </summary>
    public void Stop()
    {
        lock (_tableLock) _stopping = true;
        if (Thread.CurrentThread != _thread) _thread.Join(2000);
        lock (_tableLock)
        {
            if (_used - _freeCount != 0 || _thread.IsAlive || _epfd < 0) return;
            CloseDescriptor(_epfd);
            _epfd = -1;
        }
    }

    /// <summary>Puts the connection in the table, then watches its descriptor for input (the fd is open: the caller holds it).</summary>
    public void Add(EpollTransport transport, int fd)
    {
        lock (_tableLock)
        {
            if (_stopping) throw new SocketException((int)SocketError.Shutdown);
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
        int epfd = Volatile.Read(ref _epfd);
        return epfd < 0 ? -1 : EpollCtl(epfd, op, fd, ev);
    }

    /// <summary>The loop thread's Linux thread id (for tests that read its state in /proc), once it runs.</summary>
    internal int NativeThreadId { get; private set; }

    private void Run()
    {
        NativeThreadId = GetThreadId();
        int size = EventSize, dataOffset = EventDataOffset;
        byte* events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * size));
        _turn.BindToThisThread();
        if (_drivesCron) _server.CronDrivenByLoop(true);
        // The wait wakes every 250 ms when idle, to notice that the server stopped, and sooner for a cron tick.
        int sleepMillis = 250;
        long spinTicks = _busyPollTicks;
        long spinUntil = 0;
        while (!_stopping)
        {
            // Busy polling: while requests come close together, the next wait polls instead of sleeping (below).
            // Not while a background snapshot runs: its writer thread needs the second core more (ARCHITECTURE.md).
            // With polling off the clock is not read at all.
            long waitStart = spinTicks != 0 ? Stopwatch.GetTimestamp() : 0;
            bool polling = waitStart < spinUntil && !_server.BackgroundWalkRunning;
            int n = EpollWait(_epfd, events, MaxEvents, polling ? 0 : sleepMillis);
            if (n > 0 && spinTicks != 0)
            {
                long now = Stopwatch.GetTimestamp();
                if (polling || now - waitStart < spinTicks) spinUntil = now + spinTicks;
            }
            if (n < 0) continue; // EINTR (a signal); the descriptor is closed only after this thread ends
            // The turn is timed only while a background snapshot wants its share (a walk started mid-turn waits a turn).
            long turnStart = n > 0 && _server.BackgroundWalkRunning ? Stopwatch.GetTimestamp() : 0;
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
            // The replies of the batches this turn ran, after one AOF write for all of them.
            _turn.Finish();
            // A background snapshot's walk takes a share of the turn (its thread's slices would stall the loop).
            if (turnStart != 0 && _server.BackgroundWalkRunning) _server.EndOfLoopTurn(Stopwatch.GetTimestamp() - turnStart);
            if (_drivesCron) sleepMillis = CronBetweenTurns();
        }
        if (_drivesCron) _server.CronDrivenByLoop(false);
        NativeMemory.Free(events);
    }

    /// <summary>The cron's tick or rehash slice due between two turns; returns how long the next wait may sleep (ms).</summary>
    private int CronBetweenTurns()
    {
        try
        {
            return _server.CronFromLoop();
        }
        catch (Exception e)
        {
            // The timer stands in for a loop that stopped making ticks; the loop itself must go on serving.
            _server.Log.Warning("cron on the epoll loop failed: " + e.Message);
            return 250;
        }
    }

    /// <summary>
    /// How long the loop polls for the next event after a turn before it sleeps in epoll_wait, in ticks
    /// (0: never polls). Waking a sleeping thread costs the sender a wake-up (an interprocessor interrupt, on
    /// a VM an exit to the hypervisor) and the request the sleeper's wake-up latency: under a steady stream of
    /// requests, polling for 100 µs removes both (docs/BENCHMARKS.md). It starts only when an event came
    /// within that window after the loop went to sleep, so a server whose requests are further apart sleeps
    /// as before; under requests closer together it spins at most the window after each turn (a core's worth
    /// at about 10,000 requests a second or more, where a wake-up per request costs most); never on a single CPU, where the
    /// spinning thread would take the time of the threads it waits for. CINNABAR_BUSY_POLL_US overrides the
    /// window (0 turns polling off) for measurement, and <see cref="ServerConfig.BusyPollMicroseconds"/> for tests.
    /// </summary>
    private static long BusyPollTicks(int configured)
    {
        long microseconds = configured >= 0 ? configured
            : int.TryParse(Environment.GetEnvironmentVariable("CINNABAR_BUSY_POLL_US"), out int us) && us >= 0 ? us
            : Environment.ProcessorCount > 1 ? DefaultBusyPollMicroseconds : 0;
        return microseconds * Stopwatch.Frequency / 1_000_000;
    }

    private const int DefaultBusyPollMicroseconds = 100;
}
