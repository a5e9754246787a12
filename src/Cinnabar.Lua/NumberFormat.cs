using System.Globalization;
using System.Text;

namespace Cinnabar.Lua;

/// <summary>
/// Numbers to text and back exactly as Lua 5.1 on glibc: "%.14g" for output, strtod (decimal, hex,
/// inf/nan) plus 5.1's hex-integer rule for input.
/// </summary>
public static class NumberFormat
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(double d)
    {
        if (d == Math.Floor(d) && Math.Abs(d) < 1e14)
        {
            if (d == 0) return double.IsNegative(d) ? "-0" : "0";
            return ((long)d).ToString(Inv);
        }
        return FormatG(d, 14, false, false);
    }

    public static LuaString ToLuaString(double d)
    {
        if (d == Math.Floor(d) && Math.Abs(d) < 1e14 && d != 0)
        {
            long v = (long)d;
            Span<byte> buf = stackalloc byte[24];
            v.TryFormat(buf, out int n, default, Inv);
            return new LuaString(buf[..n].ToArray());
        }
        return LuaString.FromAscii(Format(d));
    }

    public static string NonFinite(double d, bool upper)
    {
        string s = double.IsNaN(d) ? (BitConverter.DoubleToInt64Bits(d) < 0 ? "-nan" : "nan") : (d < 0 ? "-inf" : "inf");
        return upper ? s.ToUpperInvariant() : s;
    }

    /// <summary>
    /// %.{prec}g from the shortest round-trip digits, when they are no more than prec (9.99, 0.1): for a normal
    /// double within 15 digits the shortest string is within half a unit of the prec-th digit of the exact
    /// value, so rounding the exact value to prec digits gives the same digits. Null when that does not hold.
    /// </summary>
    static string? TryFormatShortG(double d, int prec, bool upper)
    {
        if (prec > 15 || !double.IsNormal(d)) return null;
        Span<char> s = stackalloc char[32];
        if (!d.TryFormat(s, out int n, "R", Inv)) return null;
        s = s[..n];
        bool neg = s[0] == '-';
        if (neg) s = s[1..];
        int exp10 = 0;
        int ei = s.IndexOf('E');
        if (ei >= 0) { exp10 = int.Parse(s[(ei + 1)..], NumberStyles.AllowLeadingSign, Inv); s = s[..ei]; }
        Span<char> dg = stackalloc char[32];
        int k = 0, intDigits = 0;
        bool point = false;
        foreach (char c in s)
        {
            if (c == '.') { point = true; continue; }
            dg[k++] = c;
            if (!point) intDigits++;
        }
        int lead = 0;
        while (lead < k - 1 && dg[lead] == '0') lead++;
        while (k - 1 > lead && dg[k - 1] == '0') k--;
        var digits = dg[lead..k];
        if (digits.Length > prec) return null;
        int x = intDigits - lead - 1 + exp10; // decimal exponent of the first digit
        var sb = new StringBuilder(24);
        if (neg) sb.Append('-');
        if (x < -4 || x >= prec)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits[1..]);
            sb.Append(upper ? 'E' : 'e').Append(x < 0 ? '-' : '+').Append(Math.Abs(x).ToString("00", Inv));
        }
        else if (x >= 0)
        {
            if (digits.Length <= x + 1) sb.Append(digits).Append('0', x + 1 - digits.Length);
            else sb.Append(digits[..(x + 1)]).Append('.').Append(digits[(x + 1)..]);
        }
        else sb.Append("0.").Append('0', -x - 1).Append(digits);
        return sb.ToString();
    }

    static readonly double[] Pow10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6];

    /// <summary>
    /// %.{prec}g of a value that is exactly the double nearest some m / 10^k with k &lt;= 6 and m of at most prec
    /// digits (9.99, 0.25, 1234.5): m / 10^k is correctly rounded, so if it gives d back, the decimal m·10^-k is
    /// within half an ulp of d, far inside half a unit of its prec-th digit, and %.{prec}g prints exactly it.
    /// The smallest such k has no trailing zero. Fixed notation only (exponent in [-4, prec)); else null.
    /// </summary>
    static string? TryFormatFewDecimals(double d, int prec)
    {
        Span<byte> buf = stackalloc byte[MaxFewDecimalsLength];
        int n = TryFormatFewDecimals(d, prec, buf);
        if (n == 0) return null;
        return string.Create(n, buf[..n].ToArray(), static (span, b) => { for (int i = 0; i < b.Length; i++) span[i] = (char)b[i]; });
    }

    internal const int MaxFewDecimalsLength = 32;

    /// <summary>The same as ASCII into dest (MaxFewDecimalsLength bytes): its length, 0 when it does not apply.</summary>
    internal static int TryFormatFewDecimals(double d, int prec, Span<byte> dest)
    {
        double a = Math.Abs(d);
        if (!(a >= 1e-4 && a < 1e9) || prec > 15 || a == Math.Floor(a)) return 0; // past 15 digits the binary error shows
        for (int k = 1; k < Pow10.Length; k++)
        {
            double m = Math.Round(a * Pow10[k]);
            if (m / Pow10[k] != a) continue;
            long digits = (long)m;
            if (digits >= LongPow10(prec)) return 0; // more than prec significant digits: rounding needed
            long unit = (long)Pow10[k];
            long ip = digits / unit, fp = digits % unit;
            int x = ip > 0 ? DecimalDigits(ip) - 1 : -(k - DecimalDigits(fp)) - 1; // exponent of the first digit
            if (x < -4 || x >= prec) return 0;
            int n = 0;
            if (d < 0) dest[n++] = (byte)'-';
            n += FormatDigits(ip, dest[n..]);
            dest[n++] = (byte)'.';
            for (long u = unit / 10; u > 0; u /= 10) dest[n++] = (byte)('0' + fp / u % 10);
            return n;
        }
        return 0;
    }

    /// <summary>The decimal digits of v >= 0 as ASCII into dest; their count.</summary>
    internal static int FormatDigits(long v, Span<byte> dest)
    {
        int n = DecimalDigits(v);
        for (int i = n - 1; i >= 0; i--) { dest[i] = (byte)('0' + v % 10); v /= 10; }
        return n;
    }

    static long LongPow10(int p) { long r = 1; for (int i = 0; i < p; i++) r *= 10; return r; }

    static int DecimalDigits(long v) { int n = 1; while (v >= 10) { v /= 10; n++; } return n; }

    /// <summary>C's %.{prec}g (alt = '#' flag keeps trailing zeros).</summary>
    public static string FormatG(double d, int prec, bool alt, bool upper)
    {
        if (!double.IsFinite(d)) return NonFinite(d, upper);
        if (prec == 0) prec = 1;
        if (d == 0)
        {
            string z = alt ? "0." + new string('0', prec - 1) : "0";
            return double.IsNegative(d) ? "-" + z : z;
        }
        if (!alt && TryFormatFewDecimals(d, prec) is { } few) return few;
        if (!alt && TryFormatShortG(d, prec, upper) is { } fast) return fast;
        string e = d.ToString("E" + (prec - 1).ToString(Inv), Inv); // d.dddE+xxx
        int ei = e.IndexOf('E');
        int x = int.Parse(e.AsSpan(ei + 1), NumberStyles.AllowLeadingSign, Inv);
        string r;
        if (x < -4 || x >= prec)
        {
            string mant = e[..ei];
            if (!alt && mant.Contains('.')) mant = mant.TrimEnd('0').TrimEnd('.');
            r = mant + (upper ? "E" : "e") + (x < 0 ? "-" : "+") + Math.Abs(x).ToString("00", Inv);
        }
        else
        {
            r = d.ToString("F" + Math.Max(0, prec - 1 - x).ToString(Inv), Inv);
            if (!alt && r.Contains('.')) r = r.TrimEnd('0').TrimEnd('.');
            else if (alt && !r.Contains('.')) r += ".";
        }
        return r;
    }

    public static string FormatE(double d, int prec, bool alt, bool upper)
    {
        if (!double.IsFinite(d)) return NonFinite(d, upper);
        string e = d.ToString((upper ? "E" : "e") + prec.ToString(Inv), Inv);
        int ei = e.IndexOfAny(['e', 'E']);
        int x = int.Parse(e.AsSpan(ei + 1), NumberStyles.AllowLeadingSign, Inv);
        string mant = e[..ei];
        if (alt && prec == 0) mant += ".";
        if (d == 0 && double.IsNegative(d) && !mant.StartsWith('-')) mant = "-" + mant;
        return mant + (upper ? "E" : "e") + (x < 0 ? "-" : "+") + Math.Abs(x).ToString("00", Inv);
    }

    public static string FormatF(double d, int prec, bool alt)
    {
        if (!double.IsFinite(d)) return NonFinite(d, false);
        string r = d.ToString("F" + prec.ToString(Inv), Inv);
        if (d == 0 && double.IsNegative(d) && !r.StartsWith('-')) r = "-" + r;
        else if (d < 0 && !r.StartsWith('-')) r = "-" + r;
        if (alt && prec == 0) r += ".";
        return r;
    }

    static bool IsSpace(byte c) => c == ' ' || (c >= '\t' && c <= '\r');

    /// <summary>luaO_str2d: the whole string (surrounding spaces allowed) must be a number.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out double d)
    {
        int z = s.IndexOf((byte)0);
        if (z >= 0) s = s[..z];
        int end = StrToD(s, 0, out d);
        if (end == 0) { d = 0; return false; }
        if (end < s.Length && (s[end] == 'x' || s[end] == 'X'))
        {
            end = StrToUL16(s, out d);
            if (end < 0) { d = 0; return false; }
        }
        while (end < s.Length && IsSpace(s[end])) end++;
        if (end != s.Length) { d = 0; return false; }
        return true;
    }

    // strtoul(s, 16) as glibc: spaces, sign, optional 0x, hex digits; negation wraps modulo 2^64.
    static int StrToUL16(ReadOnlySpan<byte> s, out double d)
    {
        int i = 0; d = 0;
        while (i < s.Length && IsSpace(s[i])) i++;
        bool neg = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) { neg = s[i] == '-'; i++; }
        if (i + 1 < s.Length && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && i + 2 < s.Length && HexVal(s[i + 2]) >= 0) i += 2;
        int start = i; ulong v = 0; bool overflow = false;
        while (i < s.Length && HexVal(s[i]) >= 0)
        {
            ulong nv = v * 16 + (ulong)HexVal(s[i]);
            if (v > (ulong.MaxValue >> 4)) overflow = true;
            v = nv; i++;
        }
        if (i == start) return -1;
        if (overflow) v = ulong.MaxValue;
        else if (neg) v = unchecked(0 - v);
        d = v;
        return i;
    }

    internal static int HexVal(byte c) => c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

    static bool MatchWord(ReadOnlySpan<byte> s, int i, string w)
    {
        if (i + w.Length > s.Length) return false;
        for (int k = 0; k < w.Length; k++) if ((s[i + k] | 0x20) != w[k]) return false;
        return true;
    }

    /// <summary>glibc strtod: returns the index after the number, 0 when nothing was read.</summary>
    static readonly double[] ExactPow10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

    public static int StrToD(ReadOnlySpan<byte> s, int start, out double d)
    {
        int i = start; d = 0;
        while (i < s.Length && IsSpace(s[i])) i++;
        bool neg = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) { neg = s[i] == '-'; i++; }
        if (MatchWord(s, i, "inf"))
        {
            i += MatchWord(s, i, "infinity") ? 8 : 3;
            d = neg ? double.NegativeInfinity : double.PositiveInfinity; return i;
        }
        if (MatchWord(s, i, "nan"))
        {
            i += 3;
            if (i < s.Length && s[i] == '(')
            {
                int j = i + 1;
                while (j < s.Length && (char.IsAsciiLetterOrDigit((char)s[j]) || s[j] == '_')) j++;
                if (j < s.Length && s[j] == ')') i = j + 1;
            }
            d = neg ? -double.NaN : double.NaN; // glibc's strtod("nan") has the sign bit clear
            d = neg ? BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000000)) : BitConverter.Int64BitsToDouble(0x7FF8000000000000);
            return i;
        }
        if (i + 1 < s.Length && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
        {
            int j = i + 2; double m = 0; bool any = false; int exp = 0;
            while (j < s.Length && HexVal(s[j]) >= 0) { m = m * 16 + HexVal(s[j]); j++; any = true; }
            if (j < s.Length && s[j] == '.')
            {
                j++;
                while (j < s.Length && HexVal(s[j]) >= 0) { m = m * 16 + HexVal(s[j]); exp -= 4; j++; any = true; }
            }
            if (!any) { d = 0; return i + 1; } // "0x" reads as 0, stopping at 'x'
            if (j < s.Length && (s[j] == 'p' || s[j] == 'P'))
            {
                int k = j + 1; bool eneg = false;
                if (k < s.Length && (s[k] == '+' || s[k] == '-')) { eneg = s[k] == '-'; k++; }
                if (k < s.Length && s[k] >= '0' && s[k] <= '9')
                {
                    int e = 0;
                    while (k < s.Length && s[k] >= '0' && s[k] <= '9') { if (e < 100000) e = e * 10 + (s[k] - '0'); k++; }
                    exp += eneg ? -e : e; j = k;
                }
            }
            d = m * Math.Pow(2, exp);
            if (neg) d = -d;
            return j;
        }
        int ds = i; bool digits = false;
        while (i < s.Length && s[i] >= '0' && s[i] <= '9') { i++; digits = true; }
        if (i < s.Length && s[i] == '.') { i++; while (i < s.Length && s[i] >= '0' && s[i] <= '9') { i++; digits = true; } }
        if (!digits) return 0;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            int k = i + 1;
            if (k < s.Length && (s[k] == '+' || s[k] == '-')) k++;
            if (k < s.Length && s[k] >= '0' && s[k] <= '9')
            {
                while (k < s.Length && s[k] >= '0' && s[k] <= '9') k++;
                i = k;
            }
        }
        // Up to 15 digits and nothing else (counts, times, most numbers a script reads back) are exact in a
        // double, so the sum is what strtod returns; anything longer or with a point or exponent is parsed in full.
        // With a point and no exponent, up to 15 digits in all: the digits as an integer (exact) divided by a
        // power of ten (exact up to 1e22) is one correctly rounded operation, so it too equals strtod's result.
        int point;
        if (i - ds <= 15 && !s[ds..i].ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            long whole = 0;
            for (int k = ds; k < i; k++) whole = whole * 10 + (s[k] - '0');
            d = whole;
        }
        else if (i - ds <= 16 && (point = s[ds..i].IndexOf((byte)'.')) >= 0 && !s[(ds + point + 1)..i].ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            long whole = 0;
            for (int k = ds; k < i; k++) if (s[k] != '.') whole = whole * 10 + (s[k] - '0');
            d = whole / ExactPow10[i - ds - point - 1];
        }
        else d = double.Parse(s[ds..i], NumberStyles.Float, Inv);
        if (neg) d = -d;
        return i;
    }
}
