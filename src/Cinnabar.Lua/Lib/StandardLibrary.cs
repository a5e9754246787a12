namespace Cinnabar.Lua.Lib;

/// <summary>Opens the libraries of a full 5.1 interpreter (as Debian's lua5.1 with cjson and bit loaded).</summary>
public static class StandardLibrary
{
    public static void OpenAll(LuaState s, LuaTable g)
    {
        BaseLib.Open(s, g);
        StringLib.Open(s, g);
        TableLib.Open(s, g);
        MathLib.Open(s, g);
        CoroutineLib.Open(s, g);
        OsIoLib.Open(s, g);
        BitLib.Open(s, g);
        CjsonLib.Open(s, g);
        StructLib.Open(s, g);
        CmsgpackLib.Open(s, g);
        // require for the modules a Debian lua5.1 loads as shared libraries (bit, cjson): they are built in here
        s.Register(g, "require", (cx, a) =>
        {
            var name = cx.CheckString(a, 1);
            var m = cx.State.Globals.GetStr(name);
            if (m.IsNil) throw cx.Error($"module '{name}' not found");
            return cx.Return(m);
        });
    }
}
