using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// The sorted set family, single-element commands: ZADD, ZINCRBY, ZREM, ZSCORE, ZMSCORE, ZCARD, ZCOUNT,
/// ZLEXCOUNT, ZRANK, ZREVRANK, ZPOPMIN, ZPOPMAX, ZMPOP, ZRANDMEMBER, ZSCAN. Ranges live in
/// <see cref="SortedSetRangeCommands"/>, set algebra in <see cref="SortedSetAlgebraCommands"/>.
/// </summary>
public static class SortedSetCommands
{
    public const string NaNScoreError = "ERR resulting score is not a number (NaN)";

    // ---- shared helpers ---------------------------------------------------------------------------

    /// <summary>Deletes a key whose sorted set became empty, with the generic "del" notification. True if it did.</summary>
    internal static bool DeleteIfEmpty(CommandContext ctx, ReadOnlySpan<byte> key, ZSet zset)
    {
        if (zset.Count > 0) return false;
        ctx.Db.Delete(key);
        ctx.Notify('g', "del", ctx.Db, key);
        return true;
    }

    /// <summary>Writes one element of a scored reply: RESP3 nests [member, score] pairs, RESP2 flattens them.</summary>
    internal static void WriteElement(CommandContext ctx, ReadOnlySpan<byte> member, double score, bool withScores)
    {
        if (withScores && ctx.Reply.IsResp3) ctx.Reply.WriteArrayHeader(2);
        ctx.Reply.WriteBulk(member);
        if (withScores) ctx.Reply.WriteDouble(score);
    }

    /// <summary>The array header for <paramref name="count"/> elements, doubled for RESP2 WITHSCORES.</summary>
    internal static void WriteElementsHeader(CommandContext ctx, long count, bool withScores) =>
        ctx.Reply.WriteArrayHeader(withScores && !ctx.Reply.IsResp3 ? count * 2 : count);

    /// <summary>A score/increment/weight argument with Redis's strtod rules (hex accepted, underflow refused).</summary>
    internal static bool TryArgScore(CommandContext ctx, int index, out double value, string error = CommandContext.NotFloatError)
    {
        if (Strtod.TryParseScoreArgument(ctx.Arg(index), out value)) return true;
        ctx.Error(error);
        return false;
    }

    internal static int MaxListpackEntries(CommandContext ctx) => ctx.Server.Config.ZsetMaxListpackEntries;
    internal static int MaxListpackValue(CommandContext ctx) => ctx.Server.Config.ZsetMaxListpackValue;

    // ---- ZADD / ZINCRBY ---------------------------------------------------------------------------

    [Flags]
    private enum AddFlags { None = 0, Nx = 1, Xx = 2, Gt = 4, Lt = 8, Ch = 16, Incr = 32 }

    [RedisCommand("ZADD")]
    public static void ZAdd(CommandContext ctx)
    {
        var flags = AddFlags.None;
        int scoreIndex = 2;
        for (; scoreIndex < ctx.ArgCount; scoreIndex++)
        {
            if (ctx.ArgIs(scoreIndex, "NX"u8)) flags |= AddFlags.Nx;
            else if (ctx.ArgIs(scoreIndex, "XX"u8)) flags |= AddFlags.Xx;
            else if (ctx.ArgIs(scoreIndex, "GT"u8)) flags |= AddFlags.Gt;
            else if (ctx.ArgIs(scoreIndex, "LT"u8)) flags |= AddFlags.Lt;
            else if (ctx.ArgIs(scoreIndex, "CH"u8)) flags |= AddFlags.Ch;
            else if (ctx.ArgIs(scoreIndex, "INCR"u8)) flags |= AddFlags.Incr;
            else break;
        }
        int elements = ctx.ArgCount - scoreIndex;
        if (elements == 0 || elements % 2 != 0) { ctx.SyntaxError(); return; }
        elements /= 2;
        if ((flags & (AddFlags.Nx | AddFlags.Xx)) == (AddFlags.Nx | AddFlags.Xx))
        {
            ctx.Error("ERR XX and NX options at the same time are not compatible");
            return;
        }
        bool gt = (flags & AddFlags.Gt) != 0, lt = (flags & AddFlags.Lt) != 0, nx = (flags & AddFlags.Nx) != 0;
        if ((gt && nx) || (lt && nx) || (gt && lt))
        {
            ctx.Error("ERR GT, LT, and/or NX options at the same time are not compatible");
            return;
        }
        if ((flags & AddFlags.Incr) != 0 && elements > 1)
        {
            ctx.Error("ERR INCR option supports a single increment-element pair");
            return;
        }
        Span<double> scores = elements <= 64 ? stackalloc double[elements] : new double[elements];
        for (int j = 0; j < elements; j++)
            if (!TryArgScore(ctx, scoreIndex + j * 2, out scores[j])) return;
        AddGeneric(ctx, scoreIndex, scores, flags);
    }

