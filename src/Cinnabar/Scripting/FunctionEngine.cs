using System.Diagnostics;
using System.Text;
using Cinnabar.Commands;
using Cinnabar.Lua;

namespace Cinnabar.Scripting;

/// <summary>
/// Redis's functions (functions.c and function_lua.c): the libraries loaded with FUNCTION LOAD, the one Lua
/// state all of them share, and FCALL. Library code runs in a load sandbox whose globals offer only
/// redis.register_function, redis.log and the version; functions run with the script API, and neither may
/// create globals. Runs use the scripting engine's prepare/execute path, so BUSY, FUNCTION KILL, the script
/// checks of redis.call and the error texts are the EVAL ones with "@user_function".
/// </summary>
public sealed class FunctionEngine
{
    private const long LoadTimeoutMs = 500;
    private const string LoadTimeoutMessage = "FUNCTION LOAD timeout";
    private static readonly string[] NamedArguments = ["function_name", "description", "callback", "flags"];

    private readonly ScriptingEngine _scripting;
    private LuaState _lua = null!;
    private LuaTable _globalsMeta = null!, _runtimeGlobals = null!, _loadGlobals = null!, _userGlobals = null!;
    private FunctionLibrary? _loading;
    private long _loadStart, _loadTimeoutMs;

    public FunctionEngine(ScriptingEngine scripting)
    {
        _scripting = scripting;
        Reset();
    }

