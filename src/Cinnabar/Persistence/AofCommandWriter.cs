using System.Globalization;
using Cinnabar.Protocol;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Persistence;

/// <summary>
/// The commands that rebuild a data set, as Redis's rewriteAppendOnlyFileRio writes them (aof.c): a
/// <c>#TS:</c> annotation with aof-timestamp-enabled, FUNCTION LOAD of each library, SELECT before each
/// database's keys, and for each key SET, RPUSH, SADD, ZADD or HMSET (at most 64 elements per command, Redis's
/// AOF_REWRITE_ITEMS_PER_CMD), a stream as XADD per entry (XADD MAXLEN 0 for an empty one), XSETID, XGROUP
/// CREATE with ENTRIESREAD, XCLAIM ... JUSTID FORCE per pending entry and XGROUP CREATECONSUMER for consumers
/// without any, and PEXPIREAT for a key with a time to live. Commands are gathered in memory and handed to the
/// stream by <see cref="Drain"/> (and whenever a megabyte is gathered).
/// </summary>
public sealed class AofCommandWriter(Stream stream)
{
    /// <summary>Redis's AOF_REWRITE_ITEMS_PER_CMD.</summary>
    private const int ItemsPerCommand = 64;

    private readonly Stream _stream = stream;
    private readonly RespWriter _out = new(64 * 1024);
    private readonly RespWriter _args = new(4096);
    private int _argCount;
    private long _drained;
    private readonly byte[] _scratch = new byte[Math.Max(Listpack.ScratchSize, 64)];
    private readonly byte[] _scratch2 = new byte[Math.Max(Listpack.ScratchSize, 64)];

    /// <summary>Bytes written, handed to the stream or not.</summary>
    public long Written => _drained + _out.Length;

    /// <summary>The #TS annotation of aof-timestamp-enabled.</summary>
    public void WriteTimestamp(long unixSeconds) =>
        _out.WriteRaw(System.Text.Encoding.ASCII.GetBytes("#TS:" + unixSeconds.ToString(CultureInfo.InvariantCulture) + "\r\n"));

    public void WriteFunctionLoad(byte[] code)
    {
        Arg("FUNCTION"u8);
        Arg("LOAD"u8);
        Arg(code);
        End();
    }

    public void WriteSelect(int db)
    {
        Arg("SELECT"u8);
        Arg(db);
        End();
    }

    /// <summary>The commands that rebuild <paramref name="key"/> holding <paramref name="value"/>, then PEXPIREAT when it has a time to live.</summary>
    public void WriteKey(ReadOnlySpan<byte> key, object value, long expireMs)
    {
        switch (value)
        {
            case RedisList list:
                int n = 0;
                for (var c = list.Iterate(0); c.Valid; c.MoveNext())
                {
                    if (n++ % ItemsPerCommand == 0) Start("RPUSH"u8, key, n == 1 ? 0 : 1);
                    Arg(c.Read(_scratch));
                }
                End();
                break;
            case RedisSet set:
                WriteSet(key, set);
                break;
            case ZSet zset:
                n = 0;
                for (var c = zset.Iterate(0); c.MoveNext();)
                {
                    if (n++ % ItemsPerCommand == 0) Start("ZADD"u8, key, n == 1 ? 0 : 1);
                    int len = RespWriter.FormatDouble(c.Score, _scratch);
                    Arg(_scratch.AsSpan(0, len));
                    Arg(c.Member);
                }
                End();
                break;
            case RedisHash hash:
                WriteHash(key, hash);
                break;
            case RedisStream stream:
                WriteStream(key, stream);
                break;
            default:
                if (!StringValue.TryGetBytes(value, out var bytes)) throw new InvalidOperationException("no AOF form for " + ValueKind.TypeName(value));
                WriteStringKey(key, bytes, -1);
                break;
        }
        WriteExpire(key, expireMs);
    }

    /// <summary>
    /// <see cref="WriteKey"/> of a hash, set or sorted set packed in <paramref name="slot"/>'s record, read where it is (no copy
    /// made for it); false, with nothing written, when the slot holds no packed value.
    /// </summary>
    public bool TryWritePackedKey(KeyTable table, int slot, long expireMs)
    {
        if (KeyTable.PackedType(table.BoxedAt(slot)) == null) return false;
        var key = table.KeyAt(slot);
        if (StoredHash.TryOpen(table, slot, out var hash)) WriteHash(key, hash);
        else if (StoredSet.TryOpen(table, slot, out var set)) WriteSet(key, set);
        else if (StoredList.TryOpen(table, slot, out var list)) WriteList(key, list);
        else WriteKey(key, table.ZSetViewAt(slot)!, -1);
        WriteExpire(key, expireMs);
        return true;
    }

    private void WriteList(ReadOnlySpan<byte> key, in StoredList list)
    {
        int n = 0;
        for (var c = list.Iterate(0); c.Valid; c.MoveNext())
        {
            if (n++ % ItemsPerCommand == 0) Start("RPUSH"u8, key, n == 1 ? 0 : 1);
            Arg(c.Read(_scratch));
        }
        End();
    }