    [RedisCommand("ZINCRBY")]
    public static void ZIncrBy(CommandContext ctx)
    {
        if (!TryArgScore(ctx, 2, out double increment)) return;
        AddGeneric(ctx, 2, [increment], AddFlags.Incr);
    }

    private enum AddOutcome { Nop, Added, Updated, Unchanged, NaN }

    private static void AddGeneric(CommandContext ctx, int scoreIndex, ReadOnlySpan<double> scores, AddFlags flags)
    {
        var key = ctx.Arg(1);
        if (!ctx.TryLookupWrite<ZSet>(key, out var zset)) return;
        bool incr = (flags & AddFlags.Incr) != 0;
        long added = 0, updated = 0, processed = 0;
        double lastScore = 0;
        if (zset == null)
        {
            if ((flags & AddFlags.Xx) != 0)
            {
                if (incr) ctx.Reply.WriteNull();
                else ctx.Reply.WriteInteger(0);
                return;
            }
            zset = new ZSet();
            ctx.Db.Add(key, zset);
        }
        bool failed = false;
        for (int j = 0; j < scores.Length; j++)
        {
            var outcome = AddOne(ctx, zset, ctx.Arg(scoreIndex + 1 + j * 2), scores[j], flags, out double newScore);
            if (outcome == AddOutcome.NaN)
            {
                ctx.Error(NaNScoreError);
                failed = true;
                break;
            }
            if (outcome == AddOutcome.Added) added++;
            else if (outcome == AddOutcome.Updated) updated++;
            if (outcome != AddOutcome.Nop) processed++;
            lastScore = newScore;
        }
        if (!failed)
        {
            if (incr)
            {
                if (processed > 0) ctx.Reply.WriteDouble(lastScore);
                else ctx.Reply.WriteNull();
            }
            else ctx.Reply.WriteInteger((flags & AddFlags.Ch) != 0 ? added + updated : added);
        }
        if (added + updated > 0)
        {
            ctx.KeyModified(ctx.Db, key);
            ctx.Notify('z', incr ? "zincr" : "zadd", ctx.Db, key);
            ctx.Dirty(added + updated);
        }
        if (zset.Count == 0) ctx.Db.Delete(key);
    }

    /// <summary>Redis's zsetAdd: one member with the NX/XX/GT/LT/INCR rules. An unchanged score is a no-op with "processed" semantics.</summary>
    private static AddOutcome AddOne(CommandContext ctx, ZSet zset, ReadOnlySpan<byte> member, double score, AddFlags flags, out double newScore)
    {
        newScore = score;
        if (zset.TryFind(member, out double current, out long position))
        {
            if ((flags & AddFlags.Nx) != 0) return AddOutcome.Nop;
            if ((flags & AddFlags.Incr) != 0)
            {
                score += current;
                if (double.IsNaN(score)) return AddOutcome.NaN;
            }
            if (((flags & AddFlags.Gt) != 0 && score <= current) || ((flags & AddFlags.Lt) != 0 && score >= current))
                return AddOutcome.Nop;
            newScore = score;
            if (score == current) return AddOutcome.Unchanged;
            zset.SetScoreAt(position, score);
            return AddOutcome.Updated;
        }
        if ((flags & AddFlags.Xx) != 0) return AddOutcome.Nop;
        zset.Insert(member, score, MaxListpackEntries(ctx), MaxListpackValue(ctx));
        return AddOutcome.Added;
    }

    // ---- ZREM / lookups ---------------------------------------------------------------------------