    /// <summary>Libraries by name, in load order.</summary>
    public Dictionary<string, FunctionLibrary> Libraries { get; } = new(StringComparer.Ordinal);
    /// <summary>Every library's functions, by name without regard to case (as Redis's function dictionary).</summary>
    public Dictionary<string, LibraryFunction> Functions { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>INFO used_memory_vm_functions: what the engine has charged to the functions state (see <see cref="ScriptingEngine.EvalVmBytes"/>).</summary>
    public long VmBytes => _lua.MemoryUsed;
    /// <summary>Bytes held by library code and function names (INFO used_memory_functions, roughly Redis's overhead).</summary>
    public long LibraryBytes { get; private set; }

    /// <summary>
    /// A fresh functions Lua state (start and FUNCTION FLUSH). Its globals are an empty table whose reads fall
    /// through to the script API (or, while a library loads, to the load API) and whose writes fail.
    /// </summary>
    private void Reset()
    {
        _lua?.Dispose();
        _lua = Sandbox.CreateRedisState();
        var api = new RedisLuaApi(_scripting, "function");
        api.Install(_lua);
        _lua.Hook = OnHook;
        _lua.HookInterval = 10_000;
        _runtimeGlobals = _lua.Globals;

        var loadRedis = new LuaTable();
        _lua.Register(loadRedis, "register_function", RegisterFunction);
        api.InstallLogAndVersion(_lua, loadRedis);
        RedisLuaApi.ProtectGlobals(_lua, loadRedis);
        _loadGlobals = new LuaTable();
        _loadGlobals.SetStr(LuaString.From("redis"), loadRedis);
        RedisLuaApi.ProtectGlobals(_lua, _loadGlobals);

        _userGlobals = new LuaTable();
        _globalsMeta = new LuaTable();
        _globalsMeta.SetStr(LuaString.From("__index"), _runtimeGlobals);
        _lua.Register(_globalsMeta, "__newindex", (cx, a) => throw cx.Error("Attempt to modify a readonly table"));
        _userGlobals.Metatable = _globalsMeta;
        _userGlobals.ReadOnly = true;
        _globalsMeta.ReadOnly = true;
        _lua.Globals = _userGlobals;
        Libraries.Clear();
        Functions.Clear();
        LibraryBytes = 0;
    }

    public void Flush() => Reset();

    // ---- FUNCTION LOAD -----------------------------------------------------------------------------

    /// <summary>
    /// Redis's functionsCreateWithLibraryCtx: loads (or with <paramref name="replace"/> replaces) the library in
    /// <paramref name="code"/>. The library name, or null with Redis's error text (with "ERR ").
    /// </summary>
    public string? Load(ReadOnlySpan<byte> code, bool replace, bool timeLimited, out string? error)
    {
        var library = Compile(code, timeLimited, l => Libraries.ContainsKey(l) && !replace ? $"Library '{l}' already exists" : null, out error);
        if (library == null) return null;
        Libraries.TryGetValue(library.Name, out var previous);
        foreach (var f in library.Functions.Values)
        {
            if (Functions.TryGetValue(f.Name, out var existing) && existing.Library != previous)
            {
                error = $"ERR Function {f.Name} already exists";
                return null;
            }
        }
        if (previous != null) Unlink(previous);
        Link(library);
        return library.Name;
    }

    /// <summary>
    /// Parses the metadata and runs the library code in the load sandbox, collecting its registrations.
    /// <paramref name="conflict"/> may refuse the library by name before its code runs.
    /// </summary>
    private FunctionLibrary? Compile(ReadOnlySpan<byte> code, bool timeLimited, Func<string, string?> conflict, out string? error)
    {
        var metadataError = FunctionLibrary.ParseMetadata(code, out string engine, out string name, out int bodyStart);
        if (metadataError != null)
        {
            error = "ERR " + metadataError;
            return null;
        }
        if (!FunctionLibrary.IsValidName(name))
        {
            error = "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
            return null;
        }
        if (!engine.Equals(FunctionLibrary.EngineName, StringComparison.OrdinalIgnoreCase))
        {
            error = $"ERR Engine '{engine}' not found";
            return null;
        }
        if (conflict(name) is { } refusal)
        {
            error = "ERR " + refusal;
            return null;
        }
        var chunk = ScriptingEngine.Compile(code[bodyStart..], "@user_function", "ERR Error compiling function: ", out error);
        if (chunk == null) return null;
        var library = new FunctionLibrary(name, code.ToArray());
        _loading = library;
        _loadStart = Stopwatch.GetTimestamp();
        _loadTimeoutMs = timeLimited ? LoadTimeoutMs : 0;
        _globalsMeta.SetStr(LuaString.From("__index"), _loadGlobals);
        try
        {
            _lua.Call(new LuaValue(_lua.Load(chunk)), []);
        }
        catch (LuaException e)
        {
            error = "ERR Error registering functions: " + LoadErrorText(e);
            return null;
        }
        finally
        {
            _globalsMeta.SetStr(LuaString.From("__index"), _runtimeGlobals);
            _lua.ClearInterrupt();
            _loading = null;
        }
        if (library.Functions.Count == 0)
        {
            error = "ERR No functions registered";
            return null;
        }
        error = null;
        return library;
    }

    /// <summary>luaExtractErrorInformation: an {err=} table gives its text, anything else "ERR " and its string.</summary>
    private static string LoadErrorText(LuaException e)
    {
        if (e.Uncatchable && e.Value.AsString?.ToString() == LoadTimeoutMessage) return "ERR " + LoadTimeoutMessage;
        if (e.Value.AsTable is { } t) return t.GetStr(ReplyToLua.Err).AsString?.ToString() ?? "ERR (null)";
        return "ERR " + (e.Value.AsString?.ToString() ?? e.Value.ToString());
    }

    private void Link(FunctionLibrary library)
    {
        Libraries[library.Name] = library;
        foreach (var f in library.Functions.Values)
            if (Functions.TryAdd(f.Name, f)) LibraryBytes += f.Name.Length + (f.Description?.Length ?? 0);
        LibraryBytes += library.Name.Length + library.Code.Length;
    }

    private void Unlink(FunctionLibrary library)
    {
        foreach (var f in library.Functions.Values)
            if (Functions.TryGetValue(f.Name, out var linked) && linked == f)
            {
                Functions.Remove(f.Name);
                LibraryBytes -= f.Name.Length + (f.Description?.Length ?? 0);
            }
        Libraries.Remove(library.Name);
        LibraryBytes -= library.Name.Length + library.Code.Length;
    }

    public bool Delete(string name)
    {
        if (!Libraries.TryGetValue(name, out var library)) return false;
        Unlink(library);
        return true;
    }

    // ---- FUNCTION RESTORE --------------------------------------------------------------------------

    public enum RestorePolicy { Append, Replace, Flush }

    /// <summary>
    /// Redis's FUNCTION RESTORE after the payload was decoded: compiles every library, then joins them with the
    /// loaded ones by <paramref name="policy"/>, all or nothing. Null on success, else the error text.
    /// </summary>
    public string? Restore(IReadOnlyList<byte[]> codes, RestorePolicy policy)
    {
        var restored = new Dictionary<string, FunctionLibrary>(StringComparer.Ordinal);
        var restoredFunctions = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var code in codes)
        {
            var library = Compile(code, timeLimited: false,
                l => restored.ContainsKey(l) ? $"Library '{l}' already exists" : null, out var error);
            if (library == null) return error;
            foreach (var f in library.Functions.Values)
                if (!restoredFunctions.Add(f.Name)) return $"ERR Function {f.Name} already exists";
            restored[library.Name] = library;
        }
        if (policy == RestorePolicy.Flush)
        {
            Reset();
            // The libraries were compiled in the state just dropped: load them again in the new one.
            foreach (var code in codes) Load(code, replace: false, timeLimited: false, out _);
            return null;
        }
        var replaced = new List<FunctionLibrary>();
        foreach (var library in restored.Values)
        {
            if (!Libraries.TryGetValue(library.Name, out var old)) continue;
            if (policy != RestorePolicy.Replace)
            {
                foreach (var back in replaced) Link(back);
                return $"ERR Library {library.Name} already exists";
            }
            Unlink(old);
            replaced.Add(old);
        }
        foreach (var library in restored.Values)
            foreach (var f in library.Functions.Values)
                if (Functions.ContainsKey(f.Name))
                {
                    foreach (var back in replaced) Link(back);
                    return $"ERR Function {f.Name} already exists";
                }
        foreach (var library in restored.Values) Link(library);
        return null;
    }

