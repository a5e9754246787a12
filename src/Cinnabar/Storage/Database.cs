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
        Table = NewTable();
    }

    /// <summary>An empty key table whose loans go back at the end of each command (the server's ledger).</summary>
    private KeyTable NewTable() => new() { Ledger = _host.Sizes };

    public int Index { get; }
    public KeyTable Table { get; private set; }
    public int Count => Table.Count;
    public int VolatileCount => Table.VolatileCount;

    /// <summary>Average TTL estimate (ms) kept by the active expiry cycle, as Redis's avg_ttl.</summary>
    public long AverageTtl { get; set; }

    /// <summary>Where the active expiry cycle resumes its walk over the keys with a time to live.</summary>
    public int ExpireCursor { get; set; }

    private long Now => _host.NowMs;

    /// <summary>Finds a live key: expires it first when its time has passed. Returns the slot or -1.</summary>
    private int FindLive(ReadOnlySpan<byte> key, bool touch)
    {
        int slot = Table.Find(key);
        if (slot < 0) return -1;
        ref var e = ref Table.At(slot);
        if (e.ExpirePos != 0 && Table.GetExpire(slot) < Now && !_host.Loading)
        {
            ExpireSlot(slot);
            return -1;
        }
        if (touch && !_host.SuppressTouch) e.Access = TouchedAccess(e.Access);
        return slot;
    }

    private readonly Random _lfuRandom = new();

    /// <summary>The access field after an access: the LRU clock, or the LFU counter under an LFU policy.</summary>
    private uint TouchedAccess(uint access) => _host.UsesLfu ? LfuCounter.Touch(access, Now, _lfuRandom, _host.LfuLogFactor, _host.LfuDecayTime) : _host.LruClock;

    /// <summary>The access field of a new key.</summary>
    private uint NewAccess() => _host.UsesLfu ? LfuCounter.New(Now) : _host.LruClock;

    // ---- the two lookups (Redis's lookupKeyRead / lookupKeyWrite) ------------------------------------
    // Every handler finds keys through these. The read lookup counts keyspace hits and misses; the write
    // lookup is the one door to a value about to change: it tells the write observer first (where a
    // fork-less snapshot serializes the old value) and bumps the database's write version.

    /// <summary>Redis's lookupKeyRead: a live key's slot or -1; counts keyspace_hits / keyspace_misses.</summary>
    public int LookupReadSlot(ReadOnlySpan<byte> key, bool touch = true)
    {
        int slot = FindLive(key, touch);
        if (slot < 0) _host.CountKeyspaceMiss();
        else _host.CountKeyspaceHit();
        return slot;
    }

    /// <summary>
    /// Redis's lookupKeyRead for a reader of strings: 1 with the string's bytes (valid until the table changes; no
    /// copy, however long the string), 0 when the key is missing, -1 when it holds another type.
    /// </summary>
    public int LookupReadString(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> bytes)
    {
        int slot = LookupReadSlot(key);
        if (slot >= 0) return Table.TryGetString(slot, out bytes) ? 1 : -1;
        bytes = default;
        return 0;
    }

    /// <summary>Redis's lookupKeyRead: a live key's value or null; counts keyspace_hits / keyspace_misses.</summary>
    public object? LookupRead(ReadOnlySpan<byte> key)
    {
        int slot = LookupReadSlot(key);
        return slot < 0 ? null : Table.ValueAt(slot);
    }

    /// <summary>
    /// Redis's lookupKeyWrite: a live key's slot or -1, for a command that may change or delete it. No hit/miss
    /// accounting. The write observer hears of the key before the caller touches it.
    /// </summary>
    public int LookupWriteSlot(ReadOnlySpan<byte> key, bool touch = true)
    {
        int slot = FindLive(key, touch);
        if (slot >= 0) BeforeWrite(slot);
        return slot;
    }

    /// <summary>Redis's lookupKeyWrite: a live key's value (which the caller may change in place) or null.</summary>
    /// <remarks>A value packed in its key's record comes as an object lent until the command ends (<see cref="LentValueAt"/>).</remarks>
    public object? LookupWrite(ReadOnlySpan<byte> key)
    {
        int slot = LookupWriteSlot(key);
        return slot < 0 ? null : LentValueAt(slot);
    }

    /// <summary>
    /// The value of a slot a write lookup found, as an object the command may change: a packed collection comes as a
    /// copy lent to the command and stored back when it ends (<see cref="KeyTable.Lend"/>), so changes to it count.
    /// </summary>
    public object LentValueAt(int slot)
    {
        if (KeyTable.PackedType(Table.BoxedAt(slot)) == null) return Table.ValueAt(slot);
        if (Table.LoanOf(slot) is { } lent) return lent;
        var copy = (IRedisValue)Table.ValueAt(slot);
        Table.Lend(slot, copy);
        return copy;
    }

    /// <summary>A value a command just stored and may go on changing: lent back to it when the table packed it.</summary>
    private void LendIfPacked(int slot, object value)
    {
        if (value is not IRedisValue stored || KeyTable.PackedType(Table.BoxedAt(slot)) == null) return;
        Table.Lend(slot, stored);
    }

    /// <summary>
    /// Whether a live key exists, without touching it or counting a hit (EXISTS-style checks inside a write,
    /// WATCH bookkeeping). Not a door to the value: use a lookup to read or change it.
    /// </summary>
    public bool Exists(ReadOnlySpan<byte> key) => FindLive(key, touch: false) >= 0;

    /// <summary>
    /// A live key's slot for inspection (DEBUG OBJECT, SCAN's TYPE filter, blocking readiness, tests): no
    /// touch, no hit/miss, and never a door to a change.
    /// </summary>
    public int PeekSlot(ReadOnlySpan<byte> key) => FindLive(key, touch: false);

    /// <summary>A live key's value for inspection, as <see cref="PeekSlot"/>; null when absent.</summary>
    public object? Peek(ReadOnlySpan<byte> key)
    {
        int slot = FindLive(key, touch: false);
        return slot < 0 ? null : Table.ValueAt(slot);
    }

    /// <summary>
    /// Told before any value of this database changes (a write lookup that found it, an overwrite, a delete,
    /// expiry) and before the whole database is emptied. Null when nobody needs to know: the fork-less
    /// snapshot (BGSAVE) sets it while it walks the keyspace, to serialize a key it has not reached yet.
    /// </summary>
    public IWriteObserver? WriteObserver { get; set; }

    /// <summary>Bumped at every change announced to the write observer (the database's modification version).</summary>
    public long WriteVersion { get; private set; }

    private void BeforeWrite(int slot)
    {
        WriteVersion++;
        WriteObserver?.BeforeWrite(this, slot);
        if (Table.BoxedAt(slot) is IRedisValue value) _host.Sizes.Note(Table, value);
    }

    /// <summary>
    /// A read changed how a value is stored, not what it holds (SORT turns a small sorted set into a skiplist,
    /// as Redis does): its size is settled again at the end of the call, with no write announced.
    /// </summary>
    public void NoteEncodingChange(IRedisValue value) => _host.Sizes.Note(Table, value);

    /// <summary>True when the key in <paramref name="slot"/> has a time to live that has passed (not yet deleted).</summary>
    public bool IsExpired(int slot) => Table.At(slot).ExpirePos != 0 && Table.GetExpire(slot) < Now && !_host.Loading;

    /// <summary>A random live key (expired keys met on the way are deleted), or null when the database is empty.</summary>
    public byte[]? RandomKey(Random random)
    {
        while (Table.Count > 0)
        {
            int slot = Table.RandomSlot(random);
            if (!IsExpired(slot)) return Table.KeyArray(slot);
            ExpireSlot(slot);
        }
        return null;
    }

    /// <summary>Sets a key to a value as SET does: the time to live is removed unless <paramref name="keepTtl"/>.</summary>
    public int Set(ReadOnlySpan<byte> key, object value, bool keepTtl = false)
    {
        if (value is byte[] bytes) return SetString(key, bytes, keepTtl);
        int slot = LookupWriteSlot(key, touch: false);
        if (slot >= 0)
        {
            Table.SetValue(slot, value);
            if (value is IRedisValue changing) _host.Sizes.Note(Table, changing);
            LendIfPacked(slot, value);
            Overwritten(slot, keepTtl);
            return slot;
        }
        return Add(key, value);
    }

    /// <summary>SET of a plain string: stored in the key's record, with no array allocated for it.</summary>
    public int SetString(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool keepTtl = false)
    {
        int slot = LookupWriteSlot(key, touch: false);
        if (slot >= 0)
        {
            Table.SetString(slot, value);
            Overwritten(slot, keepTtl);
            return slot;
        }
        return AddString(key, value);
    }

    /// <summary>Adds a key known to be absent with a plain string value.</summary>
    public int AddString(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        int slot = Table.InsertString(key, value, NewAccess());
        _host.OnKeyAdded(this, key, null);
        return slot;
    }

    /// <summary>Replaces the value of a slot found by a write lookup with a plain string, keeping its time to live.</summary>
    public void ReplaceString(int slot, ReadOnlySpan<byte> value) => Table.SetString(slot, value);

    private void Overwritten(int slot, bool keepTtl)
    {
        ref var e = ref Table.At(slot);
        // An overwrite keeps the LFU counter, as Redis's dbOverwrite does.
        e.Access = TouchedAccess(e.Access);
        if (!keepTtl && e.ExpirePos != 0) Table.ClearExpire(slot);
    }

    /// <summary>Adds a key known to be absent (the caller looked it up in the same command).</summary>
    public int Add(ReadOnlySpan<byte> key, object value) => Add(key, value, NewAccess());

    /// <summary>
    /// Adds a key known to be absent holding an empty packed hash (<see cref="KeyTable.PackedHash"/>), for a command
    /// that fills it in place next (HSET of a new key): no object is made for it.
    /// </summary>
    public int AddEmptyHash(ReadOnlySpan<byte> key) => AddPacked(key, KeyTable.PackedHash, ReadOnlySpan<byte>.Empty);

    /// <summary>
    /// Adds a key known to be absent holding an empty list packed in its record (<see cref="KeyTable.PackedList"/>,
    /// keeping <paramref name="fill"/>, list-max-listpack-size now), for a push that fills it in place next: no object
    /// is made for it. The push signals the key ready for blocked clients.
    /// </summary>
    public int AddEmptyList(ReadOnlySpan<byte> key, int fill) => AddPacked(key, KeyTable.PackedList(fill), EmptyPackedList);

    /// <summary>Adds a key known to be absent whose value is packed in its record under <paramref name="marker"/>.</summary>
    private int AddPacked(ReadOnlySpan<byte> key, object marker, ReadOnlySpan<byte> bytes)
    {
        int slot = Table.InsertPacked(key, marker, bytes, NewAccess());
        _host.OnKeyAdded(this, key, null);
        return slot;
    }

    /// <summary>A packed list of no elements: its count, 0.</summary>
    private static readonly byte[] EmptyPackedList = new byte[KeyTable.PackedListCountSize];

    /// <summary>Adds a key known to be absent with a given access field (RENAME and MOVE keep the object's).</summary>
    public int Add(ReadOnlySpan<byte> key, object value, uint access)
    {
        int slot = Table.Insert(key, value, access);
        // A new value is often filled after it is added (a list created, then pushed to).
        if (value is IRedisValue changing) _host.Sizes.Note(Table, changing);
        LendIfPacked(slot, value);
        _host.OnKeyAdded(this, key, value is byte[] ? null : value);
        return slot;
    }

    /// <summary>Replaces the value of a slot found by a write lookup, keeping its time to live.</summary>
    public void Replace(int slot, object value)
    {
        Table.SetValue(slot, value);
        if (value is IRedisValue changing) _host.Sizes.Note(Table, changing);
        LendIfPacked(slot, value);
    }

    public bool Delete(ReadOnlySpan<byte> key)
    {
        int slot = LookupWriteSlot(key, touch: false);
        if (slot < 0) return false;
        Table.RemoveSlot(slot);
        return true;
    }

    /// <summary>Deletes the key of a slot found by a write lookup.</summary>
    public void DeleteSlot(int slot) => Table.RemoveSlot(slot);

    /// <summary>
    /// Redis's dbDelete with no lookup before it (RESTORE ... REPLACE): removes the key as stored, even one whose
    /// time to live has passed, with no expiry event; the write observer hears of it first. True when there was one.
    /// </summary>
    public bool DeleteStored(ReadOnlySpan<byte> key)
    {
        int slot = Table.Find(key);
        if (slot < 0) return false;
        BeforeWrite(slot);
        Table.RemoveSlot(slot);
        return true;
    }

    /// <summary>Unix time in ms when the key expires, or -1 when it has no time to live.</summary>
    public long GetExpire(int slot) => Table.GetExpire(slot);

    public void SetExpire(int slot, long unixMs) => Table.SetExpire(slot, unixMs);

    public bool Persist(int slot) => Table.ClearExpire(slot);

    /// <summary>Deletes an expired key and reports it (stats, notifications, propagation).</summary>
    public void ExpireSlot(int slot)
    {
        BeforeWrite(slot);
        var key = Table.KeyArray(slot);
        Table.RemoveSlot(slot);
        _host.OnKeyExpired(this, key);
    }

    /// <summary>Deletes a key chosen by eviction (the write observer hears of it first); returns the key.</summary>
    public byte[] EvictSlot(int slot)
    {
        BeforeWrite(slot);
        var key = Table.KeyArray(slot);
        Table.RemoveSlot(slot);
        return key;
    }

    /// <summary>Removes every key; returns how many there were.</summary>
    public int Flush()
    {
        WriteVersion++;
        WriteObserver?.BeforeFlush(this);
        int n = Table.Count;
        Table = NewTable();
        AverageTtl = 0;
        ExpireCursor = 0;
        return n;
    }

    /// <summary>Exchanges the contents of two databases (SWAPDB).</summary>
    public void SwapWith(Database other)
    {
        WriteVersion++;
        other.WriteVersion++;
        WriteObserver?.BeforeFlush(this);
        other.WriteObserver?.BeforeFlush(other);
        (Table, other.Table) = (other.Table, Table);
        (AverageTtl, other.AverageTtl) = (other.AverageTtl, AverageTtl);
        (ExpireCursor, other.ExpireCursor) = (other.ExpireCursor, ExpireCursor);
    }
}

