using Cinnabar.Lua.Runtime;

namespace Cinnabar.Lua.Lib;

/// <summary>5.1's base library (lbaselib.c).</summary>
internal static class BaseLib
{
    static readonly LuaString TostringName = LuaString.From("tostring");

    public static void Open(LuaState s, LuaTable g)
    {
        g.SetStr(LuaString.From("_G"), new LuaValue(g));
        g.SetStr(LuaString.From("_VERSION"), LuaValue.String("Lua 5.1"));
        s.Register(g, "assert", Assert);
        s.Register(g, "collectgarbage", CollectGarbage);
        s.Register(g, "error", Error);
        s.Register(g, "gcinfo", (cx, a) => cx.ReturnNumber(Math.Floor(cx.State.MemoryUsed / 1024.0)));
        s.Register(g, "getfenv", GetFenv);
        s.Register(g, "getmetatable", GetMetatable);
        s.Register(g, "load", Load);
        s.Register(g, "loadstring", LoadString);
        s.Register(g, "pcall", PCall);
        s.Register(g, "print", Print);
        s.Register(g, "rawequal", (cx, a) => { cx.CheckAny(a, 1); cx.CheckAny(a, 2); return cx.ReturnBool(LuaValue.RawEquals(a[0], a[1])); });
        s.Register(g, "rawget", (cx, a) => { var t = cx.CheckTable(a, 1); cx.CheckAny(a, 2); return cx.Return(t.Get(a[1])); });
        s.Register(g, "rawset", RawSet);
        s.Register(g, "select", Select);
        s.Register(g, "setfenv", SetFenv);
        s.Register(g, "setmetatable", SetMetatable);
        s.Register(g, "tonumber", ToNumber);
        s.Register(g, "tostring", (cx, a) => { cx.CheckAny(a, 1); return cx.Return(cx.ToStringMeta(a[0])); });
        s.Register(g, "type", (cx, a) => { cx.CheckAny(a, 1); return cx.ReturnString(TypeNames[(int)a[0].Type]); });
        s.Register(g, "unpack", Unpack);
        s.Register(g, "xpcall", XPCall);
        var next = new HostFunctionValue("next", Next);
        g.SetStr(LuaString.From("next"), new LuaValue(next));
        s.NextFunction = next;
        var ipairsIter = new HostFunctionValue("ipairs_aux", IpairsAux);
        s.IpairsIterator = ipairsIter;
        s.Register(g, "pairs", (cx, a) => { var t = cx.CheckTable(a, 1); return cx.Return(new LuaValue(next), new LuaValue(t), default); });
        s.Register(g, "ipairs", (cx, a) => { var t = cx.CheckTable(a, 1); return cx.Return(new LuaValue(ipairsIter), new LuaValue(t), LuaValue.Number(0)); });
    }

    static readonly LuaString[] TypeNames = Array.ConvertAll(
        ["nil", "boolean", "userdata", "number", "string", "table", "function", "userdata", "thread"], LuaString.From);

    static int Assert(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        cx.CheckAny(a, 1);
        if (a[0].IsTruthy) return cx.ReturnSpan(a);
        var msg = cx.OptString(a, 2, null);
        throw cx.Error(msg?.ToString() ?? "assertion failed!").WithBytes(cx, msg);
    }

    static readonly string[] GcOptions = ["stop", "restart", "collect", "count", "step", "setpause", "setstepmul"];
    static int CollectGarbage(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        int o = cx.CheckOption(a, 1, "collect", GcOptions);
        cx.OptInt(a, 2, 0);
        return o switch
        {
            3 => cx.ReturnNumber(cx.State.MemoryUsed / 1024.0),
            4 => cx.ReturnBool(false),
            5 or 6 => cx.ReturnNumber(o == 5 ? 200 : 200),
            _ => cx.ReturnNumber(0),
        };
    }

    static int Error(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var v = cx.Arg(a, 1);
        int level = cx.OptInt(a, 2, 1);
        if (v.O is LuaString s && level > 0)
        {
            string where = cx.Where(level);
            if (where.Length > 0) v = new LuaValue(Concat(LuaString.FromAscii(where), s));
        }
        throw new LuaException(v);
    }

    internal static LuaString Concat(LuaString a, LuaString b)
    {
        var r = new byte[a.Length + b.Length];
        a.Bytes.CopyTo(r, 0);
        b.Bytes.CopyTo(r, a.Length);
        return new LuaString(r);
    }

    static LuaException WithBytes(this LuaException e, CallContext cx, LuaString? msg)
    {
        if (msg is not null) e.Value = new LuaValue(Concat(LuaString.FromAscii(cx.Where(1)), msg));
        return e;
    }

