using Cinnabar.Blocking;
using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.PubSub;

/// <summary>A client's subscriptions (in subscription order, which UNSUBSCRIBE without arguments follows).</summary>
public sealed class Subscriptions
{
    public readonly List<ByteKey> Channels = [];
    public readonly List<ByteKey> Patterns = [];
    public readonly List<ByteKey> ShardChannels = [];
    public int Count => Channels.Count + Patterns.Count;
    public bool Any => Channels.Count + Patterns.Count + ShardChannels.Count > 0;
}

public enum ChannelKind { Channel, Pattern, Shard }

/// <summary>
/// Channels, patterns and shard channels with their subscribers, and message delivery. A message is
/// appended to each receiver's output (with the store lock held, so every subscriber sees messages in
/// publish order) and the receiver's socket is flushed by its own send loop. A subscriber that cannot
/// keep up is disconnected by the pubsub output-buffer limits instead of slowing anyone else.
/// </summary>
public sealed class PubSubHub
{
    private readonly CinnabarServer _server;
    private readonly Dictionary<ByteKey, List<Client>> _channels = new(ByteKeyComparer.Instance);
    private readonly Dictionary<ByteKey, List<Client>> _patterns = new(ByteKeyComparer.Instance);
    private readonly Dictionary<ByteKey, List<Client>> _shardChannels = new(ByteKeyComparer.Instance);

    public PubSubHub(CinnabarServer server)
    {
        _server = server;
        server.ClientRemoved += client =>
        {
            if (client.Subscriptions == null) return;
            lock (server.Gate) RemoveAll(client);
        };
    }

    public int PatternCount => _patterns.Count;
    public int ChannelCount => _channels.Count;
    public int ShardChannelCount => _shardChannels.Count;

    private Dictionary<ByteKey, List<Client>> Table(ChannelKind kind) => kind switch
    {
        ChannelKind.Channel => _channels,
        ChannelKind.Pattern => _patterns,
        _ => _shardChannels,
    };

    private static List<ByteKey> Mine(Subscriptions s, ChannelKind kind) => kind switch
    {
        ChannelKind.Channel => s.Channels,
        ChannelKind.Pattern => s.Patterns,
        _ => s.ShardChannels,
    };

    /// <summary>Adds a subscription; false when the client already had it.</summary>
    public bool Subscribe(Client client, ChannelKind kind, byte[] name)
    {
        var subs = client.Subscriptions ??= new Subscriptions();
        var key = new ByteKey(name);
        var mine = Mine(subs, kind);
        if (mine.Contains(key)) return false;
        mine.Add(key);
        var table = Table(kind);
        if (!table.TryGetValue(key, out var clients)) table[key] = clients = [];
        clients.Add(client);
        return true;
    }

    /// <summary>Removes a subscription; false when the client did not have it.</summary>
    public bool Unsubscribe(Client client, ChannelKind kind, ByteKey key)
    {
        var subs = client.Subscriptions;
        if (subs == null || !Mine(subs, kind).Remove(key)) return false;
        var table = Table(kind);
        if (table.TryGetValue(key, out var clients))
        {
            clients.Remove(client);
            if (clients.Count == 0) table.Remove(key);
        }
        return true;
    }

    public IReadOnlyList<ByteKey> SubscriptionsOf(Client client, ChannelKind kind) =>
        client.Subscriptions == null ? [] : Mine(client.Subscriptions, kind).ToList();

    /// <summary>Drops every subscription of a client (disconnect, RESET); with the store lock held.</summary>
    public void RemoveAll(Client client)
    {
        foreach (var kind in new[] { ChannelKind.Channel, ChannelKind.Pattern, ChannelKind.Shard })
            foreach (var key in SubscriptionsOf(client, kind)) Unsubscribe(client, kind, key);
    }

    /// <summary>
    /// Delivers a message to channel subscribers and matching patterns; returns the number of receivers.
    /// The push is encoded once per publish (once per matching pattern) and copied into each receiver's
    /// output; RESP3 receivers get the same bytes with the push marker. Nothing is allocated per message.
    /// </summary>
    public int Publish(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message, Client? publisher, bool shard = false)
    {
        int receivers = 0;
        var table = (shard ? _shardChannels : _channels).GetAlternateLookup<ReadOnlySpan<byte>>();
        if (table.TryGetValue(channel, out var clients))
        {
            var scratch = _scratch;
            scratch.Clear();
            scratch.WriteArrayHeader(3);
            scratch.WriteBulk(shard ? "smessage"u8 : "message"u8);
            scratch.WriteBulk(channel);
            scratch.WriteBulk(message);
            foreach (var c in clients)
                if (Deliver(c, scratch.WrittenSpan, publisher)) receivers++;
        }
        if (!shard && _patterns.Count > 0)
        {
            foreach (var (pattern, subscribers) in _patterns)
            {
                if (!GlobMatcher.IsMatch(pattern.Bytes, channel)) continue;
                var scratch = _scratch;
                scratch.Clear();
                scratch.WriteArrayHeader(4);
                scratch.WriteBulk("pmessage"u8);
                scratch.WriteBulk(pattern.Bytes);
                scratch.WriteBulk(channel);
                scratch.WriteBulk(message);
                foreach (var c in subscribers)
                    if (Deliver(c, scratch.WrittenSpan, publisher)) receivers++;
            }
        }
        return receivers;
    }

    /// <summary>Encodes pushes (as RESP2 arrays) before they are copied to receivers; used under the store lock.</summary>
    private readonly RespWriter _scratch = new(1024);

    /// <summary>Appends an encoded push to a receiver's output; false when the receiver is gone.</summary>
    private bool Deliver(Client c, ReadOnlySpan<byte> push, Client? publisher)
    {
        if (c.Connection is not { IsClosed: false, ClosingForOutputLimit: false } conn) return false;
        var w = conn.Writer;
        int start = w.Length;
        if (w.IsResp3)
        {
            w.WriteRaw(">"u8);
            w.WriteRaw(push[1..]);
        }
        else w.WriteRaw(push);
        w.MarkPush(start);
        Delivered(c, conn, publisher);
        return true;
    }

    /// <summary>
    /// After appending a message: others' connections are flushed at the end of the batch (RequestFlush also
    /// applies the output limits); the publisher's own sends after its batch, its limit checked after its command.
    /// </summary>
    private static void Delivered(Client c, Networking.Connection conn, Client? publisher)
    {
        if (c != publisher) conn.RequestFlush();
    }

    public IEnumerable<byte[]> ActiveChannels(ChannelKind kind) => Table(kind).Keys.Select(k => k.Bytes);

    public int SubscriberCount(ChannelKind kind, byte[] channel) =>
        Table(kind).TryGetValue(new ByteKey(channel), out var list) ? list.Count : 0;
}

/// <summary>ByteKey equality that also looks keys up by span, so a PUBLISH finds its channel without copying it.</summary>
public sealed class ByteKeyComparer : IEqualityComparer<ByteKey>, IAlternateEqualityComparer<ReadOnlySpan<byte>, ByteKey>
{
    public static readonly ByteKeyComparer Instance = new();
    public bool Equals(ByteKey x, ByteKey y) => x.Equals(y);
    public int GetHashCode(ByteKey key) => key.GetHashCode();
    public bool Equals(ReadOnlySpan<byte> alternate, ByteKey other) => alternate.SequenceEqual(other.Bytes);
    public int GetHashCode(ReadOnlySpan<byte> alternate) => Storage.KeyTable.HashKey(alternate);
    public ByteKey Create(ReadOnlySpan<byte> alternate) => new(alternate.ToArray());
}
