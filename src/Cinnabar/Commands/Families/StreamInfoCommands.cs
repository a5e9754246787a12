using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>XINFO STREAM [FULL [COUNT n]] / GROUPS / CONSUMERS / HELP, with the fields Redis 7.0 reports.</summary>
public static class StreamInfoCommands
{
    private static readonly string[] HelpLines =
    [
        "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CONSUMERS <key> <groupname>",
        "    Show consumers of <groupname>.",
        "GROUPS <key>",
        "    Show the stream consumer groups.",
        "STREAM <key> [FULL [COUNT <count>]",
        "    Show information about the stream.",
        "HELP",
        "    Prints this help.",
    ];

    [RedisCommand("XINFO HELP")]
    public static void Help(CommandContext ctx)
    {
        ctx.Reply.WriteArrayHeader(HelpLines.Length);
        foreach (var line in HelpLines) ctx.Reply.WriteSimpleString(line);
    }

    private static RedisStream? GetOrNoKey(CommandContext ctx)
    {
        if (!ctx.TryLookupRead<RedisStream>(ctx.Arg(2), out var stream)) return null;
        if (stream == null) ctx.Error(KeyCommands.NoSuchKeyError);
        return stream;
    }

    [RedisCommand("XINFO CONSUMERS")]
    public static void Consumers(CommandContext ctx)
    {
        var stream = GetOrNoKey(ctx);
        if (stream == null) return;
        var group = stream.FindGroup(ctx.Arg(3));
        if (group == null)
        {
            ctx.Error($"NOGROUP No such consumer group '{ctx.ArgText(3)}' for key name '{ctx.ArgText(2)}'");
            return;
        }
        var reply = ctx.Reply;
        long now = ctx.NowMs;
        reply.WriteArrayHeader(group.Consumers.Count);
        foreach (var consumer in group.Consumers.Values)
        {
            reply.WriteMapHeader(3);
            reply.WriteBulk("name"u8);
            reply.WriteBulk(consumer.Name);
            reply.WriteBulk("pending"u8);
            reply.WriteInteger(consumer.Pending.Count);
            reply.WriteBulk("idle"u8);
            reply.WriteInteger(Math.Max(0, now - consumer.SeenTime));
        }
    }

    [RedisCommand("XINFO GROUPS")]
    public static void Groups(CommandContext ctx)
    {
        var stream = GetOrNoKey(ctx);
        if (stream == null) return;
        var reply = ctx.Reply;
        if (stream.Groups == null)
        {
            reply.WriteEmptyArray();
            return;
        }
        reply.WriteArrayHeader(stream.Groups.Count);
        foreach (var group in stream.Groups.Values)
        {
            reply.WriteMapHeader(6);
            reply.WriteBulk("name"u8);
            reply.WriteBulk(group.Name);
            reply.WriteBulk("consumers"u8);
            reply.WriteInteger(group.Consumers.Count);
            reply.WriteBulk("pending"u8);
            reply.WriteInteger(group.Pending.Count);
            reply.WriteBulk("last-delivered-id"u8);
            StreamCommands.WriteId(reply, group.LastId);
            WriteEntriesReadAndLag(reply, stream, group);
        }
    }

    private static void WriteEntriesReadAndLag(RespWriter reply, RedisStream stream, StreamGroup group)
    {
        reply.WriteBulk("entries-read"u8);
        if (group.EntriesRead != StreamGroup.UnknownEntriesRead) reply.WriteInteger(group.EntriesRead);
        else reply.WriteNull();
        reply.WriteBulk("lag"u8);
        var lag = stream.Lag(group);
        if (lag.HasValue) reply.WriteInteger(lag.Value);
        else reply.WriteNull();
    }

