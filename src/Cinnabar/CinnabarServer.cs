using System.Net;
using System.Net.Sockets;
using Cinnabar.Commands;
using Cinnabar.Config;
using Cinnabar.Networking;
using Cinnabar.Storage;

namespace Cinnabar;

/// <summary>
/// A Cinnabar server: the databases, the clients, the command table and the listener. Usable in-process
/// (tests, embedding): <c>new CinnabarServer(config).Start()</c>, then <see cref="Port"/>.
/// All command execution happens with <see cref="Gate"/> held, which makes each command atomic.
/// </summary>
public sealed partial class CinnabarServer : IKeyspaceHost, IDisposable
{
    private readonly Listener _listener;
    private readonly Dictionary<long, Client> _clients = [];
    private long _nextClientId;
    private Timer? _cron;
    private readonly long _startedMs;

    public CinnabarServer(ServerConfig? config = null, ServerLog? log = null)
    {
        Config = config ?? new ServerConfig();
        Log = log ?? ServerLog.Silent;
        CommandStatistics = new Observability.CommandStatistics(Commands, Config);
        Databases = new Database[Config.Databases];
        for (int i = 0; i < Databases.Length; i++) Databases[i] = new Database(i, this);
        _listener = new Listener(this);
        UpdateClock();
        _startedMs = NowMs;
        Expiry = new ActiveExpiry(this);
        Rdb = new Persistence.RdbPersistence(this);
        Blocking = new Blocking.BlockingManager(this);
        PubSub = new Cinnabar.PubSub.PubSubHub(this);
        KeyspaceNotifier = new Cinnabar.PubSub.KeyspaceNotifier(this);
        Scripting = new Scripting.ScriptingEngine(this);
        Latency = new Observability.LatencyMonitor(this);
        MemoryUsage = new Memory.MemoryAccounting(this);
        Aof = new Persistence.AofPersistence(this);
        ClientRemoved += client =>
        {
            lock (Gate)
            {
                Watches.UnwatchAll(client);
                Monitors.Remove(client);
            }
        };
    }

    /// <summary>Publishes keyspace notifications (notify-keyspace-events).</summary>
    public Cinnabar.PubSub.KeyspaceNotifier KeyspaceNotifier { get; }

    /// <summary>Raised by RESET (under the gate) so state kept per client elsewhere (tracking, scripts) is cleared.</summary>
    public event Action<Commands.CommandContext>? ClientReset;

    internal void OnClientReset(Commands.CommandContext ctx) => ClientReset?.Invoke(ctx);

    /// <summary>EVAL's script cache and Lua state, and the script running now.</summary>
    public Scripting.ScriptingEngine Scripting { get; }

    /// <summary>Channels, patterns and their subscribers.</summary>
    public Cinnabar.PubSub.PubSubHub PubSub { get; }

    /// <summary>WATCHed keys of all clients.</summary>
    public Transactions.WatchRegistry Watches { get; } = new();

    /// <summary>Clients parked by blocking commands, and the ready keys that wake them.</summary>
    public Blocking.BlockingManager Blocking { get; }

    /// <summary>CLIENT PAUSE state: postpones clients' commands until it ends.</summary>
    public Networking.ClientPause Pause { get; } = new();

    /// <summary>SLOWLOG entries, fed by Call.</summary>
    public Observability.SlowLog SlowLog { get; } = new();
    /// <summary>The clock commands are timed with (one read a command within a batch).</summary>
    public Commands.CallClock CallClock { get; } = new();

    /// <summary>LATENCY events (latency-monitor-threshold), fed by Call and the expiry cycle.</summary>
    public Observability.LatencyMonitor Latency { get; }

    /// <summary>Clients that ran MONITOR, fed by Call.</summary>
    public Observability.MonitorFeed Monitors { get; } = new();

    /// <summary>The append-only file (appendonly, appenddirname): loaded at start, fed by the effects stream.</summary>
    public Persistence.AofPersistence Aof { get; }

    /// <summary>MIGRATE's cached connections to target servers (INFO migrate_cached_sockets).</summary>
    public Networking.MigrateLinks MigrateLinks { get; } = new();

    /// <summary>The effects stream's entry: the writes of each top-level unit in replayable form.</summary>
    public Propagation.Propagator Propagator { get; } = new();

