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

    /// <summary>Where the active expiry cycle resumes its walk over the keys with a time to live.</summary>
    public int ExpireCursor { get; set; }

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
        if (touch && !_host.SuppressTouch) e.Access = TouchedAccess(e.Access);
        return slot;
    }

    private readonly Random _lfuRandom = new();

    /// <summary>The access field after an access: the LRU clock, or the LFU counter under an LFU policy.</summary>
    private uint TouchedAccess(uint access) => _host.UsesLfu ? LfuCounter.Touch(access, Now, _lfuRandom) : _host.LruClock;

    /// <summary>The access field of a new key.</summary>
    private uint NewAccess() => _host.UsesLfu ? LfuCounter.New(Now) : _host.LruClock;

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

    /// <summary>Finds a live key for a read-only command, counting keyspace_hits / keyspace_misses.</summary>
    public int FindSlotForRead(ReadOnlySpan<byte> key, bool touch = true)
    {
        int slot = FindSlot(key, touch);
        if (slot < 0) _host.CountKeyspaceMiss();
        else _host.CountKeyspaceHit();
        return slot;
    }

    /// <summary>True when the key in <paramref name="slot"/> has a time to live that has passed (not yet deleted).</summary>
    public bool IsExpired(int slot) => Table.At(slot).ExpirePos != 0 && Table.GetExpire(slot) < Now;

    /// <summary>A random live key (expired keys met on the way are deleted), or null when the database is empty.</summary>
    public byte[]? RandomKey(Random random)
    {
        while (Table.Count > 0)
        {
            int slot = Table.RandomSlot(random);
            if (!IsExpired(slot)) return Table.At(slot).Key;
            ExpireSlot(slot);
        }
        return null;
    }

    /// <summary>Sets a key to a value as SET does: the time to live is removed unless <paramref name="keepTtl"/>.</summary>
    public int Set(ReadOnlySpan<byte> key, object value, bool keepTtl = false)
    {
        int slot = FindSlot(key, touch: false);
        if (slot >= 0)
        {
            ref var e = ref Table.At(slot);
            e.Value = value;
            // An overwrite keeps the LFU counter, as Redis's dbOverwrite does.
            e.Access = TouchedAccess(e.Access);
            if (!keepTtl && e.ExpirePos != 0) Table.ClearExpire(slot);
            return slot;
        }
        return Add(key, value);
    }

    /// <summary>Adds a key known to be absent (the caller checked with FindSlot in the same command).</summary>
    public int Add(ReadOnlySpan<byte> key, object value) => Add(key, value, NewAccess());

    /// <summary>Adds a key known to be absent with a given access field (RENAME and MOVE keep the object's).</summary>
    public int Add(ReadOnlySpan<byte> key, object value, uint access)
    {
        int slot = Table.Insert(key.ToArray(), value, access);
        _host.OnKeyAdded(this, key, value);
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
        Table = new KeyTable();
        AverageTtl = 0;
        ExpireCursor = 0;
        return n;
    }

    /// <summary>Exchanges the contents of two databases (SWAPDB).</summary>
    public void SwapWith(Database other)
    {
        (Table, other.Table) = (other.Table, Table);
        (AverageTtl, other.AverageTtl) = (other.AverageTtl, AverageTtl);
        (ExpireCursor, other.ExpireCursor) = (other.ExpireCursor, ExpireCursor);
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
    /// <summary>True under an LFU maxmemory-policy: access fields hold LFU counters instead of LRU times.</summary>
    bool UsesLfu => false;
    void OnKeyExpired(Database db, byte[] key);
    void CountKeyspaceHit();
    /// <summary>A key was created (the "new" keyspace event).</summary>
    void OnKeyAdded(Database db, ReadOnlySpan<byte> key, object value);
    void CountKeyspaceMiss();
}
