using System.Buffers.Text;
using Cinnabar.Lua;
using Cinnabar.Protocol;

namespace Cinnabar.Scripting;

/// <summary>
/// A script's return value written as the caller's reply, as Redis's luaReplyToRedisReply: strings → bulk,
/// numbers truncated to integers, booleans (by the script's RESP: 2 gives 1 / null, 3 gives true/false),
/// tables with err / ok / double / big_number / verbatim_string / map / set fields, otherwise an array
/// that stops at the first nil; anything else → null.
/// </summary>
public static class LuaToReply
{
    private static readonly LuaString Ok = LuaString.From("ok");
    private static readonly LuaString Double = LuaString.From("double");
    private static readonly LuaString BigNumber = LuaString.From("big_number");
    private static readonly LuaString Verbatim = LuaString.From("verbatim_string");
    private static readonly LuaString Format = LuaString.From("format");
    private static readonly LuaString Str = LuaString.From("string");
    private static readonly LuaString Map = LuaString.From("map");
    private static readonly LuaString Set = LuaString.From("set");

    /// <summary>Nesting beyond this answers an error instead of recursing (Redis: "reached lua stack limit").</summary>
    private const int MaxDepth = 1000;

    /// <summary>Writes the reply; an {err=} table is returned through <paramref name="error"/> for the caller to count.</summary>
    public static void Write(RespWriter w, in LuaValue v, int scriptResp, ScriptErrorSink error, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            error.Write(w, "ERR reached lua stack limit", countStats: true);
            return;
        }
        switch (v.Type)
        {
            case LuaType.String:
                w.WriteBulk(v.AsString!.Span);
                return;
            case LuaType.Boolean:
                if (scriptResp == 2)
                {
                    if (v.IsTruthy) w.WriteInteger(1);
                    else w.WriteNull();
                }
                else w.WriteBoolean(v.IsTruthy);
                return;
            case LuaType.Number:
                w.WriteInteger(TruncateToLong(v.AsNumber));
                return;
            case LuaType.Table:
                WriteTable(w, v.AsTable!, scriptResp, error, depth);
                return;
            default:
                w.WriteNull();
                return;
        }
    }

    /// <summary>C's (long long) cast on x86-64: NaN and out-of-range values give the minimum.</summary>
    public static long TruncateToLong(double d) =>
        double.IsNaN(d) || d >= 9.2233720368547758E18 || d < -9.2233720368547758E18 ? long.MinValue : (long)d;

    private static void WriteTable(RespWriter w, LuaTable t, int scriptResp, ScriptErrorSink error, int depth)
    {
        var err = t.GetStr(ReplyToLua.Err);
        if (err.IsString)
        {
            error.Write(w, err.AsString!.ToString(), countStats: !t.GetStr(ReplyToLua.IgnoreStats).IsTruthy);
            return;
        }
        var ok = t.GetStr(Ok);
        if (ok.IsString)
        {
            w.WriteSimpleString(NoNewlines(ok.AsString!.Span));
            return;
        }
        var dbl = t.GetStr(Double);
        if (dbl.IsNumber)
        {
            w.WriteDouble(dbl.AsNumber);
            return;
        }
        var big = t.GetStr(BigNumber);
        if (big.IsString)
        {
            var digits = NoNewlines(big.AsString!.Span);
            if (w.IsResp3)
            {
                w.WriteRaw("("u8);
                w.WriteRaw(digits);
                w.WriteRaw("\r\n"u8);
            }
            else w.WriteBulk(digits);
            return;
        }
        var verbatim = t.GetStr(Verbatim);
        if (verbatim.IsTable && verbatim.AsTable!.GetStr(Format) is { IsString: true } format
            && verbatim.AsTable.GetStr(Str) is { IsString: true } text)
        {
            WriteVerbatim(w, format.AsString!.Span, text.AsString!.Span);
            return;
        }
        var map = t.GetStr(Map);
        if (map.IsTable)
        {
            w.WriteMapHeader(CountPairs(map.AsTable!));
            LuaValue key = LuaValue.Nil;
            while (map.AsTable!.Next(ref key, out var value))
            {
                Write(w, key, scriptResp, error, depth + 1);
                Write(w, value, scriptResp, error, depth + 1);
            }
            return;
        }
        var set = t.GetStr(Set);
        if (set.IsTable)
        {
            w.WriteSetHeader(CountPairs(set.AsTable!));
            LuaValue key = LuaValue.Nil;
            while (set.AsTable!.Next(ref key, out _)) Write(w, key, scriptResp, error, depth + 1);
            return;
        }
        int n = 0;
        while (!t.GetInt(n + 1).IsNil) n++;
        w.WriteArrayHeader(n);
        for (int i = 1; i <= n; i++) Write(w, t.GetInt(i), scriptResp, error, depth + 1);
    }

    private static int CountPairs(LuaTable t)
    {
        int n = 0;
        LuaValue key = LuaValue.Nil;
        while (t.Next(ref key, out _)) n++;
        return n;
    }

    private static void WriteVerbatim(RespWriter w, ReadOnlySpan<byte> format, ReadOnlySpan<byte> text)
    {
        if (!w.IsResp3)
        {
            w.WriteBulk(text);
            return;
        }
        // Redis's addReplyVerbatim takes the format's first three bytes.
        Span<byte> header = stackalloc byte[24];
        header[0] = (byte)'=';
        Utf8Formatter.TryFormat(text.Length + 4, header[1..], out int n);
        w.WriteRaw(header[..(n + 1)]);
        w.WriteRaw("\r\n"u8);
        Span<byte> fmt = stackalloc byte[3];
        for (int i = 0; i < 3; i++) fmt[i] = i < format.Length ? format[i] : (byte)0;
        w.WriteRaw(fmt);
        w.WriteRaw(":"u8);
        w.WriteRaw(text);
        w.WriteRaw("\r\n"u8);
    }

    private static byte[] NoNewlines(ReadOnlySpan<byte> s)
    {
        var copy = s.ToArray();
        for (int i = 0; i < copy.Length; i++)
            if (copy[i] is (byte)'\r' or (byte)'\n') copy[i] = (byte)' ';
        return copy;
    }
}

/// <summary>Where an error reply produced by a script's return value is written and counted.</summary>
public sealed class ScriptErrorSink
{
    private readonly CinnabarServer _server;
    public ScriptErrorSink(CinnabarServer server) => _server = server;

    /// <summary>Set when the top-level reply was an error (EVAL then counts as failed).</summary>
    public bool Wrote { get; set; }

    public void Write(RespWriter w, string message, bool countStats)
    {
        Wrote = true;
        if (countStats) _server.Stats.CountError(message);
        w.WriteError(message);
    }
}
