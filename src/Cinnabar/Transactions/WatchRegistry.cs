using System.Runtime.InteropServices;
using Cinnabar.Blocking;
using Cinnabar.Storage;

namespace Cinnabar.Transactions;

/// <summary>A command accepted by the gate inside MULTI: its table entry and its arguments.</summary>
public readonly record struct QueuedCommand(Commands.CommandDef Command, byte[][] Args);

/// <summary>MULTI state of one client: the queued commands and whether a queue-time error doomed them.</summary>
public sealed class MultiState
{
    /// <summary>The queued commands, resolved when queued: EXEC hands each to Call without passing the gate again.</summary>
    public List<QueuedCommand> Queue { get; } = [];
    /// <summary>A command was refused while queueing: EXEC answers EXECABORT.</summary>
    public bool Aborted { get; set; }
}

/// <summary>
/// WATCH bookkeeping: which clients watch which keys. Any change to a watched key (a write from any client,
/// expiry, eviction, FLUSHDB/FLUSHALL, SWAPDB) marks its watchers dirty, and their EXEC then fails.
/// </summary>
public sealed class WatchRegistry
{
    private sealed class WatchEntry
    {
        public required Client Client { get; init; }
        public required Database Db { get; init; }
        public required byte[] Key { get; init; }
        /// <summary>The key had already expired at WATCH time; its later deletion is not a change.</summary>
        public bool ExpiredAtWatch { get; set; }
    }

    private readonly Dictionary<(int Db, ByteKey Key), List<WatchEntry>> _byKey = [];
    private readonly Dictionary<Client, List<WatchEntry>> _byClient = [];
    /// <summary>
    /// Watched keys per (db, key hash): a write to a key nobody watches is ruled out by its hash, without the
    /// key copy that a <see cref="_byKey"/> lookup needs, so writes stay allocation-free while WATCHes exist.
    /// </summary>
    private readonly Dictionary<(int Db, int Hash), int> _hashCounts = [];

    public int WatchedKeyCount => _byKey.Count;

    public int CountFor(Client client) => _byClient.TryGetValue(client, out var list) ? list.Count : 0;

    public void Watch(Client client, Database db, byte[] key, bool expired)
    {
        var k = (Db: db.Index, Key: new ByteKey(key));
        if (!_byKey.TryGetValue(k, out var watchers))
        {
            _byKey[k] = watchers = [];
            CollectionsMarshal.GetValueRefOrAddDefault(_hashCounts, (k.Db, k.Key.GetHashCode()), out _)++;
        }
        if (watchers.Any(w => w.Client == client)) return;
        var watch = new WatchEntry { Client = client, Db = db, Key = key, ExpiredAtWatch = expired };
        watchers.Add(watch);
        if (!_byClient.TryGetValue(client, out var mine)) _byClient[client] = mine = [];
        mine.Add(watch);
    }

    public void UnwatchAll(Client client)
    {
        client.WatchDirty = false;
        if (!_byClient.Remove(client, out var mine)) return;
        foreach (var w in mine)
        {
            var k = (Db: w.Db.Index, Key: new ByteKey(w.Key));
            if (_byKey.TryGetValue(k, out var watchers))
            {
                watchers.Remove(w);
                if (watchers.Count == 0)
                {
                    _byKey.Remove(k);
                    var hash = (k.Db, k.Key.GetHashCode());
                    if (--CollectionsMarshal.GetValueRefOrNullRef(_hashCounts, hash) == 0) _hashCounts.Remove(hash);
                }
            }
        }
    }

    /// <summary>A key changed: every client watching it will fail its EXEC.</summary>
    public void Touch(Database db, ReadOnlySpan<byte> key)
    {
        if (_byKey.Count == 0 || !_hashCounts.ContainsKey((db.Index, KeyTable.HashKey(key)))) return;
        if (!_byKey.TryGetValue((db.Index, new ByteKey(key.ToArray())), out var watchers)) return;
        foreach (var w in watchers)
        {
            if (w.ExpiredAtWatch && !db.Exists(w.Key))
            {
                // The expired key was only reclaimed: logically nothing changed.
                w.ExpiredAtWatch = false;
                continue;
            }
            w.Client.WatchDirty = true;
        }
    }

    /// <summary>
    /// FLUSHDB/FLUSHALL/SWAPDB: watchers of keys in <paramref name="emptied"/> are dirtied when the key exists
    /// there now or in <paramref name="replacedWith"/> (the database SWAPDB brings in).
    /// </summary>
    public void TouchAllIn(Database emptied, Database? replacedWith)
    {
        if (_byKey.Count == 0) return;
        foreach (var ((dbIndex, key), watchers) in _byKey)
        {
            if (dbIndex != emptied.Index) continue;
            if (!emptied.Exists(key.Bytes) && (replacedWith == null || !replacedWith.Exists(key.Bytes))) continue;
            foreach (var w in watchers) w.Client.WatchDirty = true;
        }
    }

    /// <summary>At EXEC: a watched key that has logically expired since WATCH counts as changed.</summary>
    public bool AnyExpiredSinceWatch(Client client, long nowMs)
    {
        if (!_byClient.TryGetValue(client, out var mine)) return false;
        foreach (var w in mine)
        {
            if (w.ExpiredAtWatch) continue;
            int slot = w.Db.Table.Find(w.Key);
            if (slot >= 0)
            {
                long when = w.Db.Table.GetExpire(slot);
                if (when >= 0 && when < nowMs) return true;
            }
        }
        return false;
    }
}
