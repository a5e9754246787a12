using Cinnabar.Propagation;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>XCLAIM and XAUTOCLAIM: a consumer takes over pending entries other consumers left idle.</summary>
public static class StreamClaimCommands
{
    /// <summary>The stream and group of a claim, or Redis's NOGROUP error (also for a missing key).</summary>
    private static bool TryGetGroup(CommandContext ctx, out RedisStream stream, out StreamGroup group)
    {
        stream = null!;
        group = null!;
        // Claims change the group: the write lookup (Redis reads, but has no snapshot to keep consistent).
        if (!ctx.TryLookupWrite<RedisStream>(ctx.Arg(1), out var s)) return false;
        var g = s?.FindGroup(ctx.Arg(2));
        if (g == null)
        {
            ctx.Error($"NOGROUP No such key '{ctx.ArgText(1)}' or consumer group '{ctx.ArgText(2)}'");
            return false;
        }
        stream = s!;
        group = g;
        return true;
    }

    // ---- propagated forms (Redis's streamPropagateXCLAIM / streamPropagateGroupID) -------------------------
    // Group reads and claims reach the effects stream as what they did to the group, never as themselves.

    private static readonly byte[] XClaimVerb = "XCLAIM"u8.ToArray(), XGroupVerb = "XGROUP"u8.ToArray(),
        SetIdWord = "SETID"u8.ToArray(), EntriesReadWord = "ENTRIESREAD"u8.ToArray(), CreateConsumerWord = "CREATECONSUMER"u8.ToArray(),
        TimeWord = "TIME"u8.ToArray(), RetryCountWord = "RETRYCOUNT"u8.ToArray(), ForceWord = "FORCE"u8.ToArray(),
        JustIdWord = "JUSTID"u8.ToArray(), LastIdWord = "LASTID"u8.ToArray(), Zero = "0"u8.ToArray();

    /// <summary>Redis's preventCommandPropagation: the command itself does not go (its forms, if any, do).</summary>
    internal static void PreventPropagation(CommandContext ctx)
    {
        if (ctx.Propagating) ctx.PropagatedInstead = true;
    }

    /// <summary>A pending entry's state as "XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID last".</summary>
    internal static void PropagateClaim(CommandContext ctx, ReadOnlySpan<byte> key, StreamGroup group, StreamId id, PendingEntry entry)
    {
        if (!ctx.Propagating) return;
        ctx.PropagateInstead(XClaimVerb, key.ToArray(), group.Name, entry.Owner.Name, Zero, StreamCommands.IdBytes(id),
            TimeWord, Verbs.Number(entry.DeliveryTime), RetryCountWord, Verbs.Number(entry.DeliveryCount), ForceWord, JustIdWord,
            LastIdWord, StreamCommands.IdBytes(group.LastId));
    }

    /// <summary>"XGROUP SETID key group last ENTRIESREAD n": a group that moved without new pending entries.</summary>
    internal static void PropagateGroupId(CommandContext ctx, ReadOnlySpan<byte> key, StreamGroup group)
    {
        if (!ctx.Propagating) return;
        ctx.PropagateInstead(XGroupVerb, SetIdWord, key.ToArray(), group.Name, StreamCommands.IdBytes(group.LastId),
            EntriesReadWord, Verbs.Number(group.EntriesRead));
    }

    /// <summary>"XGROUP CREATECONSUMER key group consumer" (a NOACK read created it: no XCLAIM will).</summary>
    internal static void PropagateConsumerCreation(CommandContext ctx, ReadOnlySpan<byte> key, StreamGroup group, StreamConsumer consumer)
    {
        if (ctx.Propagating) ctx.PropagateInstead(XGroupVerb, CreateConsumerWord, key.ToArray(), group.Name, consumer.Name);
    }

    [RedisCommand("XCLAIM")]
    public static void XClaim(CommandContext ctx)
    {
        if (!TryGetGroup(ctx, out var stream, out var group)) return;
        if (!ctx.TryArgLong(4, out long minIdle, "ERR Invalid min-idle-time argument for XCLAIM")) return;
        if (minIdle < 0) minIdle = 0;
        // IDs come first; the first argument that is not one starts the options.
        int j = 5;
        var ids = new List<StreamId>();
        for (; j < ctx.ArgCount; j++)
        {
            if (!StreamId.TryParse(ctx.Arg(j), out var id, strict: true)) break;
            ids.Add(id);
        }
        long now = ctx.NowMs;
        long deliveryTime = -1, retryCount = -1;
        bool force = false, justId = false;
        var lastId = StreamId.Zero;
        for (; j < ctx.ArgCount; j++)
        {
            bool more = j + 1 < ctx.ArgCount;
            if (ctx.ArgIs(j, "FORCE"u8)) force = true;
            else if (ctx.ArgIs(j, "JUSTID"u8)) justId = true;
            else if (ctx.ArgIs(j, "IDLE"u8) && more)
            {
                if (!ctx.TryArgLong(++j, out long idle, "ERR Invalid IDLE option argument for XCLAIM")) return;
                deliveryTime = now - idle;
            }
            else if (ctx.ArgIs(j, "TIME"u8) && more)
            {
                if (!ctx.TryArgLong(++j, out deliveryTime, "ERR Invalid TIME option argument for XCLAIM")) return;
            }
            else if (ctx.ArgIs(j, "RETRYCOUNT"u8) && more)
            {
                if (!ctx.TryArgLong(++j, out retryCount, "ERR Invalid RETRYCOUNT option argument for XCLAIM")) return;
            }
            else if (ctx.ArgIs(j, "LASTID"u8) && more)
            {
                if (!StreamCommands.TryArgId(ctx, ++j, out lastId)) return;
            }
            else
            {
                ctx.Error($"ERR Unrecognized XCLAIM option '{ctx.ArgText(j)}'");
                return;
            }
        }
        bool lastIdMoved = false;
        if (lastId > group.LastId)
        {
            group.LastId = lastId;
            lastIdMoved = true;
        }
        if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;

        PreventPropagation(ctx);
        var key = ctx.Arg(1);
        StreamConsumer? consumer = null;
        var reply = ctx.Reply;
        int at = reply.Length;
        long claimed = 0;
        foreach (var id in ids)
        {
            group.Pending.TryGetValue(id, out var entry);
            if (!stream.Contains(id))
            {
                // An entry deleted from the stream leaves the pending lists.
                if (entry != null)
                {
                    PropagateClaim(ctx, key, group, id, entry);
                    group.Acknowledge(id);
                    ctx.Dirty();
                    lastIdMoved = false;
                }
                continue;
            }
            if (force && entry == null)
            {
                entry = new PendingEntry(null!, now, 1);
                group.Pending.TryAdd(id, entry);
            }
            if (entry == null) continue;
            if (entry.Owner != null && minIdle != 0 && now - entry.DeliveryTime < minIdle) continue;
            consumer ??= StreamReadCommands.FindOrCreateConsumer(ctx, group, ctx.Arg(3), ctx.Db, ctx.Arg(1));
            StreamGroup.MoveTo(id, entry, consumer);
            entry.DeliveryTime = deliveryTime;
            if (retryCount >= 0) entry.DeliveryCount = retryCount;
            else if (!justId) entry.DeliveryCount++;
            if (justId) StreamCommands.WriteId(reply, id);
            else StreamCommands.WriteEntryById(reply, stream, id);
            claimed++;
            PropagateClaim(ctx, key, group, id, entry);
            ctx.Dirty();
            lastIdMoved = false;
        }
        if (lastIdMoved)
        {
            PropagateGroupId(ctx, key, group);
            ctx.Dirty();
        }
        reply.InsertArrayHeader(at, claimed);
    }

