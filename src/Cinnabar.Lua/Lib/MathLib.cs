namespace Cinnabar.Lua.Lib;

/// <summary>5.1's math library; random is glibc's rand() (what Debian's lua5.1 calls) unless the host replaces it.</summary>
internal static class MathLib
{
    public static void Open(LuaState s, LuaTable g)
    {
        var t = new LuaTable();
        void F1(string name, Func<double, double> f) => s.Register(t, name, (cx, a) => cx.ReturnNumber(f(cx.CheckNumber(a, 1))));
        F1("abs", Math.Abs); F1("ceil", Math.Ceiling); F1("floor", Math.Floor); F1("sqrt", Math.Sqrt);
        F1("sin", Math.Sin); F1("cos", Math.Cos); F1("tan", Math.Tan); F1("asin", Math.Asin); F1("acos", Math.Acos);
        F1("atan", Math.Atan); F1("exp", Math.Exp); F1("log", Math.Log); F1("log10", Math.Log10);
        F1("sinh", Math.Sinh); F1("cosh", Math.Cosh); F1("tanh", Math.Tanh);
        F1("deg", x => x * (180.0 / Math.PI)); F1("rad", x => x * (Math.PI / 180.0));
        s.Register(t, "atan2", (cx, a) => cx.ReturnNumber(Math.Atan2(cx.CheckNumber(a, 1), cx.CheckNumber(a, 2))));
        s.Register(t, "pow", (cx, a) => cx.ReturnNumber(Math.Pow(cx.CheckNumber(a, 1), cx.CheckNumber(a, 2))));
        HostFunction fmod = (cx, a) => cx.ReturnNumber(cx.CheckNumber(a, 1) % cx.CheckNumber(a, 2));
        s.Register(t, "fmod", fmod);
        s.Register(t, "mod", fmod);
        s.Register(t, "modf", (cx, a) =>
        {
            double x = cx.CheckNumber(a, 1);
            double ip = double.IsInfinity(x) ? x : Math.Truncate(x);
            double fp = double.IsInfinity(x) ? 0 : x - ip;
            if (double.IsNaN(x)) { ip = x; fp = x; }
            return cx.Return(LuaValue.Number(ip), LuaValue.Number(fp));
        });
        s.Register(t, "frexp", (cx, a) =>
        {
            double x = cx.CheckNumber(a, 1);
            if (x == 0 || !double.IsFinite(x)) return cx.Return(LuaValue.Number(x), LuaValue.Number(0));
            int e = Math.ILogB(x) + 1;
            double m = Math.ScaleB(x, -e);
            if (Math.Abs(m) >= 1) { m /= 2; e++; }
            if (Math.Abs(m) < 0.5) { m *= 2; e--; }
            return cx.Return(LuaValue.Number(m), LuaValue.Number(e));
        });
        s.Register(t, "ldexp", (cx, a) => cx.ReturnNumber(Math.ScaleB(cx.CheckNumber(a, 1), cx.CheckInt(a, 2))));
        s.Register(t, "min", (cx, a) =>
        {
            double m = cx.CheckNumber(a, 1);
            for (int i = 2; i <= a.Length; i++) { double d = cx.CheckNumber(a, i); if (d < m) m = d; }
            return cx.ReturnNumber(m);
        });
        s.Register(t, "max", (cx, a) =>
        {
            double m = cx.CheckNumber(a, 1);
            for (int i = 2; i <= a.Length; i++) { double d = cx.CheckNumber(a, i); if (d > m) m = d; }
            return cx.ReturnNumber(m);
        });
        s.Register(t, "random", (cx, a) =>
        {
            double r = (double)(cx.State.Random.Next() % GlibcRandom.RandMax) / GlibcRandom.RandMax;
            switch (a.Length)
            {
                case 0: return cx.ReturnNumber(r);
                case 1:
                {
                    int u = cx.CheckInt(a, 1);
                    if (!(1 <= u)) throw cx.ArgError(1, "interval is empty");
                    return cx.ReturnNumber(Math.Floor(r * u) + 1);
                }
                case 2:
                {
                    int l = cx.CheckInt(a, 1), u = cx.CheckInt(a, 2);
                    if (!(l <= u)) throw cx.ArgError(2, "interval is empty");
                    return cx.ReturnNumber(Math.Floor(r * (u - l + 1)) + l);
                }
                default: throw cx.Error("wrong number of arguments");
            }
        });
        s.Register(t, "randomseed", (cx, a) => { cx.State.Random.Seed((uint)cx.CheckInt(a, 1)); return 0; });
        t.SetStr(LuaString.From("pi"), LuaValue.Number(Math.PI));
        t.SetStr(LuaString.From("huge"), LuaValue.Number(double.PositiveInfinity));
        g.SetStr(LuaString.From("math"), new LuaValue(t));
    }
}

/// <summary>glibc's rand()/srand() (the TYPE_3 additive feedback generator), so math.random matches lua5.1 on Linux.</summary>
public sealed class GlibcRandom
{
    public const int RandMax = int.MaxValue;
    public GlibcRandom() { Seed(1); }

    public void Seed(uint seed)
    {
        if (seed == 0) seed = 1;
        var r = new int[34];
        r[0] = (int)seed;
        for (int i = 1; i < 31; i++)
        {
            long hi = r[i - 1] / 127773, lo = r[i - 1] % 127773;
            long word = 16807 * lo - 2836 * hi;
            if (word < 0) word += 2147483647;
            r[i] = (int)word;
        }
        for (int i = 31; i < 34; i++) r[i] = r[i - 31];
        // the running sequence keeps its last 34 values in a ring
        _ring = new int[34];
        Array.Copy(r, _ring, 34);
        _pos = 0;
        for (int i = 34; i < 344; i++) NextRaw();
    }

    int[] _ring = new int[34];
    int _pos;

    int NextRaw()
    {
        // r[i] = r[i-31] + r[i-3]; ring index of i is _pos (i mod 34)
        int i31 = (_pos + 34 - 31) % 34, i3 = (_pos + 34 - 3) % 34;
        int v = unchecked(_ring[i31] + _ring[i3]);
        _ring[_pos] = v;
        _pos = (_pos + 1) % 34;
        return v;
    }

    public int Next() => (int)((uint)NextRaw() >> 1);
}
