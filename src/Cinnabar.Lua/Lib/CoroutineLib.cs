namespace Cinnabar.Lua.Lib;

/// <summary>5.1's coroutine library over <see cref="Coroutine"/>.</summary>
internal static class CoroutineLib
{
    public static void Open(LuaState s, LuaTable g)
    {
        var t = new LuaTable();
        s.Register(t, "create", (cx, a) =>
        {
            if (!(cx.Arg(a, 1).O is Runtime.LuaClosure)) throw cx.ArgError(1, "Lua function expected");
            return cx.Return(new LuaValue(new Coroutine(cx.State, a[0])));
        });
        s.Register(t, "resume", (cx, a) =>
        {
            if (cx.Arg(a, 1).O is not Coroutine co) throw cx.ArgError(1, "coroutine expected");
            var (ok, vals) = co.Resume(cx, a[1..]);
            cx.EnsureRet(vals.Length + 1);
            cx.Ret[0] = LuaValue.Bool(ok);
            vals.CopyTo(cx.Ret, 1);
            return vals.Length + 1;
        });
        s.Register(t, "yield", (cx, a) =>
        {
            if (cx.Coroutine is null) throw new LuaException("attempt to yield across metamethod/C-call boundary");
            var vals = cx.Coroutine.Yield(a.ToArray());
            return cx.ReturnSpan(vals);
        });
        s.Register(t, "status", (cx, a) =>
        {
            if (cx.Arg(a, 1).O is not Coroutine co) throw cx.ArgError(1, "coroutine expected");
            return cx.Return(LuaValue.String(co.StatusFor(cx)));
        });
        s.Register(t, "running", (cx, a) => cx.Return(cx.Coroutine is null ? default : new LuaValue(cx.Coroutine)));
        s.Register(t, "wrap", (cx, a) =>
        {
            if (!(cx.Arg(a, 1).O is Runtime.LuaClosure)) throw cx.ArgError(1, "Lua function expected");
            var co = new Coroutine(cx.State, a[0]);
            return cx.Return(new LuaValue(new HostFunctionValue("wrap", (cx2, a2) =>
            {
                var (ok, vals) = co.Resume(cx2, a2);
                if (!ok)
                {
                    var err = vals.Length > 0 ? vals[0] : default;
                    if (err.O is LuaString es) err = new LuaValue(BaseLib.Concat(LuaString.FromAscii(cx2.Where(1)), es));
                    throw new LuaException(err);
                }
                return cx2.ReturnSpan(vals);
            })));
        });
        g.SetStr(LuaString.From("coroutine"), new LuaValue(t));
    }
}
