using Cinnabar.Propagation;

namespace Cinnabar.Commands.Families;

/// <summary>
/// Times to live: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX | XX | GT | LT), TTL, PTTL, EXPIRETIME,
/// PEXPIRETIME and PERSIST, with Redis's overflow checks and rounding.
/// </summary>
public static class ExpireCommands
{
    [Flags]
    private enum ExpireCondition { None = 0, Nx = 1, Xx = 2, Gt = 4, Lt = 8 }

    [RedisCommand("EXPIRE")]
    public static void Expire(CommandContext ctx) => SetExpire(ctx, ctx.NowMs, inSeconds: true, "expire");

    [RedisCommand("PEXPIRE")]
    public static void PExpire(CommandContext ctx) => SetExpire(ctx, ctx.NowMs, inSeconds: false, "pexpire");

    [RedisCommand("EXPIREAT")]
    public static void ExpireAt(CommandContext ctx) => SetExpire(ctx, 0, inSeconds: true, "expireat");

    [RedisCommand("PEXPIREAT")]
    public static void PExpireAt(CommandContext ctx) => SetExpire(ctx, 0, inSeconds: false, "pexpireat");

    private static void SetExpire(CommandContext ctx, long baseMs, bool inSeconds, string name)
    {
        if (!TryParseConditions(ctx, out var condition)) return;
        if (!ctx.TryArgLong(2, out long when)) return;
        // Relative and second-based times may overflow once converted to absolute milliseconds.
        if (inSeconds)
        {
            if (when > long.MaxValue / 1000 || when < long.MinValue / 1000)
            {
                InvalidExpireTime(ctx, name);
                return;
            }
            when *= 1000;
        }
        if (when > long.MaxValue - baseMs)
        {
            InvalidExpireTime(ctx, name);
            return;
        }
        when += baseMs;

        var db = ctx.Db;
        ReadOnlySpan<byte> key = ctx.Arg(1);
        int slot = db.LookupWriteSlot(key);
        if (slot < 0)
        {
            ctx.Reply.WriteInteger(0);
            return;
        }
        if (condition != ExpireCondition.None && !ConditionHolds(condition, db.GetExpire(slot), when))
        {
            ctx.Reply.WriteInteger(0);
            return;
        }
        if (ctx.AlreadyExpired(when))
        {
            // A time already past deletes the key at once (replicated as DEL, as Redis does).
            db.DeleteSlot(slot);
            ctx.KeyModified(db, key);
            ctx.Notify('g', "del", db, key);
            if (ctx.Propagating) ctx.PropagateInstead(Verbs.Del, key.ToArray());
        }
        else
        {
            db.SetExpire(slot, when);
            ctx.KeyModified(db, key);
            ctx.Notify('g', "expire", db, key);
            // Replayed as the absolute millisecond, whatever the form received (the condition held here).
            if (ctx.Propagating) ctx.PropagateInstead(Verbs.PExpireAt, key.ToArray(), Verbs.Number(when));
        }
        ctx.Dirty();
        ctx.Reply.WriteInteger(1);
    }

    /// <summary>A key without a time to live counts as an infinite one for GT and LT.</summary>
    private static bool ConditionHolds(ExpireCondition condition, long current, long when)
    {
        if ((condition & ExpireCondition.Nx) != 0 && current != -1) return false;
        if ((condition & ExpireCondition.Xx) != 0 && current == -1) return false;
        if ((condition & ExpireCondition.Gt) != 0 && (current == -1 || when <= current)) return false;
        if ((condition & ExpireCondition.Lt) != 0 && current != -1 && when >= current) return false;
        return true;
    }

    private static bool TryParseConditions(CommandContext ctx, out ExpireCondition condition)
    {
        condition = ExpireCondition.None;
        for (int i = 3; i < ctx.ArgCount; i++)
        {
            if (ctx.ArgIs(i, "NX"u8)) condition |= ExpireCondition.Nx;
            else if (ctx.ArgIs(i, "XX"u8)) condition |= ExpireCondition.Xx;
            else if (ctx.ArgIs(i, "GT"u8)) condition |= ExpireCondition.Gt;
            else if (ctx.ArgIs(i, "LT"u8)) condition |= ExpireCondition.Lt;
            else
            {
                ctx.Error("ERR Unsupported option " + ctx.ArgText(i));
                return false;
            }
        }
        if ((condition & ExpireCondition.Nx) != 0 && (condition & (ExpireCondition.Xx | ExpireCondition.Gt | ExpireCondition.Lt)) != 0)
        {
            ctx.Error("ERR NX and XX, GT or LT options at the same time are not compatible");
            return false;
        }
        if ((condition & (ExpireCondition.Gt | ExpireCondition.Lt)) == (ExpireCondition.Gt | ExpireCondition.Lt))
        {
            ctx.Error("ERR GT and LT options at the same time are not compatible");
            return false;
        }
        return true;
    }

    private static void InvalidExpireTime(CommandContext ctx, string name) =>
        ctx.Error($"ERR invalid expire time in '{name}' command");

    [RedisCommand("TTL")]
    public static void Ttl(CommandContext ctx) => ReplyTtl(ctx, milliseconds: false, absolute: false);

    [RedisCommand("PTTL")]
    public static void PTtl(CommandContext ctx) => ReplyTtl(ctx, milliseconds: true, absolute: false);

    [RedisCommand("EXPIRETIME")]
    public static void ExpireTime(CommandContext ctx) => ReplyTtl(ctx, milliseconds: false, absolute: true);

    [RedisCommand("PEXPIRETIME")]
    public static void PExpireTime(CommandContext ctx) => ReplyTtl(ctx, milliseconds: true, absolute: true);

    /// <summary>-2 for a missing key, -1 without a time to live; seconds are rounded to the nearest.</summary>
    private static void ReplyTtl(CommandContext ctx, bool milliseconds, bool absolute)
    {
        int slot = ctx.Db.LookupReadSlot(ctx.Arg(1), touch: false);
        if (slot < 0)
        {
            ctx.Reply.WriteInteger(-2);
            return;
        }
        long expire = ctx.Db.GetExpire(slot);
        if (expire == -1)
        {
            ctx.Reply.WriteInteger(-1);
            return;
        }
        long value = absolute ? expire : expire - ctx.NowMs;
        if (value < 0) value = 0;
        ctx.Reply.WriteInteger(milliseconds ? value : (value + 500) / 1000);
    }

    [RedisCommand("PERSIST")]
    public static void Persist(CommandContext ctx)
    {
        var db = ctx.Db;
        ReadOnlySpan<byte> key = ctx.Arg(1);
        int slot = db.LookupWriteSlot(key);
        if (slot < 0 || !db.Persist(slot))
        {
            ctx.Reply.WriteInteger(0);
            return;
        }
        ctx.KeyChanged('g', "persist", db, key);
        ctx.Reply.WriteInteger(1);
    }
}
