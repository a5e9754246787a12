using System.Runtime.CompilerServices;

namespace Cinnabar.Lua.Lib;

/// <summary>5.1's string library (lstrlib.c behaviour and messages); strings are bytes throughout.</summary>
internal static class StringLib
{
    public static void Open(LuaState s, LuaTable g)
    {
        var t = new LuaTable();
        s.Register(t, "byte", Byte);
        s.Register(t, "char", Char);
        s.Register(t, "dump", (cx, a) => { cx.CheckType(a, 1, LuaType.Function); throw cx.Error("unable to dump given function"); });
        s.Register(t, "find", (cx, a) => FindAux(cx, a, true));
        s.Register(t, "format", StringFormat.Format);
        s.Register(t, "gfind", GMatch);
        s.Register(t, "gmatch", GMatch);
        s.Register(t, "gsub", GSub);
        s.Register(t, "len", (cx, a) => cx.ReturnNumber(cx.CheckString(a, 1).Length));
        s.Register(t, "lower", (cx, a) => ChangeCase(cx, a, upper: false));
        s.Register(t, "match", (cx, a) => FindAux(cx, a, false));
        s.Register(t, "rep", Rep);
        s.Register(t, "reverse", (cx, a) => { var b = cx.CheckString(a, 1).Bytes.ToArray(); Array.Reverse(b); return cx.ReturnString(cx.NewString(b)); });
        s.Register(t, "sub", Sub);
        s.Register(t, "upper", (cx, a) => ChangeCase(cx, a, upper: true));
        g.SetStr(LuaString.From("string"), new LuaValue(t));
        var mt = new LuaTable();
        mt.SetStr(LuaString.From("__index"), new LuaValue(t));
        s.StringMetatable = mt;
    }

    // ASCII only, as toupper/tolower in the C locale; a plain loop (a delegate call per byte cost more than the copy)
    static int ChangeCase(CallContext cx, ReadOnlySpan<LuaValue> a, bool upper)
    {
        var src = cx.CheckString(a, 1).Bytes;
        byte[]? heap = src.Length <= CallContext.ShortStringMax ? null : new byte[src.Length];
        Span<byte> b = heap ?? stackalloc byte[src.Length]; // short: built on the stack, then looked up among recent strings
        byte lo = upper ? (byte)'a' : (byte)'A';
        for (int i = 0; i < b.Length; i++)
        {
            byte c = src[i];
            b[i] = (uint)(c - lo) <= 'z' - 'a' ? (byte)(c ^ 0x20) : c;
        }
        return cx.ReturnString(heap is null ? cx.NewString(b) : cx.NewString(heap));
    }

    internal static long PosRelat(long pos, int len)
    {
        if (pos < 0) pos += len + 1;
        return pos >= 0 ? pos : 0;
    }

    static int Sub(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var s = cx.CheckString(a, 1);
        int l = s.Length;
        long start = PosRelat(cx.CheckInteger(a, 2), l);
        long end = PosRelat(cx.OptInteger(a, 3, -1), l);
        if (start < 1) start = 1;
        if (end > l) end = l;
        if (start > end) return cx.ReturnString(LuaString.Empty);
        if (start == 1 && end == l) return cx.ReturnString(s);
        return cx.ReturnString(cx.NewString(s.Bytes.AsSpan((int)(start - 1), (int)(end - start + 1))));
    }

    static int Byte(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var s = cx.CheckString(a, 1);
        int l = s.Length;
        long posi = PosRelat(cx.OptInteger(a, 2, 1), l);
        long pose = PosRelat(cx.OptInteger(a, 3, posi), l);
        if (posi <= 0) posi = 1;
        if (pose > l) pose = l;
        if (posi > pose) return 0;
        int n = (int)(pose - posi + 1);
        if (n > 7999) throw cx.Error("string slice too long");
        cx.EnsureRet(n);
        for (int i = 0; i < n; i++) cx.Ret[i] = LuaValue.Number(s.Bytes[posi - 1 + i]);
        return n;
    }

    static int Char(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var b = new byte[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            int c = cx.CheckInt(a, i + 1);
            if ((byte)c != c) throw cx.ArgError(i + 1, "invalid value");
            b[i] = (byte)c;
        }
        return cx.ReturnString(cx.NewString(b));
    }

    static int Rep(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var s = cx.CheckString(a, 1);
        long n = cx.CheckInteger(a, 2);
        if (n <= 0 || s.Length == 0) return cx.ReturnString(LuaString.Empty);
        long total = n * s.Length;
        if (total / s.Length != n || total > int.MaxValue - 64) { cx.State.Memory.Charge(long.MaxValue / 2); }
        cx.State.Steps(cx, (int)Math.Min(total / 64, 1 << 20));
        var b = cx.NewString(new byte[total]);
        var dst = b.Bytes;
        for (long i = 0; i < n; i++) Buffer.BlockCopy(s.Bytes, 0, dst, (int)(i * s.Length), s.Length);
        return cx.ReturnString(new LuaString(dst));
    }

    static bool HasSpecials(ReadOnlySpan<byte> p)
    {
        foreach (byte c in p)
        {
            if (c == 0) return false;
            if ("^$*+?.([%-".IndexOf((char)c) >= 0) return true;
        }
        return false;
    }

