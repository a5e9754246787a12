using Cinnabar.Propagation;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// The string family's whole-value commands: GET, SET and its variants, GETEX, GETDEL, GETSET, MGET, MSET,
/// MSETNX. Range edits are in <see cref="StringRangeCommands"/>, counters in <see cref="CounterCommands"/>.
/// </summary>
public static class StringCommands
{
    /// <summary>Option bits shared by SET and GETEX (Redis's OBJ_SET_* / OBJ_EX … flags).</summary>
    [Flags]
    private enum SetFlags
    {
        None = 0,
        Nx = 1,
        Xx = 2,
        Get = 4,
        KeepTtl = 8,
        Persist = 16,
        Ex = 32,
        Px = 64,
        ExAt = 128,
        PxAt = 256,
        AnyExpire = Ex | Px | ExAt | PxAt,
    }

    [RedisCommand("GET")]
    public static void Get(CommandContext ctx) => TryReplyValue(ctx, ctx.Arg(1));

    /// <summary>
    /// GET's reply, shared by SET ... GET and GETSET: the string at <paramref name="key"/>, or null when missing.
    /// False after WRONGTYPE, so the caller stops.
    /// </summary>
    private static bool TryReplyValue(CommandContext ctx, ReadOnlySpan<byte> key)
    {
        int slot = ctx.Db.LookupReadSlot(key);
        if (slot < 0) ctx.Reply.WriteNull();
        else if (ctx.Db.Table.TryGetString(slot, out var bytes)) ctx.Reply.WriteBulk(bytes);
        else { ctx.WrongType(); return false; }
        return true;
    }

    /// <summary>SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL].</summary>
    [RedisCommand("SET")]
    public static void Set(CommandContext ctx)
    {
        if (!ParseOptions(ctx, 3, forSet: true, out var flags, out int expireArg)) return;
        long expireAt = 0;
        if (expireArg > 0 && !TryExpireTime(ctx, expireArg, flags, "set", out expireAt)) return;
        SetGeneric(ctx, flags, ctx.Arg(1), 2, expireArg > 0, expireAt, integerReply: false);
    }

    [RedisCommand("SETNX")]
    public static void SetNx(CommandContext ctx) => SetGeneric(ctx, SetFlags.Nx, ctx.Arg(1), 2, false, 0, integerReply: true);

    [RedisCommand("SETEX")]
    public static void SetEx(CommandContext ctx) => SetWithTtl(ctx, SetFlags.Ex, "setex");

    [RedisCommand("PSETEX")]
    public static void PSetEx(CommandContext ctx) => SetWithTtl(ctx, SetFlags.Px, "psetex");

    private static void SetWithTtl(CommandContext ctx, SetFlags unit, string name)
    {
        if (!TryExpireTime(ctx, 2, unit, name, out long expireAt)) return;
        SetGeneric(ctx, SetFlags.None, ctx.Arg(1), 3, true, expireAt, integerReply: false);
    }

    /// <summary>
    /// The common tail of SET, SETNX, SETEX, PSETEX: the GET reply, the NX/XX condition, the write, the TTL.
    /// <paramref name="integerReply"/> selects SETNX's :1 / :0 instead of +OK / null.
    /// </summary>
    private static void SetGeneric(CommandContext ctx, SetFlags flags, ReadOnlySpan<byte> key, int valueArg,
        bool hasExpire, long expireAt, bool integerReply)
    {
        var db = ctx.Db;
        if ((flags & SetFlags.Get) != 0 && !TryReplyValue(ctx, key)) return;
        // Only NX / XX need a separate existence check; a plain SET goes straight to one lookup-and-store.
        bool conditional = (flags & (SetFlags.Nx | SetFlags.Xx)) != 0;
        bool found = conditional && db.LookupWriteSlot(key, touch: false) >= 0;
        if (conditional && ((flags & SetFlags.Nx) != 0 ? found : !found))
        {
            if ((flags & SetFlags.Get) == 0)
            {
                if (integerReply) ctx.Reply.WriteInteger(0);
                else ctx.Reply.WriteNull();
            }
            return;
        }
        var value = ctx.Arg(valueArg);
        int slot = db.SetString(key, value, keepTtl: (flags & SetFlags.KeepTtl) != 0);
        ctx.KeyModified(db, key);
        ctx.Dirty();
        ctx.Notify('$', "set", db, key);
        if (hasExpire)
        {
            db.SetExpire(slot, expireAt);
            ctx.Notify('g', "expire", db, key);
            // A relative or second-based expire is replayed as the absolute millisecond it ends at.
            if (ctx.Propagating) ctx.PropagateInstead(Verbs.Set, key.ToArray(), value.ToArray(), Verbs.PxAt, Verbs.Number(expireAt));
        }
        if ((flags & SetFlags.Get) != 0) return;
        if (integerReply) ctx.Reply.WriteInteger(1);
        else ctx.Reply.WriteOk();
    }

