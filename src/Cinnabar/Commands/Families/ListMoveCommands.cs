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
        if (!ok)
        {
            ctx.Error("ERR timeout is not a float or out of range");
            return -1;
        }
        double ms = seconds * 1000.0;
        // Redis 7.0 converts to a 64-bit integer without a range check: too large a value comes out negative.
        if (seconds < 0 || ms >= 9.2233720368547758e18)
        {
            ctx.Error("ERR timeout is negative");
            return -1;
        }
        return (long)ms;
    }

    private static bool ParseSide(CommandContext ctx, int index, out bool left)
    {
        left = ctx.ArgIs(index, "LEFT"u8);
        if (left || ctx.ArgIs(index, "RIGHT"u8)) return true;
        ctx.SyntaxError();
        return false;
    }

    /// <summary>Moves one element from source to destination. Returns false when source is empty (nothing written).</summary>
    private static bool TryMove(CommandContext ctx, int srcIndex, int dstIndex, bool fromLeft, bool toLeft, out bool failed)
    {
        var db = ctx.Db;
        var src = ListCommands.GetList(ctx, ctx.Arg(srcIndex), out failed, read: false);
        if (failed || src == null) return false;
        var dstValue = db.Get(ctx.Arg(dstIndex));
        if (dstValue != null && dstValue is not RedisList)
        {
            ctx.WrongType();
            failed = true;
            return false;
        }
        var value = fromLeft ? src.PopHead() : src.PopTail();
        var srcKey = ctx.Arg(srcIndex);
        var dstKey = ctx.Arg(dstIndex);
        // Redis pushes (and notifies the push) before it notifies the pop and deletes an emptied source;
        // a rotation of one list therefore never deletes it.
        var dst = db.Get(dstKey) as RedisList;
        if (dst == null)
        {
            dst = new RedisList();
            db.Add(dstKey, dst);
        }
        if (toLeft) dst.PushHead(value);
        else dst.PushTail(value);
        ListCommands.AfterPush(ctx, db, dstKey, toLeft ? "lpush" : "rpush", 1);
        ListCommands.AfterPop(ctx, db, src, srcKey, fromLeft);
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
        if (TryMove(ctx, 1, 2, from, to, out bool failed) || failed) return;
        // Inside MULTI (or a script) a null bulk, although the timeout reply of a real block is a null array.
        if (!ctx.CanBlock) ctx.Reply.WriteNull();
        else ctx.Block([ctx.ArgBytes(1)], timeout, NullArrayOnTimeout);
    }

    [RedisCommand("BLPOP")] public static void BLPop(CommandContext ctx) => BlockingPop(ctx, head: true);
    [RedisCommand("BRPOP")] public static void BRPop(CommandContext ctx) => BlockingPop(ctx, head: false);

    private static void BlockingPop(CommandContext ctx, bool head)
    {
        long timeout = ParseTimeout(ctx, ctx.ArgCount - 1);
        if (timeout < 0) return;
        for (int i = 1; i < ctx.ArgCount - 1; i++)
        {
            var list = ListCommands.GetList(ctx, ctx.Arg(i), out bool failed, read: false);
            if (failed) return;
            if (list == null) continue;
            ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteBulk(ctx.Arg(i));
            ctx.Reply.WriteBulk(head ? list.PopHead() : list.PopTail());
            ListCommands.AfterPop(ctx, ctx.Db, list, ctx.Arg(i), head);
            return;
        }
        if (!ctx.CanBlock)
        {
            ctx.Reply.WriteNullArray();
            return;
        }
        var keys = new List<byte[]>();
        for (int i = 1; i < ctx.ArgCount - 1; i++) keys.Add(ctx.ArgBytes(i));
        ctx.Block(keys, timeout, NullArrayOnTimeout);
    }

    [RedisCommand("LMPOP")]
    public static void LMPop(CommandContext ctx) => MultiPop(ctx, firstArg: 1, timeout: -1);

    [RedisCommand("BLMPOP")]
    public static void BLMPop(CommandContext ctx)
    {
        long timeout = ParseTimeout(ctx, 1);
        if (timeout < 0) return;
        MultiPop(ctx, firstArg: 2, timeout);
    }

    /// <summary>LMPOP/BLMPOP: numkeys key... LEFT|RIGHT [COUNT n]; a timeout ≥ 0 makes it blocking.</summary>
    private static void MultiPop(CommandContext ctx, int firstArg, long timeout)
    {
        if (!Protocol.RespParser.TryParseLong(ctx.Arg(firstArg), out long numKeys) || numKeys <= 0 || numKeys > int.MaxValue)
        {
            ctx.Error("ERR numkeys should be greater than 0");
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
        for (int k = firstArg + 1; k < sideIndex; k++)
        {
            var list = ListCommands.GetList(ctx, ctx.Arg(k), out bool failed, read: false);
            if (failed) return;
            if (list == null) continue;
            long n = Math.Min(count, list.Count);
            ctx.Reply.WriteArrayHeader(2);
            ctx.Reply.WriteBulk(ctx.Arg(k));
            ctx.Reply.WriteArrayHeader(n);
            for (long j = 0; j < n; j++) ctx.Reply.WriteBulk(left ? list.PopHead() : list.PopTail());
            ListCommands.AfterPop(ctx, ctx.Db, list, ctx.Arg(k), left);
            return;
        }
        if (timeout < 0 || !ctx.CanBlock)
        {
            ctx.Reply.WriteNullArray();
            return;
        }
        var keys = new List<byte[]>();
        for (int k = firstArg + 1; k < sideIndex; k++) keys.Add(ctx.ArgBytes(k));
        ctx.Block(keys, timeout, NullArrayOnTimeout);
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
        ctx.Reply.WriteInteger(done ? 1 : 0);
    }
}
