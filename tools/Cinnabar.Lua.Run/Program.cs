// Runs Lua files with Cinnabar.Lua the way `lua5.1 file.lua` does: the chunk is named after the path, print
// goes to stdout, an uncaught error goes to stderr as "lua: message" with exit code 1.
using Cinnabar.Lua;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Cinnabar.Lua.Run file.lua [file.lua ...]");
    return 2;
}
// --redis: run in Redis's script environment and print the chunk's first result (to compare with EVAL)
bool redis = args[0] == "--redis";
if (redis) args = args[1..];
// --time: prints the milliseconds spent compiling and running (no process start-up) to stderr
bool time = args[0] == "--time";
if (time) args = args[1..];
var clock = System.Diagnostics.Stopwatch.StartNew();
int rc = 0;
var thread = new Thread(() => rc = RunAll(args, redis), 256 * 1024 * 1024);
thread.Start();
thread.Join();
if (time) Console.Error.WriteLine($"time_ms {clock.Elapsed.TotalMilliseconds:F0}");
return rc;

static int RunAll(string[] files, bool redis)
{
    using var stdout = Console.OpenStandardOutput();
    using var output = new BufferedStream(stdout, 1 << 16);
    foreach (var file in files)
    {
        using var state = redis ? Sandbox.CreateRedisState() : LuaState.CreateStandard();
        state.Output = output;
        try
        {
            var chunk = LuaState.Compile(File.ReadAllBytes(file), "@" + file);
            var results = state.Call(new LuaValue(state.Load(chunk)), []);
            if (redis && results.Length > 0 && results[0].AsString is { } s)
            {
                output.Write(s.Bytes);
                output.WriteByte((byte)'\n');
            }
        }
        catch (LuaException e)
        {
            output.Flush();
            Console.Error.WriteLine("lua: " + e.Message);
            return 1;
        }
    }
    output.Flush();
    return 0;
}
