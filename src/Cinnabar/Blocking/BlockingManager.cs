using Cinnabar.Commands;
using Cinnabar.Storage;

namespace Cinnabar.Blocking;

/// <summary>The kinds of value that can serve a parked command (a push to a list serves BLPOP, not BZPOPMIN).</summary>
[Flags]
public enum ServedBy
{
    List = 1,
    SortedSet = 2,
    Stream = 4,
}

/// <summary>Why and until when a client is parked (BLPOP, BZPOPMIN, BLMOVE, XREAD BLOCK …).</summary>
public sealed class BlockedState
{
    public required CommandDef Command { get; init; }
    public required byte[][] Args { get; init; }
    public required Database Db { get; init; }
    public required List<byte[]> Keys { get; init; }
    /// <summary>Unix ms when the wait ends; 0 waits forever.</summary>
    public long DeadlineMs { get; init; }
    /// <summary>Which kinds of value serve the parked command: a key holding another kind leaves it parked, as in Redis.</summary>
    public required ServedBy ServedBy { get; init; }
    /// <summary>
    /// What the command resolved when it parked, for its re-execution (XREAD's "$" as the last id at that
    /// moment); null when it needs nothing.
    /// </summary>
    public object? WaitState { get; init; }

    /// <summary>
    /// Microseconds spent running the command so far (the call that parked it, re-runs that left it parked):
    /// added to the call's count when the wait ends, as Redis adds a blocked client's duration.
    /// </summary>
    public long Micros { get; set; }

    /// <summary>
    /// Whether the value whose entry holds <paramref name="boxed"/> (<see cref="Storage.KeyTable.BoxedAt"/>: an object,
    /// a packed value's marker, or null for a string) can serve the parked command: no copy of a packed value is made.
    /// </summary>
    public bool Accepts(object? boxed)
    {
        var type = Storage.KeyTable.PackedType(boxed) ?? boxed?.GetType();
        if (type == typeof(Types.RedisList)) return (ServedBy & ServedBy.List) != 0;
        if (type == typeof(Types.ZSet)) return (ServedBy & ServedBy.SortedSet) != 0;
        if (type == typeof(Types.RedisStream)) return (ServedBy & ServedBy.Stream) != 0;
        return false;
    }

    /// <summary>Writes the reply for a timeout (a null array for BLPOP, a null bulk for BLMOVE …).</summary>
    public required Action<CommandContext> OnTimeout { get; init; }

    /// <summary>
    /// For waits with state of their own (XREAD's IDs resolved when it blocked, XREADGROUP's group): serves the
    /// waiter from one ready key and its current value (null when the key is gone) instead of running the
    /// command again; returns true when it replied (a delivery or an error), false to stay parked.
    /// </summary>
    public ReadyKeyHandler? ServeReadyKey { get; init; }
}

/// <summary>Serves a parked client from a key that became ready; see <see cref="BlockedState.ServeReadyKey"/>.</summary>
public delegate bool ReadyKeyHandler(CommandContext ctx, Database db, byte[] key, object? value);

/// <summary>
/// Parks clients on keys and wakes them as Redis does: a write that makes a key ready (a push, a ZADD)
/// marks it; after the command that did it (or after EXEC / a script as a whole), every client waiting on
/// a ready key is served in FIFO order by running its command again. A client the key cannot serve stays
/// parked in its place. Everything here runs with the store lock held.
/// </summary>
public sealed class BlockingManager
{
    private readonly CinnabarServer _server;
    private readonly Dictionary<(int Db, ByteKey Key), LinkedList<Client>> _waiters = [];
    private readonly List<(Database Db, byte[] Key)> _readyKeys = [];
    private readonly HashSet<(int, ByteKey)> _readySet = [];
    private readonly HashSet<Client> _blocked = [];
    private readonly List<Client> _unblocked = [];
    private bool _resuming;
    // Deadlines in a priority queue (earliest first) and one timer set to the earliest: no scan of every parked
    // client. An entry whose client is no longer parked by that same wait is skipped when it comes up.
    private readonly PriorityQueue<(Client Client, BlockedState State), long> _deadlines = new();
    private readonly Timer _timeoutTimer;
    private long _timerDueMs = long.MaxValue;

    public BlockingManager(CinnabarServer server)
    {
        _server = server;
        _timeoutTimer = new Timer(_ => CheckTimeouts(), null, Timeout.Infinite, Timeout.Infinite);
        server.ClientRemoved += OnClientRemoved;
    }

    public int BlockedCount => _blocked.Count;
    public bool HasReadyKeys => _readyKeys.Count > 0;