    static LuaFunction? FunctionAt(CallContext cx, ReadOnlySpan<LuaValue> a, bool forSet, out bool isThread)
    {
        isThread = false;
        var v = cx.Arg(a, 1);
        if (v.O is LuaFunction f) return f;
        int level = forSet ? cx.CheckInt(a, 1) : cx.OptInt(a, 1, 1);
        if (level < 0) throw cx.ArgError(1, "level must be non-negative");
        if (level == 0) { isThread = true; return null; }
        int d = cx.Depth - level;
        if (d < 1) throw cx.ArgError(1, "invalid level");
        return cx.Calls[d].Fn;
    }

    static int GetFenv(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var f = FunctionAt(cx, a, false, out bool thread);
        if (thread || f is not LuaClosure c) return cx.Return(new LuaValue(cx.State.Globals));
        return cx.Return(new LuaValue(c.Env));
    }

    static int SetFenv(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var t = cx.CheckTable(a, 2);
        var f = FunctionAt(cx, a, true, out bool thread);
        if (thread) { cx.State.Globals = t; return 0; }
        if (f is not LuaClosure c) throw cx.Error("'setfenv' cannot change environment of given object");
        c.Env = t;
        return cx.Return(new LuaValue(c));
    }

    static int GetMetatable(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        cx.CheckAny(a, 1);
        var mt = cx.MetatableOf(a[0]);
        if (mt is null) return cx.Return(default);
        var protectedField = mt.GetStr(MetaNames.Names[(int)Meta.Metatable]);
        return cx.Return(protectedField.IsNil ? new LuaValue(mt) : protectedField);
    }

    static int SetMetatable(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var t = cx.CheckTable(a, 1);
        var m = cx.Arg(a, 2);
        if (!m.IsNil && m.O is not LuaTable) throw cx.ArgError(2, "nil or table expected");
        if (t.Metatable is not null && !t.Metatable.GetStr(MetaNames.Names[(int)Meta.Metatable]).IsNil)
            throw cx.Error("cannot change a protected metatable");
        t.Metatable = m.O as LuaTable;
        return cx.Return(a[0]);
    }

    static int RawSet(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var t = cx.CheckTable(a, 1);
        cx.CheckAny(a, 2);
        cx.CheckAny(a, 3);
        t.Set(a[1], a[2]);
        return cx.Return(a[0]);
    }

    static int Select(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        int n = a.Length;
        if (n > 0 && a[0].O is LuaString s && s.Length > 0 && s.Bytes[0] == '#') return cx.ReturnNumber(n - 1);
        long i = cx.CheckInteger(a, 1);
        if (i < 0) i = n + i;
        else if (i > n) i = n;
        if (i < 1) throw cx.ArgError(1, "index out of range");
        return cx.ReturnSpan(a[(int)i..]);
    }

    static int ToNumber(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        int bas = cx.OptInt(a, 2, 10);
        if (bas == 10)
        {
            cx.CheckAny(a, 1);
            if (a[0].TryToNumber(out double d)) return cx.ReturnNumber(d);
            return cx.Return(default);
        }
        var s = cx.CheckString(a, 1);
        if (bas < 2 || bas > 36) throw cx.ArgError(2, "base out of range");
        var b = s.Span;
        int z = b.IndexOf((byte)0);
        if (z >= 0) b = b[..z];
        int i = 0;
        while (i < b.Length && IsSpace(b[i])) i++;
        bool neg = false;
        if (i < b.Length && (b[i] == '-' || b[i] == '+')) { neg = b[i] == '-'; i++; }
        if (bas == 16 && i + 1 < b.Length && b[i] == '0' && (b[i + 1] | 0x20) == 'x' && i + 2 < b.Length && Digit(b[i + 2]) < 16) i += 2;
        int start = i;
        ulong v = 0; bool overflow = false;
        while (i < b.Length)
        {
            int dg = Digit(b[i]);
            if (dg >= bas) break;
            ulong nv = unchecked(v * (ulong)bas + (ulong)dg);
            if (v > (ulong.MaxValue - (ulong)dg) / (ulong)bas) overflow = true;
            v = nv; i++;
        }
        if (i == start) return cx.Return(default);
        while (i < b.Length && IsSpace(b[i])) i++;
        if (i != b.Length) return cx.Return(default);
        if (overflow) v = ulong.MaxValue;
        else if (neg) v = unchecked(0 - v);
        return cx.ReturnNumber(v);
    }

    static bool IsSpace(byte c) => c == ' ' || (c >= '\t' && c <= '\r');
    static int Digit(byte c) => c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? (c | 0x20) - 'a' + 10 : 99;

    static int Unpack(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var t = cx.CheckTable(a, 1);
        long i = cx.OptInteger(a, 2, 1);
        long e = n3(cx, a, t);
        if (i > e) return 0;
        long n = e - i + 1;
        if (n >= int.MaxValue || n + a.Length > 7999) throw cx.Error("too many results to unpack");
        cx.EnsureRet((int)n);
        for (long k = 0; k < n; k++) cx.Ret[k] = t.Get(LuaValue.Number(i + k));
        return (int)n;

        static long n3(CallContext cx, ReadOnlySpan<LuaValue> a, LuaTable t) =>
            a.Length < 3 || a[2].IsNil ? t.Length : cx.CheckInteger(a, 3);
    }

