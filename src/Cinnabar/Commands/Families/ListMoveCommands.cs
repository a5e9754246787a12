using Cinnabar.Propagation;
using System.Globalization;
using System.Text;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>LMOVE, RPOPLPUSH, LMPOP and the blocking pops: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP.</summary>
public static class ListMoveCommands
{
    private static readonly Action<CommandContext> NullArrayOnTimeout = c => c.Reply.WriteNullArray();

    /// <summary>Parses a blocking timeout in seconds as Redis 7.0 does; returns ms (0 = forever) or -1 after an error reply.</summary>
    internal static long ParseTimeout(CommandContext ctx, int index)
    {
        var raw = ctx.Arg(index);
        double seconds = double.NaN;
        bool ok = raw.Length > 0 && raw[0] > ' ' && raw[^1] > ' ' && raw.IndexOf((byte)0) < 0
            && double.TryParse(Encoding.ASCII.GetString(raw), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds)
            && !double.IsNaN(seconds);
        if (!ok && IsInfinityText(raw)) seconds = double.PositiveInfinity;
        else if (!ok && !TryParseHexFloat(raw, out seconds))
        {
            ctx.Error("ERR timeout is not a float or out of range");
            return -1;
        }
        double ms = seconds * 1000.0;
        // Redis 7.0 truncates seconds*1000 (a long double) to a 64-bit integer without a range check: too large a
        // value (or an infinity) comes out negative, and anything above -1 ms is 0. In long double arithmetic
        // -0.001 s gives just above -1 ms, so the cut is taken a hair below -1.
        if (ms <= -1.000000001 || ms >= 9.2233720368547758e18 || double.IsInfinity(ms))
        {
            ctx.Error("ERR timeout is negative");
            return -1;
        }
        return Math.Max(0, (long)ms);
    }

