using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] over the selected database.</summary>
public static class ScanCommands
{
    public const string InvalidCursorError = "ERR invalid cursor";

    [ThreadStatic] private static List<int>? _slots;

    [RedisCommand("SCAN")]
    public static void Scan(CommandContext ctx)
    {
        if (!CollectionScan.TryArgCursor(ctx, 1, out ulong cursor)) return;
        long count = 10;
        int patternArg = -1, typeArg = -1;
        for (int i = 2; i < ctx.ArgCount; i++)
        {
            bool hasValue = i + 1 < ctx.ArgCount;
            if (ctx.ArgIs(i, "COUNT"u8) && hasValue)
            {
                if (!ctx.TryArgLong(i + 1, out count)) return;
                if (count < 1)
                {
                    ctx.SyntaxError();
                    return;
                }
            }
            else if (ctx.ArgIs(i, "MATCH"u8) && hasValue) patternArg = i + 1;
            else if (ctx.ArgIs(i, "TYPE"u8) && hasValue) typeArg = i + 1;
            else
            {
                ctx.SyntaxError();
                return;
            }
            i++;
        }

        var db = ctx.Db;
        var slots = _slots ??= new List<int>();
        slots.Clear();
        // Like Redis: visit buckets until COUNT keys were gathered or 10 × COUNT buckets were visited.
        // As in C, a huge COUNT wraps the limit to a negative number, which never reaches zero.
        long maxIterations = unchecked(count * 10);
        if (db.Count > 0)
        {
            do cursor = db.Table.Scan(cursor, slots);
            while (cursor != 0 && maxIterations-- != 0 && slots.Count < count);
        }
        else cursor = 0;

        // Filtering may expire keys, which frees slots: take the keys first.
        var keys = new List<byte[]>(slots.Count);
        foreach (int slot in slots) keys.Add(db.Table.KeyArray(slot));
        ReadOnlySpan<byte> pattern = patternArg > 0 ? ctx.Arg(patternArg) : default;
        bool usePattern = patternArg > 0 && !GlobMatcher.MatchesEverything(pattern);
        int kept = 0;
        for (int i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (usePattern && !GlobMatcher.IsMatch(pattern, key)) continue;
            int slot = db.PeekSlot(key);
            if (slot < 0) continue; // expired: deleted now, as Redis does
            if (typeArg > 0 && !System.Text.Ascii.EqualsIgnoreCase(ctx.Arg(typeArg), db.Table.TypeNameAt(slot))) continue;
            keys[kept++] = key;
        }

        ctx.Reply.WriteArrayHeader(2);
        Span<byte> digits = stackalloc byte[20];
        cursor.TryFormat(digits, out int n);
        ctx.Reply.WriteBulk(digits[..n]);
        ctx.Reply.WriteArrayHeader(kept);
        for (int i = 0; i < kept; i++) ctx.Reply.WriteBulk(keys[i]);
    }

    /// <summary>
    /// Parses a cursor as Redis does with strtoul: no leading space, optional sign (a negative value wraps
    /// around), decimal digits, nothing after; the empty string is cursor 0; beyond 64 bits is invalid.
    /// </summary>
    public static bool TryParseCursor(ReadOnlySpan<byte> text, out ulong cursor)
    {
        cursor = 0;
        int nul = text.IndexOf((byte)0);
        if (nul >= 0) text = text[..nul];
        if (text.Length == 0) return true;
        if (text[0] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f') return false;
        bool negative = false;
        int i = 0;
        if (text[0] is (byte)'+' or (byte)'-')
        {
            negative = text[0] == '-';
            i++;
        }
        if (i == text.Length) return false;
        ulong value = 0;
        for (; i < text.Length; i++)
        {
            uint d = (uint)(text[i] - '0');
            if (d > 9) return false;
            if (value > (ulong.MaxValue - d) / 10) return false;
            value = value * 10 + d;
        }
        cursor = negative ? unchecked(0UL - value) : value;
        return true;
    }
}
