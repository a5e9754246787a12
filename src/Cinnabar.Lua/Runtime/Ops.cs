using System.Runtime.CompilerServices;

namespace Cinnabar.Lua;

using Cinnabar.Lua.Runtime;

internal enum Meta { Index, NewIndex, Gc, Mode, Eq, Add, Sub, Mul, Div, Mod, Pow, Unm, Len, Lt, Le, Concat, Call, ToString, Metatable }

internal static class MetaNames
{
    public static readonly LuaString[] Names = Array.ConvertAll(
        ["__index", "__newindex", "__gc", "__mode", "__eq", "__add", "__sub", "__mul", "__div", "__mod", "__pow",
         "__unm", "__len", "__lt", "__le", "__concat", "__call", "__tostring", "__metatable"], LuaString.From);
}

/// <summary>The operations of the virtual machine with 5.1's coercions, metamethods and error texts.</summary>
public sealed partial class CallContext
{
    internal LuaTable? MetatableOf(in LuaValue v)
    {
        object? o = v.O;
        if (o is LuaTable t) return t.Metatable;
        if (o is LuaString) return State.StringMetatable;
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static LuaValue FastTm(LuaTable? mt, Meta e)
    {
        if (mt is null) return default;
        int bit = 1 << (int)e;
        if ((int)e < 8 && (mt.Flags & bit) != 0) return default;
        var v = mt.GetStr(MetaNames.Names[(int)e]);
        if (v.IsNil && (int)e < 8) mt.Flags |= (byte)bit;
        return v;
    }

    internal LuaValue GetMetamethod(in LuaValue v, Meta e) => FastTm(MetatableOf(v), e);

    static string Named(string? desc, in LuaValue v) =>
        desc is null ? $"a {v.TypeName} value" : $"{desc} (a {v.TypeName} value)";

    // ---------- indexing ----------
    internal LuaValue Index(LuaValue obj, LuaValue key, string? desc)
    {
        for (int loop = 0; loop < 100; loop++)
        {
            LuaValue tm;
            if (obj.O is LuaTable t)
            {
                var v = t.Get(key);
                if (!v.IsNil) return v;
                tm = FastTm(t.Metatable, Meta.Index);
                if (tm.IsNil) return v;
            }
            else
            {
                tm = GetMetamethod(obj, Meta.Index);
                if (tm.IsNil) throw RtError("attempt to index " + Named(loop == 0 ? desc : null, obj));
            }
            if (tm.O is LuaFunction f) return CallMeta(f, obj, key);
            obj = tm;
        }
        throw RtError("loop in gettable");
    }

    internal void SetIndex(LuaValue obj, LuaValue key, LuaValue val, string? desc)
    {
        for (int loop = 0; loop < 100; loop++)
        {
            LuaValue tm;
            if (obj.O is LuaTable t)
            {
                var mt = t.Metatable;
                if (mt is null) { RawSetChecked(t, key, val); return; }
                var old = t.Get(key);
                if (!old.IsNil) { RawSetChecked(t, key, val); return; }
                tm = FastTm(mt, Meta.NewIndex);
                if (tm.IsNil) { RawSetChecked(t, key, val); return; }
            }
            else
            {
                tm = GetMetamethod(obj, Meta.NewIndex);
                if (tm.IsNil) throw RtError("attempt to index " + Named(loop == 0 ? desc : null, obj));
            }
            if (tm.O is LuaFunction f)
            {
                int b = Top;
                Push(obj); Push(key); Push(val);
                Invoke(f, b, 3);
                return;
            }
            obj = tm;
        }
        throw RtError("loop in settable");
    }

    internal void RawSetChecked(LuaTable t, in LuaValue key, in LuaValue val)
    {
        if (key.O is null) throw RtError("table index is nil");
        if (key.IsNumber && double.IsNaN(key.N)) throw RtError("table index is NaN");
        t.Set(key, val);
    }

    internal LuaValue CallMeta(LuaFunction f, in LuaValue a, in LuaValue b)
    {
        int bs = Top;
        Push(a); Push(b);
        int n = Invoke(f, bs, 2);
        return n > 0 ? Ret[0] : default;
    }

    // ---------- arithmetic ----------
    internal LuaValue Arith(Meta op, LuaValue a, LuaValue b, string? da, string? db)
    {
        if (a.TryToNumber(out double x) && b.TryToNumber(out double y)) return LuaValue.Number(ArithNum(op, x, y));
        var tm = GetMetamethod(a, op);
        if (tm.IsNil) tm = GetMetamethod(b, op);
        if (tm.O is LuaFunction f) return CallMeta(f, a, b);
        bool aok = a.TryToNumber(out _);
        throw RtError("attempt to perform arithmetic on " + (aok ? Named(db, b) : Named(da, a)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ArithNum(Meta op, double x, double y) => op switch
    {
        Meta.Add => x + y,
        Meta.Sub => x - y,
        Meta.Mul => x * y,
        Meta.Div => x / y,
        Meta.Mod => x - Math.Floor(x / y) * y,
        Meta.Pow => Math.Pow(x, y),
        _ => -x,
    };

    // ---------- comparison ----------
    internal bool Equals(LuaValue a, LuaValue b)
    {
        if (LuaValue.RawEquals(a, b)) return true;
        if (a.O is LuaTable ta && b.O is LuaTable tb)
        {
            var tm1 = FastTm(ta.Metatable, Meta.Eq);
            if (tm1.IsNil) return false;
            if (!ReferenceEquals(ta.Metatable, tb.Metatable))
            {
                var tm2 = FastTm(tb.Metatable, Meta.Eq);
                if (!LuaValue.RawEquals(tm1, tm2)) return false;
            }
            return tm1.O is LuaFunction f ? CallMeta(f, a, b).IsTruthy : throw RtError("attempt to call a " + tm1.TypeName + " value");
        }
        return false;
    }

    LuaException CompareError(in LuaValue a, in LuaValue b)
    {
        string t1 = a.TypeName, t2 = b.TypeName;
        return RtError(t1 == t2 ? $"attempt to compare two {t1} values" : $"attempt to compare {t1} with {t2}");
    }

    LuaValue CompHandler(in LuaValue a, in LuaValue b, Meta e)
    {
        var tm1 = GetMetamethod(a, e);
        if (tm1.IsNil) return default;
        var tm2 = GetMetamethod(b, e);
        if (!LuaValue.RawEquals(tm1, tm2)) return default;
        return tm1;
    }

    internal bool LessThan(LuaValue a, LuaValue b)
    {
        if (a.IsNumber && b.IsNumber) return a.N < b.N;
        if (a.O is LuaString sa && b.O is LuaString sb) return LuaString.Compare(sa, sb) < 0;
        if (a.Type == b.Type)
        {
            var tm = CompHandler(a, b, Meta.Lt);
            if (tm.O is LuaFunction f) return CallMeta(f, a, b).IsTruthy;
        }
        throw CompareError(a, b);
    }

    internal bool LessEqual(LuaValue a, LuaValue b)
    {
        if (a.IsNumber && b.IsNumber) return a.N <= b.N;
        if (a.O is LuaString sa && b.O is LuaString sb) return LuaString.Compare(sa, sb) <= 0;
        if (a.Type == b.Type)
        {
            var tm = CompHandler(a, b, Meta.Le);
            if (tm.O is LuaFunction f) return CallMeta(f, a, b).IsTruthy;
            tm = CompHandler(b, a, Meta.Lt);
            if (tm.O is LuaFunction g) return !CallMeta(g, b, a).IsTruthy;
        }
        throw CompareError(a, b);
    }

    // ---------- length, concat, strings ----------
    internal LuaValue Length(LuaValue v, string? desc)
    {
        if (v.O is LuaTable t) return LuaValue.Number(t.Length);
        if (v.O is LuaString s) return LuaValue.Number(s.Length);
        var tm = GetMetamethod(v, Meta.Len);
        if (tm.O is LuaFunction f) return CallMeta(f, v, default);
        throw RtError("attempt to get length of " + Named(desc, v));
    }

    /// <summary>Number or string as a Lua string (5.1's tostring coercion), or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static LuaString? CoerceToString(in LuaValue v)
    {
        if (v.O is LuaString s) return s;
        if (v.IsNumber) return NumberFormat.ToLuaString(v.N);
        return null;
    }

    internal LuaValue Concat2(LuaValue a, LuaValue b, string? da, string? db)
    {
        var sa = CoerceToString(a);
        var sb = CoerceToString(b);
        if (sa is not null && sb is not null)
        {
            if (sa.Length == 0) return new LuaValue(sb);
            if (sb.Length == 0) return new LuaValue(sa);
            long len = (long)sa.Length + sb.Length;
            if (len > int.MaxValue - 64) throw RtError("string length overflow");
            State.Memory.Charge(len + 24);
            var r = new byte[len];
            sa.Bytes.CopyTo(r, 0);
            sb.Bytes.CopyTo(r, sa.Length);
            return new LuaValue(new LuaString(r));
        }
        var tm = GetMetamethod(a, Meta.Concat);
        if (tm.IsNil) tm = GetMetamethod(b, Meta.Concat);
        if (tm.O is LuaFunction f) return CallMeta(f, a, b);
        bool blameB = a.IsString || a.IsNumber;
        throw RtError("attempt to concatenate " + (blameB ? Named(db, b) : Named(da, a)));
    }

    /// <summary>tostring(v) as the base library does (honours __tostring).</summary>
    public LuaValue ToStringMeta(LuaValue v)
    {
        var tm = GetMetamethod(v, Meta.ToString);
        if (!tm.IsNil)
        {
            int b = Top;
            Push(v);
            int n = tm.O is LuaFunction f ? Invoke(f, b, 1) : CallValue(tm, b, 1);
            return n > 0 ? Ret[0] : default;
        }
        return new LuaValue(State.ToStringBasic(v));
    }

    /// <summary>Calls any value (with __call) whose arguments are already on the stack at b.</summary>
    internal int CallValue(LuaValue fn, int b, int nargs, string? desc = null)
    {
        if (fn.O is LuaFunction f) return Invoke(f, b, nargs);
        var tm = GetMetamethod(fn, Meta.Call);
        if (tm.O is not LuaFunction mf) throw RtError("attempt to call " + Named(desc, fn));
        if (Top == Stack.Length) GrowStack(1);
        Array.Copy(Stack, b, Stack, b + 1, nargs);
        Stack[b] = fn;
        Top++;
        return Invoke(mf, b, nargs + 1);
    }
}