    private void WriteSet<T>(ReadOnlySpan<byte> key, in T set) where T : ISetMembers
    {
        int n = 0;
        for (int pos = set.First(); pos >= 0; pos = set.Next(pos))
        {
            if (n++ % ItemsPerCommand == 0) Start("SADD"u8, key, n == 1 ? 0 : 1);
            Arg(set.MemberAt(pos, _scratch));
        }
        End();
    }

    private void WriteHash<T>(ReadOnlySpan<byte> key, in T hash) where T : IHashFields
    {
        int n = 0;
        for (int pos = hash.First(); pos >= 0; pos = hash.Next(pos))
        {
            if (n++ % ItemsPerCommand == 0) Start("HMSET"u8, key, n == 1 ? 0 : 1);
            Arg(hash.FieldAt(pos, _scratch));
            Arg(hash.ValueAt(pos, _scratch2));
        }
        End();
    }

    /// <summary>A plain string key given as bytes (a key table's record): SET, and PEXPIREAT when it has a time to live.</summary>
    public void WriteStringKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expireMs)
    {
        Arg("SET"u8);
        Arg(key);
        Arg(value);
        End();
        WriteExpire(key, expireMs);
    }

    private void WriteExpire(ReadOnlySpan<byte> key, long expireMs)
    {
        if (expireMs == -1) return;
        Arg("PEXPIREAT"u8);
        Arg(key);
        Arg(expireMs);
        End();
    }

    private void WriteStream(ReadOnlySpan<byte> key, RedisStream stream)
    {
        Span<byte> id = stackalloc byte[StreamId.MaxTextLength];
        if (stream.Length > 0)
        {
            for (var it = stream.Range(StreamId.Zero, StreamId.Max); it.MoveNext();)
            {
                Arg("XADD"u8);
                Arg(key);
                Arg(id[..it.Id.Format(id)]);
                var fields = it.Fields();
                while (fields.MoveNext())
                {
                    Arg(fields.Field(_scratch));
                    Arg(fields.Value(_scratch2));
                }
                End();
            }
        }
        else
        {
            // An empty stream is made by adding an entry trimmed away at once.
            Arg("XADD"u8);
            Arg(key);
            Arg("MAXLEN"u8);
            Arg("0"u8);
            Arg(id[..stream.LastId.Format(id)]);
            Arg("x"u8);
            Arg("y"u8);
            End();
        }
        Arg("XSETID"u8);
        Arg(key);
        Arg(id[..stream.LastId.Format(id)]);
        Arg("ENTRIESADDED"u8);
        Arg(stream.EntriesAdded);
        Arg("MAXDELETEDID"u8);
        Arg(id[..stream.MaxDeletedId.Format(id)]);
        End();
        if (stream.Groups == null) return;
        foreach (var group in stream.Groups.Values)
        {
            Arg("XGROUP"u8);
            Arg("CREATE"u8);
            Arg(key);
            Arg(group.Name);
            Arg(id[..group.LastId.Format(id)]);
            Arg("ENTRIESREAD"u8);
            Arg(group.EntriesRead);
            End();
            foreach (var consumer in group.Consumers.Values)
            {
                if (consumer.Pending.Count == 0)
                {
                    Arg("XGROUP"u8);
                    Arg("CREATECONSUMER"u8);
                    Arg(key);
                    Arg(group.Name);
                    Arg(consumer.Name);
                    End();
                    continue;
                }
                foreach (var (pendingId, entry) in consumer.Pending.Pairs())
                {
                    Arg("XCLAIM"u8);
                    Arg(key);
                    Arg(group.Name);
                    Arg(consumer.Name);
                    Arg("0"u8);
                    Arg(id[..pendingId.Format(id)]);
                    Arg("TIME"u8);
                    Arg(entry.DeliveryTime);
                    Arg("RETRYCOUNT"u8);
                    Arg(entry.DeliveryCount);
                    Arg("JUSTID"u8);
                    Arg("FORCE"u8);
                    End();
                }
            }
        }
    }

    /// <summary>Begins a batched command: the verb and the key (a batch after the first ends the previous one).</summary>
    private void Start(ReadOnlySpan<byte> verb, ReadOnlySpan<byte> key, int endPrevious)
    {
        if (endPrevious != 0) End();
        Arg(verb);
        Arg(key);
    }

    private void Arg(ReadOnlySpan<byte> value)
    {
        _args.WriteBulk(value);
        _argCount++;
    }

    private void Arg(long value)
    {
        _args.WriteBulkLong(value);
        _argCount++;
    }

    /// <summary>The command gathered so far, with its argument count first.</summary>
    private void End()
    {
        _out.WriteArrayHeader(_argCount);
        _out.WriteRaw(_args.WrittenSpan);
        _args.Clear();
        _argCount = 0;
        if (_out.Length > 1 << 20) Drain();
    }

    /// <summary>Commands another writer gathered (keys written ahead of the walk), after this one's.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _out.WriteRaw(bytes);
        if (_out.Length > 1 << 20) Drain();
    }

    /// <summary>Hands the gathered commands to the stream.</summary>
    public void Drain()
    {
        _stream.Write(_out.WrittenSpan);
        _drained += _out.Length;
        _out.Clear();
    }
}
