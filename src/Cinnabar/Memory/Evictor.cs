using System.Diagnostics;
using Cinnabar.Storage;

namespace Cinnabar.Memory;

/// <summary>The maxmemory-policy values.</summary>
public enum EvictionPolicy { NoEviction, AllKeysLru, AllKeysLfu, AllKeysRandom, VolatileLru, VolatileLfu, VolatileRandom, VolatileTtl }

/// <summary>
/// maxmemory enforcement, as Redis's performEvictions: when used memory (less what is not counted for
/// eviction) is above maxmemory, keys chosen by maxmemory-policy are deleted until enough is freed, within a
/// time budget set by maxmemory-eviction-tenacity; past the budget the rest is freed a little at a time
/// from the thread pool (Redis's eviction timer), so no command waits for a huge burst. LRU, LFU and TTL
/// choices are approximated as Redis does: maxmemory-samples keys of each database are sampled into a pool
/// of the 16 best candidates kept between calls, and the best that still exists goes. Random policies visit
/// the databases in turn. Every evicted key counts in evicted_keys, fires the "evicted" keyspace event,
/// touches WATCH and is propagated as DEL. Used with the store lock held.
/// </summary>
public sealed class Evictor : IMemoryPolicy
{
    public const int PoolSize = 16;

    public enum Result { Ok, Running, Fail }

    private struct Candidate
    {
        public long Score; // higher = better to evict
        public byte[]? Key;
        public int Db;
    }

    private readonly Candidate[] _pool = new Candidate[PoolSize];
    private readonly Random _random;
    private int _nextDb;
    private bool _continuing;
    private string _policyText = "";
    private EvictionPolicy _policy;

    public Evictor(Random? random = null) => _random = random ?? new Random();

    private static readonly byte[] DelVerb = "DEL"u8.ToArray();

    public bool IsOverLimit(CinnabarServer server) => Perform(server) == Result.Fail;

    public static EvictionPolicy Parse(string policy) => policy switch
    {
        "allkeys-lru" => EvictionPolicy.AllKeysLru,
        "allkeys-lfu" => EvictionPolicy.AllKeysLfu,
        "allkeys-random" => EvictionPolicy.AllKeysRandom,
        "volatile-lru" => EvictionPolicy.VolatileLru,
        "volatile-lfu" => EvictionPolicy.VolatileLfu,
        "volatile-random" => EvictionPolicy.VolatileRandom,
        "volatile-ttl" => EvictionPolicy.VolatileTtl,
        _ => EvictionPolicy.NoEviction,
    };

    private EvictionPolicy CurrentPolicy(CinnabarServer server)
    {
        var text = server.Config.MaxMemoryPolicy;
        if (!ReferenceEquals(text, _policyText)) (_policyText, _policy) = (text, Parse(text));
        return _policy;
    }

    private static bool AllKeys(EvictionPolicy p) => p is EvictionPolicy.AllKeysLru or EvictionPolicy.AllKeysLfu or EvictionPolicy.AllKeysRandom;

    /// <summary>Redis's evictionTimeLimitUs: 50 µs per tenacity step up to 10, then 15% more per step; 100 = no limit.</summary>
    public static long TimeLimitMicros(int tenacity)
    {
        if (tenacity <= 10) return 50L * tenacity;
        if (tenacity < 100) return (long)(500.0 * Math.Pow(1.15, tenacity - 10.0));
        return long.MaxValue;
    }

