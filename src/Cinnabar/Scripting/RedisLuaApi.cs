using System.Security.Cryptography;
using System.Text;
using Cinnabar.Commands;
using Cinnabar.Lua;

namespace Cinnabar.Scripting;

/// <summary>
/// The `redis` table and the globals Redis 7.0 changes in a script's Lua state: redis.call/pcall (through
/// <see cref="Dispatcher.Call"/>), the reply helpers, log, setresp, set_repl, acl_check_cmd, the version,
/// math.random on Redis's generator, pcall that unwraps {err=} tables, and the global protection.
/// </summary>
public sealed class RedisLuaApi
{
    private readonly ScriptingEngine _engine;
    private readonly string _context; // "script" or "function" for "... can only be called inside a script invocation"

    public RedisLuaApi(ScriptingEngine engine, string context = "script")
    {
        _engine = engine;
        _context = context;
    }

    private CinnabarServer Server => _engine.Server;

    /// <summary>Adds Redis's API to <paramref name="state"/>'s globals and protects them.</summary>
    public LuaTable Install(LuaState state)
    {
        var g = state.Globals;
        var redis = new LuaTable();
        state.Register(redis, "call", (cx, a) => RunCommand(cx, a, raise: true));
        state.Register(redis, "pcall", (cx, a) => RunCommand(cx, a, raise: false));
        InstallLogAndVersion(state, redis);
        state.Register(redis, "setresp", SetResp);
        state.Register(redis, "sha1hex", Sha1Hex);
        state.Register(redis, "error_reply", ErrorReply);
        state.Register(redis, "status_reply", StatusReply);
        state.Register(redis, "set_repl", SetRepl);
        redis.SetStr(LuaString.From("REPL_NONE"), 0);
        redis.SetStr(LuaString.From("REPL_AOF"), 1);
        redis.SetStr(LuaString.From("REPL_SLAVE"), 2);
        redis.SetStr(LuaString.From("REPL_REPLICA"), 2);
        redis.SetStr(LuaString.From("REPL_ALL"), 3);
        state.Register(redis, "acl_check_cmd", AclCheckCmd);
        // Outside the debugger (which Cinnabar does not have) these do nothing, as in Redis.
        state.Register(redis, "breakpoint", (cx, a) => cx.ReturnBool(false));
        state.Register(redis, "debug", (cx, a) => 0);
        state.Register(redis, "replicate_commands", (cx, a) => cx.ReturnBool(true));
        g.SetStr(LuaString.From("redis"), redis);

        var originalPcall = g.GetStr(LuaString.From("pcall"));
        g.SetStr(LuaString.From("pcall"), UnwrappingPcall(state, originalPcall));
        state.Register(g, "error", RaiseError);
        if (g.GetStr(LuaString.From("math")).AsTable is { } math)
        {
            state.Register(math, "random", Random);
            state.Register(math, "randomseed", RandomSeed);
        }
        ProtectGlobals(state, g);
        return redis;
    }

    /// <summary>redis.log, the LOG_* levels and the version: the part of the API a library's load code also gets.</summary>
    public void InstallLogAndVersion(LuaState state, LuaTable redis)
    {
        state.Register(redis, "log", Log);
        redis.SetStr(LuaString.From("LOG_DEBUG"), 0);
        redis.SetStr(LuaString.From("LOG_VERBOSE"), 1);
        redis.SetStr(LuaString.From("LOG_NOTICE"), 2);
        redis.SetStr(LuaString.From("LOG_WARNING"), 3);
        redis.SetStr(LuaString.From("REDIS_VERSION_NUM"), VersionNumber(ServerInfo.RedisVersion));
        redis.SetStr(LuaString.From("REDIS_VERSION"), LuaValue.String(ServerInfo.RedisVersion));
    }

    /// <summary>Redis's REDIS_VERSION_NUM: 0x00MMmmpp.</summary>
    private static double VersionNumber(string version)
    {
        var parts = version.Split('.');
        return (int.Parse(parts[0]) << 16) | (int.Parse(parts[1]) << 8) | int.Parse(parts[2]);
    }

    /// <summary>
    /// Reading a missing global fails, and so does creating one, with Redis 7.0's texts; the table, the library
    /// tables in it and their metatables become read-only, as Redis's luaSetTableProtectionRecursively makes them.
    /// </summary>
    public static void ProtectGlobals(LuaState state, LuaTable g)
    {
        var meta = new LuaTable();
        state.Register(meta, "__index", (cx, a) =>
            throw cx.Error($"Script attempted to access nonexistent global variable '{(a.Length > 1 ? a[1].ToString() : "nil")}'"));
        state.Register(meta, "__newindex", (cx, a) => throw cx.Error(LuaTable.ReadOnlyMessage));
        g.Metatable = meta;
        g.ProtectRecursively();
    }

