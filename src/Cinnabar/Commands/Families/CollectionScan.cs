namespace Cinnabar.Commands.Families;

/// <summary>
/// Argument handling shared by HSCAN and SSCAN (and usable by ZSCAN): the cursor as Redis's strtoul-based
/// parser reads it, and the MATCH / COUNT options, plus the glob matcher MATCH uses.
/// </summary>
public static class CollectionScan
{
    public const string InvalidCursorError = "ERR invalid cursor";

    /// <summary>
    /// Parses a cursor as strtoul does: optional sign (a minus wraps modulo 2^64, so "-1" is the largest
    /// cursor), decimal digits, no spaces; an empty string is cursor 0. Overflow is refused.
    /// </summary>
    public static bool TryParseCursor(ReadOnlySpan<byte> s, out ulong cursor)
    {
        cursor = 0;
        if (s.Length == 0) return true;
        int i = 0;
        bool negative = false;
        if (s[0] == '+' || s[0] == '-') { negative = s[0] == '-'; i = 1; }
        if (i == s.Length) return false;
        ulong v = 0;
        for (; i < s.Length; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) return false;
            if (v > (ulong.MaxValue - d) / 10) return false;
            v = v * 10 + d;
        }
        cursor = negative ? 0 - v : v;
        return true;
    }

    /// <summary>Reads the cursor argument; on failure writes Redis's error.</summary>
    public static bool TryArgCursor(CommandContext ctx, int index, out ulong cursor)
    {
        if (TryParseCursor(ctx.Arg(index), out cursor)) return true;
        ctx.Error(InvalidCursorError);
        return false;
    }

    /// <summary>
    /// Parses MATCH / COUNT from argument <paramref name="first"/> on. Returns false after writing the error.
    /// <paramref name="patternIndex"/> is the argument holding the last MATCH pattern, or -1.
    /// </summary>
    public static bool TryParseOptions(CommandContext ctx, int first, out int patternIndex, out long count)
    {
        patternIndex = -1;
        count = 10;
        for (int i = first; i < ctx.ArgCount; i += 2)
        {
            bool hasValue = i + 1 < ctx.ArgCount;
            if (ctx.ArgIs(i, "COUNT"u8) && hasValue)
            {
                if (!ctx.TryArgLong(i + 1, out count)) return false;
                if (count < 1) { ctx.SyntaxError(); return false; }
            }
            else if (ctx.ArgIs(i, "MATCH"u8) && hasValue)
            {
                patternIndex = i + 1;
            }
            else
            {
                ctx.SyntaxError();
                return false;
            }
        }
        return true;
    }

    /// <summary>True when the pattern is "*", which matches everything (Redis skips matching then).</summary>
    public static bool MatchesAll(ReadOnlySpan<byte> pattern) => Types.GlobMatcher.MatchesEverything(pattern);
}
