using System.Runtime.CompilerServices;

namespace Cinnabar.Lua.Runtime;

internal sealed class CallExpr : Expr
{
    readonly Expr _fn;
    readonly Expr[] _args;
    readonly string? _fnName; // how the callee is named in argument errors, fixed at parse time
    readonly Operand _fnRead;
    public CallExpr(Expr fn, Expr[] args, int line)
    {
        _fn = fn; _args = args; Line = line; IsMulti = true; _fnName = fn.FuncName; _fnRead = new Operand(fn);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        int n = Call(cx, f);
        return n > 0 ? cx.Ret[0] : default;
    }

    public override int EvalMulti(CallContext cx, LuaValue[] f) => Call(cx, f);

    // inlined into both entry points: a call as a value (the usual case) saves a level of calls
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    int Call(CallContext cx, LuaValue[] f)
    {
        var fn = _fnRead.Read(cx, f);
        var args = _args;
        if (fn.O is LuaClosure cl && !cl.P.IsVararg && (args.Length == 0 || !args[^1].IsMulti))
        {
            // arguments evaluated straight into the callee's new frame: no argument stack round trip
            var p = cl.P;
            var frame = cx.TakeFrame(cx.Depth + 1, p.FrameSize);
            int np = p.NumParams;
            for (int i = 0; i < args.Length; i++)
            {
                var v = args[i].Eval(cx, f);
                if (i < np) frame[2 + i] = v;
            }
            cx.Calls[cx.Depth].Line = Line;
            return cx.InvokeFrame(cl, frame);
        }
        int b = cx.Top;
        if (args.Length == 1 && !args[0].IsMulti) { var v = args[0].Eval(cx, f); cx.Push(v); }
        else PushList(cx, f, args);
        cx.Calls[cx.Depth].Line = Line;
        cx.NextCalleeName = _fnName;
        if (fn.O is LuaFunction lf) return cx.Invoke(lf, b, cx.Top - b);
        return cx.CallValue(fn, b, cx.Top - b, _fn.Describe);
    }

    /// <summary>For `return f(...)`: evaluates the callee and its arguments, leaving the call to Invoke's loop.</summary>
    public int ExecTail(CallContext cx, LuaValue[] f)
    {
        var fn = _fn.Eval(cx, f);
        int b = cx.Top;
        PushList(cx, f, _args);
        cx.Calls[cx.Depth].Line = Line;
        if (fn.O is HostFunctionValue hf)
        {
            // host functions are not tail-called: they run with the caller's frame still there, as in 5.1
            cx.NextCalleeName = _fnName;
            cx.RetCount = cx.Invoke(hf, b, cx.Top - b);
            return Stat.SigReturn;
        }
        if (fn.O is not LuaFunction lf)
        {
            var tm = cx.GetMetamethod(fn, Meta.Call);
            if (tm.O is not LuaFunction mf)
                throw cx.RtError("attempt to call " + (_fn.Describe is { } d ? $"{d} (a {fn.TypeName} value)" : $"a {fn.TypeName} value"));
            cx.Push(default);
            Array.Copy(cx.Stack, b, cx.Stack, b + 1, cx.Top - b - 1);
            cx.Stack[b] = fn;
            lf = mf;
        }
        cx.TailFn = lf;
        cx.TailBase = b;
        cx.TailCount = cx.Top - b;
        return Stat.SigTail;
    }
}

