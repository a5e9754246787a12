using System.Buffers.Binary;
using Cinnabar.Protocol;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Persistence;

/// <summary>
/// Writes one value in the encoding Redis 7.0 gives it in an RDB file (version 10): strings as rdbSaveRawString,
/// lists as quicklist 2 with one listpack per node, sets as an intset or a plain set, sorted sets and hashes
/// as a listpack or element by element, streams as their listpacks with consumer groups and PELs (stream v2).
/// </summary>
public sealed class RdbValueWriter(RdbOutput output)
{
    private readonly RedisListpackBuilder _listpack = new();

    /// <summary>The RDB type byte Redis 7.0 writes for <paramref name="value"/>.</summary>
    public static byte TypeOf(object value) => value switch
    {
        RedisList => RdbFormat.TypeListQuicklist2,
        RedisSet set => set.IsIntSet ? RdbFormat.TypeSetIntset : RdbFormat.TypeSet,
        ZSet zset => zset.IsListpack ? RdbFormat.TypeZSetListpack : RdbFormat.TypeZSet2,
        RedisHash hash => hash.IsListpack ? RdbFormat.TypeHashListpack : RdbFormat.TypeHash,
        RedisStream => RdbFormat.TypeStreamListpacks2,
        _ when StringValue.IsString(value) => RdbFormat.TypeString,
        _ => throw new InvalidOperationException("no RDB encoding for values of type " + ValueKind.TypeName(value)),
    };

    /// <summary>
    /// The type byte of the hash, set or sorted set packed in <paramref name="slot"/>'s record, as <see cref="TypeOf"/> gives it for
    /// the same value as an object; false when the slot holds no packed value.
    /// </summary>
    public static bool TryPackedType(KeyTable table, int slot, out byte type)
    {
        var marker = table.BoxedAt(slot);
        type = 0;
        if (ReferenceEquals(marker, KeyTable.PackedHash)) type = RdbFormat.TypeHashListpack;
        else if (ReferenceEquals(marker, KeyTable.PackedIntSet)) type = RdbFormat.TypeSetIntset;
        else if (ReferenceEquals(marker, KeyTable.PackedSetListpack)) type = RdbFormat.TypeSet;
        else if (ReferenceEquals(marker, KeyTable.PackedZSet)) type = RdbFormat.TypeZSetListpack;
        else if (KeyTable.IsPackedList(marker, out _)) type = RdbFormat.TypeListQuicklist2;
        else return false;
        return true;
    }

    /// <summary>The value packed in <paramref name="slot"/>'s record (see <see cref="TryPackedType"/>), read where it is.</summary>
    public void WritePacked(KeyTable table, int slot)
    {
        if (StoredHash.TryOpen(table, slot, out var hash)) WriteHash(hash);
        else if (StoredSet.TryOpen(table, slot, out var set)) WriteSet(set);
        else if (StoredList.TryOpen(table, slot, out var list)) WriteSoloNode(list);
        else WriteZSet(table.ZSetViewAt(slot) ?? throw new InvalidOperationException("no packed value in slot " + slot));
    }

    /// <summary>The type byte, then the value (rdbSaveObjectType + rdbSaveObject).</summary>
    public void WriteTyped(object value)
    {
        output.WriteByte(TypeOf(value));
        Write(value);
    }

    public void Write(object value)
    {
        switch (value)
        {
            case RedisList list: WriteList(list); break;
            case RedisSet set: WriteSet(set); break;
            case ZSet zset: WriteZSet(zset); break;
            case RedisHash hash: WriteHash(hash); break;
            case RedisStream stream: WriteStream(stream); break;
            default: output.WriteString(StringValue.Bytes(value)); break;
        }
    }

    private void WriteList(RedisList list)
    {
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        output.WriteLength((ulong)list.NodeCount);
        var cursor = list.Iterate(0);
        for (int node = 0; node < list.NodeCount; node++)
        {
            _listpack.Clear();
            for (int k = list.NodeElementCount(node); k > 0; k--)
            {
                _listpack.Add(cursor.Read(scratch));
                cursor.MoveNext();
            }
            output.WriteLength((ulong)RdbFormat.ContainerPacked);
            output.WriteString(_listpack.Finish());
        }
    }

    /// <summary>A packed list: one quicklist node, as <see cref="WriteList"/> writes a list of one node (none when empty).</summary>
    private void WriteSoloNode(in StoredList list)
    {
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        int count = list.Count;
        output.WriteLength(count == 0 ? 0UL : 1UL);
        if (count == 0) return;
        _listpack.Clear();
        for (var cursor = list.Iterate(0); cursor.Valid; cursor.MoveNext()) _listpack.Add(cursor.Read(scratch));
        output.WriteLength((ulong)RdbFormat.ContainerPacked);
        output.WriteString(_listpack.Finish());
    }

