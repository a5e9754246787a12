using System.Runtime.CompilerServices;

namespace Cinnabar.Lua.Runtime;

/// <summary>
/// An executable expression: the parser resolves every name to a frame slot, an upvalue index or a global,
/// so evaluation is a walk over these nodes with no lookups by name for locals.
/// The hot nodes' Eval/Exec carry AggressiveOptimization: ReadyToRun code (the bench tool's build) makes their
/// virtual calls through stubs and reads statics (LuaValue's tags) through helper calls until tier-1 replaces
/// it, which a run of a few hundred ms barely reaches; those methods are jitted optimized at first call instead.
/// </summary>
internal abstract class Expr
{
    public int Line;
    public abstract LuaValue Eval(CallContext cx, LuaValue[] f);
    /// <summary>Evaluates as a condition (comparisons answer without building a boolean value).</summary>
    public virtual bool EvalBool(CallContext cx, LuaValue[] f) => Eval(cx, f).IsTruthy;
    /// <summary>True for calls and '...', whose value lists expand at the end of an expression list (a field: read on every call).</summary>
    public bool IsMulti;
    /// <summary>Evaluates into cx.Ret, returning the number of values.</summary>
    public virtual int EvalMulti(CallContext cx, LuaValue[] f) { var v = Eval(cx, f); cx.Ret[0] = v; return 1; }
    /// <summary>How 5.1 names this value in errors ("local 'x'"), or null.</summary>
    public virtual string? Describe => null;
    /// <summary>The bare name for argument errors ("insert").</summary>
    public virtual string? FuncName => null;
    public virtual bool IsConstant => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static LuaClosure Closure(LuaValue[] f) => Unsafe.As<LuaClosure>(f[0].O!);

    /// <summary>Pushes the values of an expression list onto the stack (the last one expanded); returns the count.</summary>
    public static int PushList(CallContext cx, LuaValue[] f, Expr[] list)
    {
        int b = cx.Top;
        int n = list.Length;
        if (n == 0) return 0;
        for (int i = 0; i < n - 1; i++) { var v = list[i].Eval(cx, f); cx.Push(v); }
        var last = list[n - 1];
        if (last.IsMulti)
        {
            int k = last.EvalMulti(cx, f);
            if (cx.Top + k > cx.Stack.Length) cx.GrowStack(k);
            Array.Copy(cx.Ret, 0, cx.Stack, cx.Top, k);
            cx.Top += k;
        }
        else { var v = last.Eval(cx, f); cx.Push(v); }
        return cx.Top - b;
    }
}

/// <summary>
/// A child expression as a node reads it: a plain local straight from its slot and an upvalue straight from
/// its box, without a node call (the most common operands); anything else through its node.
/// </summary>
internal readonly struct Operand
{
    readonly Expr _node;
    readonly LocalVar? _local;
    readonly int _upval;
    public Operand(Expr e) { _node = e; _local = LocalExpr.VarOf(e); _upval = e is UpvalExpr u ? u.Index : -1; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public LuaValue Read(CallContext cx, LuaValue[] f)
    {
        var l = _local;
        if (l is { Captured: false }) return f[l.Slot];
        if (_upval >= 0) return Expr.Closure(f).Up[_upval].V;
        return _node.Eval(cx, f);
    }
}

internal abstract class AssignableExpr : Expr
{
    public abstract void Assign(CallContext cx, LuaValue[] f, LuaValue v);
}

internal sealed class ConstExpr : Expr
{
    readonly LuaValue _v;
    public ConstExpr(LuaValue v) { _v = v; }
    public LuaValue Value => _v;
    public override bool IsConstant => true;
    public override LuaValue Eval(CallContext cx, LuaValue[] f) => _v;
}

internal sealed class VarargExpr : Expr
{
    public VarargExpr() { IsMulti = true; }
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var va = Unsafe.As<LuaValue[]>(f[1].O!);
        return va.Length > 0 ? va[0] : default;
    }
    public override int EvalMulti(CallContext cx, LuaValue[] f)
    {
        var va = Unsafe.As<LuaValue[]>(f[1].O!);
        cx.EnsureRet(va.Length);
        va.CopyTo(cx.Ret, 0);
        return va.Length;
    }
}

internal sealed class ParenExpr : Expr
{
    readonly Expr _e;
    public ParenExpr(Expr e) { _e = e; Line = e.Line; }
    public override LuaValue Eval(CallContext cx, LuaValue[] f) => _e.Eval(cx, f);
    public override string? Describe => _e is CallExpr ? null : _e.Describe;
}

