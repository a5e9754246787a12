using Cinnabar.Propagation;
using System.Text;
using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>String values used as numbers: INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT.</summary>
public static class CounterCommands
{
    [RedisCommand("INCR")]
    public static void Incr(CommandContext ctx) => IncrementBy(ctx, 1);

    [RedisCommand("DECR")]
    public static void Decr(CommandContext ctx) => IncrementBy(ctx, -1);

    [RedisCommand("INCRBY")]
    public static void IncrBy(CommandContext ctx)
    {
        if (!ctx.TryArgLong(2, out long increment)) return;
        IncrementBy(ctx, increment);
    }

    [RedisCommand("DECRBY")]
    public static void DecrBy(CommandContext ctx)
    {
        if (!ctx.TryArgLong(2, out long decrement)) return;
        // -long.MinValue does not exist.
        if (decrement == long.MinValue) { ctx.Error("ERR decrement would overflow"); return; }
        IncrementBy(ctx, -decrement);
    }

    /// <summary>Adds to the integer in a string (missing key = 0) and stores the canonical digits (encoding int); TTL kept.</summary>
    private static void IncrementBy(CommandContext ctx, long increment)
    {
        var db = ctx.Db;
        var key = ctx.Arg(1);
        int slot = db.LookupWriteSlot(key);
        long current = 0;
        if (slot >= 0)
        {
            if (!db.Table.TryGetString(slot, out var bytes)) { ctx.WrongType(); return; }
            if (!RespParser.TryParseLong(bytes, out current)) { ctx.Error(CommandContext.NotIntegerError); return; }
        }
        if (!TryAddIncrement(ctx, current, increment, out long result)) return;
        Span<byte> buffer = stackalloc byte[20];
        var digits = buffer[..RespParser.FormatLong(result, buffer)];
        if (slot >= 0) db.ReplaceString(slot, digits);
        else db.AddString(key, digits);
        ctx.KeyChanged('$', "incrby", db, key);
        ctx.Reply.WriteInteger(result);
    }

    /// <summary>
    /// INCRBYFLOAT: long double arithmetic and "%.17Lf" output as Redis (see <see cref="ExtendedDouble"/>);
    /// the stored value is the reply text. TTL kept.
    /// </summary>
    [RedisCommand("INCRBYFLOAT")]
    public static void IncrByFloat(CommandContext ctx)
    {
        var db = ctx.Db;
        var key = ctx.Arg(1);
        int slot = db.LookupWriteSlot(key);
        var current = ExtendedDouble.Zero;
        if (slot >= 0)
        {
            if (!db.Table.TryGetString(slot, out var bytes)) { ctx.WrongType(); return; }
            if (!ExtendedDouble.TryParse(bytes, out current)) { ctx.Error(CommandContext.NotFloatError); return; }
        }
        if (!ExtendedDouble.TryParse(ctx.Arg(2), out var increment)) { ctx.Error(CommandContext.NotFloatError); return; }
        var result = current + increment;
        if (!result.IsFinite)
        {
            ctx.Error("ERR increment would produce NaN or Infinity");
            return;
        }
        var text = Encoding.ASCII.GetBytes(result.ToHumanString());
        var stored = RawString.FloatResult(text);
        if (slot >= 0) db.Replace(slot, stored);
        else db.Add(key, stored);
        ctx.KeyChanged('$', "incrbyfloat", db, key);
        // Replayed as the value it produced, so float formatting can never make a copy differ.
        if (ctx.Propagating) ctx.PropagateInstead(Verbs.Set, key.ToArray(), text, Verbs.KeepTtl);
        ctx.Reply.WriteBulk(text);
    }

    /// <summary>
    /// current + increment for INCRBY and HINCRBY; false after Redis's overflow error (checked before adding,
    /// as Redis does, so no wrapped value is ever stored).
    /// </summary>
    public static bool TryAddIncrement(CommandContext ctx, long current, long increment, out long result)
    {
        result = 0;
        if ((increment < 0 && current < 0 && increment < long.MinValue - current) ||
            (increment > 0 && current > 0 && increment > long.MaxValue - current))
        {
            ctx.Error("ERR increment or decrement would overflow");
            return false;
        }
        result = current + increment;
        return true;
    }
}
