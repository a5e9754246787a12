using System.Text;
using Cinnabar.Lua;

namespace Cinnabar.Lua.Tests;

/// <summary>Runs Lua source in a fresh state on a thread with a large stack, capturing what it prints.</summary>
internal static class LuaHost
{
    public sealed record Result(string Stdout, string? Error);

    public static Result Run(byte[] source, string chunkName, Action<LuaState>? setup = null, bool sandbox = false)
    {
        Result? result = null;
        var t = new Thread(() =>
        {
            var output = new MemoryStream();
            using var state = sandbox ? Sandbox.CreateRedisState() : LuaState.CreateStandard();
            state.Output = output;
            setup?.Invoke(state);
            string? error = null;
            try
            {
                var chunk = LuaState.Compile(source, chunkName);
                state.Call(new LuaValue(state.Load(chunk)), []);
            }
            catch (LuaException e) { error = e.Message; }
            result = new Result(Encoding.Latin1.GetString(output.ToArray()), error);
        }, 256 * 1024 * 1024);
        t.Start();
        t.Join();
        return result!;
    }

    public static Result Run(string source, Action<LuaState>? setup = null, bool sandbox = false) =>
        Run(Encoding.UTF8.GetBytes(source), "=test", setup, sandbox);
}
