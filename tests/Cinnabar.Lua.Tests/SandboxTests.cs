namespace Cinnabar.Lua.Tests;

public class SandboxTests
{
    [Fact]
    public void RedisEnvironmentHasExactlyTheListedGlobals()
    {
        var r = LuaHost.Run("local n = {} for k in pairs(_G) do n[#n + 1] = k end table.sort(n) io = nil return n", sandbox: true);
        Assert.Null(r.Error);
        var names = new List<string>();
        using var s = Sandbox.CreateRedisState();
        var k = LuaValue.Nil;
        while (s.Globals.Next(ref k, out _)) names.Add(k.ToString());
        names.Sort(StringComparer.Ordinal);
        Assert.Equal(new[] { "_G", "_VERSION", "assert", "bit", "cjson", "cmsgpack", "collectgarbage", "coroutine", "error", "gcinfo", "getmetatable",
            "ipairs", "load", "loadstring", "math", "next", "pairs", "pcall", "rawequal", "rawget", "rawset", "select",
            "setmetatable", "string", "struct", "table", "tonumber", "tostring", "type", "unpack", "xpcall" }, names);
    }

    [Fact]
    public void NothingReachesFilesProcessesOrTheHost()
    {
        var r = LuaHost.Run("print(print, io, os, debug, require, dofile, loadfile, setfenv, getfenv, module, package)", sandbox: true);
        Assert.Equal("attempt to call global 'print' (a nil value)", r.Error!.Replace("test:1: ", ""));
    }

    [Fact]
    public void LongStringKeysIterateInRedisOrder()
    {
        // Redis's Lua hashes every byte of a string; the expected order was read from redis-server 7.0.15 (EVAL)
        using var s = Sandbox.CreateRedisState();
        var r = s.DoString("local t = {} for i = 1, 12 do t['a_rather_long_key_name_for_testing_' .. i] = i end " +
            "local out = {} for k in pairs(t) do out[#out + 1] = k:sub(36) end return table.concat(out, ',')");
        Assert.Equal("11,5,12,4,3,9,7,10,6,2,8,1", r[0].ToString());
    }

    [Fact]
    public void CompiledChunkRunsManyTimesAcrossStates()
    {
        var chunk = LuaState.Compile("local a, b = ... return a .. b, #a", "=shared");
        for (int i = 0; i < 3; i++)
        {
            using var s = LuaState.CreateStandard();
            var res = s.Call(new LuaValue(s.Load(chunk)), [LuaValue.String("ab"), LuaValue.Number(i)]);
            Assert.Equal("ab" + i, res[0].ToString());
            Assert.Equal(2, res[1].AsNumber);
        }
    }

    [Fact]
    public void HostFunctionsReceiveAndReturnValuesWithoutConversion()
    {
        using var s = LuaState.CreateStandard();
        s.Register(s.Globals, "echo", (cx, args) => cx.ReturnSpan(args));
        var res = s.DoString("return echo(1, 'x\\0y', nil, true)");
        Assert.Equal(4, res.Length);
        Assert.Equal(new byte[] { (byte)'x', 0, (byte)'y' }, res[1].AsString!.Bytes);
        Assert.True(res[2].IsNil);
        Assert.True(res[3].IsTruthy);
    }
}
