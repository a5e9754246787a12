using System.Globalization;

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

    /// <summary>strtod accepting the whole input: leading whitespace, sign, inf/infinity, decimal or exponent form.</summary>
    internal static bool TryStrtod(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        int i = 0;
        while (i < text.Length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) i++;
        text = text[i..];
        if (text.Length == 0) return true;
        if (text.Length > 400) return false;
        Span<char> chars = stackalloc char[text.Length];
        for (int k = 0; k < text.Length; k++)
        {
            byte b = text[k];
            if (b == 0 || b > 127) return false;
            chars[k] = (char)b;
        }
        ReadOnlySpan<char> t = chars;
        bool negative = false;
        var body = t;
        if (body.Length > 0 && (body[0] == '+' || body[0] == '-'))
        {
            negative = body[0] == '-';
            body = body[1..];
        }
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        foreach (var c in body)
            if (!(char.IsAsciiDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) return false;
        if (body.Length == 0 || !(char.IsAsciiDigit(body[0]) || body[0] == '.')) return false;
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
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
