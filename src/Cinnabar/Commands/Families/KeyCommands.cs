using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// The generic keys family: DEL, UNLINK, EXISTS, TYPE, TOUCH, RENAME, RENAMENX, COPY, MOVE, KEYS, RANDOMKEY.
/// Expiry commands live in <see cref="ExpireCommands"/>, SCAN in <see cref="ScanCommands"/>, the database
/// commands in <see cref="DatabaseCommands"/>, OBJECT in <see cref="ObjectCommands"/>.
/// </summary>
public static class KeyCommands
{
    public const string NoSuchKeyError = "ERR no such key";
    public const string SameObjectError = "ERR source and destination objects are the same";
    public const string DbIndexOutOfRangeError = "ERR DB index is out of range";

    [RedisCommand("DEL")]
    public static void Del(CommandContext ctx) => DeleteKeys(ctx);

    /// <summary>UNLINK frees values in the background in Redis; here freeing is the garbage collector's job anyway.</summary>
    [RedisCommand("UNLINK")]
    public static void Unlink(CommandContext ctx) => DeleteKeys(ctx);

    private static void DeleteKeys(CommandContext ctx)
    {
        var db = ctx.Db;
        long deleted = 0;
        for (int i = 1; i < ctx.ArgCount; i++)
            if (ctx.DeleteKey(db, ctx.Arg(i))) deleted++;
        ctx.Reply.WriteInteger(deleted);
    }

    /// <summary>Counts every argument that exists, so a key named twice counts twice.</summary>
    [RedisCommand("EXISTS")]
    public static void Exists(CommandContext ctx)
    {
        long count = 0;
        for (int i = 1; i < ctx.ArgCount; i++)
            if (ctx.Db.LookupReadSlot(ctx.Arg(i), touch: false) >= 0) count++;
        ctx.Reply.WriteInteger(count);
    }

    /// <summary>TOUCH updates access times even for a CLIENT NO-TOUCH client: touching is its whole purpose.</summary>
    [RedisCommand("TOUCH")]
    public static void Touch(CommandContext ctx)
    {
        bool suppressed = ctx.Server.SuppressTouch;
        ctx.Server.SuppressTouch = false;
        long count = 0;
        for (int i = 1; i < ctx.ArgCount; i++)
            if (ctx.Db.LookupReadSlot(ctx.Arg(i)) >= 0) count++;
        ctx.Server.SuppressTouch = suppressed;
        ctx.Reply.WriteInteger(count);
    }

    [RedisCommand("TYPE")]
    public static void Type(CommandContext ctx)
    {
        int slot = ctx.Db.LookupReadSlot(ctx.Arg(1), touch: false);
        ctx.Reply.WriteSimpleString(slot < 0 ? "none" : ctx.Db.Table.TypeNameAt(slot));
    }

    [RedisCommand("RENAME")]
    public static void Rename(CommandContext ctx) => RenameKey(ctx, onlyIfAbsent: false);

    [RedisCommand("RENAMENX")]
    public static void RenameNx(CommandContext ctx) => RenameKey(ctx, onlyIfAbsent: true);

    private static void RenameKey(CommandContext ctx, bool onlyIfAbsent)
    {
        var db = ctx.Db;
        ReadOnlySpan<byte> from = ctx.Arg(1), to = ctx.Arg(2);
        int source = db.LookupWriteSlot(from);
        if (source < 0)
        {
            ctx.Error(NoSuchKeyError);
            return;
        }
        // Renaming a key onto itself does nothing, but only after the source was found to exist.
        if (from.SequenceEqual(to))
        {
            if (onlyIfAbsent) ctx.Reply.WriteInteger(0);
            else ctx.Reply.WriteOk();
            return;
        }
        int target = db.LookupWriteSlot(to, touch: false);
        if (target >= 0)
        {
            if (onlyIfAbsent)
            {
                ctx.Reply.WriteInteger(0);
                return;
            }
            db.DeleteSlot(target);
        }
        // Slots never move, so the source slot stays valid across the delete and the insert.
        MoveEntry(ctx, db, source, from, db, to, "rename_from", "rename_to");
        if (onlyIfAbsent) ctx.Reply.WriteInteger(1);
        else ctx.Reply.WriteOk();
    }

