namespace Cinnabar.Types;

/// <summary>
/// A consumer group: the last ID delivered to it, how many entries it has read (for the lag), its pending
/// entries list (delivered, not yet acknowledged) ordered by ID, and its consumers by name. Each pending
/// entry is shared with its consumer's own ordered list, as Redis shares its NACKs between the two.
/// </summary>
public sealed class StreamGroup
{
    /// <summary>entries-read when it cannot be known (Redis's SCG_INVALID_ENTRIES_READ).</summary>
    public const long UnknownEntriesRead = -1;

    public StreamGroup(byte[] name, StreamId lastId, long entriesRead)
    {
        Name = name;
        LastId = lastId;
        EntriesRead = entriesRead;
    }

    public byte[] Name { get; }
    public StreamId LastId { get; set; }
    public long EntriesRead { get; set; }
    public StreamIdMap<PendingEntry> Pending { get; } = new();
    public SortedDictionary<byte[], StreamConsumer> Consumers { get; } = new(ByteOrder.Instance);

    /// <summary>
    /// Bytes of the group: itself, its name, its pending entries (each shared by the group's and its consumer's
    /// lists, counted once) and its consumers, each with the node of the sorted dictionary that holds it.
    /// Walks the consumers (not the entries).
    /// </summary>
    public long MemoryBytes
    {
        get
        {
            long bytes = HeapSize.Object(48) + HeapSize.Of(Name) + Pending.MemoryBytes + Pending.Count * PendingEntryBytes
                + HeapSize.Object(40);
            foreach (var consumer in Consumers.Values)
                bytes += SortedNodeBytes + HeapSize.Object(24) + HeapSize.Of(consumer.Name) + consumer.Pending.MemoryBytes;
            return bytes;
        }
    }

    /// <summary>A node of a SortedDictionary: left, right, key, value and colour.</summary>
    internal static readonly long SortedNodeBytes = HeapSize.Object(33);

    // Owner, delivery time, delivery count.
    private static readonly long PendingEntryBytes = HeapSize.Object(24);

    public StreamConsumer? FindConsumer(ReadOnlySpan<byte> name) => Consumers.GetValueOrDefault(name.ToArray());

    /// <summary>Creates a consumer; null when one of that name exists.</summary>
    public StreamConsumer? CreateConsumer(ReadOnlySpan<byte> name, long nowMs)
    {
        var key = name.ToArray();
        if (Consumers.ContainsKey(key)) return null;
        var consumer = new StreamConsumer(key, nowMs);
        Consumers.Add(key, consumer);
        return consumer;
    }

    /// <summary>Deletes a consumer and its pending entries (from the group's list too); returns how many it had.</summary>
    public long DeleteConsumer(StreamConsumer consumer)
    {
        long pending = consumer.Pending.Count;
        foreach (var (id, _) in consumer.Pending.Pairs()) Pending.Remove(id);
        Consumers.Remove(consumer.Name);
        return pending;
    }

    /// <summary>Records a delivery of <paramref name="id"/> to <paramref name="consumer"/> (XREADGROUP): a new pending entry, or one moved to it.</summary>
    public PendingEntry Deliver(StreamId id, StreamConsumer consumer, long nowMs)
    {
        if (Pending.TryGetValue(id, out var entry))
        {
            entry.Owner.Pending.Remove(id);
            entry.Owner = consumer;
            entry.DeliveryTime = nowMs;
            entry.DeliveryCount = 1;
        }
        else
        {
            entry = new PendingEntry(consumer, nowMs, 1);
            Pending.TryAdd(id, entry);
        }
        consumer.Pending.TryAdd(id, entry);
        return entry;
    }

    /// <summary>Removes a pending entry from the group and its consumer (XACK, a claim of a deleted entry).</summary>
    public bool Acknowledge(StreamId id)
    {
        if (!Pending.TryGetValue(id, out var entry)) return false;
        Pending.Remove(id);
        entry.Owner?.Pending.Remove(id);
        return true;
    }

    /// <summary>Gives a pending entry to another consumer (XCLAIM, XAUTOCLAIM).</summary>
    public static void MoveTo(StreamId id, PendingEntry entry, StreamConsumer consumer)
    {
        if (entry.Owner == consumer) return;
        entry.Owner?.Pending.Remove(id);
        entry.Owner = consumer;
        consumer.Pending.TryAdd(id, entry);
    }

    public StreamGroup Copy()
    {
        var copy = new StreamGroup(Name, LastId, EntriesRead);
        var entries = new Dictionary<PendingEntry, PendingEntry>(ReferenceEqualityComparer.Instance);
        foreach (var (id, entry) in Pending.Pairs())
        {
            var e = new PendingEntry(null!, entry.DeliveryTime, entry.DeliveryCount);
            entries[entry] = e;
            copy.Pending.TryAdd(id, e);
        }
        foreach (var (name, consumer) in Consumers)
        {
            var c = new StreamConsumer(name, consumer.SeenTime);
            foreach (var (id, entry) in consumer.Pending.Pairs())
            {
                var e = entries[entry];
                e.Owner = c;
                c.Pending.TryAdd(id, e);
            }
            copy.Consumers.Add(name, c);
        }
        return copy;
    }
}

/// <summary>A consumer of a group: when it was last seen and the entries delivered to it and not acknowledged.</summary>
public sealed class StreamConsumer
{
    public StreamConsumer(byte[] name, long seenTime)
    {
        Name = name;
        SeenTime = seenTime;
    }

    public byte[] Name { get; }
    /// <summary>Unix ms of its last XREADGROUP / XCLAIM / XAUTOCLAIM (Redis 7.0's seen-time).</summary>
    public long SeenTime { get; set; }
    public StreamIdMap<PendingEntry> Pending { get; } = new();
}

/// <summary>A delivered, unacknowledged entry: its owner, last delivery time (Unix ms) and delivery count.</summary>
public sealed class PendingEntry
{
    public PendingEntry(StreamConsumer owner, long deliveryTime, long deliveryCount)
    {
        Owner = owner;
        DeliveryTime = deliveryTime;
        DeliveryCount = deliveryCount;
    }

    public StreamConsumer Owner { get; set; }
    public long DeliveryTime { get; set; }
    public long DeliveryCount { get; set; }
}
