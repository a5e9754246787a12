namespace Cinnabar.Types;

/// <summary>
/// Redis's glob matching (stringmatchlen): '*', '?', '[abc]', '[^a]', '[a-z]' and '\' escapes, optionally
/// case-insensitive. Used by KEYS, SCAN MATCH, PSUBSCRIBE, PUBSUB CHANNELS and CONFIG GET.
/// </summary>
public static class GlobMatcher
{
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool noCase = false)
    {
        int skipLongerMatches = 0;
        return Match(pattern, text, noCase, ref skipLongerMatches, 0);
    }

    private static bool Match(ReadOnlySpan<byte> p, ReadOnlySpan<byte> s, bool noCase, ref int skipLonger, int nesting)
    {
        // Protect against abusive patterns that would recurse too deep.
        if (nesting > 1000) return false;
        while (p.Length > 0 && s.Length > 0)
        {
            switch (p[0])
            {
                case (byte)'*':
                    while (p.Length > 1 && p[1] == '*') p = p[1..];
                    if (p.Length == 1) return true;
                    while (s.Length > 0)
                    {
                        if (Match(p[1..], s, noCase, ref skipLonger, nesting + 1)) return true;
                        if (skipLonger != 0) return false;
                        s = s[1..];
                    }
                    skipLonger = 1;
                    return false;
                case (byte)'?':
                    s = s[1..];
                    break;
                case (byte)'[':
                {
                    p = p[1..];
                    bool not = p.Length > 0 && p[0] == '^';
                    if (not) p = p[1..];
                    bool match = false;
                    while (true)
                    {
                        if (p.Length == 0) break;
                        if (p[0] == '\\' && p.Length >= 2)
                        {
                            p = p[1..];
                            if (p[0] == s[0]) match = true;
                        }
                        else if (p[0] == ']')
                        {
                            break;
                        }
                        else if (p.Length >= 3 && p[1] == '-')
                        {
                            int start = p[0], end = p[2], c = s[0];
                            if (start > end) (start, end) = (end, start);
                            if (noCase)
                            {
                                start = Lower(start);
                                end = Lower(end);
                                c = Lower(c);
                            }
                            p = p[2..];
                            if (c >= start && c <= end) match = true;
                        }
                        else if (Eq(p[0], s[0], noCase))
                        {
                            match = true;
                        }
                        p = p[1..];
                    }
                    if (p.Length == 0)
                    {
                        // Unterminated class: Redis treats the end of the pattern as its end.
                        if (not) match = !match;
                        if (!match) return false;
                        s = s[1..];
                        return s.Length == 0;
                    }
                    if (not) match = !match;
                    if (!match) return false;
                    s = s[1..];
                    break;
                }
                case (byte)'\\':
                    if (p.Length >= 2) p = p[1..];
                    if (!Eq(p[0], s[0], noCase)) return false;
                    s = s[1..];
                    break;
                default:
                    if (!Eq(p[0], s[0], noCase)) return false;
                    s = s[1..];
                    break;
            }
            p = p[1..];
            if (s.Length == 0)
            {
                while (p.Length > 0 && p[0] == '*') p = p[1..];
                break;
            }
        }
        return p.Length == 0 && s.Length == 0;
    }

    private static int Lower(int c) => c is >= 'A' and <= 'Z' ? c + 32 : c;
    private static bool Eq(byte a, byte b, bool noCase) => noCase ? Lower(a) == Lower(b) : a == b;
}