internal sealed class LocalExpr : AssignableExpr
{
    public readonly LocalVar Var;
    public LocalExpr(LocalVar v) { Var = v; }
    public override string? Describe => "local '" + Var.Name + "'";
    public override string? FuncName => Var.Name;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var v = Var;
        if (!v.Captured) return f[v.Slot];
        return Unsafe.As<UpBox>(f[v.Slot].O!).V;
    }

    public override void Assign(CallContext cx, LuaValue[] f, LuaValue val)
    {
        var v = Var;
        if (!v.Captured) f[v.Slot] = val;
        else Unsafe.As<UpBox>(f[v.Slot].O!).V = val;
    }

    /// <summary>The variable of a local read, for nodes that read a plain slot without a call (null otherwise).</summary>
    public static LocalVar? VarOf(Expr e) => e is LocalExpr l ? l.Var : null;


    /// <summary>Initialises a freshly declared local (a new box when captured: each declaration is a new variable).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Declare(LuaValue[] f, LocalVar v, LuaValue val)
    {
        if (!v.Captured) f[v.Slot] = val;
        else f[v.Slot] = new LuaValue(new UpBox(val), 0);
    }
}

internal sealed class UpvalExpr : AssignableExpr
{
    readonly int _idx;
    readonly string _name;
    public UpvalExpr(int idx, string name) { _idx = idx; _name = name; }
    public int Index => _idx;
    public override string? Describe => "upvalue '" + _name + "'";
    public override string? FuncName => _name;
    public override LuaValue Eval(CallContext cx, LuaValue[] f) => Closure(f).Up[_idx].V;
    public override void Assign(CallContext cx, LuaValue[] f, LuaValue v) => Closure(f).Up[_idx].V = v;
}

internal sealed class GlobalExpr : AssignableExpr
{
    readonly LuaString _name;
    readonly string _text;
    public GlobalExpr(LuaString name) { _name = name; _text = name.ToString(); }
    public override string? Describe => "global '" + _text + "'";
    public override string? FuncName => _text;

    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var env = Closure(f).Env;
        var v = env.GetStr(_name);
        if (!v.IsNil || env.Metatable is null) return v;
        cx.Calls[cx.Depth].Line = Line;
        return cx.Index(new LuaValue(env), new LuaValue(_name), null);
    }

    public override void Assign(CallContext cx, LuaValue[] f, LuaValue v)
    {
        var env = Closure(f).Env;
        if (env.Metatable is null && !env.ReadOnly) { env.SetStr(_name, v); return; }
        cx.Calls[cx.Depth].Line = Line;
        cx.SetIndex(new LuaValue(env), new LuaValue(_name), v, null);
    }
}

internal sealed class IndexExpr : AssignableExpr
{
    readonly Expr _obj, _key;
    readonly LuaString? _constKey;
    readonly string _name;
    readonly Operand _objRead, _keyRead;
    public IndexExpr(Expr obj, Expr key)
    {
        _obj = obj; _key = key;
        _objRead = new Operand(obj);
        _keyRead = new Operand(key);
        _constKey = key is ConstExpr c ? c.Value.AsString : null;
        _name = _constKey?.ToString() ?? "?";
    }
    public Expr Obj => _obj;
    public Expr Key => _key;
    public override string? Describe => "field '" + _name + "'";
    public override string? FuncName => _name;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var o = _objRead.Read(cx, f);
        if (_constKey is not null)
        {
            if (o.O is LuaTable t)
            {
                var v = t.GetStr(_constKey);
                if (!v.IsNil || t.Metatable is null) return v;
            }
            cx.Calls[cx.Depth].Line = Line;
            return cx.Index(o, new LuaValue(_constKey), _obj.Describe);
        }
        var k = _keyRead.Read(cx, f);
        if (o.O is LuaTable tt)
        {
            LuaValue v;
            if (k.IsNumber) { double d = k.N; int i = (int)d; v = i == d ? tt.GetInt(i) : tt.Get(k); }
            else v = tt.Get(k);
            if (!v.IsNil || tt.Metatable is null) return v;
        }
        cx.Calls[cx.Depth].Line = Line;
        return cx.Index(o, k, _obj.Describe);
    }

    public override void Assign(CallContext cx, LuaValue[] f, LuaValue v) =>
        Store(cx, _obj.Eval(cx, f), _constKey is not null ? new LuaValue(_constKey) : _key.Eval(cx, f), v);

    public void Store(CallContext cx, LuaValue o, LuaValue k, LuaValue v)
    {
        if (o.O is LuaTable t && t.Metatable is null && !t.ReadOnly)
        {
            if (k.IsNumber)
            {
                double d = k.N; int i = (int)d;
                if (i == d && (uint)(i - 1) < (uint)t.ArraySize) { t.SetInt(i, v); return; }
            }
            else if (k.O is LuaString s) { t.SetStr(s, v); CheckMemory(cx, t); return; }
            cx.Calls[cx.Depth].Line = Line;
            cx.RawSetChecked(t, k, v);
            CheckMemory(cx, t);
            return;
        }
        cx.Calls[cx.Depth].Line = Line;
        cx.SetIndex(o, k, v, _obj.Describe);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void CheckMemory(CallContext cx, LuaTable t) { if (t.Account is null) t.Account = cx.State.Memory; }

    /// <summary>For multiple assignment: the object and key are evaluated before the right-hand side.</summary>
    public (LuaValue, LuaValue) EvalTarget(CallContext cx, LuaValue[] f) =>
        (_obj.Eval(cx, f), _constKey is not null ? new LuaValue(_constKey) : _key.Eval(cx, f));
}