    /// <summary>Frees memory down to maxmemory as the policy allows. Ok: under the limit; Running: the rest goes in the background; Fail: over the limit with nothing left to evict.</summary>
    public Result Perform(CinnabarServer server)
    {
        var config = server.Config;
        // As Redis's isSafeToPerformEvictions: never while a stream of effects is replayed, nor while clients are
        // paused (the dataset stays still, as for expiry).
        if (config.MaxMemory == 0 || server.Loading || server.Pause.IsActive(server.NowMs)) return Result.Ok;
        long toFree = server.MemoryUsage.EvictionUsedBytes - config.MaxMemory;
        if (toFree <= 0) return Result.Ok;
        var policy = CurrentPolicy(server);
        if (policy == EvictionPolicy.NoEviction) return Result.Fail;

        long limitMicros = TimeLimitMicros(config.MaxMemoryEvictionTenacity);
        long start = Stopwatch.GetTimestamp();
        long freed = 0;
        int keysFreed = 0;
        while (freed < toFree)
        {
            if (!TryPick(server, policy, out var db, out int slot)) return Result.Fail;
            long before = db.Table.RecordBytes + db.Table.ValueBytes;
            long delStart = Stopwatch.GetTimestamp();
            Evict(server, db, slot);
            server.Latency.AddIfNeeded("eviction-del", (long)Stopwatch.GetElapsedTime(delStart).TotalMilliseconds);
            freed += before - (db.Table.RecordBytes + db.Table.ValueBytes);
            keysFreed++;
            if (keysFreed % 16 == 0 && Stopwatch.GetElapsedTime(start).Ticks / 10 > limitMicros)
            {
                StartContinuing(server);
                break;
            }
        }
        server.Latency.AddIfNeeded("eviction-cycle", (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        return _continuing ? Result.Running : Result.Ok;
    }

    /// <summary>Redis's eviction timer: evicts again, a time budget at a time, until under the limit or nothing is left.</summary>
    private void StartContinuing(CinnabarServer server)
    {
        if (_continuing) return;
        _continuing = true;
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Evictor.Continue(state.Server), (Evictor: this, Server: server), preferLocal: false);
    }

    private void Continue(CinnabarServer server)
    {
        lock (server.Gate)
        {
            // Perform queues the next round itself when it runs out of budget again.
            _continuing = false;
            server.UpdateClock();
            Perform(server);
            server.EndOfBatch(null);
        }
    }

    private static void Evict(CinnabarServer server, Database db, int slot)
    {
        var key = db.EvictSlot(slot);
        server.Stats.EvictedKeys++;
        server.OnKeyModified(db, key);
        server.Notify('e', "evicted", db, key);
        if (server.Propagator.Active) server.Propagator.Add(db.Index, [DelVerb, key]);
    }

    /// <summary>The key the policy evicts next: false when there is none (no keys, or no volatile keys for a volatile policy).</summary>
    public bool TryPick(CinnabarServer server, EvictionPolicy policy, out Database db, out int slot)
    {
        bool allKeys = AllKeys(policy);
        var databases = server.Databases;
        if (policy is EvictionPolicy.AllKeysRandom or EvictionPolicy.VolatileRandom)
        {
            for (int i = 0; i < databases.Length; i++)
            {
                db = databases[(int)((uint)++_nextDb % (uint)databases.Length)];
                var table = db.Table;
                if (allKeys ? table.Count > 0 : table.VolatileCount > 0)
                {
                    slot = allKeys ? table.RandomSlot(_random) : table.RandomVolatile(_random).Slot;
                    return true;
                }
            }
            db = null!;
            slot = -1;
            return false;
        }
        while (true)
        {
            long total = 0;
            for (int i = 0; i < databases.Length; i++)
            {
                var table = databases[i].Table;
                long keys = allKeys ? table.Count : table.VolatileCount;
                if (keys == 0) continue;
                Populate(server, policy, i, table);
                total += keys;
            }
            if (total == 0)
            {
                db = null!;
                slot = -1;
                return false;
            }
            // Best candidates are at the end; a candidate whose key is gone (or lost its TTL) is a ghost.
            for (int k = PoolSize - 1; k >= 0; k--)
            {
                ref var c = ref _pool[k];
                if (c.Key == null) continue;
                var candidateDb = databases[c.Db];
                int found = candidateDb.Table.Find(c.Key);
                c = default;
                if (found >= 0 && (allKeys || candidateDb.Table.At(found).ExpirePos != 0))
                {
                    db = candidateDb;
                    slot = found;
                    return true;
                }
            }
        }
    }

    /// <summary>Redis's evictionPoolPopulate: samples keys of one database into the pool, kept in ascending score order.</summary>
    private void Populate(CinnabarServer server, EvictionPolicy policy, int dbIndex, KeyTable table)
    {
        bool allKeys = AllKeys(policy);
        int samples = Math.Max(1, server.Config.MaxMemorySamples);
        for (int n = 0; n < samples; n++)
        {
            int slot;
            long expireAt = 0;
            if (allKeys) slot = table.RandomSlot(_random);
            else (slot, expireAt) = table.RandomVolatile(_random);
            ref var entry = ref table.At(slot);
            long score = policy switch
            {
                EvictionPolicy.AllKeysLru or EvictionPolicy.VolatileLru => unchecked(server.LruClock - entry.Access),
                EvictionPolicy.AllKeysLfu or EvictionPolicy.VolatileLfu => 255 - LfuCounter.Decayed(entry.Access, server.NowMs, server.Config.LfuDecayTime),
                _ => long.MaxValue - expireAt, // volatile-ttl: the nearest expiry is the best
            };
            Insert(score, table.KeyAt(slot), dbIndex);
        }
    }

    private void Insert(long score, ReadOnlySpan<byte> key, int db)
    {
        var pool = _pool;
        int k = 0;
        while (k < PoolSize && pool[k].Key != null && pool[k].Score < score) k++;
        // Worse than every candidate of a full pool.
        if (k == 0 && pool[PoolSize - 1].Key != null) return;
        // The same key sampled again keeps its place.
        for (int i = 0; i < PoolSize; i++)
            if (pool[i].Key != null && pool[i].Db == db && key.SequenceEqual(pool[i].Key)) return;
        if (k < PoolSize && pool[k].Key == null)
        {
            // An empty place: insert here.
        }
        else if (pool[PoolSize - 1].Key == null)
        {
            // Free space on the right: shift right from k.
            Array.Copy(pool, k, pool, k + 1, PoolSize - k - 1);
        }
        else
        {
            // No free space: drop the worst (leftmost) and insert just before k.
            k--;
            Array.Copy(pool, 1, pool, 0, k);
        }
        pool[k] = new Candidate { Score = score, Key = key.ToArray(), Db = db };
    }
}
