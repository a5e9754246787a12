using System.Globalization;
using System.Text;

namespace Cinnabar.Types;

/// <summary>One end of a score range as ZRANGEBYSCORE takes it: <c>1.5</c>, <c>(1.5</c> (exclusive), <c>-inf</c>, <c>+inf</c>.</summary>
public readonly record struct ScoreBound(double Value, bool Exclusive)
{
    /// <summary>
    /// Parses as Redis's zslParseRange: an optional '(' then strtod over the whole rest (leading blanks
    /// allowed, empty means 0, overflow gives ±inf); NaN is refused.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out ScoreBound bound)
    {
        bool exclusive = text.Length > 0 && text[0] == (byte)'(';
        if (exclusive) text = text[1..];
        bound = default;
        if (!TryStrtod(text, out double v)) return false;
        bound = new ScoreBound(v, exclusive);
        return true;
    }

    internal static bool TryStrtod(ReadOnlySpan<byte> text, out double value)
    {
        // zslParseRange ignores ERANGE: "1e400" is +inf there.
        return Strtod.TryParseWhole(text, out value, out _) && !double.IsNaN(value);
    }
}

/// <summary>
/// C's strtod as Redis uses it on whole arguments (glibc rules): leading whitespace, sign, decimal with
/// optional exponent, hexadecimal (<c>0x1p3</c>), <c>inf</c>/<c>infinity</c>/<c>nan</c>; empty input is 0.
/// Reports ERANGE (overflow, or underflow to zero) separately because each caller treats it differently.
/// </summary>
public static class Strtod
{
    /// <summary>Parses; false unless the whole input is consumed.</summary>
    public static bool TryParseWhole(ReadOnlySpan<byte> text, out double value, out bool rangeError)
    {
        value = 0;
        rangeError = false;
        int i = 0;
        while (i < text.Length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) i++;
        text = text[i..];
        if (text.Length == 0) return true; // strtod consumes nothing and the end is reached: Redis accepts it as 0
        bool negative = false;
        var body = text;
        if (body[0] == '+' || body[0] == '-')
        {
            negative = body[0] == '-';
            body = body[1..];
        }
        if (Ascii.EqualsIgnoreCase(body, "inf"u8) || Ascii.EqualsIgnoreCase(body, "infinity"u8))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (Ascii.EqualsIgnoreCase(body, "nan"u8))
        {
            value = double.NaN;
            return true;
        }
        if (body.Length > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X'))
        {
            if (!TryParseHex(body[2..], out value)) return false;
            if (double.IsInfinity(value)) rangeError = true;
            if (negative) value = -value;
            return true;
        }
        // Decimal: digits [. digits] [e [sign] digits], at least one mantissa digit.
        int k = 0, mantissaDigits = 0;
        bool nonZeroDigit = false;
        while (k < body.Length && char.IsAsciiDigit((char)body[k])) { nonZeroDigit |= body[k] != '0'; k++; mantissaDigits++; }
        if (k < body.Length && body[k] == '.')
        {
            k++;
            while (k < body.Length && char.IsAsciiDigit((char)body[k])) { nonZeroDigit |= body[k] != '0'; k++; mantissaDigits++; }
        }
        if (mantissaDigits == 0) return false;
        if (k < body.Length && (body[k] == 'e' || body[k] == 'E'))
        {
            k++;
            if (k < body.Length && (body[k] == '+' || body[k] == '-')) k++;
            int expDigits = 0;
            while (k < body.Length && char.IsAsciiDigit((char)body[k])) { k++; expDigits++; }
            if (expDigits == 0) return false;
        }
        if (k != body.Length || text.Length > 1000) return false;
        Span<char> chars = stackalloc char[text.Length];
        for (int c = 0; c < text.Length; c++) chars[c] = (char)text[c];
        if (!double.TryParse(chars, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        if (double.IsInfinity(value) || (value == 0 && nonZeroDigit)) rangeError = true;
        return true;
    }

    /// <summary>Hex digits with an optional fraction and binary exponent (p), as strtod reads after "0x".</summary>
    private static bool TryParseHex(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        int k = 0, digits = 0, fractionDigits = 0;
        double mantissa = 0;
        while (k < s.Length && char.IsAsciiHexDigit((char)s[k])) { mantissa = mantissa * 16 + HexValue(s[k]); k++; digits++; }
        if (k < s.Length && s[k] == '.')
        {
            k++;
            while (k < s.Length && char.IsAsciiHexDigit((char)s[k])) { mantissa = mantissa * 16 + HexValue(s[k]); k++; digits++; fractionDigits++; }
        }
        if (digits == 0) return false;
        int exponent = 0;
        if (k < s.Length && (s[k] == 'p' || s[k] == 'P'))
        {
            k++;
            bool negativeExponent = false;
            if (k < s.Length && (s[k] == '+' || s[k] == '-')) { negativeExponent = s[k] == '-'; k++; }
            int expDigits = 0;
            while (k < s.Length && char.IsAsciiDigit((char)s[k])) { exponent = Math.Min(exponent * 10 + (s[k] - '0'), 100000); k++; expDigits++; }
            if (expDigits == 0) return false;
            if (negativeExponent) exponent = -exponent;
        }
        if (k != s.Length) return false;
        value = Math.ScaleB(mantissa, exponent - 4 * fractionDigits);
        return true;
    }

    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>
    /// A score or weight argument as Redis's getDoubleFromObject reads it: no leading blank, the whole
    /// text, no overflow or underflow to zero, not NaN. Explicit "inf" is fine.
    /// </summary>
    public static bool TryParseScoreArgument(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 5 * 1024) return false;
        byte first = text[0];
        if (first == ' ' || (first >= '\t' && first <= '\r')) return false;
        if (!TryParseWhole(text, out value, out bool rangeError)) return false;
        if (rangeError && (double.IsInfinity(value) || value == 0)) return false;
        return !double.IsNaN(value);
    }
}

/// <summary>A score range; <see cref="IsEmptyByDefinition"/> mirrors Redis's early "min &gt; max" exits.</summary>
public readonly record struct ScoreRange(ScoreBound Min, ScoreBound Max)
{
    public const string ParseError = "ERR min or max is not a float";

    public static bool TryParse(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, out ScoreRange range)
    {
        range = default;
        if (!ScoreBound.TryParse(min, out var lo) || !ScoreBound.TryParse(max, out var hi)) return false;
        range = new ScoreRange(lo, hi);
        return true;
    }

    public bool Contains(double score) =>
        (Min.Exclusive ? score > Min.Value : score >= Min.Value) && (Max.Exclusive ? score < Max.Value : score <= Max.Value);

    /// <summary>Holds for elements that sort before the range's start.</summary>
    public readonly struct BelowMin(ScoreBound min) : IElementPredicate
    {
        public bool Holds(double score, ReadOnlySpan<byte> member) => min.Exclusive ? score <= min.Value : score < min.Value;
    }

    /// <summary>Holds for elements that are not past the range's end.</summary>
    public readonly struct NotAboveMax(ScoreBound max) : IElementPredicate
    {
        public bool Holds(double score, ReadOnlySpan<byte> member) => max.Exclusive ? score < max.Value : score <= max.Value;
    }
}

public enum LexBoundKind : byte { NegativeInfinity, PositiveInfinity, Inclusive, Exclusive }

/// <summary>One end of a lex range: <c>-</c>, <c>+</c>, <c>[abc</c> or <c>(abc</c>.</summary>
public readonly record struct LexBound(LexBoundKind Kind, byte[] Value)
{
    public static bool TryParse(ReadOnlySpan<byte> text, out LexBound bound)
    {
        bound = default;
        if (text.Length == 0) return false;
        switch (text[0])
        {
            case (byte)'+' when text.Length == 1: bound = new LexBound(LexBoundKind.PositiveInfinity, []); return true;
            case (byte)'-' when text.Length == 1: bound = new LexBound(LexBoundKind.NegativeInfinity, []); return true;
            case (byte)'[': bound = new LexBound(LexBoundKind.Inclusive, text[1..].ToArray()); return true;
            case (byte)'(': bound = new LexBound(LexBoundKind.Exclusive, text[1..].ToArray()); return true;
            default: return false;
        }
    }

    /// <summary>Compares a member with this bound's value, treating -/+ as below/above everything.</summary>
    public int CompareMember(ReadOnlySpan<byte> member) => Kind switch
    {
        LexBoundKind.NegativeInfinity => 1,
        LexBoundKind.PositiveInfinity => -1,
        _ => member.SequenceCompareTo(Value),
    };
}

public readonly record struct LexRange(LexBound Min, LexBound Max)
{
    public const string ParseError = "ERR min or max not valid string range item";

    public static bool TryParse(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, out LexRange range)
    {
        range = default;
        if (!LexBound.TryParse(min, out var lo) || !LexBound.TryParse(max, out var hi)) return false;
        range = new LexRange(lo, hi);
        return true;
    }

    public readonly struct BelowMin(LexBound min) : IElementPredicate
    {
        public bool Holds(double score, ReadOnlySpan<byte> member)
        {
            int c = min.CompareMember(member);
            return min.Kind == LexBoundKind.Exclusive ? c <= 0 : c < 0;
        }
    }

    public readonly struct NotAboveMax(LexBound max) : IElementPredicate
    {
        public bool Holds(double score, ReadOnlySpan<byte> member)
        {
            int c = max.CompareMember(member);
            return max.Kind == LexBoundKind.Exclusive ? c < 0 : c <= 0;
        }
    }
}
