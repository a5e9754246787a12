using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>Byte-range reads and edits of string values: APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE.</summary>
public static class StringRangeCommands
{
    public const string TooLongError = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    /// <summary>
    /// The value in <paramref name="slot"/> as a <see cref="RawString"/> that may be written in place: an
    /// immutable byte[] is copied into one and stored back (Redis's dbUnshareStringValue). Keeps the TTL.
    /// </summary>
    public static RawString Unshare(Database db, int slot)
    {
        if (db.Table.BoxedAt(slot) is RawString raw) return raw;
        db.Table.TryGetString(slot, out var bytes);
        raw = new RawString(bytes);
        db.Replace(slot, raw);
        return raw;
    }

    /// <summary>Redis's checkStringLength: a string may not grow beyond proto-max-bulk-len.</summary>
    public static bool CheckLength(CommandContext ctx, long length, long added)
    {
        // Written so that a huge offset cannot overflow into a small total.
        if (added <= ctx.Server.Config.ProtoMaxBulkLen - length) return true;
        ctx.Error(TooLongError);
        return false;
    }

    [RedisCommand("APPEND")]
    public static void Append(CommandContext ctx)
    {
        var db = ctx.Db;
        var key = ctx.Arg(1);
        var tail = ctx.Arg(2);
        int slot = db.LookupWriteSlot(key);
        long length;
        if (slot < 0)
        {
            db.AddString(key, tail);
            length = tail.Length;
        }
        else
        {
            if (!db.Table.TryGetString(slot, out var current)) { ctx.WrongType(); return; }
            if (!CheckLength(ctx, current.Length, tail.Length)) return;
            var raw = Unshare(db, slot);
            raw.Append(tail);
            length = raw.Length;
        }
        ctx.KeyChanged('$', "append", db, key);
        ctx.Reply.WriteInteger(length);
    }

    [RedisCommand("STRLEN")]
    public static void StrLen(CommandContext ctx)
    {
        int found = ctx.Db.LookupReadString(ctx.Arg(1), out var bytes);
        if (found == 0) ctx.Reply.WriteInteger(0);
        else if (found > 0) ctx.Reply.WriteInteger(bytes.Length);
        else ctx.WrongType();
    }

    [RedisCommand("GETRANGE")]
    public static void GetRange(CommandContext ctx) => GetRangeGeneric(ctx);

    /// <summary>SUBSTR is the old name of GETRANGE.</summary>
    [RedisCommand("SUBSTR")]
    public static void Substr(CommandContext ctx) => GetRangeGeneric(ctx);

    private static void GetRangeGeneric(CommandContext ctx)
    {
        if (!ctx.TryArgLong(2, out long start) || !ctx.TryArgLong(3, out long end)) return;
        int found = ctx.Db.LookupReadString(ctx.Arg(1), out var bytes);
        if (found == 0) { ctx.Reply.WriteBulk(ReadOnlySpan<byte>.Empty); return; }
        if (found < 0) { ctx.WrongType(); return; }
        if (!ClampRange(ref start, ref end, bytes.Length)) { ctx.Reply.WriteBulk(ReadOnlySpan<byte>.Empty); return; }
        ctx.Reply.WriteBulk(bytes.Slice((int)start, (int)(end - start + 1)));
    }

    /// <summary>
    /// Redis's range rules for GETRANGE, BITCOUNT and BITPOS: negative indexes count from the end, both are
    /// clamped into the string, and two negative indexes with start &gt; end select nothing.
    /// Returns false for an empty selection.
    /// </summary>
    public static bool ClampRange(ref long start, ref long end, long length)
    {
        if (start < 0 && end < 0 && start > end) return false;
        if (start < 0) start += length;
        if (end < 0) end += length;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= length) end = length - 1;
        return start <= end && length > 0;
    }

    /// <summary>SETRANGE key offset value: overwrites from offset, zero-padding a shorter string; replies the new length.</summary>
    [RedisCommand("SETRANGE")]
    public static void SetRange(CommandContext ctx)
    {
        if (!ctx.TryArgLong(2, out long offset)) return;
        if (offset < 0) { ctx.Error("ERR offset is out of range"); return; }
        var db = ctx.Db;
        var key = ctx.Arg(1);
        var patch = ctx.Arg(3);
        int slot = db.LookupWriteSlot(key);
        RawString raw;
        if (slot < 0)
        {
            // Setting nothing on a missing key creates nothing.
            if (patch.Length == 0) { ctx.Reply.WriteInteger(0); return; }
            if (!CheckLength(ctx, offset, patch.Length)) return;
            raw = RawString.Zeroed((int)(offset + patch.Length));
            db.Add(key, raw);
        }
        else
        {
            if (!db.Table.TryGetString(slot, out var current)) { ctx.WrongType(); return; }
            if (patch.Length == 0) { ctx.Reply.WriteInteger(current.Length); return; }
            if (!CheckLength(ctx, offset, patch.Length)) return;
            raw = Unshare(db, slot);
            raw.GrowZero((int)(offset + patch.Length));
        }
        patch.CopyTo(raw.WritableSpan[(int)offset..]);
        ctx.KeyChanged('$', "setrange", db, key);
        ctx.Reply.WriteInteger(raw.Length);
    }
}
