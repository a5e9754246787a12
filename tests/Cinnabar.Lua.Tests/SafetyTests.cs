namespace Cinnabar.Lua.Tests;

/// <summary>Hostile scripts end in a clear Lua error (hook, memory limit, depth guards) and the process stays healthy.</summary>
public class SafetyTests
{
    static Action<LuaState> InterruptAfterHooks(int n) => s =>
    {
        int calls = 0;
        s.Hook = st => { if (++calls == n) st.RequestInterrupt("Script killed by user with SCRIPT KILL..."); };
    };

    [Fact]
    public void InfiniteLoopIsStoppedByTheHook()
    {
        var r = LuaHost.Run("local i = 0 while true do i = i + 1 end", InterruptAfterHooks(50));
        Assert.Equal("Script killed by user with SCRIPT KILL...", r.Error);
    }

    [Fact]
    public void PcallCannotCatchAnInterrupt()
    {
        var r = LuaHost.Run("while true do pcall(function() while true do end end) end", InterruptAfterHooks(50));
        Assert.Equal("Script killed by user with SCRIPT KILL...", r.Error);
    }

    [Fact]
    public void InterruptFromAnotherThreadStopsARunningScript()
    {
        using var running = new ManualResetEventSlim();
        LuaState? state = null;
        var killer = new Thread(() => { running.Wait(); state!.RequestInterrupt("killed"); });
        killer.Start();
        var r = LuaHost.Run("repeat until false", s => { state = s; s.Hook = _ => running.Set(); });
        killer.Join();
        Assert.Equal("killed", r.Error);
    }

    [Fact]
    public void DeepRecursionIsALuaStackOverflow()
    {
        var r = LuaHost.Run("local function f() return 1 + f() end print(pcall(f)) f()");
        Assert.Equal("false\ttest:1: stack overflow\n", r.Stdout);
        Assert.Equal("test:1: stack overflow", r.Error);
    }

    [Fact]
    public void DeepRecursionOnASmallThreadStackIsStillALuaError()
    {
        string? error = null;
        var t = new Thread(() =>
        {
            using var s = LuaState.CreateStandard();
            try { s.DoString("local function f(n) return 1 + f(n + 1) end return f(1)"); }
            catch (LuaException e) { error = e.Message; }
        }, 256 * 1024);
        t.Start();
        t.Join();
        Assert.Contains("stack overflow", error);
    }

    [Fact]
    public void DeeplyNestedSourceIsASyntaxError()
    {
        var r = LuaHost.Run("local f, e = loadstring(string.rep('(', 100000)) print(f, e)");
        Assert.Equal("nil\t[string \"" + new string('(', 63) + "...\"]:1: chunk has too many syntax levels\n", r.Stdout);
    }

    [Fact]
    public void TableGrowingWithoutEndHitsTheMemoryLimit()
    {
        var r = LuaHost.Run("local t = {} local i = 0 while true do i = i + 1 t[i] = {i} end", s => s.MemoryLimit = 32 << 20);
        Assert.Equal("not enough memory", r.Error);
    }

    [Fact]
    public void StringDoublingHitsTheMemoryLimit()
    {
        var r = LuaHost.Run("local s = 'x' while true do s = s .. s end", s => s.MemoryLimit = 64 << 20);
        Assert.Equal("not enough memory", r.Error);
    }

    [Fact]
    public void HugeStringRepHitsTheMemoryLimit()
    {
        var r = LuaHost.Run("local ok, e = pcall(string.rep, 'x', 1e12) print(ok, e)", s => s.MemoryLimit = 64 << 20);
        Assert.Equal("not enough memory", r.Error);
    }

    [Fact]
    public void PatternBacktrackingBombIsStoppedByTheHook()
    {
        var r = LuaHost.Run("return string.find(string.rep('a', 40), string.rep('a*', 40) .. 'b')", InterruptAfterHooks(100));
        Assert.Equal("Script killed by user with SCRIPT KILL...", r.Error);
    }

    [Fact]
    public void DeepPatternRecursionIsAnError()
    {
        var r = LuaHost.Run("print(pcall(string.find, string.rep('a', 10000), string.rep('a?', 10000)))");
        Assert.Equal("false\ttest:1: pattern too complex\n".Replace("test:1: ", ""), r.Stdout);
    }

    [Fact]
    public void TheStateStaysUsableAfterAnInterrupt()
    {
        var r = LuaHost.Run("print('before')", s =>
        {
            InterruptAfterHooks(5)(s);
            Assert.Throws<LuaException>(() => s.DoString("while true do end"));
            s.ClearInterrupt();
            s.Hook = null;
        });
        Assert.Null(r.Error);
        Assert.Equal("before\n", r.Stdout);
    }
}
