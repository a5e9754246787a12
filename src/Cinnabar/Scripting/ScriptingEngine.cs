using System.Security.Cryptography;
using System.Text;
using Cinnabar.Commands;
using Cinnabar.Lua;
using Cinnabar.Protocol;
using Cinnabar.Types;

namespace Cinnabar.Scripting;

/// <summary>A script in the EVAL cache: its body, its compiled function and its shebang flags.</summary>
public sealed class CachedScript(string sha, byte[] body, LuaFunction function, ScriptFlags flags)
{
    public string Sha { get; } = sha;
    public byte[] Body { get; } = body;
    public LuaFunction Function { get; } = function;
    public ScriptFlags Flags { get; } = flags;
}

/// <summary>
/// Scripting for one server (Redis's eval.c and script.c): the EVAL Lua state and script cache, the script
/// that is running, and the path every redis.call takes — the script-level checks of Redis's scriptCall,
/// then <see cref="Dispatcher.Call"/> on the script's own client with the script's flags.
/// </summary>
public sealed partial class ScriptingEngine
{
    public const string NoScriptError = "NOSCRIPT No matching script. Please use EVAL.";
    // Redis 7.0 gives this text whether SCRIPT KILL or FUNCTION KILL stopped the run.
    private const string KillMessage = "Script killed by user with SCRIPT KILL...";
    private const int HookInterval = 10_000;

    private LuaState _lua = null!;
    private readonly Dictionary<Sha1Key, CachedScript> _scripts = new();
    // The same scripts by text: EVAL of a script run before costs one lookup of its body, not a SHA1 of it.
    private readonly Dictionary<byte[], CachedScript> _scriptsByBody = new(ByteContentComparer.Instance);
    private readonly CommandContext _scriptContext;
    private readonly LuaString _keysName = LuaString.From("KEYS"), _argvName = LuaString.From("ARGV");
    // Where a script's error reply is written; one serves every run, since runs never nest.
    private readonly ScriptErrorSink _errorSink;
    private LuaException? _raised;
    private int _raisedLine = -1;
    private int _killLine = -1;

    public ScriptingEngine(CinnabarServer server)
    {
        Server = server;
        _errorSink = new ScriptErrorSink(server);
        var client = new Client(0, server.Databases[0]) { Authenticated = true, Name = null };
        _scriptContext = new CommandContext(server, client, new RespWriter(1024));
        ResetEvalState();
        Functions = new FunctionEngine(this);
    }

    public CinnabarServer Server { get; }
    /// <summary>FUNCTION libraries and FCALL.</summary>
    public FunctionEngine Functions { get; }
    /// <summary>Redis's process-wide math.random generator.</summary>
    public RedisRandom Random { get; } = new();
    /// <summary>The script running now, or null.</summary>
    public ScriptRun? Current { get; private set; }
    public int CachedScriptCount => _scripts.Count;
    /// <summary>Bytes held by cached script bodies and their SHAs (INFO used_memory_scripts_eval).</summary>
    public long CachedScriptBytes { get; private set; }
    /// <summary>
    /// INFO used_memory_vm_eval: what the engine has charged to the EVAL state (tables and strings scripts
    /// made) since it was created or flushed. The engine has no per-state collector, so it only grows.
    /// </summary>
    public long EvalVmBytes => _lua.MemoryUsed;

    /// <summary>A fresh EVAL Lua state (start and SCRIPT FLUSH): Redis's globals and API, nothing cached.</summary>
    private void ResetEvalState()
    {
        _lua?.Dispose();
        _lua = Sandbox.CreateRedisState();
        new RedisLuaApi(this).Install(_lua);
        _lua.Hook = OnHook;
        _lua.HookInterval = HookInterval;
    }

    /// <summary>The cached scripts a connection may run on the thread that received them.</summary>
    public QuickScripts Quick { get; } = new();

    public void FlushScripts()
    {
        _scripts.Clear();
        _scriptsByBody.Clear();
        Quick.Clear();
        CachedScriptBytes = 0;
        ResetEvalState();
    }

    public bool ScriptExists(ReadOnlySpan<byte> sha) => FindScript(sha) != null;

    private CachedScript? FindScript(ReadOnlySpan<byte> sha) =>
        Sha1Key.TryParseHex(sha, out var key) && _scripts.TryGetValue(key, out var script) ? script : null;

