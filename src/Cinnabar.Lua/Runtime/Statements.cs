using System.Runtime.CompilerServices;

namespace Cinnabar.Lua.Runtime;

/// <summary>An executable statement; Exec returns a signal (none, break, return, tail call).</summary>
internal abstract class Stat
{
    public const int SigNone = 0, SigBreak = 1, SigReturn = 2, SigTail = 3;
    public int Line;
    /// <summary>
    /// The line of a loop's closing instruction (a while's `end`, a repeat's condition, a for's `for`): where
    /// Lua's count hook finds a tight loop, so where Redis says a killed script stopped.
    /// </summary>
    public int EndLine;
    public abstract int Exec(CallContext cx, LuaValue[] f);

    /// <summary>One loop iteration toward the hook; the hook sees the loop's last line as the running one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void Tick(CallContext cx)
    {
        if (--cx.HookCounter <= 0) HookAtEnd(cx);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected void HookAtEnd(CallContext cx)
    {
        cx.Calls[cx.Depth].Line = EndLine;
        cx.State.RunHook(cx);
    }
}

internal sealed class Block : Stat
{
    public readonly Stat[] Stats;
    public Block(Stat[] stats) { Stats = stats; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        var s = Stats;
        for (int i = 0; i < s.Length; i++)
        {
            int sig = s[i].Exec(cx, f);
            if (sig != SigNone) return sig;
        }
        return SigNone;
    }
}

internal sealed class LocalStat : Stat
{
    readonly LocalVar[] _vars;
    readonly Expr[] _exprs;
    public LocalStat(LocalVar[] vars, Expr[] exprs) { _vars = vars; _exprs = exprs; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        var vars = _vars;
        var exprs = _exprs;
        if (vars.Length == 1 && exprs.Length == 1 && !exprs[0].IsMulti)
        {
            LocalExpr.Declare(f, vars[0], exprs[0].Eval(cx, f));
            return SigNone;
        }
        if (exprs.Length == 0)
        {
            for (int i = 0; i < vars.Length; i++) LocalExpr.Declare(f, vars[i], default);
            return SigNone;
        }
        int b = cx.Top;
        int n = Expr.PushList(cx, f, exprs);
        for (int i = 0; i < vars.Length; i++) LocalExpr.Declare(f, vars[i], i < n ? cx.Stack[b + i] : default);
        cx.Top = b;
        return SigNone;
    }
}

internal sealed class LocalFunctionStat : Stat
{
    readonly LocalVar _var;
    readonly FunctionExpr _fn;
    public LocalFunctionStat(LocalVar v, FunctionExpr fn) { _var = v; _fn = fn; }
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        LocalExpr.Declare(f, _var, default);
        var c = _fn.Eval(cx, f);
        if (_var.Captured) Unsafe.As<UpBox>(f[_var.Slot].O!).V = c; else f[_var.Slot] = c;
        return SigNone;
    }
}

internal sealed class AssignStat : Stat
{
    readonly AssignableExpr _target;
    readonly Expr _value;
    readonly LocalVar? _local; // `x = ...` to a local: stored into its slot without a call when not captured
    readonly int _upval; // `x = ...` to an upvalue: its index, else -1
    public AssignStat(AssignableExpr target, Expr value)
    {
        _target = target; _value = value; _local = LocalExpr.VarOf(target);
        _upval = target is UpvalExpr u ? u.Index : -1;
    }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        if (_local is { Captured: false } l) { f[l.Slot] = _value.Eval(cx, f); return SigNone; }
        if (_upval >= 0) { var v = _value.Eval(cx, f); Expr.Closure(f).Up[_upval].V = v; return SigNone; }
        if (_target is IndexExpr ix)
        {
            var (o, k) = ix.EvalTarget(cx, f);
            ix.Store(cx, o, k, _value.Eval(cx, f));
        }
        else _target.Assign(cx, f, _value.Eval(cx, f));
        return SigNone;
    }
}

internal sealed class MultiAssignStat : Stat
{
    readonly AssignableExpr[] _targets;
    readonly Expr[] _values;
    public MultiAssignStat(AssignableExpr[] targets, Expr[] values) { _targets = targets; _values = values; }
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        var ts = _targets;
        int b = cx.Top;
        // table and key of each indexed target first, left to right
        for (int i = 0; i < ts.Length; i++)
            if (ts[i] is IndexExpr ix) { var (o, k) = ix.EvalTarget(cx, f); cx.Push(o); cx.Push(k); }
        int vb = cx.Top;
        int n = Expr.PushList(cx, f, _values);
        // assigned right to left, as the reference does
        int keyPos = vb;
        for (int i = ts.Length - 1; i >= 0; i--)
        {
            var v = i < n ? cx.Stack[vb + i] : default;
            if (ts[i] is IndexExpr ix)
            {
                keyPos -= 2;
                ix.Store(cx, cx.Stack[keyPos], cx.Stack[keyPos + 1], v);
            }
            else ts[i].Assign(cx, f, v);
        }
        cx.Top = b;
        return SigNone;
    }
}