internal sealed class MethodCallExpr : Expr
{
    readonly Expr _obj;
    readonly LuaString _name;
    readonly string _text;
    readonly Expr[] _args;
    public MethodCallExpr(Expr obj, LuaString name, Expr[] args, int line)
    {
        _obj = obj; _name = name; _args = args; Line = line; _text = name.ToString();
        IsMulti = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        int n = EvalMulti(cx, f);
        return n > 0 ? cx.Ret[0] : default;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int EvalMulti(CallContext cx, LuaValue[] f)
    {
        var o = _obj.Eval(cx, f);
        LuaValue fn;
        if (o.O is LuaTable t && (!(fn = t.GetStr(_name)).IsNil || t.Metatable is null)) { }
        else if (o.O is LuaString && cx.State.StringMetatable?.GetStr(MetaNames.Names[(int)Meta.Index]).O is LuaTable sl
                 && !(fn = sl.GetStr(_name)).IsNil) { } // s:method() through the string library table
        else
        {
            cx.Calls[cx.Depth].Line = Line;
            fn = cx.Index(o, new LuaValue(_name), _obj.Describe);
        }
        int b = cx.Top;
        cx.Push(o);
        PushList(cx, f, _args);
        cx.Calls[cx.Depth].Line = Line;
        cx.NextCalleeName = _text;
        cx.NextCalleeMethod = true;
        if (fn.O is LuaFunction lf) return cx.Invoke(lf, b, cx.Top - b);
        cx.NextCalleeName = null;
        cx.NextCalleeMethod = false;
        return cx.CallValue(fn, b, cx.Top - b, "method '" + _text + "'");
    }
}

/// <summary>
/// A table constructor built as 5.1 builds it: sized from the item counts (rounded through the
/// "floating point byte"), record fields stored as met, positional items stored in batches of 50.
/// </summary>
internal sealed class TableExpr : Expr
{
    internal readonly record struct Field(Expr? Key, Expr Value);
    readonly Field[] _fields;
    readonly int _narray, _nhash;
    const int FieldsPerFlush = 50;

    public TableExpr(Field[] fields, int line)
    {
        _fields = fields;
        Line = line;
        int na = 0, nh = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            if (fields[i].Key is not null) nh++;
            else if (!(i == fields.Length - 1 && fields[i].Value.IsMulti)) na++;
        }
        _narray = Fb2Int(Int2Fb((uint)na));
        _nhash = Fb2Int(Int2Fb((uint)nh));
    }

    static int Int2Fb(uint x)
    {
        int e = 0;
        while (x >= 16) { x = (x + 1) >> 1; e++; }
        if (x < 8) return (int)x;
        return ((e + 1) << 3) | ((int)x - 8);
    }

    static int Fb2Int(int x)
    {
        int e = (x >> 3) & 31;
        if (e == 0) return x;
        return ((x & 7) + 8) << (e - 1);
    }

    public override LuaValue Eval(CallContext cx, LuaValue[] f)
    {
        var t = new LuaTable(_narray, _nhash) { Account = cx.State.Memory, RedisHash = cx.State.RedisStringHash };
        cx.State.Memory.Charge(64 + _narray * 16L + _nhash * 40L);
        var fields = _fields;
        int b = cx.Top;
        int pending = 0, stored = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            if (pending == FieldsPerFlush) { Flush(cx, t, b, ref stored, pending); pending = 0; }
            var fl = fields[i];
            if (fl.Key is null)
            {
                if (i == fields.Length - 1 && fl.Value.IsMulti)
                {
                    int k = fl.Value.EvalMulti(cx, f);
                    if (cx.Top + k > cx.Stack.Length) cx.GrowStack(k);
                    Array.Copy(cx.Ret, 0, cx.Stack, cx.Top, k);
                    cx.Top += k;
                    pending += k;
                }
                else { var v = fl.Value.Eval(cx, f); cx.Push(v); pending++; }
            }
            else
            {
                var k = fl.Key.Eval(cx, f);
                var v = fl.Value.Eval(cx, f);
                cx.Calls[cx.Depth].Line = Line;
                cx.RawSetChecked(t, k, v);
            }
        }
        if (pending > 0) Flush(cx, t, b, ref stored, pending);
        cx.Top = b;
        return new LuaValue(t);
    }

    static void Flush(CallContext cx, LuaTable t, int b, ref int stored, int n)
    {
        int last = stored + n;
        if (last > t.ArraySize) t.ResizeArray(last);
        for (int j = 0; j < n; j++) t.SetInt(stored + j + 1, cx.Stack[b + j]);
        stored = last;
        cx.Top = b;
    }
}
