using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// XREAD and XREADGROUP: reads of several streams after given IDs, for a consumer group with delivery
/// tracking, and their BLOCK form. A blocked read keeps the IDs resolved when it blocked (so "$" means the
/// last ID at that moment) and is served by the first XADD past them, in the order clients blocked.
/// </summary>
public static class StreamReadCommands
{
    /// <summary>Entries one blocked read is served at most when it gave no COUNT (Redis's XREAD_BLOCKED_DEFAULT_COUNT).</summary>
    private const long BlockedDefaultCount = 1000;

    [RedisCommand("XREAD")] public static void XRead(CommandContext ctx) => Read(ctx, group: false);
    [RedisCommand("XREADGROUP")] public static void XReadGroup(CommandContext ctx) => Read(ctx, group: true);

    /// <summary>What a blocked read waits for: per key the ID to read after, and the group's names.</summary>
    private sealed class Wait
    {
        public required Dictionary<ByteArrayKey, StreamId> After;
        public byte[]? Group, Consumer;
        public bool NoAck;
        public long Count;
    }

    private readonly record struct ByteArrayKey(byte[] Bytes)
    {
        public bool Equals(ByteArrayKey other) => Bytes.AsSpan().SequenceEqual(other.Bytes);
        public override int GetHashCode() => KeyTable.HashKey(Bytes);
    }

