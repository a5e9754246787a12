using System.Runtime.CompilerServices;

namespace Cinnabar.Lua;

using Cinnabar.Lua.Runtime;

internal struct CallInfo
{
    public LuaFunction Fn;
    public int Line;          // line of the call this function is making (Lua functions)
    public string? CalleeName; // how the caller named this function ("insert"), for argument errors
    public bool CalleeMethod;
}

/// <summary>
/// The execution state of one Lua thread (the main script or a coroutine): argument stack, result buffer and
/// call-info stack. Host functions receive it to read context, raise errors and return values.
/// </summary>
public sealed partial class CallContext
{
    public readonly LuaState State;
    internal LuaValue[] Ret = new LuaValue[16];
    internal LuaValue[] Stack = new LuaValue[256];
    internal int Top;
    internal CallInfo[] Calls = new CallInfo[32];
    internal int Depth;
    internal int HookCounter = 1000;
    internal Coroutine? Coroutine;
    // pending tail call (set by `return f(...)`, consumed by Invoke)
    internal LuaFunction? TailFn;
    internal int TailBase, TailCount;
    // names for the next call's argument errors
    internal string? NextCalleeName;
    internal bool NextCalleeMethod;

    internal const int MaxCalls = 20000;
    internal const int MaxCCalls = 200;
    internal int CCalls;

    internal CallContext(LuaState state) { State = state; }

    // ---------- stack ----------
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Push(LuaValue v)
    {
        if (Top == Stack.Length) GrowStack(1);
        Stack[Top++] = v;
    }