    // ---- FCALL ------------------------------------------------------------------------------------

    /// <summary>FCALL and FCALL_RO (Redis's fcallCommandGeneric).</summary>
    public void Call(CommandContext ctx, bool readOnlyCommand)
    {
        if (!Functions.TryGetValue(Encoding.Latin1.GetString(ctx.Arg(1)), out var function))
        {
            ctx.Error("ERR Function not found");
            return;
        }
        if (!ScriptingEngine.TryKeyCount(ctx, "ERR Bad number of keys provided", out int numKeys)) return;
        var run = _scripting.Prepare(ctx, function.Name, "@user_function", evalMode: false, function.Flags, readOnlyCommand);
        if (run == null) return;
        var keys = ScriptingEngine.ArgumentTable(ctx, 3, numKeys);
        var args = ScriptingEngine.ArgumentTable(ctx, 3 + numKeys, ctx.ArgCount - 3 - numKeys);
        _scripting.Execute(run, _lua, new LuaValue(function.Callback), [new LuaValue(keys), new LuaValue(args)]);
    }

    // ---- the load API ------------------------------------------------------------------------------

    private void OnHook(LuaState state)
    {
        if (_loading != null)
        {
            if (_loadTimeoutMs > 0 && Stopwatch.GetElapsedTime(_loadStart).TotalMilliseconds > _loadTimeoutMs)
                state.RequestInterrupt(LoadTimeoutMessage);
            return;
        }
        _scripting.OnHook(state);
    }