    /// <summary>
    /// True while an effects stream is replayed into this server (AOF loading, a replica's link): keys never
    /// expire on their own, since the stream carries the DEL of every key the source expired, as in Redis.
    /// </summary>
    public bool Loading { get; set; }

    /// <summary>Asked by the gate before a deny-oom command: evicts per maxmemory-policy, says whether still over the limit.</summary>
    public Memory.IMemoryPolicy MemoryPolicy { get; set; } = new Memory.Evictor();

    /// <summary>
    /// Set by the scripting engine while a script runs past busy-reply-threshold: the gate then answers -BUSY
    /// to every command not flagged allow-busy. Read without the store lock (volatile), as the script holds it.
    /// </summary>
    public Commands.BusyScriptKind BusyScript
    {
        get => (Commands.BusyScriptKind)Volatile.Read(ref _busyScript);
        set => Volatile.Write(ref _busyScript, (int)value);
    }
    private int _busyScript;

    /// <summary>used_memory and its parts (INFO memory, MEMORY, eviction).</summary>
    public Memory.MemoryAccounting MemoryUsage { get; }

    /// <summary>Values written by the running command, counted when it ends (exact used memory between commands).</summary>
    public SizeLedger Sizes { get; } = new();

    /// <summary>Gives memory back to the OS when the server goes quiet.</summary>
    public Memory.MemoryTrimmer MemoryTrimmer { get; } = new();

    /// <summary>The store lock: held while any command runs.</summary>
    public Lock Gate { get; } = new();
    public ServerConfig Config { get; }
    public ServerLog Log { get; }
    public CommandTable Commands { get; } = CommandTable.Shared;
    /// <summary>This server's INFO commandstats/latencystats counters (the command table is shared by the process).</summary>
    public Observability.CommandStatistics CommandStatistics { get; }
    public ServerStats Stats { get; } = new();
    public Database[] Databases { get; }
    public ActiveExpiry Expiry { get; }
    public int Port => _listener.Port;
    public long StartedMs => _startedMs;
    /// <summary>40 random hex characters, new at every start, as Redis's run_id.</summary>
    public string RunId { get; } = System.Security.Cryptography.RandomNumberGenerator.GetHexString(40, lowercase: true);
    public long ServerHz => Config.Hz;