    [RedisCommand("XAUTOCLAIM")]
    public static void XAutoClaim(CommandContext ctx)
    {
        const long attemptsFactor = 10;
        if (!ctx.TryArgLong(4, out long minIdle, "ERR Invalid min-idle-time argument for XAUTOCLAIM")) return;
        if (minIdle < 0) minIdle = 0;
        if (!StreamCommands.TryArgIntervalId(ctx, 5, isStart: true, out var start)) return;
        long count = 100;
        bool justId = false;
        for (int j = 6; j < ctx.ArgCount; j++)
        {
            if (ctx.ArgIs(j, "COUNT"u8) && j + 1 < ctx.ArgCount)
            {
                const long maxCount = long.MaxValue / 16;
                if (!Protocol.RespParser.TryParseLong(ctx.Arg(j + 1), out count) || count < 1 || count > maxCount)
                {
                    ctx.Error("ERR COUNT must be > 0");
                    return;
                }
                j++;
            }
            else if (ctx.ArgIs(j, "JUSTID"u8)) justId = true;
            else
            {
                ctx.SyntaxError();
                return;
            }
        }
        if (!TryGetGroup(ctx, out var stream, out var group)) return;

        PreventPropagation(ctx);
        var key = ctx.Arg(1);
        long attempts = count * attemptsFactor;
        long now = ctx.NowMs;
        StreamConsumer? consumer = null;
        var deleted = new List<StreamId>();
        var reply = ctx.Reply;
        reply.WriteArrayHeader(3);
        int nextAt = reply.Length;
        long claimed = 0;
        var pel = group.Pending;
        var p = pel.LowerBound(start);
        while (attempts-- > 0 && count > 0 && p.IsValid)
        {
            var id = pel.KeyAt(p);
            var entry = pel.ValueAt(p);
            if (!stream.Contains(id))
            {
                PropagateClaim(ctx, key, group, id, entry);
                entry.Owner?.Pending.Remove(id);
                p = pel.RemoveAt(p);
                deleted.Add(id);
                count--;
                ctx.Dirty();
                continue;
            }
            if (minIdle != 0 && now - entry.DeliveryTime < minIdle)
            {
                p = pel.Next(p);
                continue;
            }
            consumer ??= StreamReadCommands.FindOrCreateConsumer(ctx, group, ctx.Arg(3), ctx.Db, ctx.Arg(1));
            StreamGroup.MoveTo(id, entry, consumer);
            entry.DeliveryTime = now;
            if (!justId) entry.DeliveryCount++;
            if (justId) StreamCommands.WriteId(reply, id);
            else StreamCommands.WriteEntryById(reply, stream, id);
            claimed++;
            count--;
            PropagateClaim(ctx, key, group, id, entry);
            ctx.Dirty();
            p = pel.Next(p);
        }
        reply.InsertArrayHeader(nextAt, claimed);
        // The cursor for the next call goes before the claimed entries: the next pending ID, or 0-0 at the end.
        int claimedAt = reply.Length;
        StreamCommands.WriteId(reply, p.IsValid ? pel.KeyAt(p) : StreamId.Zero);
        MoveToFront(reply, nextAt, claimedAt);
        reply.WriteArrayHeader(deleted.Count);
        foreach (var id in deleted) StreamCommands.WriteId(reply, id);
    }

    /// <summary>Moves the bytes written since <paramref name="tailAt"/> in front of those written since <paramref name="at"/>.</summary>
    private static void MoveToFront(Protocol.RespWriter reply, int at, int tailAt)
    {
        var written = reply.WrittenSpan;
        var tail = written[tailAt..].ToArray();
        var head = written[at..tailAt].ToArray();
        reply.Truncate(at);
        reply.WriteRaw(tail);
        reply.WriteRaw(head);
    }
}