    static int Next(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var t = cx.CheckTable(a, 1);
        var k = cx.Arg(a, 2);
        if (t.Next(ref k, out var v)) return cx.Return(k, v);
        return cx.Return(default);
    }

    static int IpairsAux(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var t = cx.CheckTable(a, 1);
        double i = cx.CheckNumber(a, 2) + 1;
        var v = t.Get(LuaValue.Number(i));
        if (v.IsNil) return 0;
        return cx.Return(LuaValue.Number(i), v);
    }

    static int PCall(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        cx.CheckAny(a, 1);
        int top = cx.Top, depth = cx.Depth;
        try
        {
            int b = cx.Top;
            for (int i = 1; i < a.Length; i++) cx.Push(a[i]);
            int n = cx.CallValue(a[0], b, a.Length - 1);
            cx.EnsureRet(n + 1);
            Array.Copy(cx.Ret, 0, cx.Ret, 1, n);
            cx.Ret[0] = LuaValue.True;
            return n + 1;
        }
        catch (LuaException e) when (!e.Uncatchable)
        {
            cx.Top = top; cx.Depth = depth;
            return cx.Return(LuaValue.False, e.Value);
        }
        catch (InsufficientExecutionStackException)
        {
            cx.Top = top; cx.Depth = depth;
            return cx.Return(LuaValue.False, LuaValue.String("stack overflow"));
        }
    }

    static int XPCall(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        cx.CheckAny(a, 2);
        var handler = a[1];
        int top = cx.Top, depth = cx.Depth;
        try
        {
            int n = cx.CallValue(a[0], cx.Top, 0);
            cx.EnsureRet(n + 1);
            Array.Copy(cx.Ret, 0, cx.Ret, 1, n);
            cx.Ret[0] = LuaValue.True;
            return n + 1;
        }
        catch (LuaException e) when (!e.Uncatchable)
        {
            cx.Top = top; cx.Depth = depth;
            int b = cx.Top;
            cx.Push(e.Value);
            int n = cx.CallValue(handler, b, 1);
            var r = n > 0 ? cx.Ret[0] : default;
            return cx.Return(LuaValue.False, r);
        }
    }

    static int Print(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var tostring = cx.State.Globals.GetStr(TostringName);
        var o = cx.State.Output;
        for (int i = 0; i < a.Length; i++)
        {
            LuaString? s;
            if (a[i].O is LuaString ls && ReferenceEquals(tostring.O, null) == false && IsBuiltinToString(tostring)) s = ls;
            else
            {
                var r = cx.Call1(tostring, [a[i]]);
                s = r.O as LuaString ?? (r.IsNumber ? NumberFormat.ToLuaString(r.N) : null);
                if (s is null) throw cx.Error("'tostring' must return a string to 'print'");
            }
            if (i > 0) o.WriteByte((byte)'\t');
            // lua.c's print writes with fputs: a string ends at its first NUL
            int z = Array.IndexOf(s.Bytes, (byte)0);
            o.Write(s.Bytes, 0, z >= 0 ? z : s.Length);
        }
        o.WriteByte((byte)'\n');
        return 0;
    }

    static bool IsBuiltinToString(LuaValue v) => v.O is HostFunctionValue h && h.Name == "tostring";

    static int LoadString(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var s = cx.CheckString(a, 1);
        var name = cx.OptString(a, 2, s)!;
        return LoadChunk(cx, s.Bytes, name.ToString());
    }

    internal static int LoadChunk(CallContext cx, byte[] src, string chunkName)
    {
        if (src.Length > 0 && src[0] == 27) return cx.Return(default, LuaValue.String("binary chunks are not supported"));
        try
        {
            var chunk = LuaState.Compile(src, chunkName);
            return cx.Return(new LuaValue(cx.State.Load(chunk)));
        }
        catch (LuaSyntaxException e)
        {
            return cx.Return(default, e.Value);
        }
    }

    static int Load(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        cx.CheckType(a, 1, LuaType.Function);
        var fn = a[0];
        var name = cx.OptString(a, 2, LuaString.From("=(load)"))!;
        var buf = new List<byte>();
        while (true)
        {
            var piece = cx.Call1(fn, []);
            if (piece.IsNil) break;
            var ps = piece.AsString;
            if (ps is null) return cx.Return(default, LuaValue.String("reader function must return a string"));
            if (ps.Length == 0) break;
            buf.AddRange(ps.Bytes);
        }
        return LoadChunk(cx, buf.ToArray(), name.ToString());
    }
}
