using System.Globalization;
using System.Text;

namespace Cinnabar.Lua.Lib;

/// <summary>string.format: C's printf conversions with flags, width and precision, plus %q, as 5.1 on glibc.</summary>
internal static class StringFormat
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Format(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var fmt = cx.CheckString(a, 1).Bytes;
        var o = new List<byte>(fmt.Length + 16);
        int arg = 1;
        int i = 0;
        while (i < fmt.Length)
        {
            byte c = fmt[i++];
            if (c != '%') { o.Add(c); continue; }
            if (i < fmt.Length && fmt[i] == '%') { o.Add((byte)'%'); i++; continue; }
            // flags, width, precision
            int fs = i;
            while (i < fmt.Length && "-+ #0".IndexOf((char)fmt[i]) >= 0) i++;
            if (i - fs > 5) throw cx.Error("invalid format (repeated flags)");
            string flags = Encoding.ASCII.GetString(fmt, fs, i - fs);
            int width = -1, prec = -1;
            int ws = i;
            while (i < fmt.Length && fmt[i] >= '0' && fmt[i] <= '9') i++;
            if (i - ws > 2) throw cx.Error("invalid format (width or precision too long)");
            if (i > ws) width = int.Parse(Encoding.ASCII.GetString(fmt, ws, i - ws), Inv);
            if (i < fmt.Length && fmt[i] == '.')
            {
                i++;
                int ps = i;
                while (i < fmt.Length && fmt[i] >= '0' && fmt[i] <= '9') i++;
                if (i - ps > 2) throw cx.Error("invalid format (width or precision too long)");
                prec = i > ps ? int.Parse(Encoding.ASCII.GetString(fmt, ps, i - ps), Inv) : 0;
            }
            if (i >= fmt.Length) throw cx.Error("invalid option '%' to 'format'");
            byte conv = fmt[i++];
            if (++arg > a.Length && conv != '%') throw cx.ArgError(arg, "no value");
            bool left = flags.Contains('-'), plus = flags.Contains('+'), space = flags.Contains(' '), alt = flags.Contains('#'), zero = flags.Contains('0');
            switch (conv)
            {
                case (byte)'c':
                {
                    byte ch = (byte)cx.CheckInt(a, arg);
                    Pad(o, [ch], width, left, false);
                    break;
                }
                case (byte)'d': case (byte)'i':
                {
                    long v = CallContext.ToInteger(cx.CheckNumber(a, arg));
                    string digits = v < 0 ? ((ulong)(-(v + 1)) + 1).ToString(Inv) : v.ToString(Inv);
                    string sign = v < 0 ? "-" : plus ? "+" : space ? " " : "";
                    Emit(o, sign, IntPrecision(digits, prec), width, left, zero && prec < 0);
                    break;
                }
                case (byte)'o': case (byte)'u': case (byte)'x': case (byte)'X':
                {
                    ulong v = ToUnsigned(cx.CheckNumber(a, arg));
                    string digits = conv switch
                    {
                        (byte)'o' => Convert.ToString((long)v, 8),
                        (byte)'u' => v.ToString(Inv),
                        (byte)'x' => v.ToString("x", Inv),
                        _ => v.ToString("X", Inv),
                    };
                    digits = IntPrecision(digits, prec);
                    string prefix = "";
                    if (alt)
                    {
                        if (conv == 'o' && !digits.StartsWith('0')) digits = "0" + digits;
                        else if (conv == 'x' && v != 0) prefix = "0x";
                        else if (conv == 'X' && v != 0) prefix = "0X";
                    }
                    Emit(o, prefix, digits, width, left, zero && prec < 0);
                    break;
                }
                case (byte)'e': case (byte)'E': case (byte)'f': case (byte)'g': case (byte)'G':
                {
                    double d = cx.CheckNumber(a, arg);
                    int p = prec < 0 ? 6 : prec;
                    string body = conv switch
                    {
                        (byte)'e' => NumberFormat.FormatE(Math.Abs(d), p, alt, false),
                        (byte)'E' => NumberFormat.FormatE(Math.Abs(d), p, alt, true),
                        (byte)'f' => NumberFormat.FormatF(Math.Abs(d), p, alt),
                        (byte)'g' => NumberFormat.FormatG(Math.Abs(d), p, alt, false),
                        _ => NumberFormat.FormatG(Math.Abs(d), p, alt, true),
                    };
                    bool neg = double.IsNegative(d);
                    if (double.IsNaN(d)) { neg = BitConverter.DoubleToInt64Bits(d) < 0; body = char.IsUpper((char)conv) ? "NAN" : "nan"; }
                    string sign = neg ? "-" : plus ? "+" : space ? " " : "";
                    Emit(o, sign, body, width, left, zero && double.IsFinite(d));
                    break;
                }
                case (byte)'q':
                    AddQuoted(o, cx.CheckString(a, arg).Bytes);
                    break;
                case (byte)'s':
                {
                    var s = cx.CheckString(a, arg).Bytes;
                    if (prec < 0 && s.Length >= 100) { o.AddRange(s); break; }
                    int z = Array.IndexOf(s, (byte)0);
                    ReadOnlySpan<byte> sv = z >= 0 ? s.AsSpan(0, z) : s;
                    if (prec >= 0 && sv.Length > prec) sv = sv[..prec];
                    Pad(o, sv, width, left, false);
                    break;
                }
                default:
                    throw cx.Error($"invalid option '%{(char)conv}' to 'format'");
            }
        }
        return cx.ReturnString(cx.NewString(o.ToArray()));
    }

    static ulong ToUnsigned(double d)
    {
        if (double.IsNaN(d)) return 0x8000000000000000UL;
        if (d < 9.2233720368547758e18) return unchecked((ulong)CallContext.ToInteger(d));
        if (d < 1.8446744073709552e19) return unchecked((ulong)(long)(d - 9.2233720368547758e18) ^ 0x8000000000000000UL);
        return 0x8000000000000000UL;
    }

    static string IntPrecision(string digits, int prec)
    {
        if (prec < 0) return digits;
        if (prec == 0 && digits == "0") return "";
        return digits.Length < prec ? new string('0', prec - digits.Length) + digits : digits;
    }

    static void Emit(List<byte> o, string sign, string body, int width, bool left, bool zero)
    {
        int len = sign.Length + body.Length;
        int pad = width > len ? width - len : 0;
        if (left) { AddAscii(o, sign); AddAscii(o, body); o.AddRange(Enumerable.Repeat((byte)' ', pad)); }
        else if (zero) { AddAscii(o, sign); o.AddRange(Enumerable.Repeat((byte)'0', pad)); AddAscii(o, body); }
        else { o.AddRange(Enumerable.Repeat((byte)' ', pad)); AddAscii(o, sign); AddAscii(o, body); }
    }

    static void Pad(List<byte> o, ReadOnlySpan<byte> s, int width, bool left, bool zero)
    {
        int pad = width > s.Length ? width - s.Length : 0;
        if (!left) for (int i = 0; i < pad; i++) o.Add(zero ? (byte)'0' : (byte)' ');
        foreach (var b in s) o.Add(b);
        if (left) for (int i = 0; i < pad; i++) o.Add((byte)' ');
    }

    static void AddAscii(List<byte> o, string s) { foreach (char c in s) o.Add((byte)c); }

    internal static void AddQuoted(List<byte> o, byte[] s)
    {
        o.Add((byte)'"');
        foreach (byte c in s)
        {
            switch (c)
            {
                case (byte)'"': case (byte)'\\': case (byte)'\n': o.Add((byte)'\\'); o.Add(c); break;
                case (byte)'\r': o.Add((byte)'\\'); o.Add((byte)'r'); break;
                case 0: AddAscii(o, "\\000"); break;
                default: o.Add(c); break;
            }
        }
        o.Add((byte)'"');
    }
}