    /// <summary>
    /// Parses SET's or GETEX's options from argument <paramref name="first"/> on, with Redis's rules: each
    /// option may repeat, but conflicting ones (NX+XX, two different expire kinds, KEEPTTL or PERSIST with an
    /// expire) are a syntax error. <paramref name="expireArg"/> is the index of the expire value, or 0.
    /// </summary>
    private static bool ParseOptions(CommandContext ctx, int first, bool forSet, out SetFlags flags, out int expireArg)
    {
        flags = SetFlags.None;
        expireArg = 0;
        for (int j = first; j < ctx.ArgCount; j++)
        {
            bool hasNext = j < ctx.ArgCount - 1;
            if (forSet && ctx.ArgIs(j, "NX"u8) && (flags & SetFlags.Xx) == 0) flags |= SetFlags.Nx;
            else if (forSet && ctx.ArgIs(j, "XX"u8) && (flags & SetFlags.Nx) == 0) flags |= SetFlags.Xx;
            else if (forSet && ctx.ArgIs(j, "GET"u8)) flags |= SetFlags.Get;
            else if (forSet && ctx.ArgIs(j, "KEEPTTL"u8) && (flags & SetFlags.AnyExpire) == 0) flags |= SetFlags.KeepTtl;
            else if (!forSet && ctx.ArgIs(j, "PERSIST"u8) && (flags & SetFlags.AnyExpire) == 0) flags |= SetFlags.Persist;
            else if (hasNext && TryExpireOption(ctx, j, flags, out var unit))
            {
                flags |= unit;
                expireArg = ++j;
            }
            else
            {
                ctx.SyntaxError();
                return false;
            }
        }
        return true;
    }

    /// <summary>EX/PX/EXAT/PXAT at argument <paramref name="j"/>, allowed when no other expire kind (nor KEEPTTL/PERSIST) is set.</summary>
    private static bool TryExpireOption(CommandContext ctx, int j, SetFlags flags, out SetFlags unit)
    {
        if (ctx.ArgIs(j, "EX"u8)) unit = SetFlags.Ex;
        else if (ctx.ArgIs(j, "PX"u8)) unit = SetFlags.Px;
        else if (ctx.ArgIs(j, "EXAT"u8)) unit = SetFlags.ExAt;
        else if (ctx.ArgIs(j, "PXAT"u8)) unit = SetFlags.PxAt;
        else { unit = SetFlags.None; return false; }
        var conflicting = (SetFlags.AnyExpire & ~unit) | SetFlags.KeepTtl | SetFlags.Persist;
        return (flags & conflicting) == 0;
    }

    /// <summary>
    /// Converts the expire argument to an absolute Unix time in ms as Redis does: not positive, or
    /// overflowing when scaled or offset by now, is "invalid expire time in '<paramref name="command"/>' command".
    /// </summary>
    private static bool TryExpireTime(CommandContext ctx, int arg, SetFlags flags, string command, out long unixMs)
    {
        unixMs = 0;
        if (!ctx.TryArgLong(arg, out long value)) return false;
        bool seconds = (flags & (SetFlags.Ex | SetFlags.ExAt)) != 0;
        if (value <= 0 || (seconds && value > long.MaxValue / 1000))
        {
            ctx.Error($"ERR invalid expire time in '{command}' command");
            return false;
        }
        if (seconds) value *= 1000;
        if ((flags & (SetFlags.Ex | SetFlags.Px)) != 0) value = unchecked(value + ctx.NowMs);
        if (value <= 0)
        {
            ctx.Error($"ERR invalid expire time in '{command}' command");
            return false;
        }
        unixMs = value;
        return true;
    }

