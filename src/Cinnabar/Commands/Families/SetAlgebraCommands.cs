using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// Set algebra: SINTER, SINTERCARD, SUNION, SDIFF and their STORE forms. Results are built as a set value
/// (intset while every member is an integer, as Redis 7.0 builds them), so replies list integer results
/// in sorted order as Redis does, and the STORE forms save exactly that value.
/// </summary>
public static class SetAlgebraCommands
{
    private enum Operation { Union, Difference }

    /// <summary>
    /// Looks up the sets named by arguments first..first+count-1; every key is type-checked (a missing key
    /// is null). False after WRONGTYPE.
    /// </summary>
    private static bool TryLoad(CommandContext ctx, int first, int count, bool forWrite, out RedisSet?[] sets)
    {
        sets = new RedisSet?[count];
        for (int i = 0; i < count; i++)
            if (!(forWrite ? ctx.TryLookupWrite(ctx.Arg(first + i), out sets[i]) : ctx.TryLookupRead(ctx.Arg(first + i), out sets[i]))) return false;
        return true;
    }

    /// <summary>Members of the intersection, visiting the smallest set and probing the others.</summary>
    private static RedisSet Intersect(CommandContext ctx, RedisSet?[] sets, long limit = 0)
    {
        var result = new RedisSet();
        if (Array.Exists(sets, s => s == null)) return result;
        var ordered = sets.Select(s => s!).OrderBy(s => s.Count).ToArray();
        var smallest = ordered[0];
        var limits = SetCommands.Limits(ctx);
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        for (int pos = smallest.First(); pos >= 0; pos = smallest.Next(pos))
        {
            var member = smallest.MemberAt(pos, scratch);
            bool inAll = true;
            for (int j = 1; j < ordered.Length && inAll; j++)
                if (!ReferenceEquals(ordered[j], smallest)) inAll = ordered[j].Contains(member);
            if (!inAll) continue;
            result.Add(member, limits);
            if (limit > 0 && result.Count >= limit) break;
        }
        return result;
    }

    private static RedisSet Combine(CommandContext ctx, RedisSet?[] sets, Operation op)
    {
        var result = new RedisSet();
        var limits = SetCommands.Limits(ctx);
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        if (op == Operation.Union)
        {
            foreach (var set in sets)
            {
                if (set == null) continue;
                for (int pos = set.First(); pos >= 0; pos = set.Next(pos)) result.Add(set.MemberAt(pos, scratch), limits);
            }
            return result;
        }
        var first = sets[0];
        if (first == null) return result;
        for (int pos = first.First(); pos >= 0; pos = first.Next(pos))
        {
            var member = first.MemberAt(pos, scratch);
            bool elsewhere = false;
            for (int j = 1; j < sets.Length && !elsewhere; j++)
                elsewhere = sets[j] != null && (ReferenceEquals(sets[j], first) || sets[j]!.Contains(member));
            if (!elsewhere) result.Add(member, limits);
        }
        return result;
    }

    /// <summary>Stores a result at argument 1 (deleting the key when empty) and replies its size.</summary>
    private static void Store(CommandContext ctx, RedisSet result, string @event)
    {
        var dst = ctx.Arg(1);
        if (result.Count == 0)
        {
            ctx.DeleteKey(ctx.Db, dst);
            ctx.Reply.WriteInteger(0);
            return;
        }
        ctx.Db.Set(dst, result);
        ctx.KeyChanged('s', @event, ctx.Db, dst);
        ctx.Reply.WriteInteger(result.Count);
    }

    [RedisCommand("SINTER")]
    public static void SInter(CommandContext ctx)
    {
        if (!TryLoad(ctx, 1, ctx.ArgCount - 1, forWrite: false, out var sets)) return;
        SetCommands.WriteMembers(ctx, Intersect(ctx, sets));
    }

    [RedisCommand("SINTERSTORE")]
    public static void SInterStore(CommandContext ctx)
    {
        if (!TryLoad(ctx, 2, ctx.ArgCount - 2, forWrite: true, out var sets)) return;
        Store(ctx, Intersect(ctx, sets), "sinterstore");
    }

    [RedisCommand("SINTERCARD")]
    public static void SInterCard(CommandContext ctx)
    {
        if (!RespParser.TryParseLong(ctx.Arg(1), out long numKeys) || numKeys < 1)
        {
            ctx.Error("ERR numkeys should be greater than 0");
            return;
        }
        if (numKeys > ctx.ArgCount - 2)
        {
            ctx.Error("ERR Number of keys can't be greater than number of args");
            return;
        }
        long limit = 0;
        for (int i = 2 + (int)numKeys; i < ctx.ArgCount; i += 2)
        {
            if (ctx.ArgIs(i, "LIMIT"u8) && i + 1 < ctx.ArgCount)
            {
                if (!RespParser.TryParseLong(ctx.Arg(i + 1), out limit) || limit < 0)
                {
                    ctx.Error("ERR LIMIT can't be negative");
                    return;
                }
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }
        if (!TryLoad(ctx, 2, (int)numKeys, forWrite: false, out var sets)) return;
        ctx.Reply.WriteInteger(Intersect(ctx, sets, limit).Count);
    }

    [RedisCommand("SUNION")]
    public static void SUnion(CommandContext ctx)
    {
        if (!TryLoad(ctx, 1, ctx.ArgCount - 1, forWrite: false, out var sets)) return;
        SetCommands.WriteMembers(ctx, Combine(ctx, sets, Operation.Union));
    }

    [RedisCommand("SUNIONSTORE")]
    public static void SUnionStore(CommandContext ctx)
    {
        if (!TryLoad(ctx, 2, ctx.ArgCount - 2, forWrite: true, out var sets)) return;
        Store(ctx, Combine(ctx, sets, Operation.Union), "sunionstore");
    }

    [RedisCommand("SDIFF")]
    public static void SDiff(CommandContext ctx)
    {
        if (!TryLoad(ctx, 1, ctx.ArgCount - 1, forWrite: false, out var sets)) return;
        SetCommands.WriteMembers(ctx, Combine(ctx, sets, Operation.Difference));
    }

    [RedisCommand("SDIFFSTORE")]
    public static void SDiffStore(CommandContext ctx)
    {
        if (!TryLoad(ctx, 2, ctx.ArgCount - 2, forWrite: true, out var sets)) return;
        Store(ctx, Combine(ctx, sets, Operation.Difference), "sdiffstore");
    }
}
