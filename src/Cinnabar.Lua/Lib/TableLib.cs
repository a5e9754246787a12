using System.Runtime.CompilerServices;

namespace Cinnabar.Lua.Lib;

/// <summary>5.1's table library (ltablib.c), including sort's exact quicksort so comparators behave alike.</summary>
internal static class TableLib
{
    public static void Open(LuaState s, LuaTable g)
    {
        var t = new LuaTable();
        s.Register(t, "concat", Concat);
        s.Register(t, "foreach", ForEach);
        s.Register(t, "foreachi", ForEachI);
        s.Register(t, "getn", (cx, a) => cx.ReturnNumber(cx.CheckTable(a, 1).Length));
        s.Register(t, "insert", Insert);
        s.Register(t, "maxn", (cx, a) => cx.ReturnNumber(cx.CheckTable(a, 1).MaxN()));
        s.Register(t, "remove", Remove);
        s.Register(t, "setn", (cx, a) => { cx.CheckTable(a, 1); throw cx.Error("'setn' is obsolete"); });
        s.Register(t, "sort", Sort);
        g.SetStr(LuaString.From("table"), new LuaValue(t));
    }

    static int Insert(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var t = cx.CheckTable(a, 1);
        int e = t.Length + 1;
        int pos;
        switch (a.Length)
        {
            case 2: pos = e; break;
            case 3:
                pos = cx.CheckInt(a, 2);
                if (pos > e) e = pos;
                cx.CheckWritable(t);
                for (int i = e; i > pos; i--) t.SetInt(i, t.GetInt(i - 1));
                break;
            default: throw cx.Error("wrong number of arguments to 'insert'");
        }
        cx.CheckWritable(t);
        t.SetInt(pos, a[a.Length - 1]);
        return 0;
    }

    static int Remove(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var t = cx.CheckTable(a, 1);
        int e = t.Length;
        int pos = cx.OptInt(a, 2, e);
        if (!(1 <= pos && pos <= e)) return 0;
        var v = t.GetInt(pos);
        cx.CheckWritable(t);
        for (; pos < e; pos++) t.SetInt(pos, t.GetInt(pos + 1));
        t.SetInt(e, default);
        return cx.Return(v);
    }

    static int Concat(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var sep = cx.OptString(a, 2, LuaString.Empty)!;
        var t = cx.CheckTable(a, 1);
        int i = cx.OptInt(a, 3, 1);
        int last = a.Length >= 4 && !a[3].IsNil ? cx.CheckInt(a, 4) : t.Length;
        var b = new List<byte>();
        for (long k = i; k <= last; k++)
        {
            var v = t.GetInt((int)k);
            var s = CallContext.CoerceToString(v);
            if (s is null) throw cx.Error($"invalid value ({v.TypeName}) at index {k} in table for 'concat'");
            b.AddRange(s.Bytes);
            if (k != last) b.AddRange(sep.Bytes);
            if (b.Count > 1 << 16) { cx.State.Memory.Charge(0); }
        }
        return cx.ReturnString(cx.NewString(b.ToArray()));
    }

    static int ForEachI(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var t = cx.CheckTable(a, 1);
        cx.CheckType(a, 2, LuaType.Function);
        var f = a[1];
        int n = t.Length;
        for (int i = 1; i <= n; i++)
        {
            var r = cx.Call1(f, [LuaValue.Number(i), t.GetInt(i)]);
            if (!r.IsNil) return cx.Return(r);
        }
        return 0;
    }

    static int ForEach(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var t = cx.CheckTable(a, 1);
        cx.CheckType(a, 2, LuaType.Function);
        var f = a[1];
        var k = LuaValue.Nil;
        while (t.Next(ref k, out var v))
        {
            var r = cx.Call1(f, [k, v]);
            if (!r.IsNil) return cx.Return(r);
        }
        return 0;
    }

    static int Sort(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var t = cx.CheckTable(a, 1);
        int n = t.Length;
        var cmp = cx.Arg(a, 2);
        if (!cmp.IsNil) cx.CheckType(a, 2, LuaType.Function);
        new Sorter(cx, t, cmp).AuxSort(1, n);
        return 0;
    }

    sealed class Sorter(CallContext cx, LuaTable t, LuaValue cmp)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        bool Less(LuaValue x, LuaValue y)
        {
            if (!cmp.IsNil) return cx.CallArgs(cmp, x, y, 2) > 0 && cx.Ret[0].IsTruthy;
            if (x.IsNumber && y.IsNumber) return x.N < y.N;
            return cx.LessThan(x, y);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        void Swap(int i, int j)
        {
            cx.CheckWritable(t);
            t.SwapInts(i, j);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void AuxSort(int l, int u)
        {
            while (l < u)
            {
                cx.State.Steps(cx, 1);
                if (Less(t.GetInt(u), t.GetInt(l))) Swap(l, u);
                if (u - l == 1) break;
                int i = (l + u) / 2;
                if (Less(t.GetInt(i), t.GetInt(l))) Swap(i, l);
                else if (Less(t.GetInt(u), t.GetInt(i))) Swap(i, u);
                if (u - l == 2) break;
                var p = t.GetInt(i);
                Swap(i, u - 1);
                i = l;
                int j = u - 1;
                while (true)
                {
                    while (Less(t.GetInt(++i), p))
                        if (i > u) throw cx.Error("invalid order function for sorting");
                    while (Less(p, t.GetInt(--j)))
                        if (j < l) throw cx.Error("invalid order function for sorting");
                    if (j < i) break;
                    Swap(i, j);
                }
                Swap(u - 1, i);
                if (i - l < u - i) { j = l; i = i - 1; l = i + 2; }
                else { j = i + 1; i = u; u = j - 2; }
                AuxSort(j, i);
            }
        }
    }
}
