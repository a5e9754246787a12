using Cinnabar.Storage;

namespace Cinnabar.Persistence;

/// <summary>
/// An AOF-format base (aof-use-rdb-preamble no): the data set as the commands that rebuild it
/// (<see cref="AofCommandWriter"/>), walked as <see cref="SnapshotWalk{TWriter}"/> walks it for the RDB. With
/// <see cref="SnapshotWalk{TWriter}.Attach"/> it is point-in-time, as BGSAVE: a key the walk has not reached is
/// written before a write changes it, so a rewrite's base is the data set at the cut to the new incremental
/// file, which holds every write after it.
/// </summary>
public sealed class AofCommandSnapshot : SnapshotWalk<AofCommandWriter>
{
    private readonly AofCommandWriter _writer;

    /// <summary>Starts a snapshot: the timestamp annotation (aof-timestamp-enabled) and the function libraries.</summary>
    public AofCommandSnapshot(CinnabarServer server, Stream stream) : base(server)
    {
        _writer = new AofCommandWriter(stream);
        if (server.Config.AofTimestampEnabled) _writer.WriteTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        foreach (var library in server.Scripting.Functions.Libraries.Values) _writer.WriteFunctionLoad(library.Code);
        _writer.Drain();
    }

    protected override AofCommandWriter Output => _writer;

    protected override AofCommandWriter PendingWriter(MemoryStream buffer) => new(buffer);

    protected override long Written(AofCommandWriter writer) => writer.Written;

    protected override void Flush(AofCommandWriter writer) => writer.Drain();

    protected override void BeginDatabase(int db, KeyTable table) => _writer.WriteSelect(db);

    protected override void WriteRaw(ReadOnlySpan<byte> bytes) => _writer.WriteRaw(bytes);

    protected override void WriteEntry(AofCommandWriter writer, ReadOnlySpan<byte> key, object value, long expireMs, uint access) =>
        writer.WriteKey(key, value, expireMs);

    protected override bool TryWritePackedEntry(AofCommandWriter writer, KeyTable table, int slot, long expireMs, uint access) =>
        writer.TryWritePackedKey(table, slot, expireMs);

    protected override void WriteStringEntry(AofCommandWriter writer, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expireMs, uint access) =>
        writer.WriteStringKey(key, value, expireMs);

    protected override void WriteEnd() => _writer.Drain();

    protected override void EndSlice() => _writer.Drain();
}