    [RedisCommand("XINFO STREAM")]
    public static void Stream(CommandContext ctx)
    {
        var stream = GetOrNoKey(ctx);
        if (stream == null) return;
        int options = ctx.ArgCount - 3;
        bool full = options > 0;
        long count = 10;
        if (full)
        {
            if ((options != 1 && options != 3) || !ctx.ArgIs(3, "FULL"u8) || (options == 3 && !ctx.ArgIs(4, "COUNT"u8)))
            {
                StreamGroupCommands.SubcommandSyntaxError(ctx);
                return;
            }
            if (options == 3)
            {
                if (!ctx.TryArgLong(5, out count)) return;
                if (count < 0) count = 10;
            }
        }
        var reply = ctx.Reply;
        reply.WriteMapHeader(full ? 9 : 10);
        reply.WriteBulk("length"u8);
        reply.WriteInteger(stream.Length);
        reply.WriteBulk("radix-tree-keys"u8);
        reply.WriteInteger(stream.NodeCount);
        reply.WriteBulk("radix-tree-nodes"u8);
        reply.WriteInteger(stream.RadixTreeNodeCount());
        reply.WriteBulk("last-generated-id"u8);
        StreamCommands.WriteId(reply, stream.LastId);
        reply.WriteBulk("max-deleted-entry-id"u8);
        StreamCommands.WriteId(reply, stream.MaxDeletedId);
        reply.WriteBulk("entries-added"u8);
        reply.WriteInteger(stream.EntriesAdded);
        reply.WriteBulk("recorded-first-entry-id"u8);
        StreamCommands.WriteId(reply, stream.FirstId);
        if (!full)
        {
            reply.WriteBulk("groups"u8);
            reply.WriteInteger(stream.Groups?.Count ?? 0);
            reply.WriteBulk("first-entry"u8);
            WriteEdgeEntry(reply, stream, reverse: false);
            reply.WriteBulk("last-entry"u8);
            WriteEdgeEntry(reply, stream, reverse: true);
            return;
        }
        reply.WriteBulk("entries"u8);
        StreamCommands.WriteRange(reply, stream, StreamId.Zero, StreamId.Max, count, reverse: false);
        reply.WriteBulk("groups"u8);
        if (stream.Groups == null)
        {
            reply.WriteEmptyArray();
            return;
        }
        reply.WriteArrayHeader(stream.Groups.Count);
        foreach (var group in stream.Groups.Values) WriteFullGroup(reply, stream, group, count);
    }

    private static void WriteEdgeEntry(RespWriter reply, RedisStream stream, bool reverse)
    {
        var it = stream.Range(StreamId.Zero, StreamId.Max, reverse);
        if (it.MoveNext()) StreamCommands.WriteEntry(reply, it);
        else reply.WriteNull();
    }

    private static void WriteFullGroup(RespWriter reply, RedisStream stream, StreamGroup group, long count)
    {
        reply.WriteMapHeader(7);
        reply.WriteBulk("name"u8);
        reply.WriteBulk(group.Name);
        reply.WriteBulk("last-delivered-id"u8);
        StreamCommands.WriteId(reply, group.LastId);
        WriteEntriesReadAndLag(reply, stream, group);
        reply.WriteBulk("pel-count"u8);
        reply.WriteInteger(group.Pending.Count);
        reply.WriteBulk("pending"u8);
        long n = count == 0 ? group.Pending.Count : Math.Min(count, group.Pending.Count);
        reply.WriteArrayHeader(n);
        var pel = group.Pending;
        var p = pel.First;
        for (long i = 0; i < n; i++, p = pel.Next(p))
        {
            var entry = pel.ValueAt(p);
            reply.WriteArrayHeader(4);
            StreamCommands.WriteId(reply, pel.KeyAt(p));
            reply.WriteBulk(entry.Owner.Name);
            reply.WriteInteger(entry.DeliveryTime);
            reply.WriteInteger(entry.DeliveryCount);
        }
        reply.WriteBulk("consumers"u8);
        reply.WriteArrayHeader(group.Consumers.Count);
        foreach (var consumer in group.Consumers.Values)
        {
            reply.WriteMapHeader(4);
            reply.WriteBulk("name"u8);
            reply.WriteBulk(consumer.Name);
            reply.WriteBulk("seen-time"u8);
            reply.WriteInteger(consumer.SeenTime);
            reply.WriteBulk("pel-count"u8);
            reply.WriteInteger(consumer.Pending.Count);
            reply.WriteBulk("pending"u8);
            var cpel = consumer.Pending;
            long m = count == 0 ? cpel.Count : Math.Min(count, cpel.Count);
            reply.WriteArrayHeader(m);
            var q = cpel.First;
            for (long i = 0; i < m; i++, q = cpel.Next(q))
            {
                var entry = cpel.ValueAt(q);
                reply.WriteArrayHeader(3);
                StreamCommands.WriteId(reply, cpel.KeyAt(q));
                reply.WriteInteger(entry.DeliveryTime);
                reply.WriteInteger(entry.DeliveryCount);
            }
        }
    }
}
