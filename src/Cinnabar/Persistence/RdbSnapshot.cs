using Cinnabar.Storage;

namespace Cinnabar.Persistence;

/// <summary>
/// The dataset as an RDB file (SAVE, BGSAVE, DEBUG RELOAD, the AOF's RDB preamble): header and aux fields,
/// function libraries, then each non-empty database's keys as <see cref="SnapshotWalk{TWriter}"/> walks them,
/// with their LRU idle time or LFU counter under such a maxmemory-policy. <see cref="SnapshotWalk{TWriter}.Attach"/>
/// makes it the fork-less BGSAVE's point-in-time view.
/// </summary>
public sealed class RdbSnapshot : SnapshotWalk<RdbWriter>
{
    private readonly RdbWriter _writer;
    private readonly long _nowMs;
    private readonly bool _lru, _lfu;

    /// <summary>Starts a snapshot: writes the header and the function libraries.</summary>
    public RdbSnapshot(CinnabarServer server, Stream stream, bool aofPreamble = false) : base(server)
    {
        var config = server.Config;
        _writer = new RdbWriter(stream, config.RdbCompression, config.RdbChecksum);
        _nowMs = server.NowMs;
        _lru = config.MaxMemoryPolicy.EndsWith("-lru", StringComparison.Ordinal);
        _lfu = config.MaxMemoryPolicy.EndsWith("-lfu", StringComparison.Ordinal);
        _writer.WriteHeader(server.MemoryUsage.UsedBytes, aofPreamble, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        foreach (var library in server.Scripting.Functions.Libraries.Values) _writer.WriteFunction(library.Code);
    }

    protected override RdbWriter Output => _writer;

    protected override RdbWriter PendingWriter(MemoryStream buffer) => new(buffer, Server.Config.RdbCompression, checksum: false);

    protected override long Written(RdbWriter writer) => writer.Position;

    protected override void Flush(RdbWriter writer) => writer.Flush();

    protected override void BeginDatabase(int db, KeyTable table) => _writer.WriteDatabase(db, table.Count, table.VolatileCount);

    protected override void WriteRaw(ReadOnlySpan<byte> bytes) => _writer.WriteRaw(bytes);

    protected override void WriteEnd() => _writer.WriteEnd();

    protected override void WriteEntry(RdbWriter writer, ReadOnlySpan<byte> key, object value, long expireMs, uint access)
    {
        var (idle, lfu) = AccessFields(access);
        writer.WriteKey(key, value, expireMs, idle, lfu);
    }

    protected override bool TryWritePackedEntry(RdbWriter writer, KeyTable table, int slot, long expireMs, uint access)
    {
        var (idle, lfu) = AccessFields(access);
        return writer.TryWritePackedKey(table, slot, expireMs, idle, lfu);
    }

    protected override void WriteStringEntry(RdbWriter writer, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expireMs, uint access)
    {
        var (idle, lfu) = AccessFields(access);
        writer.WriteStringKey(key, value, expireMs, idle, lfu);
    }

    /// <summary>The idle seconds under an LRU policy or the LFU counter under an LFU policy (-1 when not written).</summary>
    private (long Idle, int Lfu) AccessFields(uint access)
    {
        if (_lru) return (Server.LruClock >= access ? Server.LruClock - access : 0, -1);
        if (_lfu) return (-1, (int)LfuCounter.Decayed(access, _nowMs, Server.LfuDecayTime));
        return (-1, -1);
    }
}
