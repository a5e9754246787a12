using Cinnabar.Blocking;
using Cinnabar.PubSub;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>SUBSCRIBE and friends, PUBLISH, SPUBLISH and PUBSUB introspection.</summary>
public static class PubSubCommands
{
    [RedisCommand("SUBSCRIBE")] public static void Subscribe(CommandContext ctx) => DoSubscribe(ctx, ChannelKind.Channel, "subscribe"u8);
    [RedisCommand("PSUBSCRIBE")] public static void PSubscribe(CommandContext ctx) => DoSubscribe(ctx, ChannelKind.Pattern, "psubscribe"u8);
    [RedisCommand("SSUBSCRIBE")] public static void SSubscribe(CommandContext ctx) => DoSubscribe(ctx, ChannelKind.Shard, "ssubscribe"u8);
    [RedisCommand("UNSUBSCRIBE")] public static void Unsubscribe(CommandContext ctx) => DoUnsubscribe(ctx, ChannelKind.Channel, "unsubscribe"u8);
    [RedisCommand("PUNSUBSCRIBE")] public static void PUnsubscribe(CommandContext ctx) => DoUnsubscribe(ctx, ChannelKind.Pattern, "punsubscribe"u8);
    [RedisCommand("SUNSUBSCRIBE")] public static void SUnsubscribe(CommandContext ctx) => DoUnsubscribe(ctx, ChannelKind.Shard, "sunsubscribe"u8);

    /// <summary>The count in (un)subscribe replies: channels + patterns, or shard channels alone.</summary>
    private static int CountFor(Client client, ChannelKind kind)
    {
        var s = client.Subscriptions;
        if (s == null) return 0;
        return kind == ChannelKind.Shard ? s.ShardChannels.Count : s.Count;
    }

    private static void WriteSubscriptionReply(CommandContext ctx, ReadOnlySpan<byte> kindName, ReadOnlySpan<byte> channel, bool nullChannel, ChannelKind kind)
    {
        int start = ctx.Reply.Length;
        ctx.Reply.WritePushHeader(3);
        ctx.Reply.WriteBulk(kindName);
        if (nullChannel) ctx.Reply.WriteNull();
        else ctx.Reply.WriteBulk(channel);
        ctx.Reply.WriteInteger(CountFor(ctx.Client, kind));
        ctx.Reply.MarkPush(start);
    }

    private static void DoSubscribe(CommandContext ctx, ChannelKind kind, ReadOnlySpan<byte> kindName)
    {
        for (int i = 1; i < ctx.ArgCount; i++)
        {
            ctx.Server.PubSub.Subscribe(ctx.Client, kind, ctx.ArgBytes(i));
            WriteSubscriptionReply(ctx, kindName, ctx.Arg(i), false, kind);
        }
    }

    private static void DoUnsubscribe(CommandContext ctx, ChannelKind kind, ReadOnlySpan<byte> kindName)
    {
        var hub = ctx.Server.PubSub;
        if (ctx.ArgCount == 1)
        {
            var all = hub.SubscriptionsOf(ctx.Client, kind);
            if (all.Count == 0) WriteSubscriptionReply(ctx, kindName, default, true, kind);
            foreach (var key in all)
            {
                hub.Unsubscribe(ctx.Client, kind, key);
                WriteSubscriptionReply(ctx, kindName, key.Bytes, false, kind);
            }
            return;
        }
        for (int i = 1; i < ctx.ArgCount; i++)
        {
            hub.Unsubscribe(ctx.Client, kind, new ByteKey(ctx.ArgBytes(i)));
            WriteSubscriptionReply(ctx, kindName, ctx.Arg(i), false, kind);
        }
    }

    [RedisCommand("PUBLISH")]
    public static void Publish(CommandContext ctx) =>
        ctx.Reply.WriteInteger(ctx.Server.PubSub.Publish(ctx.Arg(1), ctx.Arg(2), ctx.Client));

    [RedisCommand("SPUBLISH")]
    public static void SPublish(CommandContext ctx) =>
        ctx.Reply.WriteInteger(ctx.Server.PubSub.Publish(ctx.Arg(1), ctx.Arg(2), ctx.Client, shard: true));

    [RedisCommand("PUBSUB CHANNELS")] public static void Channels(CommandContext ctx) => ListChannels(ctx, ChannelKind.Channel);
    [RedisCommand("PUBSUB SHARDCHANNELS")] public static void ShardChannels(CommandContext ctx) => ListChannels(ctx, ChannelKind.Shard);

    private static void ListChannels(CommandContext ctx, ChannelKind kind)
    {
        // The table's arity (-2) lets any number through; Redis then takes at most one pattern.
        if (ctx.ArgCount > 3)
        {
            ctx.Error($"ERR unknown subcommand or wrong number of arguments for '{ctx.ArgText(1)}'. Try PUBSUB HELP.");
            return;
        }
        var names = ctx.Server.PubSub.ActiveChannels(kind)
            .Where(c => ctx.ArgCount < 3 || GlobMatcher.IsMatch(ctx.Arg(2), c)).ToList();
        ctx.Reply.WriteArrayHeader(names.Count);
        foreach (var n in names) ctx.Reply.WriteBulk(n);
    }

    [RedisCommand("PUBSUB NUMSUB")] public static void NumSub(CommandContext ctx) => CountSubscribers(ctx, ChannelKind.Channel);
    [RedisCommand("PUBSUB SHARDNUMSUB")] public static void ShardNumSub(CommandContext ctx) => CountSubscribers(ctx, ChannelKind.Shard);

    private static void CountSubscribers(CommandContext ctx, ChannelKind kind)
    {
        // An array of channel, count pairs even in RESP3, as Redis 7.0 sends.
        ctx.Reply.WriteArrayHeader((ctx.ArgCount - 2) * 2);
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            ctx.Reply.WriteBulk(ctx.Arg(i));
            ctx.Reply.WriteInteger(ctx.Server.PubSub.SubscriberCount(kind, ctx.ArgBytes(i)));
        }
    }

    [RedisCommand("PUBSUB NUMPAT")]
    public static void NumPat(CommandContext ctx) => ctx.Reply.WriteInteger(ctx.Server.PubSub.PatternCount);

    [RedisCommand("PUBSUB HELP")]
    public static void Help(CommandContext ctx)
    {
        string[] lines =
        [
            "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
            "HELP",
            "    Prints this help.",
        ];
        ctx.WriteHelp(lines);
    }
}
