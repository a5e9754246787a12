namespace Cinnabar.Lua;

/// <summary>luaL_check*/opt* for host functions: the same coercions and "bad argument" texts as lauxlib.</summary>
public sealed partial class CallContext
{
    public LuaValue Arg(ReadOnlySpan<LuaValue> a, int n) => n <= a.Length ? a[n - 1] : default;

    public void CheckAny(ReadOnlySpan<LuaValue> a, int n)
    {
        if (n > a.Length) throw ArgError(n, "value expected");
    }

    public double CheckNumber(ReadOnlySpan<LuaValue> a, int n)
    {
        if (n <= a.Length && a[n - 1].TryToNumber(out double d)) return d;
        throw TypeError(n, "number", a);
    }

    public double OptNumber(ReadOnlySpan<LuaValue> a, int n, double def) =>
        n > a.Length || a[n - 1].IsNil ? def : CheckNumber(a, n);

    /// <summary>lua_Number to lua_Integer as C's cast on x86-64 (out of range and NaN give the minimum).</summary>
    public static long ToInteger(double d) =>
        d >= -9.2233720368547758e18 && d < 9.2233720368547758e18 ? (long)d : long.MinValue;

    public long CheckInteger(ReadOnlySpan<LuaValue> a, int n) => ToInteger(CheckNumber(a, n));
    public int CheckInt(ReadOnlySpan<LuaValue> a, int n) => unchecked((int)CheckInteger(a, n));
    public long OptInteger(ReadOnlySpan<LuaValue> a, int n, long def) =>
        n > a.Length || a[n - 1].IsNil ? def : CheckInteger(a, n);
    public int OptInt(ReadOnlySpan<LuaValue> a, int n, int def) =>
        n > a.Length || a[n - 1].IsNil ? def : CheckInt(a, n);

    public LuaString CheckString(ReadOnlySpan<LuaValue> a, int n)
    {
        if (n <= a.Length)
        {
            var s = CoerceToString(a[n - 1]);
            if (s is not null) return s;
        }
        throw TypeError(n, "string", a);
    }

    public LuaString? OptString(ReadOnlySpan<LuaValue> a, int n, LuaString? def) =>
        n > a.Length || a[n - 1].IsNil ? def : CheckString(a, n);

    public LuaTable CheckTable(ReadOnlySpan<LuaValue> a, int n)
    {
        if (n <= a.Length && a[n - 1].O is LuaTable t) return t;
        throw TypeError(n, "table", a);
    }

    public void CheckType(ReadOnlySpan<LuaValue> a, int n, LuaType t)
    {
        if (n > a.Length || a[n - 1].Type != t) throw TypeError(n, LuaValue.TypeNameOf(t), a);
    }

    /// <summary>luaL_checkoption.</summary>
    public int CheckOption(ReadOnlySpan<LuaValue> a, int n, string? def, string[] options)
    {
        string name = def is not null && (n > a.Length || a[n - 1].IsNil) ? def : CheckString(a, n).ToString();
        int i = Array.IndexOf(options, name);
        if (i < 0) throw ArgError(n, $"invalid option '{name}'");
        return i;
    }

    public LuaTable NewTable(int narray = 0, int nhash = 0)
    {
        State.Memory.Charge(64 + narray * 16L + nhash * 40L);
        return new LuaTable(narray, nhash) { Account = State.Memory, RedisHash = State.RedisStringHash };
    }

    public LuaString NewString(byte[] bytes)
    {
        State.Memory.Charge(bytes.Length + 24);
        return new LuaString(bytes);
    }

    internal const int ShortStringMax = LuaState.ShortStringMax;

    /// <summary>A string of these bytes (copied): a cached equal one when short (see LuaState.ShortString).</summary>
    internal LuaString NewString(ReadOnlySpan<byte> s) =>
        s.Length <= ShortStringMax ? State.ShortString(s) : NewString(s.ToArray());
}
