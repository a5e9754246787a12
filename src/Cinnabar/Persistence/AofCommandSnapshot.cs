using System.Globalization;
using Cinnabar.Protocol;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Persistence;

/// <summary>
/// An AOF-format base (aof-use-rdb-preamble no): the commands that rebuild the data set, as Redis's
/// rewriteAppendOnlyFileRio writes them — a <c>#TS:</c> annotation with aof-timestamp-enabled, FUNCTION LOAD of
/// each library, then per database SELECT and for each key SET, RPUSH, SADD, ZADD or HMSET (64 elements per
/// command), a stream as XADD per entry (XADD MAXLEN 0 for an empty one), XSETID, XGROUP CREATE with
/// ENTRIESREAD, XCLAIM ... JUSTID FORCE per pending entry and XGROUP CREATECONSUMER for consumers without any,
/// and PEXPIREAT for a key with a time to live. Walks slots in order in slices, like <see cref="RdbSnapshot"/>.
/// </summary>
public sealed class AofCommandSnapshot
{
    /// <summary>Redis's AOF_REWRITE_ITEMS_PER_CMD.</summary>
    private const int ItemsPerCommand = 64;

    private readonly CinnabarServer _server;
    private readonly Stream _stream;
    private readonly RespWriter _out = new(64 * 1024);
    private readonly RespWriter _args = new(4096);
    private int _argCount;
    private int _db = -1;
    private int _slot;
    private readonly byte[] _scratch = new byte[Math.Max(Listpack.ScratchSize, 64)];
    private readonly byte[] _scratch2 = new byte[Math.Max(Listpack.ScratchSize, 64)];

    public AofCommandSnapshot(CinnabarServer server, Stream stream)
    {
        _server = server;
        _stream = stream;
        if (server.Config.AofTimestampEnabled)
            _out.WriteRaw(System.Text.Encoding.ASCII.GetBytes("#TS:" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "\r\n"));
        foreach (var library in server.Scripting.Functions.Libraries.Values)
        {
            Arg("FUNCTION"u8);
            Arg("LOAD"u8);
            Arg(library.Code);
            End();
        }
        Drain();
    }

    public bool Done { get; private set; }

    /// <summary>Writes everything at once (a base created at start-up).</summary>
    public void WriteAll()
    {
        while (!WriteSome(int.MaxValue)) { }
    }

    /// <summary>Writes up to about <paramref name="maxKeys"/> keys; true once the data set is complete.</summary>
    public bool WriteSome(int maxKeys)
    {
        if (Done) return true;
        var databases = _server.Databases;
        int budget = maxKeys;
        while (budget > 0)
        {
            if (_db < 0 || _slot >= databases[_db].Table.SlotLimit)
            {
                if (!NextDatabase(databases))
                {
                    Drain();
                    Done = true;
                    return true;
                }
                continue;
            }
            var table = databases[_db].Table;
            if (table.At(_slot).Key != null)
            {
                WriteKey(table, _slot);
                budget--;
            }
            _slot++;
        }
        Drain();
        return false;
    }

    private bool NextDatabase(Database[] databases)
    {
        while (++_db < databases.Length)
        {
            _slot = 0;
            if (databases[_db].Count == 0) continue;
            Arg("SELECT"u8);
            Arg(_db);
            End();
            return true;
        }
        return false;
    }

    private void Drain()
    {
        _stream.Write(_out.WrittenSpan);
        _out.Clear();
    }

    private void WriteKey(KeyTable table, int slot)
    {
        ref var e = ref table.At(slot);
        byte[] key = e.Key!;
        switch (e.Value)
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
                n = 0;
                for (int pos = set.First(); pos >= 0; pos = set.Next(pos))
                {
                    if (n++ % ItemsPerCommand == 0) Start("SADD"u8, key, n == 1 ? 0 : 1);
                    Arg(set.MemberAt(pos, _scratch));
                }
                End();
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
                n = 0;
                for (int pos = hash.First(); pos >= 0; pos = hash.Next(pos))
                {
                    if (n++ % ItemsPerCommand == 0) Start("HMSET"u8, key, n == 1 ? 0 : 1);
                    Arg(hash.FieldAt(pos, _scratch));
                    Arg(hash.ValueAt(pos, _scratch2));
                }
                End();
                break;
            case RedisStream stream:
                WriteStream(key, stream);
                break;
            default:
                if (!StringValue.TryGetBytes(e.Value!, out var bytes)) throw new InvalidOperationException("no AOF form for " + ValueKind.TypeName(e.Value!));
                Arg("SET"u8);
                Arg(key);
                Arg(bytes);
                End();
                break;
        }
        long expire = table.GetExpire(slot);
        if (expire != -1)
        {
            Arg("PEXPIREAT"u8);
            Arg(key);
            Arg(expire);
            End();
        }
    }

    private void WriteStream(byte[] key, RedisStream stream)
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
    private void Start(ReadOnlySpan<byte> verb, byte[] key, int endPrevious)
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
}