    public static string Sha1Hex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Redis's luaCreateFunction: the cached script for <paramref name="body"/>, compiling it (shebang first)
    /// when new. Null with <paramref name="error"/> set when the shebang or the code is invalid.
    /// </summary>
    public CachedScript? LoadScript(ReadOnlySpan<byte> body, out string? error)
    {
        error = null;
        if (_scriptsByBody.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(body, out var cached)) return cached;

        if (!ShebangParser.TryParseEval(body, out var flags, out int shebangLength, out error)) return null;
        // The shebang line is skipped but its newline kept, so line numbers stay the user's.
        var chunk = Compile(body[shebangLength..], "@user_script", "ERR Error compiling script (new function): ", out error);
        if (chunk == null) return null;
        var sha = Sha1Key.Of(body);
        var script = new CachedScript(sha.ToHexLower(), body.ToArray(), _lua.Load(chunk), flags);
        _scripts[sha] = script;
        _scriptsByBody[script.Body] = script;
        if (QuickScripts.IsBounded(chunk.Shape)) Quick.Add(sha, script.Body);
        CachedScriptBytes += 40 + body.Length;
        return script;
    }

    /// <summary>Compiles a script or library body; null with the compiler's message after <paramref name="errorPrefix"/>.</summary>
    internal static LuaChunk? Compile(ReadOnlySpan<byte> code, string chunkName, string errorPrefix, out string? error)
    {
        error = null;
        try
        {
            return LuaState.Compile(code, chunkName);
        }
        catch (LuaException e)
        {
            error = errorPrefix + e.Message;
            return null;
        }
    }

    // ---- EVAL / EVALSHA ----------------------------------------------------------------------------

    /// <summary>EVAL, EVALSHA and their _RO forms (Redis's evalGenericCommand).</summary>
    public void Eval(CommandContext ctx, bool bySha, bool readOnlyCommand)
    {
        if (!TryKeyCount(ctx, CommandContext.NotIntegerError, out int numKeys)) return;
        CachedScript? script;
        if (bySha)
        {
            script = FindScript(ctx.Arg(1));
            if (script == null)
            {
                ctx.Error(NoScriptError);
                return;
            }
        }
        else
        {
            script = LoadScript(ctx.Arg(1), out var error);
            if (script == null)
            {
                ctx.Error(error!);
                return;
            }
        }
        var run = Prepare(ctx, script.Sha, "@user_script", evalMode: true, script.Flags, readOnlyCommand);
        if (run == null) return;
        var globals = _lua.Globals;
        globals.SetStr(_keysName, RefillArgumentTable(ref _keysTable, ctx, 3, numKeys));
        globals.SetStr(_argvName, RefillArgumentTable(ref _argvTable, ctx, 3 + numKeys, ctx.ArgCount - 3 - numKeys));
        Execute(run, _lua, new LuaValue(script.Function), []);
    }

    /// <summary>The numkeys argument of EVAL*/FCALL*, checked as Redis checks it; false after answering the error.</summary>
    internal static bool TryKeyCount(CommandContext ctx, string notANumberError, out int numKeys)
    {
        numKeys = 0;
        if (!ctx.TryArgLong(2, out long n, notANumberError)) return false;
        if (n > ctx.ArgCount - 3)
        {
            ctx.Error("ERR Number of keys can't be greater than number of args");
            return false;
        }
        if (n < 0)
        {
            ctx.Error("ERR Number of keys can't be negative");
            return false;
        }
        numKeys = (int)n;
        return true;
    }

    internal static LuaTable ArgumentTable(CommandContext ctx, int first, int count) => Fill(new LuaTable(count, 0), ctx, first, count);

    // EVAL's KEYS and ARGV of the last run. Nothing outlives an EVAL run (no new globals, read-only library
    // tables, a main chunk has no upvalues), so a table the script left as built is refilled instead of
    // allocated again. FCALL gets new ones: a function can keep its arguments in its library's upvalues.
    private LuaTable? _keysTable, _argvTable;

    private static LuaTable RefillArgumentTable(ref LuaTable? last, CommandContext ctx, int first, int count)
    {
        if (last is null || !last.IsPlainArrayOf(count)) last = new LuaTable(count, 0);
        return Fill(last, ctx, first, count);
    }

    private static LuaTable Fill(LuaTable t, CommandContext ctx, int first, int count)
    {
        for (int i = 0; i < count; i++) t.SetInt(i + 1, LuaValue.String(ctx.Arg(first + i)));
        return t;
    }