    /// <summary>redis.register_function(name, callback) or redis.register_function{function_name=, callback=, flags=, description=}.</summary>
    private int RegisterFunction(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var library = _loading ?? throw _scripting.Raise(cx, ReplyToLua.ErrorTable("redis.register_function can only be called on FUNCTION LOAD command"));
        if (a.Length is < 1 or > 2) throw Refuse(cx, "wrong number of arguments to redis.register_function");
        string? name;
        byte[]? description = null;
        LuaFunction? callback;
        var flags = ScriptFlags.None;
        if (a.Length == 2)
        {
            name = StringArgument(a[0]);
            if (name == null) throw Refuse(cx, "first argument to redis.register_function must be a string");
            callback = a[1].AsFunction ?? throw Refuse(cx, "second argument to redis.register_function must be a function");
        }
        else
        {
            ReadNamedArguments(cx, a[0], out name, out description, out callback, out flags);
        }
        if (!FunctionLibrary.IsValidName(name!))
            throw Refuse(cx, "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        if (library.Functions.ContainsKey(name!)) throw Refuse(cx, "Function already exists in the library");
        library.Functions[name!] = new LibraryFunction(name!, description, flags, callback!, library);
        return 0;
    }

    private void ReadNamedArguments(CallContext cx, LuaValue argument, out string? name, out byte[]? description,
        out LuaFunction? callback, out ScriptFlags flags)
    {
        var table = argument.AsTable ?? throw Refuse(cx,
            "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
        name = null;
        description = null;
        callback = null;
        flags = ScriptFlags.None;
        var key = LuaValue.Nil;
        while (table.Next(ref key, out var value))
        {
            string? keyText = StringArgument(key);
            if (keyText == null) throw Refuse(cx, "named argument key given to redis.register_function is not a string");
            switch (Array.FindIndex(NamedArguments, n => n.Equals(keyText, StringComparison.OrdinalIgnoreCase)))
            {
                case 0:
                    name = StringArgument(value) ?? throw Refuse(cx, "function_name argument given to redis.register_function must be a string");
                    break;
                case 1:
                    description = StringBytes(value) ?? throw Refuse(cx, "description argument given to redis.register_function must be a string");
                    break;
                case 2:
                    callback = value.AsFunction ?? throw Refuse(cx, "callback argument given to redis.register_function must be a function");
                    break;
                case 3:
                    var list = value.AsTable ?? throw Refuse(cx, "flags argument to redis.register_function must be a table representing function flags");
                    flags = ReadFlags(list) ?? throw Refuse(cx, "unknown flag given");
                    break;
                default:
                    throw Refuse(cx, "unknown argument given to redis.register_function");
            }
        }
        if (name == null) throw Refuse(cx, "redis.register_function must get a function name argument");
        if (callback == null) throw Refuse(cx, "redis.register_function must get a callback argument");
    }

    /// <summary>The flags of a registration's flags={...} list (names without regard to case); null when one is unknown.</summary>
    private static ScriptFlags? ReadFlags(LuaTable list)
    {
        var flags = ScriptFlags.None;
        for (int i = 1; ; i++)
        {
            var v = list.GetInt(i);
            if (v.IsNil) return flags;
            string? text = StringArgument(v);
            if (text == null) return null;
            var flag = ShebangParser.FindIgnoreCase(text);
            if (flag == null) return null;
            flags |= flag.Value;
        }
    }

    private LuaException Refuse(CallContext cx, string message) => _scripting.Raise(cx, ReplyToLua.ErrorTable(message));

    /// <summary>lua_isstring's view: strings, and numbers as Lua formats them.</summary>
    private static string? StringArgument(LuaValue v) => StringBytes(v) is { } b ? Encoding.Latin1.GetString(b) : null;

    private static byte[]? StringBytes(LuaValue v) =>
        v.AsString is { } s ? s.Span.ToArray() : v.IsNumber ? Encoding.ASCII.GetBytes(v.ToString()) : null;
}