internal sealed class CallStat : Stat
{
    readonly Expr _call;
    public CallStat(Expr call) { _call = call; Line = call.Line; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        _call.EvalMulti(cx, f);
        return SigNone;
    }
}

internal sealed class DoStat : Stat
{
    readonly Stat _body;
    public DoStat(Stat body) { _body = body; }
    public override int Exec(CallContext cx, LuaValue[] f) => _body.Exec(cx, f);
}

internal sealed class WhileStat : Stat
{
    readonly Expr _cond;
    readonly Stat _body;
    public WhileStat(Expr cond, Stat body) { _cond = cond; _body = body; }
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        while (_cond.EvalBool(cx, f))
        {
            Tick(cx);
            int sig = _body.Exec(cx, f);
            if (sig != SigNone) { if (sig == SigBreak) break; return sig; }
        }
        return SigNone;
    }
}

internal sealed class RepeatStat : Stat
{
    readonly Stat _body;
    readonly Expr _cond;
    public RepeatStat(Stat body, Expr cond) { _body = body; _cond = cond; }
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        while (true)
        {
            Tick(cx);
            int sig = _body.Exec(cx, f);
            if (sig != SigNone) { if (sig == SigBreak) break; return sig; }
            if (_cond.EvalBool(cx, f)) break;
        }
        return SigNone;
    }
}

internal sealed class IfStat : Stat
{
    readonly Expr[] _conds;
    readonly Stat[] _blocks;
    readonly Stat? _else;
    public IfStat(Expr[] conds, Stat[] blocks, Stat? els) { _conds = conds; _blocks = blocks; _else = els; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        var conds = _conds;
        for (int i = 0; i < conds.Length; i++)
            if (conds[i].EvalBool(cx, f)) return _blocks[i].Exec(cx, f);
        return _else is null ? SigNone : _else.Exec(cx, f);
    }
}

/// <summary>`if c then ... [else ...] end` with no elseif, the usual shape: no loop over condition arrays.</summary>
internal sealed class IfElseStat : Stat
{
    readonly Expr _cond;
    readonly Stat _then;
    readonly Stat? _else;
    public IfElseStat(Expr cond, Stat then, Stat? els) { _cond = cond; _then = then; _else = els; }
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        if (_cond.EvalBool(cx, f)) return _then.Exec(cx, f);
        return _else is null ? SigNone : _else.Exec(cx, f);
    }
}

internal sealed class NumericForStat : Stat
{
    readonly LocalVar _var;
    readonly Expr _start, _limit;
    readonly Expr? _step;
    readonly Stat _body;
    public NumericForStat(LocalVar v, Expr start, Expr limit, Expr? step, Stat body, int line)
    {
        _var = v; _start = start; _limit = limit; _step = step; _body = body; Line = line;
    }

    double Num(CallContext cx, LuaValue v, string what)
    {
        if (v.TryToNumber(out double d)) return d;
        throw cx.RtError("'for' " + what + " must be a number", Line);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        var a = _start.Eval(cx, f);
        var l = _limit.Eval(cx, f);
        var s = _step is null ? LuaValue.Number(1) : _step.Eval(cx, f);
        double init = Num(cx, a, "initial value"), limit = Num(cx, l, "limit"), step = Num(cx, s, "step");
        var v = _var;
        var body = _body;
        double i = init - step;
        if (!v.Captured)
        {
            int slot = v.Slot;
            while (true)
            {
                i += step;
                if (step > 0 ? !(i <= limit) : !(limit <= i)) break;
                if (--cx.HookCounter <= 0) HookAtEnd(cx);
                f[slot] = LuaValue.Number(i);
                int sig = body.Exec(cx, f);
                if (sig != SigNone) { if (sig == SigBreak) break; return sig; }
            }
            return SigNone;
        }
        while (true)
        {
            i += step;
            if (step > 0 ? !(i <= limit) : !(limit <= i)) break;
            Tick(cx);
            LocalExpr.Declare(f, v, LuaValue.Number(i));
            int sig = body.Exec(cx, f);
            if (sig != SigNone) { if (sig == SigBreak) break; return sig; }
        }
        return SigNone;
    }
}

