using Cinnabar.Propagation;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>BZPOPMIN, BZPOPMAX and BZMPOP: the sorted-set pops that park the client until a key has members.</summary>
public static class SortedSetBlockingCommands
{
    [RedisCommand("BZPOPMIN")] public static void BZPopMin(CommandContext ctx) => BlockingPop(ctx, max: false);
    [RedisCommand("BZPOPMAX")] public static void BZPopMax(CommandContext ctx) => BlockingPop(ctx, max: true);

    private static void BlockingPop(CommandContext ctx, bool max)
    {
        long timeout = ListMoveCommands.ParseTimeout(ctx, ctx.ArgCount - 1);
        if (timeout < 0) return;
        for (int i = 1; i < ctx.ArgCount - 1; i++)
        {
            if (!ctx.TryLookupWrite<ZSet>(ctx.Arg(i), out var zset)) return;
            if (zset == null) continue;
            SortedSetCommands.PopAndReply(ctx, ctx.Arg(i), zset, max, 1, emitKey: true, nested: false);
            // Replayed in its non-blocking form.
            if (ctx.Propagating) ctx.PropagateInstead(max ? Verbs.ZPopMax : Verbs.ZPopMin, ctx.ArgBytes(i));
            return;
        }
        ctx.BlockOnKeysOrReplyNull(1, ctx.ArgCount - 2, timeout, Blocking.ServedBy.SortedSet);
    }

    [RedisCommand("BZMPOP")]
    public static void BZMPop(CommandContext ctx)
    {
        // Redis checks numkeys, MIN|MAX and COUNT before the timeout.
        if (!SortedSetCommands.TryParseMPop(ctx, 2, out int firstKey, out int keyCount, out bool max, out long count)) return;
        long timeout = ListMoveCommands.ParseTimeout(ctx, 1);
        if (timeout < 0) return;
        for (int i = 0; i < keyCount; i++)
        {
            var key = ctx.Arg(firstKey + i);
            if (!ctx.TryLookupWrite<ZSet>(key, out var zset)) return;
            if (zset == null) continue;
            SortedSetCommands.PopAndReply(ctx, key, zset, max, count, emitKey: true, nested: true);
            if (ctx.Propagating)
                ctx.PropagateInstead(Verbs.ZMPop, Verbs.One, key.ToArray(), max ? Verbs.Max : Verbs.Min, Verbs.Count, Verbs.Number(count));
            return;
        }
        ctx.BlockOnKeysOrReplyNull(firstKey, keyCount, timeout, Blocking.ServedBy.SortedSet);
    }
}