    /// <summary>Changes since the last save (INFO rdb_changes_since_last_save).</summary>
    public long Dirty;
    public long LastSaveUnix { get; set; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>The RDB file: SAVE, save points, load at start, DEBUG RELOAD, INFO persistence's rdb_* fields.</summary>
    public Persistence.RdbPersistence Rdb { get; }

    /// <summary>Set while a dataset loads: the gate answers -LOADING, INFO shows loading:1.</summary>
    public Persistence.LoadingState LoadingState { get; } = new();

    public long NowMs { get; private set; }
    public uint LruClock { get; private set; }
    public bool SuppressTouch { get; set; }
    public bool UsesLfu => Config.MaxMemoryPolicy.EndsWith("-lfu", StringComparison.Ordinal);
    public int LfuLogFactor => Config.LfuLogFactor;
    public int LfuDecayTime => Config.LfuDecayTime;

    /// <summary>Raised (under the gate) when SHUTDOWN is executed, so the host process can exit.</summary>
    public event Action? ShutdownRequested;

    public int ClientCount { get { lock (_clients) return _clients.Count; } }

    public IReadOnlyList<Client> ClientsSnapshot()
    {
        lock (_clients) return _clients.Values.OrderBy(c => c.Id).ToList();
    }

    /// <summary>
    /// Sums the connections' input and reply buffers without copying or sorting the client list: the cron does
    /// it every tick, and with 10,000 clients a snapshot cost a sort and some 200 KB under the store lock each time.
    /// </summary>
    internal void SumClientBuffers(out long input, out long output)
    {
        input = output = 0;
        lock (_clients)
        {
            foreach (var client in _clients.Values)
            {
                var connection = client.Connection;
                if (connection == null) continue;
                input += connection.InputBufferSize;
                output += connection.Writer.Capacity;
            }
        }
    }

    private readonly List<Connection> _pendingFlush = [];

    /// <summary>Remembers a connection that got output from another client's command (lock held).</summary>
    internal void QueueFlush(Connection connection) => _pendingFlush.Add(connection);

    private int _flushScheduled;

    /// <summary>
    /// The one output step, run with the store lock held at the end of every batch that ran commands (Redis's
    /// beforeSleep): served waiters run what they pipelined, the effects sinks reach their write point (the
    /// AOF is written and fsynced there, before any reply it covers leaves), then replies go out: other
    /// clients' through one deferred send pass, the caller's (<paramref name="self"/>) by the caller's own
    /// loop. Returns the length of the caller's replies claimed for sending (0 when none or a send is running).
    /// </summary>
    internal int EndOfBatch(Connection? self) => EndOfBatch(self, turn: null);

    /// <summary>
    /// As <see cref="EndOfBatch(Connection?)"/>; a batch run on an epoll loop's thread passes its
    /// <paramref name="turn"/>: when its writes left bytes for the AOF, its replies wait for the turn's end
    /// (one AOF write for the turn) and the result is <see cref="LoopTurnReplies.Waiting"/>.
    /// </summary>
    internal int EndOfBatch(Connection? self, LoopTurnReplies? turn)
    {
        Blocking.ProcessUnblocked();
        bool joinTurn = turn != null && self != null && !self.IsClosed && Aof.Writer is { BufferLength: > 0 };
        if (!joinTurn) FlushAof();
        if (_closeAsap.Count > 0) CloseScheduled();
        FlushPendingWrites();
        if (self == null || self.IsClosed) return 0;
        if (!joinTurn) return self.TakeOutputForSend();
        turn!.Add(self);
        return LoopTurnReplies.Waiting;
    }

    /// <summary>
    /// With the store lock held, before replies are claimed for sending: the AOF's buffered bytes go to the file
    /// first (and to the disk with appendfsync always), so no reply leaves before the writes it acknowledges.
    /// </summary>
    internal void WriteAofBeforeReplies()
    {
        if (Aof.Writer is { BufferLength: > 0 }) FlushAof();
    }

    /// <summary>Share of an epoll loop turn's busy time given to a background snapshot's walk at the turn's end.</summary>
    private const int TurnShareDivisor = 4;

    private static readonly long MaxWalkStepTicks = System.Diagnostics.Stopwatch.Frequency / 10_000;

    /// <summary>
    /// Whether a background snapshot (BGSAVE, the AOF rewrite) wants the loops' steps; read by the loops
    /// without the lock: a stale answer costs one turn's step.
    /// </summary>
    internal bool BackgroundWalkRunning => Rdb.BackgroundWalk != null || Aof.Rewrite.Walk != null;

    /// <summary>Steps the loops gave background walks (for tests).</summary>
    internal long LoopWalkSteps { get; private set; }

    /// <summary>
    /// The end of an epoll loop's turn that took <paramref name="turnTicks"/>, while a background snapshot runs:
    /// its walk gets a quarter of that time (at most 0.1 ms), so a save under load costs each client a bounded
    /// share of latency. Skipped when the lock is taken (a script runs): the snapshot's thread goes on alone.
    /// </summary>

    internal void EndOfLoopTurn(long turnTicks)
    {
        if (!Gate.TryEnter()) return;
        try
        {
            if ((Rdb.BackgroundWalk ?? Aof.Rewrite.Walk) is { } walk)
            {
                walk.Step(Math.Min(turnTicks / TurnShareDivisor, MaxWalkStepTicks));
                LoopWalkSteps++;
            }
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>The effects' sinks write what they buffered (the AOF, with its fsync policy); WAITAOF's waiters are woken.</summary>
    private void FlushAof()
    {
        Propagator.EndOfBatch();
        Aof.WakeFsyncWaiters();
    }

    private readonly List<Connection> _closeAsap = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<Action> _whenGateFree = new();
    private int _gateWaiterScheduled;

    /// <summary>Work waiting for the store lock (for tests that hold it on purpose).</summary>
    internal int WaitingForGate => _whenGateFree.Count;

    /// <summary>
    /// Runs <paramref name="action"/> under the store lock on a pool thread, for work found while the lock was
    /// busy (a send loop ending during a long script, a socket closing). However many queue up, one pool thread
    /// waits for the lock, so a script holding it cannot starve the pool that serves the other sockets.
    /// </summary>
    internal void WhenGateFree(Action action)
    {
        _whenGateFree.Enqueue(action);
        if (Interlocked.Exchange(ref _gateWaiterScheduled, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.RunWhenGateFree(), this, preferLocal: false);
    }

    private void RunWhenGateFree() => RunCollectingSends(static server => server.DrainWhenGateFree());

    private void DrainWhenGateFree()
    {
        // Cleared before draining: work queued from here on schedules another pass.
        Volatile.Write(ref _gateWaiterScheduled, 0);
        while (_whenGateFree.TryDequeue(out var action))
        {
            try { action(); }
            catch (Exception e) { Log.Warning("deferred work failed: " + e.Message); }
        }
    }

    // Sends claimed by a pool pass that holds the store lock for other clients (the flush of their pushes, work
    // that waited for the lock), started once it lets go: a thousand subscribers' sends made under the lock
    // kept the loop thread waiting for it (pub/sub deliveries fell to 0.42x Redis's).
    private bool _collectingSends;
    private readonly List<(Connection Connection, int Length)> _sendsAfterUnlock = [];

    /// <summary>With the store lock held: starts sending <paramref name="length"/> claimed bytes of <paramref name="connection"/>'s.</summary>
    internal void StartSend(Connection connection, int length)
    {
        if (_collectingSends) _sendsAfterUnlock.Add((connection, length));
        else connection.StartSendLoop(length);
    }

    /// <summary>
    /// Runs a pool pass under the store lock with the sends it claims collected, then starts them once the lock
    /// is let go. On a pool thread an exception would end the process: one connection's fault closes that one only.
    /// </summary>
    private void RunCollectingSends(Action<CinnabarServer> pass)
    {
        (Connection Connection, int Length)[] sends;
        lock (Gate)
        {
            _collectingSends = true;
            try
            {
                pass(this);
            }
            finally
            {
                _collectingSends = false;
            }
            if (_sendsAfterUnlock.Count == 0) return;
            // A copy: the other pool pass may collect more as soon as the lock is let go.
            sends = _sendsAfterUnlock.ToArray();
            _sendsAfterUnlock.Clear();
        }
        foreach (var (connection, length) in sends)
        {
            try { connection.StartSendLoop(length); }
            catch (Exception e)
            {
                Log.Warning("starting a send failed: " + e.Message);
                connection.Close(abort: true);
            }
        }
    }

    /// <summary>A client over its output limit is closed when the batch ends (never while a command writes to it).</summary>
    internal void CloseAtEndOfBatch(Connection connection) => _closeAsap.Add(connection);

    private void CloseScheduled()
    {
        var closing = _closeAsap.ToArray();
        _closeAsap.Clear();
        // Its queued replies are dropped: the peer gets a reset instead of megabytes it was not reading.
        foreach (var c in closing) c.Close(abort: true);
    }

    /// <summary>
    /// Called at the end of a batch (lock held): schedules one pass that sends what other clients' commands
    /// wrote for them. Deferring it a moment lets several publishers' batches reach a subscriber in one write
    /// (Redis writes once per event-loop turn for the same reason) instead of one send per batch.
    /// </summary>
    private void FlushPendingWrites()
    {
        if (_pendingFlush.Count == 0 || Interlocked.Exchange(ref _flushScheduled, 1) != 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(static server => server.FlushNow(), this, preferLocal: false);
    }

    private void FlushNow() => RunCollectingSends(static server => server.FlushPendingClients());

    private void FlushPendingClients()
    {
        Volatile.Write(ref _flushScheduled, 0);
        // A flush may queue more (a send loop finishing), so iterate over a snapshot.
        var pending = _pendingFlush.ToArray();
        _pendingFlush.Clear();
        foreach (var c in pending)
        {
            // As in RunCollectingSends: a fault in one connection must not end the process.
            try { c.FlushQueued(); }
            catch (Exception e)
            {
                Log.Warning("flushing a client's output failed: " + e.Message);
                c.Close(abort: true);
            }
        }
    }

    public void UpdateClock()
    {
        NowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        LruClock = (uint)(NowMs / 1000);
    }

    /// <summary>
    /// Listens, then loads the AOF directory with appendonly yes (clients connecting meanwhile get -LOADING);
    /// an AOF that cannot load stops the start with <see cref="Persistence.AofFatalException"/>. The server
    /// process calls <see cref="Listen"/> and loads itself, as redis-server's main() does, to log in Redis's order.
    /// </summary>
    public CinnabarServer Start()
    {
        Listen();
        try
        {
            Aof.LoadAndOpenAtStartup();
        }
        catch
        {
            Stop();
            throw;
        }
        return this;
    }

    /// <summary>Opens the listeners and starts the cron; nothing is loaded.</summary>
    public CinnabarServer Listen()
    {
        _listener.Start(Config.Bind, Config.Port);
        if (Config.UnixSocket.Length > 0) _listener.StartUnix(Config.UnixSocket, Config.UnixSocketPerm);
        _cron = new Timer(_ => CronFromTimer(), null, CronPeriodMillis, CronPeriodMillis);
        _gcPauses = Memory.GcPauseMonitor.Instance;
        _pausesSeen = _gcPauses.Pauses;
        return this;
    }

    public void Stop()
    {
        _cron?.Dispose();
        _cron = null;
        _listener.Stop();
        _listener.StopUnix();
        foreach (var c in ClientsSnapshot()) c.Connection?.Close();
        EpollLoop[]? loops;
        lock (_epollLoopsLock) (loops, _epollLoops, _epollLoopsStopped) = (_epollLoops, null, true);
        if (loops != null) foreach (var loop in loops) loop.Stop();
        lock (Gate) MigrateLinks.CloseAll();
        Aof.Shutdown();
    }

    public void Dispose() => Stop();

    private readonly Lock _epollLoopsLock = new();
    private EpollLoop[]? _epollLoops;
    private int _nextEpollLoop;
    private bool _epollLoopsStopped;

    /// <summary>The event loop for a new client (round robin over this server's loops, started with the first client).</summary>
    internal EpollLoop NextEpollLoop()
    {
        EpollLoop[] loops;
        lock (_epollLoopsLock)
        {
            // A client accepted while the server stops is refused (the listener disposes its socket).
            if (_epollLoopsStopped) throw new SocketException((int)SocketError.Shutdown);
            loops = _epollLoops ??= EpollLoop.StartLoops(this, Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return loops.Length == 1 ? loops[0] : loops[(int)((uint)Interlocked.Increment(ref _nextEpollLoop) % (uint)loops.Length)];
    }

    /// <summary>Listens on new addresses or a new port after CONFIG SET bind/port; false (old setup kept) on failure.</summary>
    public bool TryRebindListener(string[] oldBind) => _listener.TryRebind(Config.Bind, Config.Port, oldBind);

    public void RequestShutdown() => ShutdownRequested?.Invoke();

    internal void Accept(Socket socket)
    {
        Interlocked.Increment(ref Stats.TotalConnectionsReceived);
        bool tcp = socket.AddressFamily != AddressFamily.Unix;
        if (tcp) socket.NoDelay = true;
        if (tcp && Config.TcpKeepAlive > 0)
        {
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, (int)Config.TcpKeepAlive);
            }
            catch (SocketException) { }
        }
        if (ClientCount >= Config.MaxClients)
        {
            Interlocked.Increment(ref Stats.RejectedConnections);
            Admission.Refuse(socket, Admission.MaxClientsReached);
            return;
        }
        if (Admission.ProtectedModeDenies(Config.ProtectedMode, RequiresAuthAtAll, socket.RemoteEndPoint))
        {
            Interlocked.Increment(ref Stats.RejectedConnections);
            Admission.Refuse(socket, Admission.ProtectedModeDenied);
            return;
        }
        var client = new Client(NextClientId(), Databases[0])
        {
            Address = FormatEndPoint(socket.RemoteEndPoint),
            LocalAddress = FormatEndPoint(socket.LocalEndPoint),
            CreatedMs = NowMs,
            LastInteractionMs = NowMs,
            Authenticated = !RequiresAuthAtAll,
        };
        var connection = new Connection(ClientTransport.For(socket, this), this, client);
        lock (_clients) _clients[client.Id] = client;
        _ = connection.RunAsync();
    }

    private string FormatEndPoint(EndPoint? ep) => ep switch
    {
        // As Redis: a unix-socket client shows the socket's path, port 0, on both ends.
        UnixDomainSocketEndPoint => $"{_listener.UnixPath}:0",
        IPEndPoint ip when ip.AddressFamily == AddressFamily.InterNetworkV6 && !ip.Address.IsIPv4MappedToIPv6 => $"{ip.Address}:{ip.Port}",
        IPEndPoint ip => $"{(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address)}:{ip.Port}",
        _ => "?:0",
    };

    /// <summary>A new client id (ids are never reused).</summary>
    internal long NextClientId() => Interlocked.Increment(ref _nextClientId);

    internal void RemoveClient(Client client)
    {
        lock (_clients) _clients.Remove(client.Id);
        ClientRemoved?.Invoke(client);
    }

    /// <summary>Raised after a client disconnects, so pub/sub, blocking and WATCH state can be cleaned up.</summary>
    public event Action<Client>? ClientRemoved;

    public Client? FindClient(long id)
    {
        lock (_clients) return _clients.GetValueOrDefault(id);
    }

    /// <summary>True when the default user has a password (requirepass).</summary>
    public bool RequiresAuthAtAll => Config.RequirePass != null;

    public bool RequiresAuth(Client client) => !client.Authenticated && Config.RequirePass != null;

    // ---- keyspace hooks -------------------------------------------------------------------------

    public void OnKeyExpired(Database db, byte[] key)
    {
        Stats.ExpiredKeys++;
        // Replayed before the command that found it expired (or as a unit of its own from active expiry).
        if (Propagator.Active) Propagator.Add(db.Index, [DelCommand, key], Propagation.PropagationTargets.All);
        Notify('x', "expired", db, key);
        OnKeyModified(db, key);
    }

    private static readonly byte[] DelCommand = "DEL"u8.ToArray();

    public void CountKeyspaceHit() => Stats.KeyspaceHits++;
    public void CountKeyspaceMiss() => Stats.KeyspaceMisses++;

    /// <summary>Called for every change to a key; WATCH and client-side caching attach here.</summary>
    public void OnKeyModified(Database db, ReadOnlySpan<byte> key)
    {
        Watches.Touch(db, key);
        Blocking.OnKeyChanged(db, key);
        if (KeyModified != null) KeyModified(db, key.ToArray());
    }

    /// <summary>Observers of key changes (embedding hosts, tests); costs nothing when none is attached.</summary>
    public event Action<Database, byte[]>? KeyModified;

    public void OnKeyAdded(Database db, ReadOnlySpan<byte> key, object? value)
    {
        // As Redis's dbAdd: a new list, sorted set or stream may serve clients parked on its key.
        if (value is Types.RedisList or Types.ZSet or Types.RedisStream) Blocking.SignalKeyReady(db, key);
        if ((Config.KeyspaceEventFlags & Cinnabar.PubSub.KeyspaceEvents.NewKey) != 0) Notify('n', "new", db, key);
    }

    /// <summary>
    /// Called just before a whole database is emptied or replaced (FLUSHDB, FLUSHALL, SWAPDB), like Redis's
    /// touchAllWatchedKeysInDb: a watched key counts as modified when it exists in <c>emptied</c> now or in
    /// <c>replacedWith</c> (SWAPDB's other database; null for a flush).
    /// </summary>
    public void OnDatabaseReplaced(Database emptied, Database? replacedWith)
    {
        Watches.TouchAllIn(emptied, replacedWith);
        if (replacedWith == null) Blocking.OnDatabaseEmptied(emptied);
        DatabaseReplaced?.Invoke(emptied, replacedWith);
    }

    public event Action<Database, Database?>? DatabaseReplaced;

    /// <summary>Called after SWAPDB exchanged two databases' contents: clients blocked on keys in either may now be served.</summary>
    public void OnDatabasesSwapped(Database first, Database second)
    {
        Blocking.SignalAllIn(first);
        Blocking.SignalAllIn(second);
        DatabasesSwapped?.Invoke(first, second);
    }

    public event Action<Database, Database>? DatabasesSwapped;

    /// <summary>Keyspace notifications (notify-keyspace-events).</summary>
    public void Notify(char type, string @event, Database db, ReadOnlySpan<byte> key)
    {
        if (Config.KeyspaceEventFlags != 0) KeyspaceNotifier.Notify(type, @event, db, key);
        Notification?.Invoke(type, @event, db, key.ToArray());
    }

    /// <summary>Every keyspace event, whatever notify-keyspace-events says (for embedding hosts and tests).</summary>
    public event Action<char, string, Database, byte[]>? Notification;
}