internal sealed class FunctionExpr : Expr
{
    readonly Proto _p;
    public FunctionExpr(Proto p) { _p = p; }
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var descs = _p.Upvals;
        var ups = descs.Length == 0 ? [] : new UpBox[descs.Length];
        var parent = Closure(f);
        for (int i = 0; i < descs.Length; i++)
            ups[i] = descs[i].FromParentLocal ? Unsafe.As<UpBox>(f[descs[i].Index].O!) : parent.Up[descs[i].Index];
        return new LuaValue(new LuaClosure(_p, ups, parent.Env), 0);
    }
}

internal sealed class AndExpr : Expr
{
    readonly Expr _a, _b;
    public AndExpr(Expr a, Expr b) { _a = a; _b = b; }
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var v = _a.Eval(cx, f);
        return v.IsFalsy ? v : _b.Eval(cx, f);
    }
}

internal sealed class OrExpr : Expr
{
    readonly Expr _a, _b;
    public OrExpr(Expr a, Expr b) { _a = a; _b = b; }
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var v = _a.Eval(cx, f);
        return v.IsTruthy ? v : _b.Eval(cx, f);
    }
}

internal sealed class NotExpr : Expr
{
    readonly Expr _a;
    public NotExpr(Expr a) { _a = a; }
    public override LuaValue Eval(CallContext cx, LuaValue[] f) => _a.EvalBool(cx, f) ? LuaValue.False : LuaValue.True;
    public override bool EvalBool(CallContext cx, LuaValue[] f) => !_a.EvalBool(cx, f);
}

internal sealed class LenExpr : Expr
{
    readonly Expr _a;
    public LenExpr(Expr a) { _a = a; }
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var v = _a.Eval(cx, f);
        if (v.O is LuaString s) return LuaValue.Number(s.Length);
        if (v.O is LuaTable t) return LuaValue.Number(t.Length);
        cx.Calls[cx.Depth].Line = Line;
        return cx.Length(v, _a.Describe);
    }
}

internal sealed class NegExpr : Expr
{
    readonly Expr _a;
    public NegExpr(Expr a) { _a = a; }
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var v = _a.Eval(cx, f);
        if (v.IsNumber) return LuaValue.Number(-v.N);
        cx.Calls[cx.Depth].Line = Line;
        return cx.Arith(Meta.Unm, v, v, _a.Describe, _a.Describe);
    }
}

internal interface IArithOp
{
    static abstract double Apply(double x, double y);
    static abstract Meta Event { get; }
}
internal struct AddOp : IArithOp { public static double Apply(double x, double y) => x + y; public static Meta Event => Meta.Add; }
internal struct SubOp : IArithOp { public static double Apply(double x, double y) => x - y; public static Meta Event => Meta.Sub; }
internal struct MulOp : IArithOp { public static double Apply(double x, double y) => x * y; public static Meta Event => Meta.Mul; }
internal struct DivOp : IArithOp { public static double Apply(double x, double y) => x / y; public static Meta Event => Meta.Div; }
internal struct ModOp : IArithOp { public static double Apply(double x, double y) => x - Math.Floor(x / y) * y; public static Meta Event => Meta.Mod; }
internal struct PowOp : IArithOp { public static double Apply(double x, double y) => Math.Pow(x, y); public static Meta Event => Meta.Pow; }

internal sealed class ArithExpr<TOp> : Expr where TOp : struct, IArithOp
{
    readonly Expr _a, _b;
    readonly Operand _ra, _rb;
    public ArithExpr(Expr a, Expr b) { _a = a; _b = b; _ra = new Operand(a); _rb = new Operand(b); }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var a = _ra.Read(cx, f);
        var b = _rb.Read(cx, f);
        if (a.IsNumber && b.IsNumber) return LuaValue.Number(TOp.Apply(a.N, b.N));
        cx.Calls[cx.Depth].Line = Line;
        return cx.Arith(TOp.Event, a, b, _a.Describe, _b.Describe);
    }
}

