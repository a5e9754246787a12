namespace Cinnabar.Storage;

/// <summary>
/// One of the numbered databases: the key table plus Redis's key semantics (lazy expiry on access,
/// access times, hit/miss counting). Every command touches keys through this API, so the keyspace can
/// later be sharded behind it.
/// </summary>
public sealed class Database
{
    private readonly IKeyspaceHost _host;

    public Database(int index, IKeyspaceHost host)
    {
        Index = index;
        _host = host;
    }

    public int Index { get; }
    public KeyTable Table { get; private set; } = new();
    public int Count => Table.Count;
    public int VolatileCount => Table.VolatileCount;

    /// <summary>Average TTL estimate (ms) kept by the active expiry cycle, as Redis's avg_ttl.</summary>
    public long AverageTtl { get; set; }

    private long Now => _host.NowMs;

    /// <summary>Finds a live key: expires it first when its time has passed. Returns the slot or -1.</summary>
    public int FindSlot(ReadOnlySpan<byte> key, bool touch = true)
    {
        int slot = Table.Find(key);
        if (slot < 0) return -1;
        ref var e = ref Table.At(slot);
        if (e.ExpirePos != 0 && Table.GetExpire(slot) < Now)
        {
            ExpireSlot(slot);
            return -1;
        }
        if (touch && !_host.SuppressTouch) e.Access = _host.LruClock;
        return slot;
    }

    /// <summary>The value of a live key or null (no hit/miss accounting).</summary>
    public object? Get(ReadOnlySpan<byte> key)
    {
        int slot = FindSlot(key);
        return slot < 0 ? null : Table.At(slot).Value;
    }

    /// <summary>The value for a read command: counts keyspace_hits / keyspace_misses as Redis does.</summary>
    public object? GetForRead(ReadOnlySpan<byte> key)
    {
        int slot = FindSlot(key);
        if (slot < 0)
        {
            _host.CountKeyspaceMiss();
            return null;
        }
        _host.CountKeyspaceHit();
        return Table.At(slot).Value;
    }

    public bool Exists(ReadOnlySpan<byte> key) => FindSlot(key, touch: false) >= 0;

    /// <summary>Sets a key to a value as SET does: the time to live is removed unless <paramref name="keepTtl"/>.</summary>
    public int Set(ReadOnlySpan<byte> key, object value, bool keepTtl = false)
    {
        int slot = FindSlot(key, touch: false);
        if (slot >= 0)
        {
            ref var e = ref Table.At(slot);
            e.Value = value;
            e.Access = _host.LruClock;
            if (!keepTtl && e.ExpirePos != 0) Table.ClearExpire(slot);
            return slot;
        }
        return Add(key, value);
    }

    /// <summary>Adds a key known to be absent (the caller checked with FindSlot in the same command).</summary>
    public int Add(ReadOnlySpan<byte> key, object value)
    {
        int slot = Table.Insert(key.ToArray(), value, _host.LruClock);
        _host.OnKeyAdded(this, key);
        return slot;
    }

    /// <summary>Replaces the value of an existing slot, keeping its time to live.</summary>
    public void Replace(int slot, object value) => Table.At(slot).Value = value;

    public bool Delete(ReadOnlySpan<byte> key)
    {
        int slot = FindSlot(key, touch: false);
        if (slot < 0) return false;
        Table.RemoveSlot(slot);
        return true;
    }

    public void DeleteSlot(int slot) => Table.RemoveSlot(slot);

    /// <summary>Unix time in ms when the key expires, or -1 when it has no time to live.</summary>
    public long GetExpire(int slot) => Table.GetExpire(slot);

    public void SetExpire(int slot, long unixMs) => Table.SetExpire(slot, unixMs);

    public bool Persist(int slot) => Table.ClearExpire(slot);

    /// <summary>Deletes an expired key and reports it (stats, notifications, propagation).</summary>
    public void ExpireSlot(int slot)
    {
        var key = Table.At(slot).Key!;
        Table.RemoveSlot(slot);
        _host.OnKeyExpired(this, key);
    }

    /// <summary>Removes every key; returns how many there were.</summary>
    public int Flush()
    {
        int n = Table.Count;
        _host.OnDatabaseFlushing(this);
        Table = new KeyTable();
        AverageTtl = 0;
        return n;
    }

    /// <summary>Exchanges the contents of two databases (SWAPDB).</summary>
    public void SwapWith(Database other)
    {
        _host.OnDatabasesSwapping(this, other);
        (Table, other.Table) = (other.Table, Table);
        (AverageTtl, other.AverageTtl) = (other.AverageTtl, AverageTtl);
    }
}

/// <summary>What a database needs from the server around it: the clock and the places expiry is reported.</summary>
public interface IKeyspaceHost
{
    /// <summary>The command's notion of now (Unix ms), fixed for the duration of one command.</summary>
    long NowMs { get; }
    /// <summary>The LRU clock in seconds, stored in each key's access field.</summary>
    uint LruClock { get; }
    /// <summary>True while a command from a CLIENT NO-TOUCH client runs.</summary>
    bool SuppressTouch { get; }
    void OnKeyExpired(Database db, byte[] key);
    void CountKeyspaceHit();
    void OnDatabaseFlushing(Database db);
    /// <summary>A key was created (the "new" keyspace event).</summary>
    void OnKeyAdded(Database db, ReadOnlySpan<byte> key);
    void OnDatabasesSwapping(Database a, Database b);
    void CountKeyspaceMiss();
}
