namespace Cinnabar.Types;

/// <summary>
/// Redis's glob-style matcher (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET …) with its exact quirks:
/// <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[^a]</c>, <c>[a-z]</c> (reversed ranges allowed), backslash escapes,
/// an unterminated <c>[</c> closing at the end of the pattern, and a trailing backslash matching itself.
/// Bytes compare as C's signed <c>char</c>, and case folding (nocase) is ASCII-only, as in the C locale.
/// </summary>
public static class GlobMatcher
{
    /// <summary>Deeper star nesting than this fails the match, as Redis protects itself from abusive patterns.</summary>
    private const int MaxNesting = 1000;

    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool noCase = false)
    {
        bool skipLongerMatches = false;
        return Match(pattern, text, noCase, ref skipLongerMatches, 0);
    }

    /// <summary>True when the pattern is exactly "*", so callers can skip matching.</summary>
    public static bool MatchesEverything(ReadOnlySpan<byte> pattern) => pattern.Length == 1 && pattern[0] == '*';

    // The C original reads the NUL terminator past the end of the pattern; At() returns 0 there.
    private static int At(ReadOnlySpan<byte> s, int i) => i < s.Length ? (sbyte)s[i] : 0;

    private static int Lower(int c) => c is >= 'A' and <= 'Z' ? c + 32 : c;

    private static bool Match(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool noCase, ref bool skipLongerMatches, int nesting)
    {
        if (nesting > MaxNesting) return false;
        int p = 0, s = 0;
        while (p < pattern.Length && s < text.Length)
        {
            int sc = (sbyte)text[s];
            switch (pattern[p])
            {
                case (byte)'*':
                    while (p < pattern.Length && At(pattern, p + 1) == '*') p++;
                    if (pattern.Length - p == 1) return true;
                    while (s < text.Length)
                    {
                        if (Match(pattern[(p + 1)..], text[s..], noCase, ref skipLongerMatches, nesting + 1)) return true;
                        // The rest of the pattern matched nowhere in the rest of the text: a longer match for
                        // an earlier star cannot help either.
                        if (skipLongerMatches) return false;
                        s++;
                    }
                    skipLongerMatches = true;
                    return false;
                case (byte)'?':
                    s++;
                    break;
                case (byte)'[':
                {
                    p++;
                    bool negate = At(pattern, p) == '^';
                    if (negate) p++;
                    bool matched = false;
                    while (true)
                    {
                        int remaining = pattern.Length - p;
                        int pc = At(pattern, p);
                        if (pc == '\\' && remaining >= 2)
                        {
                            p++;
                            if (At(pattern, p) == sc) matched = true;
                        }
                        else if (pc == ']')
                        {
                            break;
                        }
                        else if (remaining == 0)
                        {
                            // Unterminated class: step back so the outer advance lands on the end.
                            p--;
                            break;
                        }
                        else if (remaining >= 3 && At(pattern, p + 1) == '-')
                        {
                            int start = pc, end = At(pattern, p + 2), c = sc;
                            if (start > end) (start, end) = (end, start);
                            if (noCase)
                            {
                                start = Lower(start);
                                end = Lower(end);
                                c = Lower(c);
                            }
                            p += 2;
                            if (c >= start && c <= end) matched = true;
                        }
                        else if (noCase ? Lower(pc) == Lower(sc) : pc == sc)
                        {
                            matched = true;
                        }
                        p++;
                    }
                    if (negate) matched = !matched;
                    if (!matched) return false;
                    s++;
                    break;
                }
                default:
                {
                    if (pattern[p] == '\\' && pattern.Length - p >= 2) p++;
                    int pc = (sbyte)pattern[p];
                    if (noCase ? Lower(pc) != Lower(sc) : pc != sc) return false;
                    s++;
                    break;
                }
            }
            p++;
            if (s == text.Length)
            {
                while (At(pattern, p) == '*') p++;
                break;
            }
        }
        return p >= pattern.Length && s == text.Length;
    }
}
