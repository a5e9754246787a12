using System.Buffers.Binary;
using Cinnabar.Types;

namespace Cinnabar.Persistence;

/// <summary>
/// Reads a stream value (RDB types 15, 19 and 21): its listpack nodes keyed by master ID, the counters, and
/// the consumer groups with their pending entries and consumers. Every node is walked entry by entry before
/// it is kept, so a damaged node stops the load instead of failing later in a read.
/// </summary>
internal static class RdbStreamReader
{
    public static RedisStream? Read(RdbInput input, int type)
    {
        var stream = new RedisStream();
        int nodes = input.ReadCount("stream node");
        long liveTotal = 0;
        for (int i = 0; i < nodes; i++)
        {
            var key = input.ReadString();
            if (key.Length != 16) throw new InvalidDataException("stream node key is not a 128-bit ID");
            var master = new StreamId(BinaryPrimitives.ReadUInt64BigEndian(key), BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(8)));
            var lp = input.ReadString();
            var node = ParseNode(master, lp);
            if (node == null) continue;
            if (!stream.LoadNode(node)) throw new InvalidDataException("duplicate stream node");
            liveTotal += node.Live;
        }
        long length = (long)input.ReadLength();
        var lastId = ReadId(input);
        StreamId firstId = default, maxDeleted = default;
        long entriesAdded = length;
        bool v2 = type >= RdbFormat.TypeStreamListpacks2;
        if (v2)
        {
            firstId = ReadId(input);
            maxDeleted = ReadId(input);
            entriesAdded = (long)input.ReadLength();
        }
        if (length != liveTotal) throw new InvalidDataException($"stream length {length} differs from its {liveTotal} entries");
        stream.LoadCounters(length, lastId, firstId, maxDeleted, entriesAdded);
        if (!v2) stream.LoadCounters(length, lastId, stream.FirstLiveId(), default, length);

        int groups = input.ReadCount("consumer group");
        Span<byte> raw = stackalloc byte[16];
        for (int g = 0; g < groups; g++)
        {
            var name = input.ReadString();
            var groupLast = ReadId(input);
            long entriesRead = v2 ? (long)input.ReadLength() : stream.EstimateEntriesReadAt(groupLast);
            var group = stream.CreateGroup(name, groupLast, entriesRead) ?? throw new InvalidDataException("duplicate consumer group");
            int pending = input.ReadCount("pending entry");
            for (int p = 0; p < pending; p++)
            {
                input.ReadExact(raw);
                var id = Decode(raw);
                long time = input.ReadMillis();
                long count = (long)input.ReadLength();
                if (!group.Pending.TryAdd(id, new PendingEntry(null!, time, count))) throw new InvalidDataException("duplicate pending entry");
            }
            int consumers = input.ReadCount("consumer");
            for (int c = 0; c < consumers; c++)
            {
                var consumerName = input.ReadString();
                long seen = input.ReadMillis();
                if (type >= RdbFormat.TypeStreamListpacks3) input.ReadMillis(); // active time (7.2), not kept
                var consumer = group.CreateConsumer(consumerName, seen) ?? throw new InvalidDataException("duplicate consumer");
                int owned = input.ReadCount("consumer pending entry");
                for (int p = 0; p < owned; p++)
                {
                    input.ReadExact(raw);
                    var id = Decode(raw);
                    if (!group.Pending.TryGetValue(id, out var entry)) throw new InvalidDataException("consumer pending entry not in its group's list");
                    if (entry.Owner != null) throw new InvalidDataException("pending entry owned by two consumers");
                    entry.Owner = consumer;
                    consumer.Pending.TryAdd(id, entry);
                }
            }
            foreach (var (_, entry) in group.Pending.Pairs())
                if (entry.Owner == null) throw new InvalidDataException("pending entry without a consumer");
        }
        return stream;
    }

    private static StreamId ReadId(RdbInput input) => new(input.ReadLength(), input.ReadLength());

    private static StreamId Decode(ReadOnlySpan<byte> raw) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(raw), BinaryPrimitives.ReadUInt64BigEndian(raw[8..]));

    /// <summary>A node from its listpack, checked entry by entry; null for an empty listpack (Redis skips those too).</summary>
    private static StreamNode? ParseNode(StreamId master, byte[] lp)
    {
        if (lp.Length < 7 || BinaryPrimitives.ReadUInt32LittleEndian(lp) != lp.Length || lp[^1] != 0xFF)
            throw new InvalidDataException("stream listpack header or end byte damaged");
        var body = lp.AsSpan(6, lp.Length - 7);
        if (body.Length == 0) throw new InvalidDataException("empty stream listpack");
        // Every entry's bounds first, so the reads below stay inside.
        for (int p = 0; p < body.Length; p = RdbEncodedBlobs.ListpackEntryEnd(body, p)) { }
        long live = StreamListpack.ReadInteger(body, 0);
        int p1 = StreamListpack.Next(body, 0);
        long deleted = StreamListpack.ReadInteger(body, p1);
        int p2 = StreamListpack.Next(body, p1);
        if (live < 0 || deleted < 0 || live + deleted == 0) throw new InvalidDataException("stream node counts damaged");
        var node = StreamNode.FromListpackBody(master, body[p2..], (int)live, (int)deleted);
        int seenLive = 0, seenDeleted = 0;
        var previous = master;
        bool first = true;
        for (int pos = node.FirstEntry; pos < node.Used;)
        {
            var h = node.ReadHeader(pos);
            if (h.FieldCount < 0 || (!first && h.Id <= previous) || (first && h.Id < master)) throw new InvalidDataException("stream entry IDs out of order");
            first = false;
            previous = h.Id;
            if (h.IsDeleted) seenDeleted++;
            else seenLive++;
            pos = node.NextEntry(pos, h);
        }
        if (seenLive != live || seenDeleted != deleted) throw new InvalidDataException("stream node counts differ from its entries");
        return node;
    }
}