    /// <summary>Parks the client of <paramref name="ctx"/> until one of <paramref name="keys"/> is ready or the timeout passes.</summary>
    public void Block(CommandContext ctx, List<byte[]> keys, long timeoutMs, ServedBy servedBy, Action<CommandContext> onTimeout,
        object? waitState = null, ReadyKeyHandler? serveReadyKey = null)
    {
        if (ctx.IsReexecution)
        {
            // Still not servable: stay parked where we were in the queues.
            ctx.BlockedAgain = true;
            return;
        }
        var client = ctx.Client;
        var state = new BlockedState
        {
            Command = ctx.Command,
            Args = ctx.Args.ToArrays(),
            Db = ctx.Db,
            Keys = keys,
            DeadlineMs = timeoutMs > 0 ? ctx.NowMs + timeoutMs : 0,
            ServedBy = servedBy,
            WaitState = waitState,
            OnTimeout = onTimeout,
            ServeReadyKey = serveReadyKey,
        };
        if (serveReadyKey != null) _keyStateWaiters++;
        client.Blocked = state;
        _blocked.Add(client);
        foreach (var key in keys)
        {
            var k = (ctx.Db.Index, new ByteKey(key));
            if (!_waiters.TryGetValue(k, out var list)) _waiters[k] = list = new LinkedList<Client>();
            list.AddLast(client);
        }
        if (state.DeadlineMs > 0)
        {
            _deadlines.Enqueue((client, state), state.DeadlineMs);
            ArmTimer();
        }
    }

    /// <summary>Marks a key that may now serve waiters (called by pushes, ZADD, XADD …).</summary>
    public void SignalKeyReady(Database db, ReadOnlySpan<byte> key)
    {
        if (_waiters.Count == 0) return;
        var k = (db.Index, new ByteKey(key.ToArray()));
        if (!_waiters.ContainsKey(k) || !_readySet.Add(k)) return;
        _readyKeys.Add((db, k.Item2.Bytes));
    }

    /// <summary>After SWAPDB: every key someone waits on in <paramref name="db"/> may now serve them.</summary>
    public void SignalAllIn(Database db)
    {
        foreach (var (dbIndex, key) in _waiters.Keys.ToList())
            if (dbIndex == db.Index) SignalKeyReady(db, key.Bytes);
    }

    /// <summary>Serves the clients waiting on ready keys, in FIFO order per key, until no key is ready.</summary>
    public void HandleReadyKeys()
    {
        while (_readyKeys.Count > 0)
        {
            var batch = _readyKeys.ToArray();
            _readyKeys.Clear();
            _readySet.Clear();
            foreach (var (db, key) in batch)
            {
                if (!_waiters.TryGetValue((db.Index, new ByteKey(key)), out var list)) continue;
                foreach (var client in list.ToArray())
                {
                    if (client.Blocked == null) continue;
                    if (client.Blocked.ServeReadyKey != null)
                    {
                        TryServeFromKey(client, db, key, db.Peek(key));
                        continue;
                    }
                    int slot = db.PeekSlot(key);
                    if (slot < 0) break;
                    // A key of another type does not serve the waiter (a BLPOP stays parked when the key becomes a string).
                    if (!client.Blocked.Accepts(db.Table.BoxedAt(slot))) continue;
                    TryServe(client);
                }
            }
        }
    }

    private void TryServeFromKey(Client client, Database db, byte[] key, object? value)
    {
        var state = client.Blocked!;
        var ctx = client.Context;
        if (ctx == null) return;
        ctx.Args.Load(state.Args);
        bool served = false;
        Dispatcher.Call(ctx, state.Command, CallFlags.ServingWaiter, c =>
        {
            served = state.ServeReadyKey!(c, db, key, value);
            c.BlockedAgain = !served;
        });
        if (served) Unblock(client);
    }

    /// <summary>
    /// Called for every change to a key: a wait with its own state (XREADGROUP) must hear of deletions and
    /// overwrites too, as Redis signals a stream key when it is deleted or replaced.
    /// </summary>
    public void OnKeyChanged(Database db, ReadOnlySpan<byte> key)
    {
        if (_keyStateWaiters > 0) SignalKeyReady(db, key);
    }

    /// <summary>Before FLUSHDB/FLUSHALL empties <paramref name="db"/>: waits with their own state hear of their keys going.</summary>
    public void OnDatabaseEmptied(Database db)
    {
        if (_keyStateWaiters > 0) SignalAllIn(db);
    }

    private int _keyStateWaiters;

    private void TryServe(Client client)
    {
        var state = client.Blocked!;
        var ctx = client.Context;
        if (ctx == null) return;
        ctx.Args.Load(state.Args);
        Dispatcher.Call(ctx, state.Command, CallFlags.ServingWaiter);
        if (ctx.BlockedAgain) return;
        Unblock(client);
    }

    /// <summary>Removes a client from every queue and schedules its reply and pending input.</summary>
    public void Unblock(Client client)
    {
        var state = client.Blocked;
        if (state == null) return;
        client.Blocked = null;
        _blocked.Remove(client);
        if (state.ServeReadyKey != null) _keyStateWaiters--;
        foreach (var key in state.Keys)
        {
            var k = (state.Db.Index, new ByteKey(key));
            if (_waiters.TryGetValue(k, out var list))
            {
                list.Remove(client);
                if (list.Count == 0) _waiters.Remove(k);
            }
        }
        _unblocked.Add(client);
    }

