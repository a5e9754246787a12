using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// Range reads and range deletes of sorted sets: ZRANGE (BYSCORE, BYLEX, REV, LIMIT, WITHSCORES),
/// ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX,
/// ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX. One parser serves them all, as in Redis.
/// </summary>
public static class SortedSetRangeCommands
{
    private enum RangeType { Auto, Rank, Score, Lex }
    private enum Direction { Auto, Forward, Reverse }

    [RedisCommand("ZRANGE")]
    public static void ZRange(CommandContext ctx) => RangeGeneric(ctx, 1, store: false, RangeType.Auto, Direction.Auto);

    [RedisCommand("ZRANGESTORE")]
    public static void ZRangeStore(CommandContext ctx) => RangeGeneric(ctx, 2, store: true, RangeType.Auto, Direction.Auto);

    [RedisCommand("ZREVRANGE")]
    public static void ZRevRange(CommandContext ctx) => RangeGeneric(ctx, 1, store: false, RangeType.Rank, Direction.Reverse);

    [RedisCommand("ZRANGEBYSCORE")]
    public static void ZRangeByScore(CommandContext ctx) => RangeGeneric(ctx, 1, store: false, RangeType.Score, Direction.Forward);

    [RedisCommand("ZREVRANGEBYSCORE")]
    public static void ZRevRangeByScore(CommandContext ctx) => RangeGeneric(ctx, 1, store: false, RangeType.Score, Direction.Reverse);

    [RedisCommand("ZRANGEBYLEX")]
    public static void ZRangeByLex(CommandContext ctx) => RangeGeneric(ctx, 1, store: false, RangeType.Lex, Direction.Forward);

    [RedisCommand("ZREVRANGEBYLEX")]
    public static void ZRevRangeByLex(CommandContext ctx) => RangeGeneric(ctx, 1, store: false, RangeType.Lex, Direction.Reverse);

