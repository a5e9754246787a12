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
    }
}
