using System.Buffers.Text;
using Cinnabar.Lua;

namespace Cinnabar.Scripting;

/// <summary>
/// A command's reply (RESP2 or RESP3 bytes, as written for the script's client) turned into the Lua value
/// redis.call returns, with Redis's mapping: integers → numbers, bulk → string, nulls → false (RESP3's null
/// → nil), status → {ok=}, error → {err=}, arrays → tables, maps → {map=}, sets → {set=}, doubles →
/// {double=}, big numbers → {big_number=}, verbatim → {verbatim_string={format=,string=}}, attributes skipped.
/// </summary>
public static class ReplyToLua
{
    private static readonly LuaString Ok = LuaString.From("ok");
    internal static readonly LuaString Err = LuaString.From("err");
    internal static readonly LuaString IgnoreStats = LuaString.From("ignore_error_stats_update");
    private static readonly LuaString MapKey = LuaString.From("map");
    private static readonly LuaString SetKey = LuaString.From("set");
    private static readonly LuaString DoubleKey = LuaString.From("double");
    private static readonly LuaString BigNumberKey = LuaString.From("big_number");
    private static readonly LuaString VerbatimKey = LuaString.From("verbatim_string");
    private static readonly LuaString FormatKey = LuaString.From("format");
    private static readonly LuaString StringKey = LuaString.From("string");

    /// <summary>Converts the one reply in <paramref name="reply"/>; <paramref name="isError"/> says whether it was an error reply.</summary>
    public static LuaValue Convert(ReadOnlySpan<byte> reply, out bool isError)
    {
        isError = reply.Length > 0 && reply[0] == (byte)'-';
        int pos = 0;
        return Parse(reply, ref pos);
    }

    private static LuaValue Parse(ReadOnlySpan<byte> r, ref int pos)
    {
        byte type = r[pos];
        var line = ReadLine(r, ref pos);
        switch (type)
        {
            case (byte)':':
                return LuaValue.Number(ParseLong(line));
            case (byte)'$':
            {
                long len = ParseLong(line);
                if (len < 0) return LuaValue.False;
                var s = LuaValue.String(r.Slice(pos, (int)len));
                pos += (int)len + 2;
                return s;
            }
            case (byte)'+':
                return SingleField(Ok, LuaValue.String(line));
            case (byte)'-':
                return ErrorTable(line, ignoreStats: true);
            case (byte)'*':
            case (byte)'>':
            {
                long n = ParseLong(line);
                if (n < 0) return LuaValue.False;
                var t = new LuaTable((int)n, 0);
                for (int i = 1; i <= n; i++) t.SetInt(i, Parse(r, ref pos));
                return t;
            }
            case (byte)'%':
            {
                long n = ParseLong(line);
                var map = new LuaTable(0, (int)n);
                for (long i = 0; i < n; i++)
                {
                    var k = Parse(r, ref pos);
                    var v = Parse(r, ref pos);
                    if (!k.IsNil) map.Set(k, v);
                }
                return SingleField(MapKey, map);
            }
            case (byte)'~':
            {
                long n = ParseLong(line);
                var set = new LuaTable(0, (int)n);
                for (long i = 0; i < n; i++)
                {
                    var k = Parse(r, ref pos);
                    if (!k.IsNil) set.Set(k, LuaValue.True);
                }
                return SingleField(SetKey, set);
            }
            case (byte)'_':
                return LuaValue.Nil;
            case (byte)'#':
                return LuaValue.Bool(line.Length > 0 && line[0] == (byte)'t');
            case (byte)',':
                return SingleField(DoubleKey, LuaValue.Number(ParseDouble(line)));
            case (byte)'(':
                return SingleField(BigNumberKey, LuaValue.String(line));
            case (byte)'=':
            {
                long len = ParseLong(line);
                var body = r.Slice(pos, (int)len);
                pos += (int)len + 2;
                var inner = new LuaTable();
                inner.SetStr(StringKey, LuaValue.String(body[4..]));
                inner.SetStr(FormatKey, LuaValue.String(body[..3]));
                return SingleField(VerbatimKey, inner);
            }
            case (byte)'|':
            {
                long n = ParseLong(line);
                for (long i = 0; i < 2 * n; i++) Parse(r, ref pos);
                return Parse(r, ref pos);
            }
            default:
                throw new InvalidOperationException("unexpected reply type in a script call: " + (char)type);
        }
    }

    private static LuaValue SingleField(LuaString key, LuaValue value)
    {
        var t = new LuaTable(0, 1);
        t.SetStr(key, value);
        return t;
    }

    /// <summary>
    /// Redis's luaPushErrorBuff: "-CODE msg" keeps its code, a text without '-' gets "ERR"; trailing CR/LF
    /// trimmed. The table is {err="CODE msg"} (plus ignore_error_stats_update when already counted).
    /// </summary>
    public static LuaTable ErrorTable(ReadOnlySpan<byte> text, bool ignoreStats, bool hasDash = true)
    {
        byte[] message;
        if (hasDash && text.Length > 0 && text[0] == (byte)'-') text = text[1..];
        if (hasDash)
        {
            int space = text.IndexOf((byte)' ');
            if (space < 0) message = Concat("ERR "u8, TrimCrlf(text));
            else message = Concat(text[..(space + 1)], TrimCrlf(text[(space + 1)..]));
        }
        else message = Concat("ERR "u8, TrimCrlf(text));
        var t = new LuaTable(0, 2);
        t.SetStr(Err, LuaValue.String(message));
        if (ignoreStats) t.SetStr(IgnoreStats, LuaValue.True);
        return t;
    }

    /// <summary>An error table for a message the server composes (no code of its own: gets "ERR ").</summary>
    public static LuaTable ErrorTable(string message, bool ignoreStats = false) =>
        ErrorTable(System.Text.Encoding.Latin1.GetBytes(message), ignoreStats, hasDash: false);

    private static ReadOnlySpan<byte> TrimCrlf(ReadOnlySpan<byte> s)
    {
        int start = 0, end = s.Length;
        while (start < end && (s[start] == (byte)'\r' || s[start] == (byte)'\n')) start++;
        while (end > start && (s[end - 1] == (byte)'\r' || s[end - 1] == (byte)'\n')) end--;
        return s[start..end];
    }

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var result = new byte[a.Length + b.Length];
        a.CopyTo(result);
        b.CopyTo(result.AsSpan(a.Length));
        return result;
    }

    private static ReadOnlySpan<byte> ReadLine(ReadOnlySpan<byte> r, ref int pos)
    {
        int start = pos + 1;
        int end = r[start..].IndexOf("\r\n"u8) + start;
        pos = end + 2;
        return r[start..end];
    }

    private static long ParseLong(ReadOnlySpan<byte> s)
    {
        Utf8Parser.TryParse(s, out long v, out _);
        return v;
    }

    private static double ParseDouble(ReadOnlySpan<byte> s)
    {
        if (s.SequenceEqual("inf"u8)) return double.PositiveInfinity;
        if (s.SequenceEqual("-inf"u8)) return double.NegativeInfinity;
        if (s.SequenceEqual("nan"u8)) return double.NaN;
        Utf8Parser.TryParse(s, out double v, out _);
        return v;
    }
}