    /// <summary>CLIENT UNBLOCK: ends a wait as a timeout, or with the UNBLOCKED error.</summary>
    public bool UnblockByRequest(Client client, bool withError) =>
        withError ? WakeWithError(client, "UNBLOCKED client unblocked via CLIENT UNBLOCK") : WakeAsTimeout(client);

    /// <summary>Ends a wait with its timeout reply; false when the client is not parked.</summary>
    public bool WakeAsTimeout(Client client) =>
        // Only CLIENT UNBLOCK ... TIMEOUT comes here, and Redis 7.0 counts that wait as a failed call (a wait that
        // really times out is not).
        WakeWithTimeoutReply(client, failed: true);

    /// <summary>
    /// Ends a keyless wait whose condition was met elsewhere (WAITAOF once the AOF is fsynced): its reply
    /// writer answers, and the call counts as a successful one.
    /// </summary>
    public bool WakeFulfilled(Client client) => WakeWithTimeoutReply(client, failed: false);

    private bool WakeWithTimeoutReply(Client client, bool failed)
    {
        if (client.Blocked == null || client.Context == null) return false;
        client.Blocked.OnTimeout(client.Context);
        _server.CommandStatistics.RecordCall(client.Blocked.Command, client.Blocked.Micros, failed);
        Unblock(client);
        return true;
    }

    /// <summary>
    /// Ends a wait with an error reply, where Redis does that (CLIENT UNBLOCK ... ERROR; a stream deleted or
    /// replaced under XREADGROUP); false when the client is not parked.
    /// </summary>
    public bool WakeWithError(Client client, string error)
    {
        if (client.Blocked == null || client.Context == null) return false;
        var ctx = client.Context;
        ctx.ErrorWritten = false;
        ctx.Error(error);
        _server.CommandStatistics.RecordCall(client.Blocked.Command, client.Blocked.Micros, failed: true);
        Unblock(client);
        return true;
    }

    /// <summary>
    /// Flushes the replies of clients unblocked since the last call and runs the commands they pipelined
    /// while parked. Called by connections after each batch, with the store lock held.
    /// </summary>
    public void ProcessUnblocked()
    {
        if (_unblocked.Count == 0 || _resuming) return;
        _resuming = true;
        try
        {
            while (_unblocked.Count > 0)
            {
                var client = _unblocked[0];
                _unblocked.RemoveAt(0);
                var conn = client.Connection;
                if (conn == null || conn.IsClosed) continue;
                bool close = conn.ProcessPendingInput(compact: false);
                if (close) client.CloseAfterReply = true;
                conn.RequestFlush();
            }
        }
        finally
        {
            _resuming = false;
        }
    }

    /// <summary>Sets the timer to the earliest deadline still queued (with the store lock held).</summary>
    private void ArmTimer()
    {
        while (_deadlines.TryPeek(out var head, out _) && head.Client.Blocked != head.State) _deadlines.Dequeue();
        if (!_deadlines.TryPeek(out _, out long due))
        {
            _timerDueMs = long.MaxValue;
            _timeoutTimer.Change(Timeout.Infinite, Timeout.Infinite);
            return;
        }
        if (due >= _timerDueMs) return;
        _timerDueMs = due;
        _timeoutTimer.Change(Math.Max(1, due - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), Timeout.Infinite);
    }

    /// <summary>Ends every wait whose deadline has passed, in deadline order, then re-arms the timer.</summary>
    private void CheckTimeouts()
    {
        lock (_server.Gate)
        {
            _server.UpdateClock();
            long now = _server.NowMs;
            _timerDueMs = long.MaxValue;
            while (_deadlines.TryPeek(out var head, out long due) && due <= now)
            {
                _deadlines.Dequeue();
                var (client, state) = head;
                if (client.Blocked != state || client.Context == null) continue;
                state.OnTimeout(client.Context);
                _server.CommandStatistics.RecordCall(state.Command, state.Micros, failed: false);
                Unblock(client);
            }
            ArmTimer();
            _server.EndOfBatch(null);
        }
    }

    private void OnClientRemoved(Client client)
    {
        if (client.Blocked == null) return;
        lock (_server.Gate)
        {
            Unblock(client);
            _unblocked.Remove(client);
        }
    }
}

/// <summary>A byte-array key with value equality, for dictionaries keyed by Redis keys or channels.</summary>
public readonly struct ByteKey : IEquatable<ByteKey>
{
    public ByteKey(byte[] bytes)
    {
        Bytes = bytes;
        _hash = KeyTable.HashKey(bytes);
    }

    private readonly int _hash;
    public byte[] Bytes { get; }

    public bool Equals(ByteKey other) => _hash == other._hash && Bytes.AsSpan().SequenceEqual(other.Bytes);
    public override bool Equals(object? obj) => obj is ByteKey k && Equals(k);
    public override int GetHashCode() => _hash;
}