    /// <summary>GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]: replies the value, then changes its TTL.</summary>
    [RedisCommand("GETEX")]
    public static void GetEx(CommandContext ctx)
    {
        if (!ParseOptions(ctx, 2, forSet: false, out var flags, out int expireArg)) return;
        var db = ctx.Db;
        var key = ctx.Arg(1);
        int found = db.LookupReadSlot(key);
        if (found < 0) { ctx.Reply.WriteNull(); return; }
        if (!db.Table.TryGetString(found, out var bytes)) { ctx.WrongType(); return; }
        long expireAt = 0;
        if (expireArg > 0 && !TryExpireTime(ctx, expireArg, flags, "getex", out expireAt)) return;
        ctx.Reply.WriteBulk(bytes);

        int slot = db.LookupWriteSlot(key, touch: false);
        if ((flags & (SetFlags.ExAt | SetFlags.PxAt)) != 0 && ctx.AlreadyExpired(expireAt))
        {
            // An absolute time already past deletes the key right away.
            db.DeleteSlot(slot);
            ctx.KeyChanged('g', "del", db, key);
            if (ctx.Propagating) ctx.PropagateInstead(Verbs.Del, key.ToArray());
        }
        else if (expireArg > 0)
        {
            db.SetExpire(slot, expireAt);
            ctx.KeyChanged('g', "expire", db, key);
            if (ctx.Propagating) ctx.PropagateInstead(Verbs.PExpireAt, key.ToArray(), Verbs.Number(expireAt));
        }
        else if ((flags & SetFlags.Persist) != 0 && db.Persist(slot))
        {
            ctx.KeyChanged('g', "persist", db, key);
            if (ctx.Propagating) ctx.PropagateInstead(Verbs.Persist, key.ToArray());
        }
    }

    [RedisCommand("GETDEL")]
    public static void GetDel(CommandContext ctx)
    {
        var db = ctx.Db;
        var key = ctx.Arg(1);
        int slot = db.LookupReadSlot(key);
        if (slot < 0) { ctx.Reply.WriteNull(); return; }
        if (!db.Table.TryGetString(slot, out var bytes)) { ctx.WrongType(); return; }
        ctx.Reply.WriteBulk(bytes);
        ctx.DeleteKey(db, key);
    }

    [RedisCommand("GETSET")]
    public static void GetSet(CommandContext ctx)
    {
        var db = ctx.Db;
        var key = ctx.Arg(1);
        if (!TryReplyValue(ctx, key)) return;
        db.SetString(key, ctx.Arg(2));
        ctx.KeyChanged('$', "set", db, key);
    }

    [RedisCommand("MGET")]
    public static void MGet(CommandContext ctx)
    {
        ctx.Reply.WriteArrayHeader(ctx.ArgCount - 1);
        for (int i = 1; i < ctx.ArgCount; i++)
        {
            // Keys of other types read as null, not as an error.
            int slot = ctx.Db.LookupReadSlot(ctx.Arg(i));
            if (slot >= 0 && ctx.Db.Table.TryGetString(slot, out var bytes)) ctx.Reply.WriteBulk(bytes);
            else ctx.Reply.WriteNull();
        }
    }

    [RedisCommand("MSET")]
    public static void MSet(CommandContext ctx)
    {
        if (!CheckPairs(ctx)) return;
        SetPairs(ctx);
        ctx.Reply.WriteOk();
    }

    /// <summary>MSETNX: sets every pair only when none of the keys exists; replies 1 or 0.</summary>
    [RedisCommand("MSETNX")]
    public static void MSetNx(CommandContext ctx)
    {
        if (!CheckPairs(ctx)) return;
        for (int i = 1; i < ctx.ArgCount; i += 2)
        {
            if (ctx.Db.LookupWriteSlot(ctx.Arg(i), touch: false) >= 0)
            {
                ctx.Reply.WriteInteger(0);
                return;
            }
        }
        SetPairs(ctx);
        ctx.Reply.WriteInteger(1);
    }

    private static bool CheckPairs(CommandContext ctx)
    {
        if (ctx.ArgCount % 2 == 1) return true;
        ctx.Error($"ERR wrong number of arguments for '{ctx.Command.DisplayName}' command");
        return false;
    }

    private static void SetPairs(CommandContext ctx)
    {
        var db = ctx.Db;
        for (int i = 1; i < ctx.ArgCount; i += 2)
        {
            db.SetString(ctx.Arg(i), ctx.Arg(i + 1));
            ctx.KeyModified(db, ctx.Arg(i));
            ctx.Notify('$', "set", db, ctx.Arg(i));
        }
        ctx.Dirty((ctx.ArgCount - 1) / 2);
    }
}
