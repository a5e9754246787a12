using System.Globalization;
using System.Numerics;

namespace Cinnabar.Types;

/// <summary>
/// Fixed-point text of doubles exactly as glibc prints them: <c>%.Nf</c> rounds the exact binary value
/// to N decimals with ties to even (what geo coordinates and range errors show), and Redis's
/// fixedpoint_d2string (llrint of the value times 10^N, what distances show). Coordinates take an
/// allocation-free path; huge values (error texts only) go through BigInteger.
/// </summary>
public static class FixedPointText
{
    private static readonly ulong[] PowersOfTen =
    [
        1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000,
        1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000,
    ];

    /// <summary>printf("%.Nf") of a finite double (N ≤ 17) into <paramref name="dest"/>; returns the length.</summary>
    public static int Format(double value, int decimals, Span<byte> dest)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int exponent = (int)((bits >> 52) & 0x7FF);
        ulong mantissa = (ulong)bits & 0xFFFFFFFFFFFFFUL;
        if (exponent == 0) exponent = 1; // subnormal
        else mantissa |= 1UL << 52;
        exponent -= 1075; // value = mantissa * 2^exponent

        UInt128 scaled; // value * 10^decimals, rounded half to even
        if (exponent >= 0)
        {
            if (exponent > 10) return FormatBig(value, decimals, dest);
            scaled = ((UInt128)mantissa << exponent) * PowersOfTen[decimals];
        }
        else
        {
            UInt128 product = (UInt128)mantissa * PowersOfTen[decimals];
            int shift = -exponent;
            if (shift >= 120) scaled = 0; // below 2^-67 · 10^17: rounds to zero
            else
            {
                scaled = product >> shift;
                UInt128 remainder = product - (scaled << shift);
                UInt128 half = (UInt128)1 << (shift - 1);
                if (remainder > half || (remainder == half && (scaled & 1) == 1)) scaled++;
            }
        }
        return Write(negative, scaled, decimals, dest);
    }

    private static int Write(bool negative, UInt128 scaled, int decimals, Span<byte> dest)
    {
        int pos = 0;
        if (negative) dest[pos++] = (byte)'-';
        UInt128 integer = scaled / PowersOfTen[decimals];
        UInt128 fraction = scaled % PowersOfTen[decimals];
        ((ulong)integer).TryFormat(dest[pos..], out int written, default, CultureInfo.InvariantCulture);
        pos += written;
        if (decimals == 0) return pos;
        dest[pos++] = (byte)'.';
        ulong f = (ulong)fraction;
        for (int i = decimals - 1; i >= 0; i--)
        {
            dest[pos + i] = (byte)('0' + (int)(f % 10));
            f /= 10;
        }
        return pos + decimals;
    }

    private static int FormatBig(double value, int decimals, Span<byte> dest)
    {
        // Integral doubles above 2^63: the exact integer, then zero decimals.
        var integer = new BigInteger(Math.Abs(value));
        string text = (value < 0 ? "-" : "") + integer.ToString(CultureInfo.InvariantCulture) + (decimals > 0 ? "." + new string('0', decimals) : "");
        for (int i = 0; i < text.Length; i++) dest[i] = (byte)text[i];
        return text.Length;
    }

    /// <summary>The longest text <see cref="Format"/> can produce for <paramref name="decimals"/>.</summary>
    public static int MaxLength(int decimals) => 312 + decimals;

    /// <summary>printf("%f") as a string, for error texts (inf, -inf, nan as glibc spells them).</summary>
    public static string FormatF6(double value)
    {
        if (double.IsNaN(value)) return double.IsNegative(value) ? "-nan" : "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        Span<byte> buffer = stackalloc byte[MaxLength(6)];
        int n = Format(value, 6, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..n]);
    }

    /// <summary>printf("%f") with trailing zeros and point removed (Redis's trimDoubleString): 99.9, 50, 0.007812.</summary>
    public static string FormatF6Trimmed(double value)
    {
        string text = FormatF6(value);
        return text.Contains('.') ? text.TrimEnd('0').TrimEnd('.') : text;
    }

    /// <summary>Redis's ld2string in human mode for a double: "%.17Lf", trailing zeros and point removed, "-0" as "0".</summary>
    public static int FormatHuman(double value, Span<byte> dest)
    {
        if (double.IsInfinity(value))
        {
            (value > 0 ? "inf"u8 : "-inf"u8).CopyTo(dest);
            return value > 0 ? 3 : 4;
        }
        int n = Format(value, 17, dest);
        while (dest[n - 1] == '0') n--;
        if (dest[n - 1] == '.') n--;
        if (n == 2 && dest[0] == '-' && dest[1] == '0')
        {
            dest[0] = (byte)'0';
            n = 1;
        }
        return n;
    }

    /// <summary>Redis's fixedpoint_d2string with 4 decimals (geo distances): llrint(d · 10^4) printed with a point.</summary>
    public static int FormatDistance(double value, Span<byte> dest)
    {
        if (value == 0)
        {
            "0.0000"u8.CopyTo(dest);
            return 6;
        }
        long scaled = RoundToLong(value * 10000.0);
        int pos = 0;
        ulong magnitude;
        if (scaled < 0)
        {
            dest[pos++] = (byte)'-';
            magnitude = scaled == long.MinValue ? 1UL << 63 : (ulong)(-scaled);
        }
        else magnitude = (ulong)scaled;
        ulong integer = magnitude / 10000, fraction = magnitude % 10000;
        integer.TryFormat(dest[pos..], out int written, default, CultureInfo.InvariantCulture);
        pos += written;
        dest[pos++] = (byte)'.';
        for (int i = 3; i >= 0; i--)
        {
            dest[pos + i] = (byte)('0' + (int)(fraction % 10));
            fraction /= 10;
        }
        return pos + 4;
    }

    /// <summary>llrint: round half to even; NaN and out-of-range values give long.MinValue as on x86-64.</summary>
    private static long RoundToLong(double value)
    {
        double rounded = Math.Round(value, MidpointRounding.ToEven);
        return rounded >= -9223372036854775808.0 && rounded < 9223372036854775808.0 ? (long)rounded : long.MinValue;
    }
}