    /// <summary>Redis's zrangeGenericCommand: <paramref name="sourceIndex"/> is the source key's argument index.</summary>
    private static void RangeGeneric(CommandContext ctx, int sourceIndex, bool store, RangeType type, Direction direction)
    {
        int minIndex = sourceIndex + 1, maxIndex = sourceIndex + 2;
        bool withScores = false;
        long offset = 0, limit = -1;
        for (int j = sourceIndex + 3; j < ctx.ArgCount; j++)
        {
            int left = ctx.ArgCount - j - 1;
            if (!store && ctx.ArgIs(j, "WITHSCORES"u8)) withScores = true;
            else if (ctx.ArgIs(j, "LIMIT"u8) && left >= 2)
            {
                if (!ctx.TryArgLong(j + 1, out offset) || !ctx.TryArgLong(j + 2, out limit)) return;
                j += 2;
            }
            else if (direction == Direction.Auto && ctx.ArgIs(j, "REV"u8)) direction = Direction.Reverse;
            else if (type == RangeType.Auto && ctx.ArgIs(j, "BYLEX"u8)) type = RangeType.Lex;
            else if (type == RangeType.Auto && ctx.ArgIs(j, "BYSCORE"u8)) type = RangeType.Score;
            else { ctx.SyntaxError(); return; }
        }
        if (direction == Direction.Auto) direction = Direction.Forward;
        if (type == RangeType.Auto) type = RangeType.Rank;
        if (limit != -1 && type == RangeType.Rank)
        {
            ctx.Error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
            return;
        }
        if (withScores && type == RangeType.Lex)
        {
            ctx.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
            return;
        }
        bool reverse = direction == Direction.Reverse;
        // Score and lex ranges are given as max, min when reversed.
        if (reverse && type != RangeType.Rank) (minIndex, maxIndex) = (maxIndex, minIndex);

        long start = 0, end = 0;
        ScoreRange scoreRange = default;
        LexRange lexRange = default;
        switch (type)
        {
            case RangeType.Rank:
                if (!ctx.TryArgLong(minIndex, out start) || !ctx.TryArgLong(maxIndex, out end)) return;
                break;
            case RangeType.Score:
                if (!ScoreRange.TryParse(ctx.Arg(minIndex), ctx.Arg(maxIndex), out scoreRange)) { ctx.Error(ScoreRange.ParseError); return; }
                break;
            default:
                if (!LexRange.TryParse(ctx.Arg(minIndex), ctx.Arg(maxIndex), out lexRange)) { ctx.Error(LexRange.ParseError); return; }
                break;
        }

        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(sourceIndex), out var zset)) return;
        // Ranks [from, to) in ascending order that the reply covers.
        long from = 0, to = 0;
        if (zset != null)
        {
            long length = zset.Count;
            if (type == RangeType.Rank)
            {
                if (start < 0) start += length;
                if (end < 0) end += length;
                if (start < 0) start = 0;
                if (start <= end && start < length)
                {
                    if (end >= length) end = length - 1;
                    // REV counts ranks from the highest score.
                    if (reverse) (from, to) = (length - 1 - end, length - start);
                    else (from, to) = (start, end + 1);
                }
            }
            else
            {
                var (lo, hi) = type == RangeType.Score ? zset.RankRange(scoreRange) : zset.RankRange(lexRange, reverse);
                ApplyLimit(ref lo, ref hi, offset, limit, reverse);
                (from, to) = (lo, hi);
            }
        }

        if (store) StoreRange(ctx, zset, from, to, reverse);
        else ReplyRange(ctx, zset, from, to, reverse, withScores);
    }

    /// <summary>Narrows ranks [lo, hi) by LIMIT offset count, counted from the end that REV starts at. A negative offset selects nothing, a negative count means all.</summary>
    private static void ApplyLimit(ref long lo, ref long hi, long offset, long limit, bool reverse)
    {
        long available = hi - lo;
        if (offset < 0 || offset >= available || limit == 0) { hi = lo; return; }
        long take = available - offset;
        if (limit > 0 && limit < take) take = limit;
        if (reverse)
        {
            hi -= offset;
            lo = hi - take;
        }
        else
        {
            lo += offset;
            hi = lo + take;
        }
    }

    private static void ReplyRange(CommandContext ctx, ZSet? zset, long from, long to, bool reverse, bool withScores)
    {
        long count = Math.Max(0, to - from);
        if (zset == null || count == 0) { ctx.Reply.WriteEmptyArray(); return; }
        SortedSetCommands.WriteElementsHeader(ctx, count, withScores);
        var cursor = zset.Iterate(reverse ? to - 1 : from, reverse);
        for (long i = 0; i < count && cursor.MoveNext(); i++)
            SortedSetCommands.WriteElement(ctx, cursor.Member, cursor.Score, withScores);
    }

    /// <summary>ZRANGESTORE's destination: the selected elements as a new set, or the key deleted when none.</summary>
    private static void StoreRange(CommandContext ctx, ZSet? source, long from, long to, bool reverse)
    {
        var destKey = ctx.Arg(1);
        long count = source == null ? 0 : Math.Max(0, to - from);
        if (count == 0)
        {
            ctx.DeleteKey(ctx.Db, destKey);
            ctx.Reply.WriteInteger(0);
            return;
        }
        var result = new ZSet();
        int maxEntries = SortedSetCommands.MaxListpackEntries(ctx), maxValue = SortedSetCommands.MaxListpackValue(ctx);
        var cursor = source!.Iterate(reverse ? to - 1 : from, reverse);
        for (long i = 0; i < count && cursor.MoveNext(); i++) result.Insert(cursor.Member, cursor.Score, maxEntries, maxValue);
        ctx.Db.Set(destKey, result);
        ctx.KeyChanged('z', "zrangestore", ctx.Db, destKey);
        ctx.Reply.WriteInteger(count);
    }

    // ---- ZREMRANGEBY* -----------------------------------------------------------------------------

    [RedisCommand("ZREMRANGEBYRANK")]
    public static void ZRemRangeByRank(CommandContext ctx) => RemoveRangeGeneric(ctx, RangeType.Rank);

    [RedisCommand("ZREMRANGEBYSCORE")]
    public static void ZRemRangeByScore(CommandContext ctx) => RemoveRangeGeneric(ctx, RangeType.Score);

    [RedisCommand("ZREMRANGEBYLEX")]
    public static void ZRemRangeByLex(CommandContext ctx) => RemoveRangeGeneric(ctx, RangeType.Lex);

    private static void RemoveRangeGeneric(CommandContext ctx, RangeType type)
    {
        long start = 0, end = 0;
        ScoreRange scoreRange = default;
        LexRange lexRange = default;
        switch (type)
        {
            case RangeType.Rank:
                if (!ctx.TryArgLong(2, out start) || !ctx.TryArgLong(3, out end)) return;
                break;
            case RangeType.Score:
                if (!ScoreRange.TryParse(ctx.Arg(2), ctx.Arg(3), out scoreRange)) { ctx.Error(ScoreRange.ParseError); return; }
                break;
            default:
                if (!LexRange.TryParse(ctx.Arg(2), ctx.Arg(3), out lexRange)) { ctx.Error(LexRange.ParseError); return; }
                break;
        }
        var key = ctx.Arg(1);
        if (!ctx.TryLookupWrite<ZSet>(key, out var zset)) return;
        if (zset == null) { ctx.Reply.WriteInteger(0); return; }
        long from, to;
        if (type == RangeType.Rank)
        {
            long length = zset.Count;
            if (start < 0) start += length;
            if (end < 0) end += length;
            if (start < 0) start = 0;
            if (start > end || start >= length) { ctx.Reply.WriteInteger(0); return; }
            if (end >= length) end = length - 1;
            (from, to) = (start, end + 1);
        }
        else (from, to) = type == RangeType.Score ? zset.RankRange(scoreRange) : zset.RankRange(lexRange);
        long deleted = to - from;
        if (deleted > 0)
        {
            zset.RemoveRankRange(from, deleted);
            string @event = type switch { RangeType.Rank => "zremrangebyrank", RangeType.Score => "zremrangebyscore", _ => "zremrangebylex" };
            ctx.Notify('z', @event, ctx.Db, key);
            SortedSetCommands.DeleteIfEmpty(ctx, key, zset);
            ctx.KeyModified(ctx.Db, key);
            ctx.Dirty(deleted);
        }
        ctx.Reply.WriteInteger(deleted);
    }
}