    private static void Read(CommandContext ctx, bool group)
    {
        long timeout = -1, count = 0;
        int streamsArg = 0, streamCount = 0, groupArg = 0;
        bool noAck = false;
        for (int i = 1; i < ctx.ArgCount; i++)
        {
            int more = ctx.ArgCount - i - 1;
            if (ctx.ArgIs(i, "BLOCK"u8) && more > 0)
            {
                if (ctx.InScript)
                {
                    ctx.Error($"ERR {ctx.ArgText(0)} command is not allowed with BLOCK option from scripts");
                    return;
                }
                i++;
                if (!ctx.TryArgLong(i, out timeout, "ERR timeout is not an integer or out of range")) return;
                if (timeout < 0)
                {
                    ctx.Error("ERR timeout is negative");
                    return;
                }
            }
            else if (ctx.ArgIs(i, "COUNT"u8) && more > 0)
            {
                i++;
                if (!ctx.TryArgLong(i, out count)) return;
                if (count < 0) count = 0;
            }
            else if (ctx.ArgIs(i, "STREAMS"u8) && more > 0)
            {
                streamsArg = i + 1;
                streamCount = ctx.ArgCount - streamsArg;
                if (streamCount % 2 != 0)
                {
                    ctx.Error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                    return;
                }
                streamCount /= 2;
                break;
            }
            else if (ctx.ArgIs(i, "GROUP"u8) && more >= 2)
            {
                if (!group)
                {
                    ctx.Error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                    return;
                }
                groupArg = i + 1;
                i += 2;
            }
            else if (ctx.ArgIs(i, "NOACK"u8))
            {
                if (!group)
                {
                    ctx.Error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                    return;
                }
                noAck = true;
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }
        if (streamsArg == 0)
        {
            ctx.SyntaxError();
            return;
        }
        if (group && groupArg == 0)
        {
            ctx.Error("ERR Missing GROUP option for XREADGROUP");
            return;
        }

        // Resolve every ID first (and every group), as Redis does before reading anything.
        var ids = new StreamId[streamCount];
        var groups = group ? new StreamGroup[streamCount] : null;
        for (int k = 0; k < streamCount; k++)
        {
            var key = ctx.Arg(streamsArg + k);
            int idArg = streamsArg + streamCount + k;
            if (!ctx.TryLookupRead<RedisStream>(key, out var stream)) return;
            if (group)
            {
                var g = stream?.FindGroup(ctx.Arg(groupArg));
                if (g == null)
                {
                    ctx.Error($"NOGROUP No such key '{ctx.ArgText(streamsArg + k)}' or consumer group '{ctx.ArgText(groupArg)}' in XREADGROUP with GROUP option");
                    return;
                }
                groups![k] = g;
            }
            var arg = ctx.Arg(idArg);
            if (arg.Length == 1 && arg[0] == '$')
            {
                if (group)
                {
                    ctx.Error("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.");
                    return;
                }
                ids[k] = stream?.LastId ?? StreamId.Zero;
            }
            else if (arg.Length == 1 && arg[0] == '>')
            {
                if (!group)
                {
                    ctx.Error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
                    return;
                }
                ids[k] = StreamId.Max;
            }
            else if (!StreamCommands.TryArgId(ctx, idArg, out ids[k]))
            {
                return;
            }
        }

        if (group) StreamClaimCommands.PreventPropagation(ctx);
        int at = ctx.Reply.Length;
        long served = 0;
        for (int k = 0; k < streamCount; k++)
        {
            var key = ctx.Arg(streamsArg + k);
            // XREADGROUP changes its group: the write lookup (Redis reads; it has no fork-less snapshot to keep).
            if ((group ? ctx.Db.LookupWrite(key) : ctx.Db.LookupRead(key)) is not RedisStream stream) continue;
            var after = ids[k];
            bool history = false, serve = false;
            if (group)
            {
                if (after != StreamId.Max) serve = history = true;
                else if (stream.Length > 0 && stream.LastLiveId() > groups![k].LastId)
                {
                    serve = true;
                    after = groups[k].LastId;
                }
            }
            else if (stream.Length > 0)
            {
                serve = stream.LastLiveId() > after;
            }
            if (!serve) continue;
            served++;
            if (!ctx.Reply.IsResp3) ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteBulk(key);
            if (group)
            {
                var consumer = FindOrCreateConsumer(ctx, groups![k], ctx.Arg(groupArg + 1), ctx.Db, key, noAck);
                after.TryIncrement(out var start);
                if (history) WriteHistory(ctx, stream, consumer, start, count);
                else Deliver(ctx, key, stream, groups[k], consumer, start, count, noAck);
                ctx.Dirty();
            }
            else
            {
                after.TryIncrement(out var start);
                StreamCommands.WriteRange(ctx.Reply, stream, start, StreamId.Max, count, reverse: false);
            }
        }
        if (served > 0)
        {
            if (ctx.Reply.IsResp3) ctx.Reply.InsertMapHeader(at, served);
            else ctx.Reply.InsertArrayHeader(at, served);
            return;
        }
        if (timeout == -1 || !ctx.CanBlock)
        {
            ctx.Reply.WriteNullArray();
            return;
        }
        var wait = new Wait
        {
            After = new Dictionary<ByteArrayKey, StreamId>(streamCount),
            Group = group ? ctx.ArgBytes(groupArg) : null,
            Consumer = group ? ctx.ArgBytes(groupArg + 1) : null,
            NoAck = noAck,
            Count = count != 0 ? count : BlockedDefaultCount,
        };
        var keys = new List<byte[]>(streamCount);
        for (int k = 0; k < streamCount; k++)
        {
            var key = ctx.ArgBytes(streamsArg + k);
            // A key named twice waits once, for the first ID given (Redis keeps the first).
            if (wait.After.TryAdd(new ByteArrayKey(key), ids[k])) keys.Add(key);
        }
        ctx.Block(keys, timeout, Blocking.ServedBy.Stream, NullOnTimeout, wait, (c, db, key, value) => ServeBlocked(c, db, key, value, wait));
    }

    private static readonly Action<CommandContext> NullOnTimeout = c => c.Reply.WriteNullArray();

    /// <summary>Serves a blocked read from a key that became ready, as Redis's serveClientsBlockedOnStreamKey.</summary>
    private static bool ServeBlocked(CommandContext ctx, Database db, byte[] key, object? value, Wait wait)
    {
        if (value is not RedisStream stream)
        {
            // XREADGROUP depends on its group: a deleted or replaced stream ends the wait with an error.
            if (wait.Group == null) return false;
            ctx.Error("UNBLOCKED the stream key no longer exists");
            return true;
        }
        StreamGroup? group = null;
        var after = wait.After[new ByteArrayKey(key)];
        if (wait.Group != null)
        {
            group = stream.FindGroup(wait.Group);
            if (group == null)
            {
                ctx.Error("NOGROUP the consumer group this client was blocked on no longer exists");
                return true;
            }
            after = group.LastId;
        }
        if (stream.LastId <= after) return false;
        if (group != null) db.LookupWrite(key);
        after.TryIncrement(out var start);
        if (ctx.Reply.IsResp3) ctx.Reply.WriteMapHeader(1);
        else
        {
            ctx.Reply.WriteArrayHeader(1);
            ctx.Reply.WriteArrayHeader(2);
        }
        ctx.Reply.WriteBulk(key);
        if (group != null)
        {
            StreamClaimCommands.PreventPropagation(ctx);
            var consumer = FindOrCreateConsumer(ctx, group, wait.Consumer!, db, key, wait.NoAck);
            Deliver(ctx, key, stream, group, consumer, start, wait.Count, wait.NoAck);
        }
        else
        {
            StreamCommands.WriteRange(ctx.Reply, stream, start, StreamId.Max, wait.Count, reverse: false);
        }
        return true;
    }

    /// <summary>The named consumer (its seen-time refreshed), created with the xgroup-createconsumer event when missing.</summary>
    internal static StreamConsumer FindOrCreateConsumer(CommandContext ctx, StreamGroup group, ReadOnlySpan<byte> name, Database db,
        ReadOnlySpan<byte> key, bool propagateCreation = false)
    {
        var consumer = group.FindConsumer(name);
        if (consumer != null)
        {
            consumer.SeenTime = ctx.NowMs;
            return consumer;
        }
        consumer = group.CreateConsumer(name, ctx.NowMs)!;
        ctx.Dirty();
        ctx.Notify('t', "xgroup-createconsumer", db, key);
        if (propagateCreation) StreamClaimCommands.PropagateConsumerCreation(ctx, key, group, consumer);
        return consumer;
    }

    /// <summary>New entries for a group (">"): moves its last delivered ID and, unless NOACK, adds them to the pending lists.</summary>
    private static void Deliver(CommandContext ctx, ReadOnlySpan<byte> key, RedisStream stream, StreamGroup group,
        StreamConsumer consumer, StreamId start, long count, bool noAck)
    {
        var reply = ctx.Reply;
        int at = reply.Length;
        long n = 0;
        bool moved = false;
        var it = stream.Range(start, StreamId.Max);
        while ((count == 0 || n < count) && it.MoveNext())
        {
            if (it.Id > group.LastId)
            {
                stream.AdvanceGroup(group, it.Id);
                moved = true;
            }
            StreamCommands.WriteEntry(reply, it);
            // Each delivery goes to the effects stream as an XCLAIM; NOACK reads as the group's new position.
            if (!noAck) StreamClaimCommands.PropagateClaim(ctx, key, group, it.Id, group.Deliver(it.Id, consumer, ctx.NowMs));
            n++;
        }
        if (noAck && moved) StreamClaimCommands.PropagateGroupId(ctx, key, group);
        reply.InsertArrayHeader(at, n);
    }

    /// <summary>
    /// A consumer's own pending entries from <paramref name="start"/> (XREADGROUP with an ID): each is delivered
    /// again (time and count updated); one deleted from the stream meanwhile comes as [id, nil].
    /// </summary>
    private static void WriteHistory(CommandContext ctx, RedisStream stream, StreamConsumer consumer, StreamId start, long count)
    {
        var reply = ctx.Reply;
        int at = reply.Length;
        long n = 0;
        var pel = consumer.Pending;
        for (var p = pel.LowerBound(start); p.IsValid && (count == 0 || n < count); p = pel.Next(p))
        {
            var id = pel.KeyAt(p);
            if (StreamCommands.WriteEntryById(reply, stream, id))
            {
                var entry = pel.ValueAt(p);
                entry.DeliveryTime = ctx.NowMs;
                entry.DeliveryCount++;
            }
            else
            {
                reply.WriteArrayHeader(2);
                StreamCommands.WriteId(reply, id);
                reply.WriteNullArray();
            }
            n++;
        }
        reply.InsertArrayHeader(at, n);
    }
}
