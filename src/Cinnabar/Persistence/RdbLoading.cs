using Cinnabar.Storage;

namespace Cinnabar.Persistence;

/// <summary>
/// Loads an RDB file into a server's databases and function libraries (start-up, DEBUG RELOAD, the AOF's RDB
/// preamble). Keys go straight into the key tables, without notifications, as Redis's loader adds them; a
/// key twice in one database is damage. The caller holds the store lock and has emptied what it replaces.
/// </summary>
public sealed class RdbLoading(CinnabarServer server) : IRdbLoadTarget
{
    private readonly List<byte[]> _functions = [];
    private readonly uint _lruClock = server.LruClock;
    private readonly long _nowMs = server.NowMs;

    /// <summary>Called with the input's position now and then (LOADING progress).</summary>
    public Action<long>? OnProgress { get; init; }

    /// <summary>A key already present is replaced by the file's (DEBUG RELOAD MERGE) instead of being damage.</summary>
    public bool Merge { get; init; }

    /// <summary>The aux fields read (redis-ver, ctime, …), for the log.</summary>
    public Dictionary<string, byte[]> AuxFields { get; } = new(StringComparer.Ordinal);

    public void AddKey(int db, byte[] key, object value, long expireMs, long idleSeconds, int lfuCounter)
    {
        var databases = server.Databases;
        if (db >= databases.Length) throw new RdbFormatException($"key in database {db}, but only {databases.Length} databases are configured", -1);
        var table = databases[db].Table;
        int existing = table.Find(key);
        if (existing >= 0 && Merge) table.RemoveSlot(existing);
        else if (existing >= 0) throw new RdbFormatException($"RDB has duplicated key '{System.Text.Encoding.UTF8.GetString(key)}' in DB {db}", -1);
        uint access;
        if (server.UsesLfu) access = lfuCounter >= 0 ? (LfuCounter.New(_nowMs) & ~0xFFu) | (uint)lfuCounter : LfuCounter.New(_nowMs);
        else access = idleSeconds >= 0 && idleSeconds < _lruClock ? _lruClock - (uint)idleSeconds : _lruClock;
        int slot = table.Insert(key, value, access);
        if (expireMs != -1) table.SetExpire(slot, expireMs);
    }

    public void AddFunction(byte[] code) => _functions.Add(code);

    public void Aux(string key, byte[] value)
    {
        AuxFields[key] = value;
        if (key == "used-mem" && long.TryParse(value, out long used)) server.LoadingState.RdbUsedMem = used;
    }

    public void Progress(long position) => OnProgress?.Invoke(position);

    /// <summary>Reads <paramref name="stream"/> into the server; the function libraries are created at the end, all or nothing.</summary>
    public RdbLoadResult Load(Stream stream, bool skipExpired)
    {
        var reader = new RdbReader(stream, RdbValueLimits.From(server.Config));
        var result = reader.Load(this, server.Config.RdbChecksum, skipExpired ? _nowMs : long.MinValue);
        if (_functions.Count > 0)
        {
            var error = server.Scripting.Functions.Restore(_functions, Scripting.FunctionEngine.RestorePolicy.Replace);
            if (error != null) throw new RdbFormatException("failed loading a function library: " + error, -1);
        }
        return result;
    }
}