    [RedisCommand("ZREM")]
    public static void ZRem(CommandContext ctx)
    {
        var key = ctx.Arg(1);
        if (!ctx.TryLookupWrite<ZSet>(key, out var zset)) return;
        if (zset == null) { ctx.Reply.WriteInteger(0); return; }
        long deleted = 0;
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            if (zset.Remove(ctx.Arg(i))) deleted++;
            if (zset.Count == 0) break;
        }
        if (deleted > 0)
        {
            ctx.Notify('z', "zrem", ctx.Db, key);
            DeleteIfEmpty(ctx, key, zset);
            ctx.KeyModified(ctx.Db, key);
            ctx.Dirty(deleted);
        }
        ctx.Reply.WriteInteger(deleted);
    }

    [RedisCommand("ZSCORE")]
    public static void ZScore(CommandContext ctx)
    {
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        if (zset != null && zset.TryGetScore(ctx.Arg(2), out double score)) ctx.Reply.WriteDouble(score);
        else ctx.Reply.WriteNull();
    }

    [RedisCommand("ZMSCORE")]
    public static void ZMScore(CommandContext ctx)
    {
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        ctx.Reply.WriteArrayHeader(ctx.ArgCount - 2);
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            if (zset != null && zset.TryGetScore(ctx.Arg(i), out double score)) ctx.Reply.WriteDouble(score);
            else ctx.Reply.WriteNull();
        }
    }

    [RedisCommand("ZCARD")]
    public static void ZCard(CommandContext ctx)
    {
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        ctx.Reply.WriteInteger(zset?.Count ?? 0);
    }

    [RedisCommand("ZCOUNT")]
    public static void ZCount(CommandContext ctx)
    {
        if (!ScoreRange.TryParse(ctx.Arg(2), ctx.Arg(3), out var range)) { ctx.Error(ScoreRange.ParseError); return; }
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        if (zset == null) { ctx.Reply.WriteInteger(0); return; }
        var (start, end) = zset.RankRange(range);
        ctx.Reply.WriteInteger(end - start);
    }

    [RedisCommand("ZLEXCOUNT")]
    public static void ZLexCount(CommandContext ctx)
    {
        if (!LexRange.TryParse(ctx.Arg(2), ctx.Arg(3), out var range)) { ctx.Error(LexRange.ParseError); return; }
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        if (zset == null) { ctx.Reply.WriteInteger(0); return; }
        var (start, end) = zset.RankRange(range);
        ctx.Reply.WriteInteger(end - start);
    }

    /// <summary>ZRANK / ZREVRANK. The optional WITHSCORE is Redis 7.2 (7.0 rejects the extra argument with an arity error).</summary>
    [RedisCommand("ZRANK")]
    public static void ZRank(CommandContext ctx) => RankGeneric(ctx, reverse: false);

    [RedisCommand("ZREVRANK")]
    public static void ZRevRank(CommandContext ctx) => RankGeneric(ctx, reverse: true);

    private static void RankGeneric(CommandContext ctx, bool reverse)
    {
        // Redis 7.0 takes exactly key and member; 7.2 added WITHSCORE. Anything else in a 4th place gets
        // 7.0's arity error (7.2 would say "syntax error"), so only WITHSCORE itself differs from the oracle.
        bool withScore = ctx.ArgCount == 4 && ctx.ArgIs(3, "WITHSCORE"u8);
        if (ctx.ArgCount > 3 && !withScore)
        {
            ctx.Error($"ERR wrong number of arguments for '{ctx.Command.DisplayName}' command");
            return;
        }
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        double score = 0;
        long rank = zset == null ? -1 : zset.RankOf(ctx.Arg(2), out score);
        if (rank < 0)
        {
            if (withScore) ctx.Reply.WriteNullArray();
            else ctx.Reply.WriteNull();
            return;
        }
        if (reverse) rank = zset!.Count - 1 - rank;
        if (withScore)
        {
            ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteInteger(rank);
            ctx.Reply.WriteDouble(score);
        }
        else ctx.Reply.WriteInteger(rank);
    }

    // ---- pops -------------------------------------------------------------------------------------

    [RedisCommand("ZPOPMIN")]
    public static void ZPopMin(CommandContext ctx) => PopMinMax(ctx, max: false);

    [RedisCommand("ZPOPMAX")]
    public static void ZPopMax(CommandContext ctx) => PopMinMax(ctx, max: true);

    private static void PopMinMax(CommandContext ctx, bool max)
    {
        if (ctx.ArgCount > 3) { ctx.SyntaxError(); return; }
        long count = -1;
        if (ctx.ArgCount == 3)
        {
            if (!Protocol.RespParser.TryParseLong(ctx.Arg(2), out count) || count < 0)
            {
                ctx.Error("ERR value is out of range, must be positive");
                return;
            }
        }
        var key = ctx.Arg(1);
        if (!ctx.TryLookupWrite<ZSet>(key, out var zset)) return;
        if (zset == null || count == 0) { ctx.Reply.WriteEmptyArray(); return; }
        // RESP3 nests [member, score] pairs only when a count was given.
        PopAndReply(ctx, key, zset, max, count == -1 ? 1 : count, emitKey: false, nested: ctx.Reply.IsResp3 && count != -1);
    }

    [RedisCommand("ZMPOP")]
    public static void ZMPop(CommandContext ctx)
    {
        if (!TryParseMPop(ctx, 1, out int firstKey, out int keyCount, out bool max, out long count)) return;
        for (int i = 0; i < keyCount; i++)
        {
            var key = ctx.Arg(firstKey + i);
            if (!ctx.TryLookupWrite<ZSet>(key, out var zset)) return;
            if (zset == null) continue;
            PopAndReply(ctx, key, zset, max, count, emitKey: true, nested: true);
            return;
        }
        ctx.Reply.WriteNullArray();
    }

    /// <summary>
    /// Parses ZMPOP/BZMPOP's "numkeys key [key ...] MIN|MAX [COUNT count]" starting at <paramref name="numKeysIndex"/>.
    /// Writes Redis's error and returns false on bad input.
    /// </summary>
    public static bool TryParseMPop(CommandContext ctx, int numKeysIndex, out int firstKey, out int keyCount, out bool max, out long count)
    {
        firstKey = numKeysIndex + 1;
        keyCount = 0;
        max = false;
        count = -1;
        if (!Protocol.RespParser.TryParseLong(ctx.Arg(numKeysIndex), out long numKeys) || numKeys < 1)
        {
            ctx.Error("ERR numkeys should be greater than 0");
            return false;
        }
        if (numKeys >= ctx.ArgCount) { ctx.SyntaxError(); return false; } // also keeps the index below from overflowing
        long whereIndex = numKeysIndex + numKeys + 1;
        if (whereIndex >= ctx.ArgCount) { ctx.SyntaxError(); return false; }
        if (ctx.ArgIs((int)whereIndex, "MIN"u8)) max = false;
        else if (ctx.ArgIs((int)whereIndex, "MAX"u8)) max = true;
        else { ctx.SyntaxError(); return false; }
        for (int j = (int)whereIndex + 1; j < ctx.ArgCount; j++)
        {
            bool moreArgs = ctx.ArgCount - 1 - j > 0;
            if (count == -1 && ctx.ArgIs(j, "COUNT"u8) && moreArgs)
            {
                j++;
                if (!Protocol.RespParser.TryParseLong(ctx.Arg(j), out count) || count < 1)
                {
                    ctx.Error("ERR count should be greater than 0");
                    return false;
                }
            }
            else { ctx.SyntaxError(); return false; }
        }
        if (count == -1) count = 1;
        keyCount = (int)numKeys;
        return true;
    }

    /// <summary>
    /// Pops up to <paramref name="count"/> elements from the lowest (or, with <paramref name="max"/>, highest)
    /// end of the non-empty sorted set stored at <paramref name="key"/> and writes the reply in Redis's shape:
    /// emitKey=false, nested=false → flat [m, s, m, s] (ZPOPMIN, RESP2 or no count);
    /// emitKey=false, nested=true → [[m, s], ...] (ZPOPMIN with count in RESP3);
    /// emitKey=true, nested=false → [key, m, s] (BZPOPMIN); emitKey=true, nested=true → [key, [[m, s], ...]] (ZMPOP/BZMPOP).
    /// Notifies zpopmin/zpopmax (and del when emptied), marks the key modified and counts dirty.
    /// Blocking commands call this once a key has elements.
    /// </summary>
    public static void PopAndReply(CommandContext ctx, ReadOnlySpan<byte> key, ZSet zset, bool max, long count, bool emitKey, bool nested)
    {
        long length = zset.Count;
        long n = Math.Min(count, length);
        var reply = ctx.Reply;
        if (!emitKey) reply.WriteArrayHeader(nested ? n : n * 2);
        else if (!nested)
        {
            reply.WriteArrayHeader(n * 2 + 1);
            reply.WriteBulk(key);
        }
        else
        {
            reply.WriteArrayHeader(2);
            reply.WriteBulk(key);
            reply.WriteArrayHeader(n);
        }
        var cursor = zset.Iterate(max ? length - 1 : 0, reverse: max);
        for (long i = 0; i < n && cursor.MoveNext(); i++)
        {
            if (nested) reply.WriteArrayHeader(2);
            reply.WriteBulk(cursor.Member);
            reply.WriteDouble(cursor.Score);
        }
        zset.RemoveRankRange(max ? length - n : 0, n);
        ctx.Notify('z', max ? "zpopmax" : "zpopmin", ctx.Db, key);
        ctx.KeyModified(ctx.Db, key);
        DeleteIfEmpty(ctx, key, zset);
        ctx.Dirty(n);
    }

    // ---- ZRANDMEMBER ------------------------------------------------------------------------------

    [RedisCommand("ZRANDMEMBER")]
    public static void ZRandMember(CommandContext ctx)
    {
        if (ctx.ArgCount >= 3)
        {
            if (!ctx.TryArgLong(2, out long count)) return;
            if (count == long.MinValue)
            {
                ctx.Error("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
                return;
            }
            if (ctx.ArgCount > 4 || (ctx.ArgCount == 4 && !ctx.ArgIs(3, "WITHSCORES"u8))) { ctx.SyntaxError(); return; }
            bool withScores = ctx.ArgCount == 4;
            if (withScores && (count < -long.MaxValue / 2 || count > long.MaxValue / 2))
            {
                ctx.Error("ERR value is out of range");
                return;
            }
            RandomMembersWithCount(ctx, count, withScores);
            return;
        }
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        if (zset == null) { ctx.Reply.WriteNull(); return; }
        zset.GetByRank(Random.Shared.NextInt64(zset.Count), out var member, out _);
        ctx.Reply.WriteBulk(member);
    }

    private static void RandomMembersWithCount(CommandContext ctx, long count, bool withScores)
    {
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        if (zset == null || count == 0) { ctx.Reply.WriteEmptyArray(); return; }
        long size = zset.Count;
        bool unique = count > 0;
        if (count < 0) count = -count;
        if (!unique || count == 1)
        {
            // Independent picks: members may repeat.
            WriteElementsHeader(ctx, count, withScores);
            for (long i = 0; i < count; i++)
            {
                zset.GetByRank(Random.Shared.NextInt64(size), out var m, out double s);
                WriteElement(ctx, m, s, withScores);
            }
            return;
        }
        if (count >= size)
        {
            // The whole set, walked from the highest score down as Redis's zset iterator does.
            WriteElementsHeader(ctx, size, withScores);
            var all = zset.Iterate(size - 1, reverse: true);
            while (all.MoveNext()) WriteElement(ctx, all.Member, all.Score, withScores);
            return;
        }
        // Distinct picks: choose count ranks out of size (Floyd's algorithm), reply in random order.
        var chosen = new HashSet<long>();
        for (long j = size - count; j < size; j++)
        {
            long r = Random.Shared.NextInt64(j + 1);
            if (!chosen.Add(r)) chosen.Add(j);
        }
        var ranks = chosen.ToArray();
        Random.Shared.Shuffle(ranks);
        WriteElementsHeader(ctx, count, withScores);
        foreach (var rank in ranks)
        {
            zset.GetByRank(rank, out var m, out double s);
            WriteElement(ctx, m, s, withScores);
        }
    }

    // ---- ZSCAN ------------------------------------------------------------------------------------

    /// <summary>
    /// ZSCAN. A compact set is returned whole with cursor 0, as Redis does. A skiplist set is scanned in
    /// rank order with the rank as cursor (Redis scans its hash table instead): elements present for the
    /// whole scan are returned unless elements ranked before the cursor are removed meanwhile.
    /// </summary>
    [RedisCommand("ZSCAN")]
    public static void ZScan(CommandContext ctx)
    {
        if (!CollectionScan.TryArgCursor(ctx, 2, out ulong cursor)) return;
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        if (zset == null) { CollectionScan.WriteEmptyPage(ctx); return; }
        if (!CollectionScan.TryParseOptions(ctx, 3, out int patternIndex, out long count)) return;
        if (patternIndex >= 0 && CollectionScan.MatchesAll(ctx.Arg(patternIndex))) patternIndex = -1;
        long start = zset.IsListpack ? 0 : (long)Math.Min(cursor, (ulong)long.MaxValue);
        long end = zset.IsListpack || count >= zset.Count - start ? zset.Count : start + count;
        ulong next = end >= zset.Count ? 0 : (ulong)end;
        var items = new List<(byte[] Member, double Score)>();
        var it = zset.Iterate(start);
        Span<byte> scoreText = stackalloc byte[40];
        for (long r = start; r < end && it.MoveNext(); r++)
        {
            if (patternIndex >= 0 && !GlobMatcher.IsMatch(ctx.Arg(patternIndex), it.Member)) continue;
            items.Add((it.MemberArray, it.Score));
        }
        CollectionScan.WritePageHeader(ctx, next, items.Count * 2L);
        foreach (var (member, score) in items)
        {
            ctx.Reply.WriteBulk(member);
            // Scores travel as bulk strings here even in RESP3, as Redis sends them.
            int n = Protocol.RespWriter.FormatDouble(score, scoreText);
            ctx.Reply.WriteBulk(scoreText[..n]);
        }
    }
}
