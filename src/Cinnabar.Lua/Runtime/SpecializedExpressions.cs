using System.Runtime.CompilerServices;

namespace Cinnabar.Lua.Runtime;

/// <summary>
/// Shapes the parser picks when an operand is a number constant (`n - 1`, `i < 10`): the constant is kept as a
/// double, so the node makes one child call instead of two and tests one type instead of two. Anything that is
/// not a number takes the general path with the same values, names and line, so errors and metamethods match.
/// </summary>
internal sealed class ArithConstExpr<TOp> : Expr where TOp : struct, IArithOp
{
    readonly Expr _a;
    readonly ConstExpr _b;
    readonly double _k;
    readonly Operand _ra;
    public ArithConstExpr(Expr a, ConstExpr b) { _a = a; _b = b; _k = b.Value.N; _ra = new Operand(a); }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var a = _ra.Read(cx, f);
        if (a.IsNumber) return LuaValue.Number(TOp.Apply(a.N, _k));
        cx.Calls[cx.Depth].Line = Line;
        return cx.Arith(TOp.Event, a, _b.Value, _a.Describe, null);
    }
}

/// <summary>a &lt; k, a &lt;= k, a &gt; k, a &gt;= k with k a number constant (see ArithConstExpr).</summary>
internal sealed class CompareConstExpr : Expr
{
    readonly Expr _a;
    readonly ConstExpr _b;
    readonly double _k;
    readonly bool _le, _swap;
    readonly Operand _ra;
    public CompareConstExpr(Expr a, ConstExpr b, bool le, bool swap)
    {
        _a = a; _b = b; _k = b.Value.N; _le = le; _swap = swap; _ra = new Operand(a);
    }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a comparison as a value (`return a > b`): the sort comparator
    public override LuaValue Eval(CallContext cx, LuaValue[] f) => EvalBool(cx, f) ? LuaValue.True : LuaValue.False;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool EvalBool(CallContext cx, LuaValue[] f)
    {
        var a = _ra.Read(cx, f);
        if (a.IsNumber)
        {
            double x = a.N, y = _k;
            if (_swap) return _le ? y <= x : y < x;
            return _le ? x <= y : x < y;
        }
        cx.Calls[cx.Depth].Line = Line;
        var b = _b.Value;
        if (_swap) (a, b) = (b, a);
        return _le ? cx.LessEqual(a, b) : cx.LessThan(a, b);
    }
}