    private ScriptRun RequireRun(CallContext cx, string what)
    {
        var run = _engine.Current;
        if (run == null) throw _engine.Raise(cx, ReplyToLua.ErrorTable($"{what} can only be called inside a {_context} invocation"));
        return run;
    }

    // ---- redis.call / redis.pcall -----------------------------------------------------------------

    private int RunCommand(CallContext cx, ReadOnlySpan<LuaValue> a, bool raise)
    {
        var run = RequireRun(cx, "redis.call/pcall");
        LuaTable? error = null;
        LuaValue result = default;
        if (a.Length == 0) error = ReplyToLua.ErrorTable("Please specify at least one argument for this redis lib call");
        else if (!LoadArguments(run.ScriptContext, a)) error = ReplyToLua.ErrorTable("Lua redis lib command arguments must be strings or integers");
        else result = _engine.CallFromScript(run, out error);
        if (error != null)
        {
            if (raise) throw _engine.Raise(cx, error);
            return cx.Return(error);
        }
        if (raise && result.AsTable is { } t && t.GetStr(ReplyToLua.Err).IsString) throw _engine.Raise(cx, t);
        return cx.Return(result);
    }

    /// <summary>Lua values to command arguments: strings as they are, numbers as "%.17g"; anything else fails.</summary>
    private static bool LoadArguments(CommandContext ctx, ReadOnlySpan<LuaValue> a)
    {
        var args = ctx.Args;
        args.Reset([]);
        Span<byte> number = stackalloc byte[40];
        foreach (var v in a)
        {
            if (v.IsNumber) args.AddCopy(number[..FormatArgument(v.AsNumber, number)]);
            else if (v.AsString is { } s) args.AddCopy(s.Span);
            else return false;
        }
        return true;
    }

    /// <summary>
    /// A number as a command argument, as Redis 7.0 prints it with "%.17g": finite values as Redis's doubles
    /// (integral ones as digits, without allocating), others as the Lua engine spells C's non-finite numbers
    /// ("inf", "-inf", "nan", and "-nan" for 0/0, whose sign bit is set on x86).
    /// </summary>
    private static int FormatArgument(double value, Span<byte> dest)
    {
        if (double.IsFinite(value)) return Protocol.RespWriter.FormatDouble(value, dest);
        return Encoding.ASCII.GetBytes(NumberFormat.NonFinite(value, upper: false), dest);
    }

    // ---- reply helpers ---------------------------------------------------------------------------

    private int ErrorReply(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        if (a.Length != 1 || !a[0].IsString) return cx.Return(ReplyToLua.ErrorTable("wrong number or type of arguments"));
        var text = a[0].AsString!.Span;
        var withDash = text.Length > 0 && text[0] == (byte)'-' ? text.ToArray() : [(byte)'-', .. text];
        return cx.Return(ReplyToLua.ErrorTable(withDash, ignoreStats: false));
    }

    private static int StatusReply(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        if (a.Length != 1 || !a[0].IsString) return cx.Return(ReplyToLua.ErrorTable("wrong number or type of arguments"));
        var t = new LuaTable(0, 1);
        t.SetStr(LuaString.From("ok"), a[0]);
        return cx.Return(t);
    }

    private int Sha1Hex(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        if (a.Length != 1) throw _engine.Raise(cx, ReplyToLua.ErrorTable("wrong number of arguments"));
        // lua_tolstring: numbers hash their text; other types hash nothing.
        ReadOnlySpan<byte> bytes = a[0].AsString is { } s ? s.Span
            : a[0].IsNumber ? Encoding.ASCII.GetBytes(a[0].ToString()) : [];
        return cx.Return(LuaValue.String(Encoding.ASCII.GetBytes(ScriptingEngine.Sha1Hex(bytes))));
    }

    private int SetResp(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var run = RequireRun(cx, "redis.setresp");
        if (a.Length != 1) throw _engine.Raise(cx, ReplyToLua.ErrorTable("redis.setresp() requires one argument."));
        int resp = a[0].TryToNumber(out double d) ? (int)d : 0;
        if (resp != 2 && resp != 3) throw _engine.Raise(cx, ReplyToLua.ErrorTable("RESP version must be 2 or 3."));
        run.Resp = resp;
        return 0;
    }

    private int SetRepl(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var run = RequireRun(cx, "redis.set_repl");
        if (a.Length != 1) throw _engine.Raise(cx, ReplyToLua.ErrorTable("redis.set_repl() requires two arguments."));
        int flags = a[^1].TryToNumber(out double d) ? (int)d : 0;
        if ((flags & ~3) != 0)
            throw _engine.Raise(cx, ReplyToLua.ErrorTable("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."));
        run.ReplicationFlags = flags;
        return 0;
    }