    private void WriteSet<T>(in T set) where T : ISetMembers
    {
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        if (set.IsIntSet)
        {
            // Redis's intset: encoding (bytes per member) and count as 32-bit little endian, then the members.
            int count = set.Count;
            int width = 2;
            for (int pos = set.First(); pos >= 0; pos = set.Next(pos))
            {
                RespParser.TryParseLong(set.MemberAt(pos, scratch), out long v);
                width = Math.Max(width, IntSet.WidthFor(v));
            }
            var blob = new byte[8 + count * width];
            BinaryPrimitives.WriteUInt32LittleEndian(blob, (uint)width);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), (uint)count);
            int i = 0;
            for (int pos = set.First(); pos >= 0; pos = set.Next(pos), i++)
            {
                RespParser.TryParseLong(set.MemberAt(pos, scratch), out long v);
                var at = blob.AsSpan(8 + i * width);
                if (width == 2) BinaryPrimitives.WriteInt16LittleEndian(at, (short)v);
                else if (width == 4) BinaryPrimitives.WriteInt32LittleEndian(at, (int)v);
                else BinaryPrimitives.WriteInt64LittleEndian(at, v);
            }
            output.WriteString(blob);
            return;
        }
        output.WriteLength((ulong)set.Count);
        for (int pos = set.First(); pos >= 0; pos = set.Next(pos)) output.WriteString(set.MemberAt(pos, scratch));
    }

    private void WriteZSet(ZSet zset)
    {
        if (zset.IsListpack)
        {
            // Member then score; the score as d2string writes it (an integer entry when integral).
            Span<byte> score = stackalloc byte[32];
            _listpack.Clear();
            for (var c = zset.Iterate(0); c.MoveNext();)
            {
                _listpack.Add(c.Member);
                _listpack.Add(score[..RespWriter.FormatDouble(c.Score, score)]);
            }
            output.WriteString(_listpack.Finish());
            return;
        }
        // From the greatest to the smallest, as Redis saves them (loading then inserts at the head).
        output.WriteLength((ulong)zset.Count);
        for (var c = zset.Iterate(zset.Count - 1, reverse: true); c.MoveNext();)
        {
            output.WriteString(c.Member);
            output.WriteBinaryDouble(c.Score);
        }
    }

    private void WriteHash<T>(in T hash) where T : IHashFields
    {
        Span<byte> fieldScratch = stackalloc byte[Listpack.ScratchSize];
        Span<byte> valueScratch = stackalloc byte[Listpack.ScratchSize];
        if (hash.IsListpack)
        {
            _listpack.Clear();
            for (int pos = hash.First(); pos >= 0; pos = hash.Next(pos))
            {
                _listpack.Add(hash.FieldAt(pos, fieldScratch));
                _listpack.Add(hash.ValueAt(pos, valueScratch));
            }
            output.WriteString(_listpack.Finish());
            return;
        }
        output.WriteLength((ulong)hash.Count);
        for (int pos = hash.First(); pos >= 0; pos = hash.Next(pos))
        {
            output.WriteString(hash.FieldAt(pos, fieldScratch));
            output.WriteString(hash.ValueAt(pos, valueScratch));
        }
    }

    private void WriteStream(RedisStream stream)
    {
        Span<byte> key = stackalloc byte[16];
        output.WriteLength((ulong)stream.Nodes.Count);
        foreach (var (master, node) in stream.Nodes.Pairs())
        {
            EncodeId(master, key);
            output.WriteString(key);
            // Redis's node listpack opens with the live and deleted counts, which Cinnabar keeps as fields.
            _listpack.Clear();
            _listpack.AddInteger(node.Live);
            _listpack.AddInteger(node.Deleted);
            node.WriteListpackElements(new ListpackSink(_listpack));
            output.WriteString(_listpack.Finish());
        }
        output.WriteLength(stream.Length);
        WriteId(stream.LastId);
        WriteId(stream.FirstId);
        WriteId(stream.MaxDeletedId);
        output.WriteLength(stream.EntriesAdded);
        var groups = stream.Groups;
        output.WriteLength((ulong)(groups?.Count ?? 0));
        if (groups == null) return;
        foreach (var group in groups.Values)
        {
            output.WriteString(group.Name);
            WriteId(group.LastId);
            output.WriteLength(group.EntriesRead);
            output.WriteLength((ulong)group.Pending.Count);
            foreach (var (id, entry) in group.Pending.Pairs())
            {
                EncodeId(id, key);
                output.Write(key);
                output.WriteMillis(entry.DeliveryTime);
                output.WriteLength(entry.DeliveryCount);
            }
            output.WriteLength((ulong)group.Consumers.Count);
            foreach (var consumer in group.Consumers.Values)
            {
                output.WriteString(consumer.Name);
                output.WriteMillis(consumer.SeenTime);
                output.WriteLength((ulong)consumer.Pending.Count);
                foreach (var (id, _) in consumer.Pending.Pairs())
                {
                    EncodeId(id, key);
                    output.Write(key);
                }
            }
        }
    }

    private void WriteId(StreamId id)
    {
        output.WriteLength(id.Ms);
        output.WriteLength(id.Seq);
    }

    /// <summary>streamEncodeID: milliseconds then sequence, both big endian (the radix tree's key order).</summary>
    public static void EncodeId(StreamId id, Span<byte> dest)
    {
        BinaryPrimitives.WriteUInt64BigEndian(dest, id.Ms);
        BinaryPrimitives.WriteUInt64BigEndian(dest[8..], id.Seq);
    }
}