internal sealed class GenericForStat : Stat
{
    readonly LocalVar[] _vars;
    readonly Expr[] _exprs;
    readonly Stat _body;
    public GenericForStat(LocalVar[] vars, Expr[] exprs, Stat body, int line) { _vars = vars; _exprs = exprs; _body = body; Line = line; }

    public override int Exec(CallContext cx, LuaValue[] f)
    {
        int b = cx.Top;
        int n = Expr.PushList(cx, f, _exprs);
        var fn = n > 0 ? cx.Stack[b] : default;
        var state = n > 1 ? cx.Stack[b + 1] : default;
        var ctrl = n > 2 ? cx.Stack[b + 2] : default;
        cx.Top = b;
        var vars = _vars;
        var body = _body;
        var st = cx.State;
        if (ReferenceEquals(fn.O, st.NextFunction) && state.O is LuaTable nt)
        {
            // pairs: walk the table directly (what `next` would do, without a call per step)
            var key = ctrl;
            while (true)
            {
                cx.Calls[cx.Depth].Line = Line;
                if (!nt.Next(ref key, out var val)) break;
                Tick(cx);
                LocalExpr.Declare(f, vars[0], key);
                if (vars.Length > 1)
                {
                    LocalExpr.Declare(f, vars[1], val);
                    for (int j = 2; j < vars.Length; j++) LocalExpr.Declare(f, vars[j], default);
                }
                int sig = body.Exec(cx, f);
                if (sig != SigNone) { if (sig == SigBreak) break; return sig; }
            }
            return SigNone;
        }
        if (ReferenceEquals(fn.O, st.IpairsIterator) && state.O is LuaTable it && ctrl.IsNumber)
        {
            double i = ctrl.N;
            while (true)
            {
                i++;
                var val = it.Get(LuaValue.Number(i));
                if (val.IsNil) break;
                Tick(cx);
                LocalExpr.Declare(f, vars[0], LuaValue.Number(i));
                if (vars.Length > 1)
                {
                    LocalExpr.Declare(f, vars[1], val);
                    for (int j = 2; j < vars.Length; j++) LocalExpr.Declare(f, vars[j], default);
                }
                int sig = body.Exec(cx, f);
                if (sig != SigNone) { if (sig == SigBreak) break; return sig; }
            }
            return SigNone;
        }
        while (true)
        {
            Tick(cx);
            int cb = cx.Top;
            cx.Push(state);
            cx.Push(ctrl);
            cx.Calls[cx.Depth].Line = Line;
            int k = fn.O is LuaFunction lf ? cx.Invoke(lf, cb, 2) : cx.CallValue(fn, cb, 2);
            var first = k > 0 ? cx.Ret[0] : default;
            if (first.IsNil) break;
            ctrl = first;
            for (int j = 0; j < vars.Length; j++) LocalExpr.Declare(f, vars[j], j < k ? cx.Ret[j] : default);
            int sig = body.Exec(cx, f);
            if (sig != SigNone) { if (sig == SigBreak) break; return sig; }
        }
        return SigNone;
    }
}

internal sealed class ReturnStat : Stat
{
    readonly Expr[] _exprs;
    readonly bool _tail;
    readonly Expr? _single; // `return e` of one value that is not a call or '...': the common case, tested first
    public ReturnStat(Expr[] exprs, int line)
    {
        _exprs = exprs; Line = line;
        _tail = exprs.Length == 1 && exprs[0] is CallExpr;
        _single = exprs.Length == 1 && !exprs[0].IsMulti ? exprs[0] : null;
        if (_single is not null) _singleRead = new Operand(_single);
    }
    readonly Operand _singleRead; // `return x` of a plain local or upvalue reads it without a node call
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int Exec(CallContext cx, LuaValue[] f)
    {
        if (_single is not null)
        {
            var v = _singleRead.Read(cx, f);
            cx.Ret[0] = v;
            cx.RetCount = 1;
            return SigReturn;
        }
        var es = _exprs;
        if (es.Length == 0) { cx.RetCount = 0; return SigReturn; }
        if (_tail) return ((CallExpr)es[0]).ExecTail(cx, f);
        if (es.Length == 1)
        {
            if (es[0].IsMulti) { cx.RetCount = es[0].EvalMulti(cx, f); return SigReturn; }
            var v = es[0].Eval(cx, f);
            cx.Ret[0] = v;
            cx.RetCount = 1;
            return SigReturn;
        }
        int b = cx.Top;
        int n = Expr.PushList(cx, f, es);
        cx.EnsureRet(n);
        Array.Copy(cx.Stack, b, cx.Ret, 0, n);
        cx.Top = b;
        cx.RetCount = n;
        return SigReturn;
    }
}

internal sealed class BreakStat : Stat
{
    public override int Exec(CallContext cx, LuaValue[] f) => SigBreak;
}
