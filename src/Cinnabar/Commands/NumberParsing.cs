using System.Globalization;
using System.Text;

namespace Cinnabar.Commands;

/// <summary>Number parsing with Redis's acceptance rules.</summary>
public static class NumberParsing
{
    /// <summary>
    /// Parses a double as Redis's getDoubleFromObject/string2d: no leading or trailing spaces, "inf",
    /// "-inf", "+inf" (any case) accepted, NaN refused, overflow (1e400) refused.
    /// </summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        if (s.Length == 0 || s.Length > 5000) return false;
        if (IsSpace(s[0]) || IsSpace(s[^1])) return false;
        Span<char> chars = s.Length <= 256 ? stackalloc char[s.Length] : new char[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            byte b = s[i];
            if (b == 0 || b > 127) return false;
            chars[i] = (char)b;
        }
        var t = (ReadOnlySpan<char>)chars;
        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("+inf", StringComparison.OrdinalIgnoreCase)
            || t.Equals("infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("+infinity", StringComparison.OrdinalIgnoreCase))
        { value = double.PositiveInfinity; return true; }
        if (t.Equals("-inf", StringComparison.OrdinalIgnoreCase) || t.Equals("-infinity", StringComparison.OrdinalIgnoreCase))
        { value = double.NegativeInfinity; return true; }
        // strtod also takes hex floats; Redis accepts them too, but they are rare enough to leave out here.
        foreach (var c in t)
            if (!(char.IsAsciiDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) return false;
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        if (double.IsNaN(value) || double.IsInfinity(value)) return false;
        return true;
    }

    /// <summary>C's atoi: leading digits after optional blanks and a sign; anything else ends the number ("x" is 0).</summary>
    public static int Atoi(ReadOnlySpan<byte> s)
    {
        int i = 0;
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t')) i++;
        bool neg = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
        long v = 0;
        while (i < s.Length && s[i] >= '0' && s[i] <= '9' && v < int.MaxValue) v = v * 10 + (s[i++] - '0');
        v = Math.Min(v, int.MaxValue);
        return (int)(neg ? -v : v);
    }

    private static bool IsSpace(byte c) => c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';

    public static byte[] FormatLong(long v) => Encoding.ASCII.GetBytes(v.ToString(CultureInfo.InvariantCulture));
}
