using Cinnabar.Commands;
using Cinnabar.Storage;

namespace Cinnabar.Blocking;

/// <summary>Why and until when a client is parked (BLPOP, BZPOPMIN, BLMOVE, XREAD BLOCK …).</summary>
public sealed class BlockedState
{
    public required CommandDef Command { get; init; }
    public required byte[][] Args { get; init; }
    public required Database Db { get; init; }
    public required List<byte[]> Keys { get; init; }
    /// <summary>Unix ms when the wait ends; 0 waits forever.</summary>
    public long DeadlineMs { get; init; }
    /// <summary>Whether a value of this type can serve the parked command (its family: lists or sorted sets).</summary>
    public bool Accepts(object value) => Command.Group switch
    {
        "list" => value is Types.RedisList,
        "sorted-set" => value is Types.ZSet,
        _ => true,
    };

    /// <summary>Writes the reply for a timeout (a null array for BLPOP, a null bulk for BLMOVE …).</summary>
    public required Action<CommandContext> OnTimeout { get; init; }
}

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
    private Timer? _timeoutTimer;

    public BlockingManager(CinnabarServer server)
    {
        _server = server;
        server.ClientRemoved += OnClientRemoved;
    }

    public int BlockedCount => _blocked.Count;
    public bool HasReadyKeys => _readyKeys.Count > 0;

    /// <summary>Parks the client of <paramref name="ctx"/> until one of <paramref name="keys"/> is ready or the timeout passes.</summary>
    public void Block(CommandContext ctx, List<byte[]> keys, long timeoutMs, Action<CommandContext> onTimeout)
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
            OnTimeout = onTimeout,
        };
        client.Blocked = state;
        _blocked.Add(client);
        foreach (var key in keys)
        {
            var k = (ctx.Db.Index, new ByteKey(key));
            if (!_waiters.TryGetValue(k, out var list)) _waiters[k] = list = new LinkedList<Client>();
            list.AddLast(client);
        }
        if (state.DeadlineMs > 0) _timeoutTimer ??= new Timer(_ => CheckTimeouts(), null, 10, 10);
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
                    var value = db.Get(key);
                    if (value == null) break;
                    // A key of another type does not serve the waiter (a BLPOP stays parked when the key becomes a string).
                    if (!client.Blocked.Accepts(value)) continue;
                    TryServe(client);
                }
            }
        }
    }

    private void TryServe(Client client)
    {
        var state = client.Blocked!;
        var conn = client.Connection;
        if (conn == null) return;
        var ctx = conn.Context;
        ctx.Args.Load(state.Args);
        ctx.Command = state.Command;
        ctx.IsReexecution = true;
        ctx.BlockedAgain = false;
        ctx.ErrorWritten = false;
        try
        {
            state.Command.Handler!(ctx);
        }
        finally
        {
            ctx.IsReexecution = false;
        }
        if (ctx.BlockedAgain) return;
        // A wait that ends in an error (BLMOVE into a key of another type) is a failed call, as in Redis.
        if (ctx.ErrorWritten) _server.CommandStatistics[state.Command].FailedCalls++;
        Unblock(client);
    }

    /// <summary>Removes a client from every queue and schedules its reply and pending input.</summary>
    public void Unblock(Client client)
    {
        var state = client.Blocked;
        if (state == null) return;
        client.Blocked = null;
        _blocked.Remove(client);
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
    public bool UnblockByRequest(Client client, bool withError)
    {
        if (client.Blocked == null || client.Connection == null) return false;
        var ctx = client.Connection.Context;
        // Redis 7.0 counts a wait ended by CLIENT UNBLOCK, as a timeout or an error, as a failed call of the command.
        _server.CommandStatistics[client.Blocked.Command].FailedCalls++;
        if (withError) ctx.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        else client.Blocked.OnTimeout(ctx);
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

    private void CheckTimeouts()
    {
        lock (_server.Gate)
        {
            if (_blocked.Count == 0)
            {
                _timeoutTimer?.Dispose();
                _timeoutTimer = null;
                return;
            }
            _server.UpdateClock();
            long now = _server.NowMs;
            foreach (var client in _blocked.ToArray())
            {
                var state = client.Blocked!;
                if (state.DeadlineMs == 0 || state.DeadlineMs > now || client.Connection == null) continue;
                state.OnTimeout(client.Connection.Context);
                Unblock(client);
            }
            ProcessUnblocked();
            _server.FlushPendingWrites();
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