/// <summary>
/// Hears of every change to a database's values before it happens. The fork-less snapshot implements it:
/// a key it has not serialized yet is written out (or its old value kept) before the change.
/// </summary>
public interface IWriteObserver
{
    /// <summary>The value in <paramref name="slot"/> is about to change, be replaced or be deleted.</summary>
    void BeforeWrite(Database db, int slot);
    /// <summary>Every key of <paramref name="db"/> is about to go (FLUSHDB, FLUSHALL, SWAPDB).</summary>
    void BeforeFlush(Database db);
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
    /// <summary>True while an effects stream is replayed: keys do not expire on their own (the stream has their DELs).</summary>
    bool Loading => false;
    /// <summary>lfu-log-factor: how slowly LFU counters grow.</summary>
    int LfuLogFactor => LfuCounter.DefaultLogFactor;
    /// <summary>lfu-decay-time: minutes per step of LFU counter decay (0: none).</summary>
    int LfuDecayTime => LfuCounter.DefaultDecayMinutes;
    /// <summary>Remembers values that may change size during the command, to count them when it ends.</summary>
    SizeLedger Sizes { get; }
    /// <summary>True under an LFU maxmemory-policy: access fields hold LFU counters instead of LRU times.</summary>
    bool UsesLfu => false;
    void OnKeyExpired(Database db, byte[] key);
    void CountKeyspaceHit();
    /// <summary>A key was created (the "new" keyspace event); <paramref name="value"/> is null for a plain string.</summary>
    void OnKeyAdded(Database db, ReadOnlySpan<byte> key, object? value);
    void CountKeyspaceMiss();
}
