using Cinnabar.Lua.Lib;

namespace Cinnabar.Lua;

/// <summary>The global environment Redis 7.0 gives a script: exactly these names, nothing reaching files, processes or .NET.</summary>
public static class Sandbox
{
    static readonly string[] BaseNames =
    [
        "_G", "_VERSION", "assert", "collectgarbage", "error", "gcinfo", "getmetatable", "ipairs", "load", "loadstring",
        "next", "pairs", "pcall", "rawequal", "rawget", "rawset", "select", "setmetatable", "tonumber", "tostring",
        "type", "unpack", "xpcall", "coroutine", "string", "math", "table", "bit", "cjson", "cmsgpack", "struct",
    ];

    /// <summary>A state whose globals are Redis's script environment (the server adds `redis` and KEYS/ARGV).</summary>
    public static LuaState CreateRedisState()
    {
        var full = LuaState.CreateStandard();
        full.RedisStringHash = true;
        var g = new LuaTable { RedisHash = true };
        foreach (var name in BaseNames)
        {
            var key = LuaString.From(name);
            var v = full.Globals.GetStr(key);
            if (!v.IsNil) g.SetStr(key, v);
        }
        g.SetStr(LuaString.From("_G"), new LuaValue(g));
        full.Globals = g;
        return full;
    }
}
