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
    /// <summary>When the output buffer first passed the soft limit (Unix ms), 0 when below it.</summary>
    public long SoftLimitSince;
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
    private readonly Dictionary<ByteKey, List<Client>> _channels = [];
    private readonly Dictionary<ByteKey, List<Client>> _patterns = [];
    private readonly Dictionary<ByteKey, List<Client>> _shardChannels = [];

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

    /// <summary>Delivers a message to channel subscribers and matching patterns; returns the number of receivers.</summary>
    public int Publish(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message, Client? publisher, bool shard = false)
    {
        int receivers = 0;
        var key = new ByteKey(channel.ToArray());
        if ((shard ? _shardChannels : _channels).TryGetValue(key, out var clients))
        {
            foreach (var c in clients.ToArray())
            {
                var w = WriterOf(c);
                if (w == null) continue;
                w.WritePushHeader(3);
                w.WriteBulk(shard ? "smessage"u8 : "message"u8);
                w.WriteBulk(channel);
                w.WriteBulk(message);
                Delivered(c, publisher);
                receivers++;
            }
        }
        if (!shard && _patterns.Count > 0)
        {
            foreach (var (pattern, subscribers) in _patterns.ToArray())
            {
                if (!GlobMatcher.IsMatch(pattern.Bytes, channel)) continue;
                foreach (var c in subscribers.ToArray())
                {
                    var w = WriterOf(c);
                    if (w == null) continue;
                    w.WritePushHeader(4);
                    w.WriteBulk("pmessage"u8);
                    w.WriteBulk(pattern.Bytes);
                    w.WriteBulk(channel);
                    w.WriteBulk(message);
                    Delivered(c, publisher);
                    receivers++;
                }
            }
        }
        return receivers;
    }

    private static RespWriter? WriterOf(Client c) => c.Connection is { IsClosed: false } conn ? conn.Writer : null;

    /// <summary>After appending a message: enforce the pubsub output limits, then get it sent.</summary>
    private void Delivered(Client c, Client? publisher)
    {
        var conn = c.Connection!;
        var (hard, soft, seconds) = _server.Config.PubSubOutputLimit;
        long pending = conn.PendingOutput;
        var subs = c.Subscriptions!;
        bool overSoft = soft > 0 && pending > soft;
        if (!overSoft) subs.SoftLimitSince = 0;
        else if (subs.SoftLimitSince == 0) subs.SoftLimitSince = _server.NowMs;
        if ((hard > 0 && pending > hard) || (overSoft && _server.NowMs - subs.SoftLimitSince > seconds * 1000))
        {
            _server.Log.Warning($"Client id={c.Id} addr={c.Address} scheduled to be closed ASAP for overcoming of output buffer limits.");
            _server.Stats.ClientOutputLimitDisconnections++;
            conn.Close();
            return;
        }
        // The publisher's own connection sends after its batch; others are flushed now.
        if (c != publisher) conn.RequestFlush();
    }

    public IEnumerable<byte[]> ActiveChannels(ChannelKind kind) => Table(kind).Keys.Select(k => k.Bytes);

    public int SubscriberCount(ChannelKind kind, byte[] channel) =>
        Table(kind).TryGetValue(new ByteKey(channel), out var list) ? list.Count : 0;
}