    /// <summary>
    /// Redis's scriptPrepareForRun: refuses a flagged script that may not run now (writes through *_RO,
    /// over maxmemory without allow-oom), else the run context. Null after answering the error.
    /// </summary>
    internal ScriptRun? Prepare(CommandContext caller, string name, string source, bool evalMode, ScriptFlags flags, bool readOnlyCommand)
    {
        bool compat = (flags & ScriptFlags.EvalCompatMode) != 0;
        bool overMemory = Server.Config.MaxMemory > 0 && Server.MemoryPolicy.IsOverLimit(Server);
        if (!compat)
        {
            if ((flags & ScriptFlags.NoWrites) == 0)
            {
                if (readOnlyCommand)
                {
                    caller.Error("ERR Can not execute a script with write flag using *_ro command.");
                    return null;
                }
            }
            if (overMemory && (flags & (ScriptFlags.AllowOom | ScriptFlags.NoWrites)) == 0)
            {
                caller.Error("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
                return null;
            }
        }
        var scriptClient = _scriptContext.Client;
        scriptClient.Db = caller.Db;
        scriptClient.User = caller.Client.User;
        _scriptContext.Reply.Protocol = 2;
        return new ScriptRun
        {
            Caller = caller,
            ScriptContext = _scriptContext,
            FunctionName = name,
            Source = source,
            EvalMode = evalMode,
            ReadOnly = readOnlyCommand || (!compat && (flags & ScriptFlags.NoWrites) != 0),
            AllowOom = !compat && (flags & ScriptFlags.AllowOom) != 0,
            StartedOverMemory = overMemory,
            StartTimestamp = caller.CallStart,
        };
    }

    /// <summary>Runs a prepared script function and writes its reply (or error) to the caller.</summary>
    internal void Execute(ScriptRun run, LuaState lua, LuaValue function, ReadOnlySpan<LuaValue> args)
    {
        Current = run;
        // As Redis's scriptResetRun: the script's commands were propagated, EVAL/FCALL itself never is.
        run.Caller.PreventPropagation();
        _raised = null;
        _raisedLine = _killLine = -1;
        var ctx = run.Caller;
        try
        {
            LuaValue result;
            try
            {
                var results = lua.Call(function, args);
                result = results.Length > 0 ? results[0] : LuaValue.Nil;
            }
            catch (LuaException e)
            {
                WriteScriptError(run, e);
                return;
            }
            _errorSink.Wrote = false;
            LuaToReply.Write(ctx.Reply, result, run.Resp, _errorSink);
            if (_errorSink.Wrote) ctx.ErrorWritten = true;
        }
        finally
        {
            lua.ClearInterrupt();
            Current = null;
            if (run.TimedOut) Server.BusyScript = BusyScriptKind.None;
        }
    }

    /// <summary>
    /// The error reply of a failed script, as Redis's error handler and luaCallFunction build it:
    /// "&lt;err&gt; script: &lt;name&gt;, on &lt;source&gt;:&lt;line&gt;." (messages not from an {err=} table get "ERR ").
    /// </summary>
    private void WriteScriptError(ScriptRun run, LuaException e)
    {
        var ctx = run.Caller;
        var value = e.Value;
        int line = ReferenceEquals(e, _raised) ? _raisedLine : -1;
        if (e.Uncatchable && value.AsString?.ToString() is KillMessage)
        {
            value = ReplyToLua.ErrorTable(value.AsString!.ToString());
            line = _killLine;
        }
        string message;
        bool countStats = true;
        if (value.AsTable is { } table)
        {
            message = table.GetStr(ReplyToLua.Err).AsString?.ToString() ?? "ERR (null)";
            countStats = !table.GetStr(ReplyToLua.IgnoreStats).IsTruthy;
        }
        else
        {
            string text = value.AsString?.ToString() ?? value.ToString();
            message = "ERR " + text;
            if (line < 0) line = PositionLine(text);
            if (line < 0 && e.RaisedAt != null) line = PositionLine(e.RaisedAt);
        }
        if (line >= 0) message += $" script: {run.FunctionName}, on {run.Source}:{line}.";
        ctx.ErrorWritten = true;
        if (countStats) Server.Stats.CountError(message);
        ctx.Reply.WriteError(message);
    }

    /// <summary>The line of a "user_script:N: ..." (or "user_function:N: ...") message; -1 when it has none.</summary>
    private static int PositionLine(string message)
    {
        int colon = message.IndexOf(':');
        if (colon <= 0 || !message.StartsWith("user_", StringComparison.Ordinal)) return -1;
        int end = message.IndexOf(':', colon + 1);
        if (end < 0) return -1;
        return int.TryParse(message.AsSpan(colon + 1, end - colon - 1), out int line) ? line : -1;
    }

    /// <summary>An error raised by the redis API (or error()): remembers the Lua line that raised it.</summary>
    internal LuaException Raise(CallContext cx, LuaValue value)
    {
        var e = new LuaException(value);
        _raised = e;
        _raisedLine = PositionLine(cx.Where(1));
        return e;
    }

    internal LuaException Raise(CallContext cx, LuaTable error) => Raise(cx, new LuaValue(error));

    // ---- the hook: BUSY and kills --------------------------------------------------------------------

    internal void OnHook(LuaState state)
    {
        var run = Current;
        if (run == null) return;
        if (!run.TimedOut)
        {
            long threshold = Server.Config.BusyReplyThreshold;
            if (threshold > 0 && run.ElapsedMs >= threshold)
            {
                run.TimedOut = true;
                Server.Log.Warning($"Slow script detected: still in execution after {run.ElapsedMs} milliseconds. " +
                    $"You can try killing the script using the {(run.EvalMode ? "SCRIPT KILL" : "FUNCTION KILL")} command. " +
                    $"Script name is: {run.FunctionName}.");
                Server.BusyScript = run.EvalMode ? BusyScriptKind.Eval : BusyScriptKind.Function;
            }
        }
        if (run.Killed)
        {
            Server.Log.Warning("Lua script killed by user with SCRIPT KILL.");
            _killLine = PositionLine(state.MainContext.Where(0));
            state.RequestInterrupt(KillMessage);
        }
    }

    /// <summary>
    /// SCRIPT KILL / FUNCTION KILL (Redis's scriptKill). Runs on the killing client's thread while the script
    /// holds the store lock, so it only reads and sets the run's volatile flags.
    /// </summary>
    public string? Kill(bool isEval)
    {
        var run = Current;
        if (run == null) return "NOTBUSY No scripts in execution right now.";
        if (run.WriteDirty)
            return "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the " +
                "script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";
        if (isEval && !run.EvalMode) return Dispatcher.BusyFunctionError;
        if (!isEval && run.EvalMode) return Dispatcher.BusyScriptError;
        run.Killed = true;
        return null;
    }

    /// <summary>SHUTDOWN NOSAVE while busy: the script stops at its next hook check, whatever it wrote.</summary>
    public void AbortForShutdown()
    {
        if (Current is { } run) run.Killed = true;
    }

    // ---- redis.call ------------------------------------------------------------------------------

    /// <summary>Finds the command named by the arguments, resolving a container's subcommand (Redis's lookupCommand).</summary>
    internal CommandDef? LookupCommand(CommandArgs args)
    {
        var def = Server.Commands.Find(args[0]);
        if (def?.Subcommands != null && (def.Handler == null || args.Count >= 2))
        {
            if (args.Count < 2) return def;
            def = def.FindSubcommand(args[1]);
        }
        return def;
    }

    /// <summary>
    /// Runs the command loaded in the script's context (Redis's scriptCall): the checks a script adds —
    /// lookup, arity, no-script, writes from read-only scripts, OOM — then <see cref="Dispatcher.Call"/>.
    /// Returns the reply as a Lua value, or null with <paramref name="error"/> when refused.
    /// </summary>
    internal LuaValue CallFromScript(ScriptRun run, out LuaTable? error)
    {
        var ctx = run.ScriptContext;
        var def = LookupCommand(ctx.Args);
        string? refusal = null;
        if (def == null) refusal = "Unknown Redis command called from script";
        else if ((def.Arity > 0 && ctx.ArgCount != def.Arity) || ctx.ArgCount < -def.Arity)
            refusal = "Wrong number of args calling Redis command from script";
        else if ((def.Flags & CommandFlags.NoScript) != 0) refusal = "This Redis command is not allowed from script";
        else if (run.ReadOnly && (def.Flags & (CommandFlags.Write | CommandFlags.MayReplicate)) != 0)
            refusal = "Write commands are not allowed from read-only scripts.";
        else if (!run.AllowOom && !run.WriteDirty && run.StartedOverMemory && (def.Flags & CommandFlags.DenyOom) != 0)
            refusal = "-" + Dispatcher.OomError;
        if (refusal != null)
        {
            Server.Stats.CountError(refusal.StartsWith('-') ? refusal[1..] : "ERR " + refusal);
            if (def != null) Server.CommandStatistics.RecordRejected(def);
            error = refusal.StartsWith('-')
                ? ReplyToLua.ErrorTable(Encoding.Latin1.GetBytes(refusal), ignoreStats: true)
                : ReplyToLua.ErrorTable(refusal, ignoreStats: true);
            return LuaValue.Nil;
        }
        if ((def!.Flags & CommandFlags.Write) != 0) run.WriteDirty = true;
        error = null;
        var writer = ctx.Reply;
        writer.Protocol = run.Resp;
        writer.Clear();
        var propagator = Server.Propagator;
        propagator.Targets = (Propagation.PropagationTargets)run.ReplicationFlags;
        Dispatcher.Call(ctx, def, run.CallFlags);
        propagator.Targets = Propagation.PropagationTargets.All;
        if (writer.Length == 0) return LuaValue.Nil;
        var value = ReplyToLua.Convert(writer.WrittenSpan, out _);
        writer.Clear();
        writer.ShrinkIfLarge(64 * 1024);
        return value;
    }
}