    /// <summary>COPY source destination [DB index] [REPLACE].</summary>
    [RedisCommand("COPY")]
    public static void Copy(CommandContext ctx)
    {
        var source = ctx.Db;
        var target = ctx.Db;
        bool replace = false;
        for (int i = 3; i < ctx.ArgCount; i++)
        {
            if (ctx.ArgIs(i, "REPLACE"u8))
            {
                replace = true;
            }
            else if (ctx.ArgIs(i, "DB"u8) && i + 1 < ctx.ArgCount)
            {
                if (!TryDbIndex(ctx, i + 1, out var db)) return;
                target = db;
                i++;
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }
        ReadOnlySpan<byte> from = ctx.Arg(1), to = ctx.Arg(2);
        if (source == target && from.SequenceEqual(to))
        {
            ctx.Error(SameObjectError);
            return;
        }
        int slot = source.LookupReadSlot(from);
        if (slot < 0)
        {
            ctx.Reply.WriteInteger(0);
            return;
        }
        object value = source.Table.ValueAt(slot);
        long expire = source.GetExpire(slot);
        int existing = target.LookupWriteSlot(to, touch: false);
        if (existing >= 0)
        {
            if (!replace)
            {
                ctx.Reply.WriteInteger(0);
                return;
            }
            target.DeleteSlot(existing);
        }
        var copy = ValueKind.DeepCopy(value);
        int added = target.Add(to, copy);
        target.Table.MarkUnshared(added);
        if (expire != -1) target.SetExpire(added, expire);
        ctx.KeyChanged('g', "copy_to", target, to);
        ctx.Reply.WriteInteger(1);
    }

    [RedisCommand("MOVE")]
    public static void Move(CommandContext ctx)
    {
        var source = ctx.Db;
        if (!TryDbIndex(ctx, 2, out var target)) return;
        if (source == target)
        {
            ctx.Error(SameObjectError);
            return;
        }
        ReadOnlySpan<byte> key = ctx.Arg(1);
        int slot = source.LookupWriteSlot(key);
        if (slot < 0 || target.LookupWriteSlot(key, touch: false) >= 0)
        {
            ctx.Reply.WriteInteger(0);
            return;
        }
        MoveEntry(ctx, source, slot, key, target, key, "move_from", "move_to");
        ctx.Reply.WriteInteger(1);
    }

    /// <summary>
    /// RENAME's and MOVE's common step: the entry at <paramref name="slot"/> of <paramref name="source"/> goes to the
    /// free name <paramref name="to"/> of <paramref name="target"/> with its value, LRU/LFU access and TTL; then the
    /// WATCH hooks of both names, the "from" and "to" keyspace events, and the dirty count.
    /// </summary>
    private static void MoveEntry(CommandContext ctx, Database source, int slot, ReadOnlySpan<byte> from,
        Database target, ReadOnlySpan<byte> to, string fromEvent, string toEvent)
    {
        object value = source.Table.ValueAt(slot);
        uint access = source.Table.At(slot).Access;
        bool unshared = source.Table.IsUnshared(slot);
        long expire = source.GetExpire(slot);
        // Out of the source table first: a value is counted by one table at a time.
        source.DeleteSlot(slot);
        int added = target.Add(to, value, access);
        if (unshared) target.Table.MarkUnshared(added);
        if (expire != -1) target.SetExpire(added, expire);
        ctx.KeyModified(source, from);
        ctx.KeyModified(target, to);
        ctx.Notify('g', fromEvent, source, from);
        ctx.Notify('g', toEvent, target, to);
        ctx.Dirty();
    }

    /// <summary>KEYS pattern: every live key matching; expired keys are skipped but left for expiry to delete.</summary>
    [RedisCommand("KEYS")]
    public static void Keys(CommandContext ctx)
    {
        var db = ctx.Db;
        ReadOnlySpan<byte> pattern = ctx.Arg(1);
        bool all = GlobMatcher.MatchesEverything(pattern);
        var matches = new List<byte[]>();
        foreach (int slot in db.Table.Slots())
        {
            byte[] key = db.Table.KeyArray(slot);
            if ((all || GlobMatcher.IsMatch(pattern, key)) && !db.IsExpired(slot)) matches.Add(key);
        }
        ctx.Reply.WriteArrayHeader(matches.Count);
        foreach (var key in matches) ctx.Reply.WriteBulk(key);
    }

    [RedisCommand("RANDOMKEY")]
    public static void RandomKey(CommandContext ctx)
    {
        byte[]? key = ctx.Db.RandomKey(Random.Shared);
        if (key == null) ctx.Reply.WriteNull();
        else ctx.Reply.WriteBulk(key);
    }

    /// <summary>
    /// Parses a database index as Redis's getIntFromObjectOrReply + selectDb: a non-integer and an integer
    /// beyond 32 bits have their own errors, an integer outside 0..databases-1 is "DB index is out of range".
    /// </summary>
    public static bool TryDbIndex(CommandContext ctx, int arg, out Database db)
    {
        db = null!;
        if (!ctx.TryArgLong(arg, out long index)) return false;
        if (index < int.MinValue || index > int.MaxValue)
        {
            ctx.Error("ERR value is out of range, value must between -2147483648 and 2147483647");
            return false;
        }
        var dbs = ctx.Server.Databases;
        if (index < 0 || index >= dbs.Length)
        {
            ctx.Error(DbIndexOutOfRangeError);
            return false;
        }
        db = dbs[index];
        return true;
    }
}