    /// <summary>inf, infinity (any case, optional sign): strtold's infinities, which Redis 7.0 accepts as a timeout.</summary>
    private static bool IsInfinityText(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > 0 && (raw[0] == '+' || raw[0] == '-')) raw = raw[1..];
        return System.Text.Ascii.EqualsIgnoreCase(raw, "inf"u8) || System.Text.Ascii.EqualsIgnoreCase(raw, "infinity"u8);
    }

    /// <summary>A C99 hexadecimal float ("0x10", "-0x1.8p3"), which strtold, and so a Redis timeout, accepts.</summary>
    private static bool TryParseHexFloat(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = s.Length > 0 && s[0] == '-';
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-')) i++;
        if (i + 1 >= s.Length || s[i] != '0' || (s[i + 1] | 0x20) != 'x') return false;
        i += 2;
        double mantissa = 0;
        int exponent = 0, digits = 0;
        bool point = false;
        for (; i < s.Length; i++)
        {
            if (s[i] == '.' && !point) { point = true; continue; }
            int d = HexDigit(s[i]);
            if (d < 0) break;
            mantissa = mantissa * 16 + d;
            if (point) exponent -= 4;
            digits++;
        }
        if (digits == 0) return false;
        if (i < s.Length && (s[i] | 0x20) == 'p')
        {
            i++;
            bool negativeExponent = i < s.Length && s[i] == '-';
            if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
            int start = i, e = 0;
            for (; i < s.Length && s[i] >= '0' && s[i] <= '9'; i++) e = Math.Min(e * 10 + (s[i] - '0'), 100_000);
            if (i == start) return false;
            exponent += negativeExponent ? -e : e;
        }
        if (i != s.Length) return false;
        value = Math.ScaleB(mantissa, exponent);
        if (negative) value = -value;
        return true;
    }

    private static int HexDigit(byte c) =>
        c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;

    private static bool ParseSide(CommandContext ctx, int index, out bool left)
    {
        left = ctx.ArgIs(index, "LEFT"u8);
        if (left || ctx.ArgIs(index, "RIGHT"u8)) return true;
        ctx.SyntaxError();
        return false;
    }

    /// <summary>The longest element LMOVE copies on the stack.</summary>
    private const int MoveOnStack = 256;

    /// <summary>Moves one element from source to destination. Returns false when source is empty (nothing written).</summary>
    private static bool TryMove(CommandContext ctx, int srcIndex, int dstIndex, bool fromLeft, bool toLeft, out bool failed)
    {
        var db = ctx.Db;
        var srcKey = ctx.Arg(srcIndex);
        var dstKey = ctx.Arg(dstIndex);
        int found = ListCommands.OpenWrite(ctx, srcKey, out var src);
        failed = found < 0;
        if (found <= 0) return false;
        int dstFound = ListCommands.OpenWrite(ctx, dstKey, out var dst);
        if (dstFound < 0)
        {
            failed = true;
            return false;
        }
        // A copy (on the stack when short): the push may move the record the element was read from.
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        var element = src.PeekEnd(fromLeft, scratch);
        Span<byte> value = element.Length <= MoveOnStack ? stackalloc byte[MoveOnStack] : new byte[element.Length];
        value = value[..element.Length];
        element.CopyTo(value);
        src.DropEnd(fromLeft);
        // As Redis: push first, then the pop's event and the source's deletion when empty — so rotating a
        // one-element list onto itself keeps the key (and its time to live).
        if (dstFound == 0) dst = ListCommands.AddEmpty(ctx, db, dstKey);
        dst.Push(toLeft, value);
        int remaining = src.SameKey(dst) ? dst.Count : src.Count;
        ListCommands.AfterPush(ctx, db, dstKey, toLeft ? "lpush" : "rpush", 1);
        ListCommands.AfterPop(ctx, db, remaining, srcKey, fromLeft);
        ctx.Reply.WriteBulk(value);
        return true;
    }

    [RedisCommand("LMOVE")]
    public static void LMove(CommandContext ctx)
    {
        if (!ParseSide(ctx, 3, out bool from) || !ParseSide(ctx, 4, out bool to)) return;
        if (!TryMove(ctx, 1, 2, from, to, out bool failed) && !failed) ctx.Reply.WriteNull();
    }

    [RedisCommand("RPOPLPUSH")]
    public static void RPopLPush(CommandContext ctx)
    {
        if (!TryMove(ctx, 1, 2, false, true, out bool failed) && !failed) ctx.Reply.WriteNull();
    }

    [RedisCommand("BLMOVE")]
    public static void BLMove(CommandContext ctx)
    {
        if (!ParseSide(ctx, 3, out bool from) || !ParseSide(ctx, 4, out bool to)) return;
        long timeout = ParseTimeout(ctx, 5);
        if (timeout < 0) return;
        BlockingMove(ctx, from, to, timeout);
    }

    [RedisCommand("BRPOPLPUSH")]
    public static void BRPopLPush(CommandContext ctx)
    {
        long timeout = ParseTimeout(ctx, 3);
        if (timeout < 0) return;
        BlockingMove(ctx, false, true, timeout);
    }

    private static void BlockingMove(CommandContext ctx, bool from, bool to, long timeout)
    {
        if (TryMove(ctx, 1, 2, from, to, out bool failed))
        {
            // Replayed in its non-blocking form.
            if (ctx.Propagating) ctx.PropagateInstead(Verbs.LMove, ctx.ArgBytes(1), ctx.ArgBytes(2), from ? Verbs.Left : Verbs.Right, to ? Verbs.Left : Verbs.Right);
            return;
        }
        if (failed) return;
        // Where it may not block (MULTI) Redis answers a null bulk, though a timeout answers a null array.
        if (!ctx.CanBlock) ctx.Reply.WriteNull();
        else ctx.Block([ctx.ArgBytes(1)], timeout, Blocking.ServedBy.List, NullArrayOnTimeout);
    }

    [RedisCommand("BLPOP")] public static void BLPop(CommandContext ctx) => BlockingPop(ctx, head: true);
    [RedisCommand("BRPOP")] public static void BRPop(CommandContext ctx) => BlockingPop(ctx, head: false);

    private static void BlockingPop(CommandContext ctx, bool head)
    {
        long timeout = ParseTimeout(ctx, ctx.ArgCount - 1);
        if (timeout < 0) return;
        for (int i = 1; i < ctx.ArgCount - 1; i++)
        {
            int found = ListCommands.OpenWrite(ctx, ctx.Arg(i), out var list);
            if (found < 0) return;
            if (found == 0) continue;
            ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteBulk(ctx.Arg(i));
            ListCommands.PopOne(ctx, ref list, head);
            ListCommands.AfterPop(ctx, ctx.Db, list.Count, ctx.Arg(i), head);
            if (ctx.Propagating) ctx.PropagateInstead(head ? Verbs.LPop : Verbs.RPop, ctx.ArgBytes(i));
            return;
        }
        ctx.BlockOnKeysOrReplyNull(1, ctx.ArgCount - 2, timeout, Blocking.ServedBy.List);
    }

    [RedisCommand("LMPOP")]
    public static void LMPop(CommandContext ctx) => MultiPop(ctx, firstArg: 1, blocking: false);

    [RedisCommand("BLMPOP")]
    public static void BLMPop(CommandContext ctx) => MultiPop(ctx, firstArg: 2, blocking: true);

    /// <summary>LMPOP/BLMPOP: numkeys key... LEFT|RIGHT [COUNT n]; BLMPOP's timeout (argument 1) is checked after them, as Redis does.</summary>
    private static void MultiPop(CommandContext ctx, int firstArg, bool blocking)
    {
        if (!Protocol.RespParser.TryParseLong(ctx.Arg(firstArg), out long numKeys) || numKeys <= 0)
        {
            ctx.Error("ERR numkeys should be greater than 0");
            return;
        }
        if (numKeys >= ctx.ArgCount - firstArg - 1)
        {
            ctx.SyntaxError();
            return;
        }
        int sideIndex = firstArg + 1 + (int)numKeys;
        if (sideIndex >= ctx.ArgCount)
        {
            ctx.SyntaxError();
            return;
        }
        if (!ParseSide(ctx, sideIndex, out bool left)) return;
        long count = 1;
        int i = sideIndex + 1;
        bool sawCount = false;
        while (i < ctx.ArgCount)
        {
            if (ctx.ArgIs(i, "COUNT"u8) && i + 1 < ctx.ArgCount && !sawCount)
            {
                if (!Protocol.RespParser.TryParseLong(ctx.Arg(i + 1), out count) || count <= 0)
                {
                    ctx.Error("ERR count should be greater than 0");
                    return;
                }
                sawCount = true;
                i += 2;
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }
        long timeout = blocking ? ParseTimeout(ctx, 1) : -1;
        if (blocking && timeout < 0) return;
        for (int k = firstArg + 1; k < sideIndex; k++)
        {
            int found = ListCommands.OpenWrite(ctx, ctx.Arg(k), out var list);
            if (found < 0) return;
            if (found == 0) continue;
            long n = Math.Min(count, list.Count);
            ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteBulk(ctx.Arg(k));
            ctx.Reply.WriteArrayHeader(n);
            for (long j = 0; j < n; j++) ListCommands.PopOne(ctx, ref list, left);
            ListCommands.AfterPop(ctx, ctx.Db, list.Count, ctx.Arg(k), left);
            // BLMPOP is replayed as an LMPOP of the key it served.
            if (timeout >= 0 && ctx.Propagating)
                ctx.PropagateInstead(Verbs.LMPop, Verbs.One, ctx.ArgBytes(k), left ? Verbs.Left : Verbs.Right, Verbs.Count, Verbs.Number(n));
            return;
        }
        if (timeout < 0)
        {
            ctx.Reply.WriteNullArray();
            return;
        }
        ctx.BlockOnKeysOrReplyNull(firstArg + 1, sideIndex - firstArg - 1, timeout, Blocking.ServedBy.List);
    }

    [RedisCommand("CLIENT UNBLOCK")]
    public static void ClientUnblock(CommandContext ctx)
    {
        if (!ctx.TryArgLong(2, out long id)) return;
        bool withError = false;
        if (ctx.ArgCount == 4)
        {
            if (ctx.ArgIs(3, "ERROR"u8)) withError = true;
            else if (!ctx.ArgIs(3, "TIMEOUT"u8))
            {
                ctx.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                return;
            }
        }
        else if (ctx.ArgCount > 4)
        {
            ctx.SyntaxError();
            return;
        }
        var target = ctx.Server.FindClient(id);
        bool done = target != null && ctx.Server.Blocking.UnblockByRequest(target, withError);
        // Redis counts a call as failed when it produced an error reply, to any client: the UNBLOCKED error too.
        if (done && withError) ctx.ErrorWritten = true;
        ctx.Reply.WriteInteger(done ? 1 : 0);
    }
}