    private int AclCheckCmd(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var run = RequireRun(cx, "redis.acl_check_cmd");
        if (a.Length == 0) throw _engine.Raise(cx, ReplyToLua.ErrorTable("Please specify at least one argument for this redis lib call"));
        if (!LoadArguments(run.ScriptContext, a))
            throw _engine.Raise(cx, ReplyToLua.ErrorTable("Lua redis lib command arguments must be strings or integers"));
        var def = _engine.LookupCommand(run.ScriptContext.Args);
        if (def == null) throw _engine.Raise(cx, ReplyToLua.ErrorTable("Invalid command passed to redis.acl_check_cmd()"));
        // Only the default user exists (no ACL rules), and it may run every command.
        return cx.ReturnBool(true);
    }

    private int Log(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        if (a.Length < 2) throw _engine.Raise(cx, ReplyToLua.ErrorTable("redis.log() requires two arguments or more."));
        if (!a[0].TryToNumber(out double d)) throw _engine.Raise(cx, ReplyToLua.ErrorTable("First argument must be a number (log level)."));
        int level = (int)d;
        if (level < 0 || level > 3) throw _engine.Raise(cx, ReplyToLua.ErrorTable("Invalid debug level."));
        var log = Server.Log;
        if (!log.Enabled(level)) return 0;
        var text = new StringBuilder();
        for (int i = 1; i < a.Length; i++)
        {
            string? part = a[i].AsString?.ToString() ?? (a[i].IsNumber ? a[i].ToString() : null);
            if (part == null) continue;
            if (i != 1) text.Append(' ');
            text.Append(part);
        }
        switch (level)
        {
            case 0: log.Debug(text.ToString()); break;
            case 1: log.Verbose(text.ToString()); break;
            case 2: log.Notice(text.ToString()); break;
            default: log.Warning(text.ToString()); break;
        }
        return 0;
    }

    // ---- replaced globals ------------------------------------------------------------------------

    /// <summary>
    /// Redis's pcall: as Lua's, but an {err=...} error comes back as its message string. Written in Lua so
    /// that it keeps pcall's multiple results without copying them through the host.
    /// </summary>
    private static LuaValue UnwrappingPcall(LuaState state, LuaValue originalPcall)
    {
        const string source = """
            local rawpcall, type = ...
            local function unwrap(ok, ...)
              if not ok then
                local e = ...
                if type(e) == 'table' and type(e.err) == 'string' then return false, e.err end
                return false, e
              end
              return ok, ...
            end
            return function(...) return unwrap(rawpcall(...)) end
            """;
        var chunk = LuaState.Compile(source, "=pcall");
        var typeFn = state.Globals.GetStr(LuaString.From("type"));
        return state.Call(new LuaValue(state.Load(chunk)), [originalPcall, typeFn])[0];
    }

    /// <summary>Lua's error(), recording where it was raised (Redis's error handler reports that line).</summary>
    private int RaiseError(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var v = a.Length > 0 ? a[0] : LuaValue.Nil;
        int level = a.Length > 1 && a[1].TryToNumber(out double d) ? (int)d : 1;
        // As luaB_error: a string or a number gets the position prefixed (the number becomes a string).
        if ((v.IsString || v.IsNumber) && level > 0)
        {
            string where = cx.Where(level);
            var text = v.AsString is { } s ? s.Span : Encoding.ASCII.GetBytes(v.ToString());
            if (where.Length > 0) v = LuaValue.String([.. Encoding.Latin1.GetBytes(where), .. text]);
        }
        throw _engine.Raise(cx, v);
    }

    private int Random(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        RequireRun(cx, "math.random");
        // Lua 5.1's math.random with rand() replaced by Redis's redisLrand48().
        double r = (double)(_engine.Random.Next() % RedisRandom.Max) / RedisRandom.Max;
        switch (a.Length)
        {
            case 0:
                return cx.ReturnNumber(r);
            case 1:
            {
                int u = cx.CheckInt(a, 1);
                if (u < 1) throw cx.ArgError(1, "interval is empty");
                return cx.ReturnNumber(Math.Floor(r * u) + 1);
            }
            case 2:
            {
                int l = cx.CheckInt(a, 1);
                int u = cx.CheckInt(a, 2);
                if (l > u) throw cx.ArgError(2, "interval is empty");
                return cx.ReturnNumber(Math.Floor(r * ((double)u - l + 1)) + l);
            }
            default:
                throw cx.Error("wrong number of arguments");
        }
    }

    private int RandomSeed(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        RequireRun(cx, "math.randomseed");
        _engine.Random.Seed(cx.CheckInt(a, 1));
        return 0;
    }
}