internal sealed class ConcatExpr : Expr
{
    readonly Expr[] _parts; // a .. b .. c flattened (right associative)
    public ConcatExpr(Expr[] parts) { _parts = parts; }
    public ConcatExpr Prepend(Expr a) => new([a, .. _parts]) { Line = Line };
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var parts = _parts;
        if (parts.Length == 2)
        {
            var a = parts[0].Eval(cx, f);
            var b = parts[1].Eval(cx, f);
            cx.Calls[cx.Depth].Line = Line;
            return cx.Concat2(a, b, parts[0].Describe, parts[1].Describe);
        }
        int bs = cx.Top;
        for (int i = 0; i < parts.Length; i++) { var v = parts[i].Eval(cx, f); cx.Push(v); }
        cx.Calls[cx.Depth].Line = Line;
        // as luaV_concat: from the right, join every run of strings/numbers at once, else a metamethod pair
        int top = cx.Top;
        int total = parts.Length;
        while (total > 1)
        {
            var s1 = CallContext.CoerceToString(cx.Stack[top - 2]);
            var s2 = CallContext.CoerceToString(cx.Stack[top - 1]);
            int n = 2;
            if (s1 is null || s2 is null)
            {
                string? da = parts[top - 2 - bs].Describe;
                string? db = top == bs + parts.Length ? parts[top - 1 - bs].Describe : null;
                cx.Stack[top - 2] = cx.Concat2(cx.Stack[top - 2], cx.Stack[top - 1], da, db);
            }
            else
            {
                long len = (long)s1.Length + s2.Length;
                while (n < total && CallContext.CoerceToString(cx.Stack[top - n - 1]) is { } sx) { len += sx.Length; n++; }
                if (len > int.MaxValue - 64) throw cx.RtError("string length overflow");
                cx.State.Memory.Charge(len + 24);
                var buf = new byte[len];
                int pos = 0;
                for (int i = top - n; i < top; i++)
                {
                    var s = CallContext.CoerceToString(cx.Stack[i])!;
                    s.Bytes.CopyTo(buf, pos);
                    pos += s.Length;
                }
                cx.Stack[top - n] = new LuaValue(new LuaString(buf));
            }
            total -= n - 1;
            top -= n - 1;
        }
        var result = cx.Stack[bs];
        cx.Top = bs;
        return result;
    }
}

internal sealed class EqExpr : Expr
{
    readonly Expr _a, _b;
    readonly bool _negate;
    public EqExpr(Expr a, Expr b, bool negate) { _a = a; _b = b; _negate = negate; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a comparison as a value (`return a > b`): the sort comparator
    public override LuaValue Eval(CallContext cx, LuaValue[] f) => EvalBool(cx, f) ? LuaValue.True : LuaValue.False;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool EvalBool(CallContext cx, LuaValue[] f)
    {
        var a = _a.Eval(cx, f);
        var b = _b.Eval(cx, f);
        bool eq;
        if (ReferenceEquals(a.O, b.O)) eq = !a.IsNumber || a.N == b.N;
        else if (a.O is LuaTable && b.O is LuaTable) { cx.Calls[cx.Depth].Line = Line; eq = cx.Equals(a, b); }
        else eq = LuaValue.RawEquals(a, b);
        return eq != _negate;
    }
}

/// <summary>a &lt; b, a &lt;= b; a &gt; b and a &gt;= b evaluate a then b and compare swapped, as 5.1 compiles them.</summary>
internal sealed class CompareExpr : Expr
{
    readonly Expr _a, _b;
    readonly bool _le, _swap;
    readonly Operand _ra, _rb;
    public CompareExpr(Expr a, Expr b, bool le, bool swap)
    {
        _a = a; _b = b; _le = le; _swap = swap; _ra = new Operand(a); _rb = new Operand(b);
    }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a comparison as a value (`return a > b`): the sort comparator
    public override LuaValue Eval(CallContext cx, LuaValue[] f) => EvalBool(cx, f) ? LuaValue.True : LuaValue.False;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool EvalBool(CallContext cx, LuaValue[] f)
    {
        var a = _ra.Read(cx, f);
        var b = _rb.Read(cx, f);
        if (a.IsNumber && b.IsNumber)
        {
            double x = a.N, y = b.N;
            if (_swap) return _le ? y <= x : y < x;
            return _le ? x <= y : x < y;
        }
        cx.Calls[cx.Depth].Line = Line;
        if (_swap) (a, b) = (b, a);
        return _le ? cx.LessEqual(a, b) : cx.LessThan(a, b);
    }
}
