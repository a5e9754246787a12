using System.Numerics;
using System.Text;

namespace Cinnabar.Types;

/// <summary>
/// The x87 80-bit "long double" Redis uses for INCRBYFLOAT and HINCRBYFLOAT on x86-64: a 64-bit mantissa
/// and a 15-bit exponent. .NET has no such type, so values are kept as <c>Mantissa * 2^Exponent</c> and
/// parsed, added and printed exactly with big integers, rounding to nearest-even at 64 bits as the FPU
/// does. That makes "3.0 + 0.1" print "3.1" (as Redis), where a double would give "3.10000000000000009".
/// </summary>
public readonly struct LongDouble
{
    private const int MantissaBits = 64;
    private const int MinExponent = -16445;     // smallest subnormal is 2^-16445
    private const int MaxBinaryMagnitude = 16384; // values reach up to (but not) 2^16384
    /// <summary>Redis's MAX_LONG_DOUBLE_CHARS: longer inputs and outputs are refused.</summary>
    public const int MaxChars = 5 * 1024;

    private readonly BigInteger _mantissa; // signed, |m| < 2^64
    private readonly int _exponent;

    private LongDouble(BigInteger mantissa, int exponent, bool infinite = false)
    {
        _mantissa = mantissa;
        _exponent = exponent;
        IsInfinity = infinite;
    }

    public bool IsInfinity { get; }
    public bool IsNegative => _mantissa.Sign < 0;
    public bool IsZero => !IsInfinity && _mantissa.IsZero;

    /// <summary>
    /// Parses as Redis's string2ld (strtold): [sign] digits [. digits] [e [sign] digits], or inf/infinity.
    /// Refuses spaces, trailing bytes, NaN, overflow and underflow to zero.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out LongDouble value)
    {
        value = default;
        if (s.Length == 0 || s.Length >= MaxChars) return false;
        int i = 0;
        bool negative = false;
        if (s[0] == '+' || s[0] == '-') { negative = s[0] == '-'; i++; }
        var rest = s[i..];
        if (Ascii.EqualsIgnoreCase(rest, "inf"u8) || Ascii.EqualsIgnoreCase(rest, "infinity"u8))
        {
            value = new LongDouble(negative ? BigInteger.MinusOne : BigInteger.One, 0, infinite: true);
            return true;
        }
        if (rest.Length > 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X'))
            return TryParseHex(negative, rest[2..], out value);
        int digitCount = 0, scale = 0;
        var digitText = new StringBuilder();
        for (; i < s.Length && char.IsAsciiDigit((char)s[i]); i++) { digitText.Append((char)s[i]); digitCount++; }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            for (; i < s.Length && char.IsAsciiDigit((char)s[i]); i++) { digitText.Append((char)s[i]); digitCount++; scale--; }
        }
        if (digitCount == 0) return false;
        long exp10 = 0;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            int j = i + 1;
            bool expNegative = false;
            if (j < s.Length && (s[j] == '+' || s[j] == '-')) { expNegative = s[j] == '-'; j++; }
            int start = j;
            for (; j < s.Length && char.IsAsciiDigit((char)s[j]); j++)
                if (exp10 < 1_000_000) exp10 = exp10 * 10 + (s[j] - '0');
            if (j > start) { i = j; if (expNegative) exp10 = -exp10; }
        }
        if (i != s.Length) return false;
        var digits = BigInteger.Parse(digitText.ToString());
        if (digits.IsZero) { value = new LongDouble(BigInteger.Zero, 0); return true; }
        long totalExp = exp10 + scale;
        // Quick range checks keep the big-integer work bounded (long double spans about 1e-4951..1e4932).
        int magnitude = digitText.ToString().TrimStart('0').Length + (int)Math.Clamp(totalExp, -100000, 100000);
        if (magnitude > 4940) return false;        // overflow: ERANGE with HUGE_VAL
        if (magnitude < -4960) return false;       // underflow to zero: ERANGE with 0
        BigInteger num = digits, den = BigInteger.One;
        if (totalExp >= 0) num *= BigInteger.Pow(10, (int)totalExp);
        else den = BigInteger.Pow(10, (int)-totalExp);
        value = RoundQuotient(negative, num, den);
        return !value.IsInfinity && !value.IsZero;
    }

    /// <summary>The hexadecimal form strtold also reads: hex digits [. hex digits] [p [sign] decimal exponent].</summary>
    private static bool TryParseHex(bool negative, ReadOnlySpan<byte> s, out LongDouble value)
    {
        value = default;
        BigInteger mantissa = BigInteger.Zero;
        int i = 0, digits = 0;
        long exp2 = 0;
        bool fraction = false;
        for (; i < s.Length; i++)
        {
            if (s[i] == '.' && !fraction) { fraction = true; continue; }
            int d = HexValue(s[i]);
            if (d < 0) break;
            mantissa = mantissa * 16 + d;
            digits++;
            if (fraction) exp2 -= 4;
        }
        if (digits == 0) return false;
        if (i < s.Length && (s[i] == 'p' || s[i] == 'P'))
        {
            int j = i + 1;
            bool expNegative = false;
            if (j < s.Length && (s[j] == '+' || s[j] == '-')) { expNegative = s[j] == '-'; j++; }
            int start = j;
            long e = 0;
            for (; j < s.Length && char.IsAsciiDigit((char)s[j]); j++)
                if (e < 1_000_000) e = e * 10 + (s[j] - '0');
            if (j > start) { i = j; exp2 += expNegative ? -e : e; }
        }
        if (i != s.Length) return false;
        if (mantissa.IsZero) { value = new LongDouble(BigInteger.Zero, 0); return true; }
        long magnitude = (long)mantissa.GetBitLength() + exp2;
        if (magnitude > MaxBinaryMagnitude || magnitude < MinExponent) return false;
        value = exp2 >= 0
            ? RoundQuotient(negative, mantissa << (int)exp2, BigInteger.One)
            : RoundQuotient(negative, mantissa, BigInteger.One << (int)-exp2);
        return !value.IsInfinity && !value.IsZero;
    }

    private static int HexValue(byte c) =>
        c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

    /// <summary>Rounds num/den (positive) to a 64-bit mantissa, nearest-even, with subnormals.</summary>
    private static LongDouble RoundQuotient(bool negative, BigInteger num, BigInteger den)
    {
        long shift = (long)num.GetBitLength() - (long)den.GetBitLength() - MantissaBits;
        // Choose e so that num / den / 2^e has 64 or 65 integer bits, then fix up after rounding.
        int e = (int)Math.Max(shift, MinExponent);
        BigInteger n = e >= 0 ? num : num << -e;
        BigInteger d = e >= 0 ? den << e : den;
        var q = BigInteger.DivRem(n, d, out var r);
        while (q.GetBitLength() > MantissaBits)
        {
            // Drop a bit into the remainder: q/2 with remainder (q%2)*d + r over 2d.
            r += (q & 1) * d;
            q >>= 1;
            d <<= 1;
            e++;
        }
        int cmp = (r * 2).CompareTo(d);
        if (cmp > 0 || (cmp == 0 && !q.IsEven)) q += 1;
        if (q.GetBitLength() > MantissaBits) { q >>= 1; e++; }
        return Make(negative, q, e);
    }

    private static LongDouble Make(bool negative, BigInteger mantissa, int exponent)
    {
        if (!mantissa.IsZero && mantissa.GetBitLength() + exponent > MaxBinaryMagnitude)
            return new LongDouble(negative ? BigInteger.MinusOne : BigInteger.One, 0, infinite: true);
        return new LongDouble(negative ? -mantissa : mantissa, exponent);
    }

    /// <summary>The sum rounded to long double precision; infinite on overflow.</summary>
    public static LongDouble operator +(LongDouble a, LongDouble b)
    {
        if (a.IsInfinity || b.IsInfinity)
        {
            if (a.IsInfinity && b.IsInfinity && a.IsNegative != b.IsNegative) return default; // NaN: callers check inputs
            return a.IsInfinity ? a : b;
        }
        if (a._mantissa.IsZero) return b;
        if (b._mantissa.IsZero) return a;
        int e = Math.Min(a._exponent, b._exponent);
        BigInteger sum = (a._mantissa << (a._exponent - e)) + (b._mantissa << (b._exponent - e));
        if (sum.IsZero) return new LongDouble(BigInteger.Zero, 0);
        bool negative = sum.Sign < 0;
        var magnitude = BigInteger.Abs(sum);
        long extra = (long)magnitude.GetBitLength() - MantissaBits;
        if (extra <= 0) return Make(negative, magnitude, e);
        return e >= 0
            ? RoundQuotient(negative, magnitude << e, BigInteger.One)
            : RoundQuotient(negative, magnitude, BigInteger.One << -e);
    }

    /// <summary>
    /// Formats as Redis's ld2string in human mode: printf("%.17Lf"), trailing zeros (and a bare point)
    /// removed, "-0" written as "0". Null when the text would exceed <see cref="MaxChars"/>.
    /// </summary>
    public string? ToHumanString()
    {
        if (IsInfinity) return IsNegative ? "-inf" : "inf";
        var magnitude = BigInteger.Abs(_mantissa) * BigInteger.Pow(10, 17);
        BigInteger scaled;
        if (_exponent >= 0) scaled = magnitude << _exponent;
        else
        {
            var den = BigInteger.One << -_exponent;
            scaled = BigInteger.DivRem(magnitude, den, out var r);
            int cmp = (r * 2).CompareTo(den);
            if (cmp > 0 || (cmp == 0 && !scaled.IsEven)) scaled += 1;
        }
        string digits = scaled.ToString().PadLeft(18, '0');
        string text = digits[..^17] + "." + digits[^17..];
        if (IsNegative) text = "-" + text;
        if (text.Length + 1 > MaxChars) return null;
        text = text.TrimEnd('0');
        if (text.EndsWith('.')) text = text[..^1];
        if (text == "-0") text = "0";
        return text;
    }
}
