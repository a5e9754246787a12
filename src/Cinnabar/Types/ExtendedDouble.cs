using System.Numerics;
using System.Text;

namespace Cinnabar.Types;

/// <summary>
/// A software model of the x87 80-bit <c>long double</c> that Redis uses for INCRBYFLOAT (and
/// HINCRBYFLOAT): 64-bit significand, 15-bit exponent, round-half-even. It parses as glibc's strtold under
/// Redis's string2ld checks, adds exactly then rounds once, and prints as Redis's "%.17Lf" with trailing
/// zeros removed, so results match real Redis digit for digit (e.g. 1.1+2.2 gives "3.30000000000000000"
/// → "3.3", and 1e308+1e308 stays finite).
/// </summary>
public readonly struct ExtendedDouble
{
    /// <summary>Exponent of the last significand bit for the smallest normal/subnormal numbers (2^-16382 = 2^63 · 2^-16445).</summary>
    private const int MinExponent = -16445;
    /// <summary>Exponent of the last significand bit of the largest finite value ((2^64-1) · 2^16320).</summary>
    private const int MaxExponent = 16320;
    /// <summary>Redis refuses float strings of this length or more (MAX_LONG_DOUBLE_CHARS).</summary>
    private const int MaxChars = 5 * 1024;

    private enum Kind : byte { Finite, Infinity, NaN }

    // value = (Negative ? -1 : 1) · Significand · 2^Exponent for finite values.
    private readonly ulong _significand;
    private readonly int _exponent;
    private readonly bool _negative;
    private readonly Kind _kind;

    private ExtendedDouble(bool negative, ulong significand, int exponent, Kind kind)
    {
        _negative = negative;
        _significand = significand;
        _exponent = exponent;
        _kind = kind;
    }

    public bool IsFinite => _kind == Kind.Finite;
    public bool IsNaN => _kind == Kind.NaN;
    public bool IsInfinity => _kind == Kind.Infinity;
    public bool IsZero => _kind == Kind.Finite && _significand == 0;

    public static ExtendedDouble Zero => default;
    private static ExtendedDouble Infinity(bool negative) => new(negative, 0, 0, Kind.Infinity);
    private static readonly ExtendedDouble NaNValue = new(false, 0, 0, Kind.NaN);

    public static ExtendedDouble FromLong(long value) =>
        value == 0 ? Zero : Round(new BigInteger(value), 0);

    /// <summary>Exact value as a double when it fits (for tests and diagnostics).</summary>
    public double ToDouble()
    {
        if (_kind == Kind.NaN) return double.NaN;
        if (_kind == Kind.Infinity) return _negative ? double.NegativeInfinity : double.PositiveInfinity;
        double d = Math.ScaleB(_significand, _exponent);
        return _negative ? -d : d;
    }

    /// <summary>Sum rounded once to 64 significant bits, as x87 addition in round-to-nearest mode.</summary>
    public static ExtendedDouble operator +(ExtendedDouble a, ExtendedDouble b)
    {
        if (a._kind == Kind.NaN || b._kind == Kind.NaN) return NaNValue;
        if (a._kind == Kind.Infinity || b._kind == Kind.Infinity)
        {
            if (a._kind == Kind.Infinity && b._kind == Kind.Infinity && a._negative != b._negative) return NaNValue;
            return a._kind == Kind.Infinity ? a : b;
        }
        if (a._significand == 0) return b._significand == 0 ? new ExtendedDouble(a._negative && b._negative, 0, 0, Kind.Finite) : b;
        if (b._significand == 0) return a;
        int e = Math.Min(a._exponent, b._exponent);
        var sum = a.SignedSignificand << (a._exponent - e);
        sum += b.SignedSignificand << (b._exponent - e);
        if (sum.IsZero) return Zero; // x + (-x) is +0 in round-to-nearest
        return Round(sum, e);
    }

    private BigInteger SignedSignificand => _negative ? -new BigInteger(_significand) : new BigInteger(_significand);

    /// <summary>
    /// Rounds the exact value <paramref name="n"/> · 2^<paramref name="e"/> to the nearest representable value
    /// (ties to even), with gradual underflow and overflow to infinity.
    /// </summary>
    private static ExtendedDouble Round(BigInteger n, long e)
    {
        bool negative = n.Sign < 0;
        var magnitude = BigInteger.Abs(n);
        long bits = (long)magnitude.GetBitLength();
        long exponent = Math.Max(e + bits - 64, MinExponent);
        long shift = exponent - e;
        BigInteger m;
        if (shift <= 0) m = magnitude << (int)-shift;
        else if (shift > bits + 1) m = BigInteger.Zero; // far below half of the smallest step
        else
        {
            m = magnitude >> (int)shift;
            var remainder = magnitude - (m << (int)shift);
            var half = BigInteger.One << (int)(shift - 1);
            int cmp = remainder.CompareTo(half);
            if (cmp > 0 || (cmp == 0 && !m.IsEven)) m += 1;
            if (m.GetBitLength() > 64)
            {
                m >>= 1;
                exponent++;
            }
        }
        if (exponent > MaxExponent) return Infinity(negative);
        return new ExtendedDouble(negative, (ulong)m, (int)exponent, Kind.Finite);
    }

    /// <summary>
    /// Parses as Redis's string2ld: the whole text must be a strtold number (decimal, hex "0x…p…", "inf",
    /// "infinity", any case, optional sign) with no leading space; NaN, overflow to ±inf and underflow to
    /// zero are refused.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out ExtendedDouble value)
    {
        value = Zero;
        if (s.Length == 0 || s.Length >= MaxChars) return false;
        bool negative = s[0] == '-';
        var rest = s[0] == '+' || s[0] == '-' ? s[1..] : s;
        ExtendedDouble magnitude;
        if (Ascii.EqualsIgnoreCase(rest, "inf"u8) || Ascii.EqualsIgnoreCase(rest, "infinity"u8)) magnitude = Infinity(false);
        else if (rest.Length > 2 && rest[0] == '0' && (rest[1] | 0x20) == 'x')
        {
            if (!TryParseHex(rest[2..], out magnitude)) return false;
        }
        else if (!TryParseDecimal(rest, out magnitude)) return false;
        value = negative ? new ExtendedDouble(true, magnitude._significand, magnitude._exponent, magnitude._kind) : magnitude;
        return true;
    }

    /// <summary>
    /// Decimal digits with an optional point and exponent, correctly rounded. False on bad syntax, on
    /// overflow and when a non-zero number rounds to zero (strtold's ERANGE cases that Redis refuses).
    /// </summary>
    private static bool TryParseDecimal(ReadOnlySpan<byte> s, out ExtendedDouble value)
    {
        value = Zero;
        int i = 0;
        var digits = new StringBuilder();
        long pointShift = 0;
        bool anyDigit = false, seenPoint = false;
        for (; i < s.Length; i++)
        {
            byte c = s[i];
            if (c >= '0' && c <= '9')
            {
                anyDigit = true;
                if (digits.Length > 0 || c != '0') digits.Append((char)c);
                if (seenPoint) pointShift--;
            }
            else if (c == '.' && !seenPoint) seenPoint = true;
            else break;
        }
        if (!anyDigit) return false;
        long exp10 = 0;
        if (i < s.Length)
        {
            if ((s[i] | 0x20) != 'e' || !TryParseExponent(s[(i + 1)..], out exp10)) return false;
        }
        if (digits.Length == 0) return true; // zero
        long scale = exp10 + pointShift;
        long magnitude = scale + digits.Length; // the value lies in [10^(magnitude-1), 10^magnitude)
        if (magnitude > 4933) return false;     // beyond ~1.19e4932: infinity
        if (magnitude < -4952) return false;    // below the smallest subnormal 3.6e-4951: zero
        var n = BigInteger.Parse(digits.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        if (scale >= 0) value = Round(n * BigInteger.Pow(10, (int)scale), 0);
        else
        {
            // n / 10^-scale with at least 66 quotient bits plus a sticky bit, so one rounding is exact.
            var denominator = BigInteger.Pow(10, (int)-scale);
            long shift = Math.Max(0, (long)denominator.GetBitLength() - (long)n.GetBitLength() + 66);
            var q = BigInteger.DivRem(n << (int)shift, denominator, out var remainder);
            q = (q << 1) + (remainder.IsZero ? 0 : 1);
            value = Round(q, -shift - 1);
        }
        return value.IsFinite && !value.IsZero;
    }

    /// <summary>An exponent "[+|-]digits" to the end of the text; huge exponents saturate.</summary>
    private static bool TryParseExponent(ReadOnlySpan<byte> s, out long exponent)
    {
        exponent = 0;
        bool negative = false;
        int i = 0;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) { negative = s[i] == '-'; i++; }
        if (i >= s.Length) return false;
        for (; i < s.Length; i++)
        {
            byte c = s[i];
            if (c < '0' || c > '9') return false;
            if (exponent < 1_000_000_000) exponent = exponent * 10 + (c - '0');
        }
        if (negative) exponent = -exponent;
        return true;
    }

    /// <summary>Hex digits with an optional point and an optional binary exponent "p±d", correctly rounded.</summary>
    private static bool TryParseHex(ReadOnlySpan<byte> s, out ExtendedDouble value)
    {
        value = Zero;
        var n = BigInteger.Zero;
        long e2 = 0;
        int i = 0;
        bool anyDigit = false, seenPoint = false;
        for (; i < s.Length; i++)
        {
            byte c = s[i];
            int lower = c | 0x20;
            int d = c >= '0' && c <= '9' ? c - '0' : lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
            if (d >= 0)
            {
                anyDigit = true;
                n = (n << 4) + d;
                if (seenPoint) e2 -= 4;
            }
            else if (c == '.' && !seenPoint) seenPoint = true;
            else break;
        }
        if (!anyDigit) return false;
        if (i < s.Length)
        {
            if ((s[i] | 0x20) != 'p' || !TryParseExponent(s[(i + 1)..], out long exp)) return false;
            e2 += exp;
        }
        if (n.IsZero) return true;
        long top = e2 + (long)n.GetBitLength();
        if (top > 16400 || top < -16500) return false;
        value = Round(n, e2);
        return value.IsFinite && !value.IsZero;
    }

    /// <summary>
    /// Redis's ld2string in human mode: "%.17Lf", then trailing zeros and a trailing point removed, "-0"
    /// printed as "0", and "inf"/"-inf" for infinities.
    /// </summary>
    public string ToHumanString()
    {
        if (_kind == Kind.Infinity) return _negative ? "-inf" : "inf";
        if (_kind == Kind.NaN) return "nan";
        BigInteger integer, fraction;
        if (_exponent >= 0)
        {
            integer = new BigInteger(_significand) << _exponent;
            fraction = BigInteger.Zero;
        }
        else
        {
            // Round m · 2^e to 17 decimals, ties to even, as glibc's printf does.
            var scaled = new BigInteger(_significand) * BigInteger.Pow(10, 17);
            int shift = -_exponent;
            var q = scaled >> shift;
            var remainder = scaled - (q << shift);
            var half = BigInteger.One << (shift - 1);
            int cmp = remainder.CompareTo(half);
            if (cmp > 0 || (cmp == 0 && !q.IsEven)) q += 1;
            integer = BigInteger.DivRem(q, BigInteger.Pow(10, 17), out fraction);
        }
        var sb = new StringBuilder();
        if (_negative) sb.Append('-');
        sb.Append(integer.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!fraction.IsZero)
        {
            string digits = fraction.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(17, '0').TrimEnd('0');
            sb.Append('.').Append(digits);
        }
        string text = sb.ToString();
        return text == "-0" ? "0" : text;
    }

    public override string ToString() => ToHumanString();
}