    static int FindAux(CallContext cx, ReadOnlySpan<LuaValue> a, bool find)
    {
        var s = cx.CheckString(a, 1);
        var p = cx.CheckString(a, 2);
        long init = PosRelat(cx.OptInteger(a, 3, 1), s.Length) - 1;
        if (init < 0) init = 0;
        else if (init > s.Length) init = s.Length;
        if (find && (cx.Arg(a, 4).IsTruthy || !HasSpecials(p.Span)))
        {
            int idx = p.Length == 0 ? 0 : s.Span[(int)init..].IndexOf(p.Span);
            if (idx < 0) return cx.Return(default);
            int st = (int)init + idx;
            return cx.Return(LuaValue.Number(st + 1), LuaValue.Number(st + p.Length));
        }
        var ms = new LuaPattern(cx);
        var pat = p.Bytes;
        int pstart = 0;
        bool anchor = pat.Length > 0 && pat[0] == '^';
        if (anchor) { pat = pat[1..]; }
        int s1 = (int)init;
        do
        {
            ms.Reset(s.Bytes, pat);
            int e = ms.Match(s1, pstart);
            if (e >= 0)
            {
                if (find)
                {
                    cx.SetResult(0, LuaValue.Number(s1 + 1));
                    cx.SetResult(1, LuaValue.Number(e));
                    return ms.PushCaptures(-1, -1, false, 2) + 2;
                }
                return ms.PushCaptures(s1, e, true);
            }
        } while (s1++ < s.Length && !anchor);
        return cx.Return(default);
    }

    static int GMatch(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var s = cx.CheckString(a, 1);
        var p = cx.CheckString(a, 2);
        int pos = 0;
        LuaPattern? ms = null; // one matcher per gmatch, not per step (remade if another coroutine steps it)
        var iter = new HostFunctionValue("gmatch_aux", (cx2, _) =>
        {
            if (ms is null || !ms.RunsIn(cx2))
            {
                ms = new LuaPattern(cx2);
                ms.Reset(s.Bytes, p.Bytes);
                ms.FindFirstItem();
            }
            for (int src = pos; src <= s.Length; src++)
            {
                ms.Reset(s.Bytes, p.Bytes);
                int e = ms.MayStartAt(src) ? ms.Match(src, 0) : -1;
                if (e >= 0)
                {
                    int newStart = e;
                    if (e == src) newStart++;
                    pos = newStart;
                    return ms.PushCaptures(src, e, true);
                }
            }
            pos = s.Length + 1;
            return 0;
        });
        return cx.Return(new LuaValue(iter));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int GSub(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var s = cx.CheckString(a, 1);
        var p = cx.CheckString(a, 2);
        var repl = cx.Arg(a, 3);
        var rt = repl.Type;
        if (!(rt == LuaType.Number || rt == LuaType.String || rt == LuaType.Function || rt == LuaType.Table))
            throw cx.ArgError(3, "string/function/table expected");
        long maxS = cx.OptInteger(a, 4, s.Length + 1);
        var pat = p.Bytes;
        bool anchor = pat.Length > 0 && pat[0] == '^';
        if (anchor) pat = pat[1..];
        var ms = new LuaPattern(cx);
        var src = s.Bytes;
        var b = new PooledBytes(src.Length);
        var replStr = rt is LuaType.String or LuaType.Number ? CallContext.CoerceToString(repl)!.Bytes : null;
        int pos = 0, copyFrom = 0; // src[copyFrom..pos) matched nothing: copied as one run before the next replacement
        long n = 0;
        ms.Reset(src, pat);
        ms.FindFirstItem();
        while (n < maxS)
        {
            ms.Reset(src, pat);
            int e = ms.MayStartAt(pos) ? ms.Match(pos, 0) : -1;
            if (e >= 0)
            {
                n++;
                b.Add(src.AsSpan(copyFrom, pos - copyFrom));
                AddValue(cx, ms, ref b, pos, e, repl, replStr);
                copyFrom = e; // a match never ends before it starts
            }
            if (e >= 0 && e > pos) pos = e;
            else if (pos < src.Length) pos++;
            else break;
            if (anchor) break;
            if (b.Count > 1 << 20) cx.State.Memory.Charge(0);
        }
        b.Add(src.AsSpan(copyFrom));
        var result = b.ToArray();
        b.Dispose();
        return cx.Return(new LuaValue(cx.NewString(result)), LuaValue.Number(n));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AddValue(CallContext cx, LuaPattern ms, ref PooledBytes b, int s, int e, LuaValue repl, byte[]? replStr)
    {
        if (replStr is not null)
        {
            for (int i = 0; i < replStr.Length; i++)
            {
                byte c = replStr[i];
                if (c != '%') { b.Add(c); continue; }
                i++;
                if (i >= replStr.Length) { b.Add(0); break; } // as 5.1: a trailing '%' adds the terminating NUL
                c = replStr[i];
                if (c < '0' || c > '9') { b.Add(c); continue; }
                if (c == '0') { b.Add(ms.Src.AsSpan(s, e - s)); continue; }
                var cap = ms.GetCapture(c - '1', s, e);
                var cs = CallContext.CoerceToString(cap)!;
                b.Add(cs.Bytes);
            }
            return;
        }
        LuaValue v;
        if (repl.O is LuaTable t)
        {
            v = cx.Index(repl, ms.GetCapture(0, s, e), null);
        }
        else
        {
            int n = ms.Level == 0 ? 1 : ms.Level;
            if (n == 1) v = cx.CallArgs(repl, ms.GetCapture(0, s, e), default, 1) > 0 ? cx.Ret[0] : default;
            else
            {
                int top = cx.Top;
                for (int i = 0; i < n; i++) cx.Push(ms.GetCapture(i, s, e));
                v = cx.CallValue(repl, top, n) > 0 ? cx.Ret[0] : default;
            }
        }
        if (v.IsFalsy) { b.Add(ms.Src.AsSpan(s, e - s)); return; }
        var vs = CallContext.CoerceToString(v);
        if (vs is null) throw cx.Error("invalid replacement value (a " + v.TypeName + ")");
        b.Add(vs.Bytes);
    }
}