    internal void GrowStack(int n)
    {
        int size = Stack.Length;
        while (size < Top + n) size *= 2;
        if (size > 1_000_000) throw new LuaException("stack overflow", addPosition: true);
        Array.Resize(ref Stack, size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EnsureRet(int n) { if (Ret.Length < n) GrowRet(n); }
    void GrowRet(int n)
    {
        int size = Ret.Length;
        while (size < n) size *= 2;
        if (size > 1_000_000) throw new LuaException("stack overflow", addPosition: true);
        Array.Resize(ref Ret, size);
    }

    // ---------- results for host functions ----------
    public int Return(LuaValue v) { Ret[0] = v; return 1; }
    public int Return(LuaValue a, LuaValue b) { Ret[0] = a; Ret[1] = b; return 2; }
    public int Return(LuaValue a, LuaValue b, LuaValue c) { Ret[0] = a; Ret[1] = b; Ret[2] = c; return 3; }
    public int ReturnNumber(double d) { Ret[0] = LuaValue.Number(d); return 1; }
    public int ReturnBool(bool b) { Ret[0] = b ? LuaValue.True : LuaValue.False; return 1; }
    public int ReturnString(LuaString s) { Ret[0] = new LuaValue(s); return 1; }
    public int ReturnSpan(ReadOnlySpan<LuaValue> vs) { EnsureRet(vs.Length); vs.CopyTo(Ret); return vs.Length; }
    /// <summary>Sets result i (0-based) for a host function returning many values.</summary>
    public void SetResult(int i, LuaValue v) { EnsureRet(i + 1); Ret[i] = v; }
    internal ReadOnlySpan<LuaValue> Results(int n) => new(Ret, 0, n);

    // ---------- calls ----------
    /// <summary>Calls fn with the values at Stack[argBase..argBase+nargs); pops them; results in Ret.</summary>
    internal int Invoke(LuaFunction fn, int argBase, int nargs)
    {
        if (Depth + 1 >= MaxCalls || !HasStackRoom()) throw StackOverflow();
        if (--HookCounter <= 0) State.RunHook(this);
        if (++Depth == Calls.Length) Array.Resize(ref Calls, Calls.Length * 2);
        ref CallInfo ci = ref Calls[Depth];
        if (!ReferenceEquals(ci.Fn, fn)) ci.Fn = fn; // the same function at the same depth again: no GC write barrier
        ci.Line = 0;
        ci.CalleeName = NextCalleeName;
        ci.CalleeMethod = NextCalleeMethod;
        NextCalleeName = null;
        NextCalleeMethod = false;
        LuaValue[]? f = null;
        int fsize = 0;
        try
        {
            while (true)
            {
                if (fn is LuaClosure cl)
                {
                    var p = cl.P;
                    if (f is not null) ReleaseFrame(Depth, f, fsize); // a tail call: the old frame is done
                    f = TakeFrame(Depth, fsize = p.FrameSize);
                    if (!ReferenceEquals(f[0].O, cl)) f[0] = new LuaValue(cl, 0);
                    int np = p.NumParams;
                    int ncopy = nargs < np ? nargs : np;
                    var stack = Stack;
                    for (int i = 0; i < ncopy; i++) f[2 + i] = stack[argBase + i];
                    if (p.IsVararg)
                    {
                        if (nargs > np)
                        {
                            var va = new LuaValue[nargs - np];
                            Array.Copy(Stack, argBase + np, va, 0, va.Length);
                            f[1] = new LuaValue(va, 0);
                        }
                        else f[1] = new LuaValue(Array.Empty<LuaValue>(), 0);
                    }
                    Top = argBase;
                    if (p.ArgSlot is { } av)
                    {
                        var at = new LuaTable(f[1].O is LuaValue[] vv ? vv.Length : 0, 1) { RedisHash = State.RedisStringHash };
                        var vals = (LuaValue[])f[1].O!;
                        for (int i = 0; i < vals.Length; i++) at.SetInt(i + 1, vals[i]);
                        at.SetStr(LuaState.NKey, LuaValue.Number(vals.Length));
                        f[av.Slot] = av.Captured ? new LuaValue(new UpBox(new LuaValue(at)), 0) : new LuaValue(at);
                    }
                    var pars = p.CapturedParams;
                    for (int i = 0; i < pars.Length; i++) f[pars[i].Slot] = new LuaValue(new UpBox(f[pars[i].Slot]), 0);
                    int sig = p.Body.Exec(this, f);
                    if (sig == Stat.SigReturn) return RetCount;
                    if (sig == Stat.SigTail)
                    {
                        fn = TailFn!;
                        argBase = TailBase;
                        nargs = TailCount;
                        TailFn = null;
                        Calls[Depth].Fn = fn;
                        Calls[Depth].CalleeName = null;
                        if (--HookCounter <= 0) State.RunHook(this);
                        continue;
                    }
                    return 0;
                }
                if (fn is HostFunctionValue h)
                {
                    int n;
                    try { n = h.Fn(this, new ReadOnlySpan<LuaValue>(Stack, argBase, nargs)); }
                    catch (LuaException e) when (e.AddPosition) { e.AddPosition = false; throw; }
                    Top = argBase;
                    return n;
                }
                throw new InvalidOperationException("unknown function kind");
            }
        }
        finally
        {
            if (f is not null) ReleaseFrame(Depth, f, fsize);
            Depth--;
        }
    }

    /// <summary>Runs a closure whose fixed parameters are already in its new frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int InvokeFrame(LuaClosure cl, LuaValue[] f)
    {
        if (Depth + 1 >= MaxCalls || !HasStackRoom()) throw StackOverflow();
        if (--HookCounter <= 0) State.RunHook(this);
        if (++Depth == Calls.Length) Array.Resize(ref Calls, Calls.Length * 2);
        // a Lua function's call info needs only its closure and current line (callee names serve host functions)
        ref CallInfo ci = ref Calls[Depth];
        if (!ReferenceEquals(ci.Fn, cl)) ci.Fn = cl; // the same function at the same depth again: no GC write barrier
        ci.Line = 0;
        var p = cl.P;
        bool released = false;
        try
        {
            if (!ReferenceEquals(f[0].O, cl)) f[0] = new LuaValue(cl, 0);
            var pars = p.CapturedParams;
            for (int i = 0; i < pars.Length; i++) f[pars[i].Slot] = new LuaValue(new UpBox(f[pars[i].Slot]), 0);
            int sig = p.Body.Exec(this, f);
            if (sig == Stat.SigReturn) return RetCount;
            if (sig == Stat.SigTail)
            {
                var fn = TailFn!;
                TailFn = null;
                released = true;
                ReleaseFrame(Depth, f, p.FrameSize); // the tail call's arguments are on the stack, not in f
                Depth--;
                try { return Invoke(fn, TailBase, TailCount); }
                finally { Depth++; }
            }
            return 0;
        }
        finally
        {
            if (!released) ReleaseFrame(Depth, f, p.FrameSize);
            Depth--;
        }
    }

    // The .NET stack: TryEnsureSufficientExecutionStack (a runtime call) guarantees a margin below where it ran,
    // so calls that stay within StackWindow of the last successful check skip it. The address is only meaningful
    // on the thread that took it: an outermost call (Depth 0) forgets it.
    const int StackWindow = 32 * 1024;
    nint _stackCheckedTo = nint.MaxValue;

    internal void ForgetStackCheck() => _stackCheckedTo = nint.MaxValue;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    unsafe bool HasStackRoom()
    {
        byte probe;
        return (nint)(&probe) > _stackCheckedTo || CheckStack();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    unsafe bool CheckStack()
    {
        byte probe;
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) return false;
        _stackCheckedTo = (nint)(&probe) - StackWindow;
        return true;
    }

    // Frames are reused per call depth: a frame never outlives its call (captured locals live in UpBoxes),
    // so a returned frame is cleared and kept for the next call at that depth. Deep levels are not kept.
    // Slot 0 (the closure) stays, as the call info at that depth keeps its function: the next call there is
    // often the same function, which then stores neither (no GC write barriers). Every taker sets slot 0.
    const int PooledDepths = 256;
    readonly LuaValue[]?[] _framePool = new LuaValue[]?[PooledDepths];

    /// <summary>A frame of at least `size` slots, nil but for slot 0, for a call that will run at `depth`.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal LuaValue[] TakeFrame(int depth, int size)
    {
        if ((uint)depth < PooledDepths && _framePool[depth] is { } fr && fr.Length >= size)
        {
            _framePool[depth] = null;
            return fr;
        }
        return new LuaValue[size];
    }

    /// <summary>Clears slots 1..used of a finished call's frame and keeps it for the next call at `depth`.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void ReleaseFrame(int depth, LuaValue[] f, int used)
    {
        if ((uint)depth >= PooledDepths) return;
        // most frames are a few slots: a loop costs less than Array.Clear's call and checks
        if (used <= 8) { for (int i = 1; i < used; i++) f[i] = default; }
        else Array.Clear(f, 1, used - 1);
        _framePool[depth] = f;
    }

    /// <summary>Number of values a `return` left in Ret.</summary>
    internal int RetCount;

    /// <summary>Calls a function value with the given arguments (from host code); results in Ret.</summary>
    public int Call(LuaValue fn, ReadOnlySpan<LuaValue> args)
    {
        if (Depth == 0) ForgetStackCheck(); // an outermost call: maybe on another thread than the last one
        int b = Top;
        if (Top + args.Length + 1 > Stack.Length) GrowStack(args.Length + 1);
        if (fn.O is LuaFunction lf)
        {
            args.CopyTo(Stack.AsSpan(Top));
            Top += args.Length;
            return Invoke(lf, b, args.Length);
        }
        var tm = GetMetamethod(fn, Meta.Call);
        if (tm.O is not LuaFunction mf) throw RtError("attempt to call a " + fn.TypeName + " value");
        Stack[Top++] = fn;
        args.CopyTo(Stack.AsSpan(Top));
        Top += args.Length;
        return Invoke(mf, b, args.Length + 1);
    }

    /// <summary>
    /// Calls fn with one or two arguments from a library function (sort's comparator, gsub's replacement);
    /// results in Ret. A fixed-arity Lua function gets them straight in its new frame, as CallExpr does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int CallArgs(LuaValue fn, LuaValue a0, LuaValue a1, int nargs)
    {
        if (fn.O is LuaClosure cl && !cl.P.IsVararg)
        {
            var p = cl.P;
            var frame = TakeFrame(Depth + 1, p.FrameSize);
            int np = p.NumParams;
            if (np > 0) frame[2] = a0;
            if (np > 1 && nargs > 1) frame[3] = a1;
            return InvokeFrame(cl, frame);
        }
        int b = Top;
        Push(a0);
        if (nargs > 1) Push(a1);
        return CallValue(fn, b, nargs);
    }

    public LuaValue Call1(LuaValue fn, ReadOnlySpan<LuaValue> args)
    {
        int n = Call(fn, args);
        return n > 0 ? Ret[0] : default;
    }

    internal LuaException StackOverflow() => RtError("stack overflow");

    // ---------- errors ----------
    /// <summary>"chunk:line:" of the Lua function `level` levels up (1 = the caller of the running host function).</summary>
    public string Where(int level)
    {
        int d = Depth - level;
        if (level == 0) d = Depth;
        if (d >= 1 && d <= Depth && Calls[d].Fn is LuaClosure cl)
            return cl.P.ChunkId + ":" + Calls[d].Line + ": ";
        return "";
    }

    /// <summary>A runtime error raised by a host function, with the position of the Lua code calling it.</summary>
    public LuaException Error(string message) => new(Where(1) + message);

    /// <summary>
    /// A host function's error without the position in its message (as luaG_runerror raised inside a C function
    /// gives): the position is kept apart for hosts that report where the script was.
    /// </summary>
    public LuaException ErrorAt(string message) => new(message) { RaisedAt = Where(1) };

    /// <summary>Fails when a library function is about to write a read-only table.</summary>
    public void CheckWritable(LuaTable t)
    {
        if (t.ReadOnly) throw ErrorAt(LuaTable.ReadOnlyMessage);
    }

    /// <summary>A runtime error raised by the interpreter at the current line of the running Lua function.</summary>
    internal LuaException RtError(string message)
    {
        if (Calls[Depth].Fn is LuaClosure cl) return new LuaException(cl.P.ChunkId + ":" + Calls[Depth].Line + ": " + message);
        return new LuaException(message);
    }

    internal LuaException RtError(string message, int line)
    {
        Calls[Depth].Line = line;
        return RtError(message);
    }

    public LuaException ArgError(int narg, string extra)
    {
        ref CallInfo ci = ref Calls[Depth];
        string name = ci.CalleeName ?? "?";
        if (ci.CalleeMethod)
        {
            narg--;
            if (narg == 0) return Error($"calling '{name}' on bad self ({extra})");
        }
        return Error($"bad argument #{narg} to '{name}' ({extra})");
    }

    public LuaException TypeError(int narg, string expected, ReadOnlySpan<LuaValue> args)
    {
        string got = narg <= args.Length ? args[narg - 1].TypeName : "no value";
        return ArgError(narg, $"{expected} expected, got {got}");
    }
}
