using System.Runtime.CompilerServices;
using System.Text;
using Cinnabar.Lua.Compiler;
using Cinnabar.Lua.Runtime;
using Cinnabar.Lua.Lib;

namespace Cinnabar.Lua;

/// <summary>A compiled chunk: immutable and reusable by any number of calls and states (compile once, run many).</summary>
public sealed class LuaChunk
{
    internal readonly Proto Proto;
    internal LuaChunk(Proto p, ChunkShape shape) { Proto = p; Shape = shape; }
    public string ChunkId => Proto.ChunkId;

    /// <summary>What the chunk's source contains: loops, function definitions, the globals it names.</summary>
    public ChunkShape Shape { get; }
}

/// <summary>
/// What a chunk's source contains, found while parsing. A chunk with no loop and no function definition runs
/// each of its statements at most once: its running time is bounded by the work of the library calls it makes,
/// unless it reaches a global that runs code of its own making (load, loadstring), which a host can see in
/// <see cref="GlobalNames"/>.
/// </summary>
public sealed class ChunkShape(bool hasLoops, bool hasFunctions, IReadOnlySet<string> globalNames)
{
    public bool HasLoops { get; } = hasLoops;
    public bool HasFunctions { get; } = hasFunctions;
    /// <summary>Every global name the chunk reads or writes (field names such as string.rep are not globals).</summary>
    public IReadOnlySet<string> GlobalNames { get; } = globalNames;
}

/// <summary>
/// One Lua universe: globals, the string metatable, a memory account and the interrupt hook. Not thread-safe,
/// except <see cref="RequestInterrupt"/>, which any thread may call to stop the running script.
/// </summary>
public sealed partial class LuaState
{
    public LuaTable Globals { get; set; } = new();
    internal LuaTable? StringMetatable;
    internal readonly MemoryAccount Memory = new();
    internal LuaFunction? NextFunction, IpairsIterator;
    internal readonly CallContext Main;
    /// <summary>The context of the outermost call: where a host's hook asks which line is running.</summary>
    public CallContext MainContext => Main;
    internal static readonly LuaString NKey = LuaString.From("n");
    /// <summary>Tables hash strings as Redis's bundled Lua does (every byte), so pairs order over keys of 32
    /// bytes or more matches Redis rather than stock 5.1.5. Set before scripts create tables.</summary>
    public bool RedisStringHash { get; set; }
    /// <summary>Where print and io.write go.</summary>
    public Stream Output { get; set; } = Stream.Null;

    /// <summary>Host callback run every <see cref="HookInterval"/> calls/loop iterations (e.g. to serve clients while busy).</summary>
    public Action<LuaState>? Hook { get; set; }
    public int HookInterval { get; set; } = 1000;
    volatile string? _interruptMessage;
    long _deadlineTicks = long.MaxValue;

    public LuaState() { Main = new CallContext(this); }

    /// <summary>A state with the full 5.1 standard library (base, string, table, math, coroutine, os, io.write) and cjson/bit/struct/cmsgpack.</summary>
    public static LuaState CreateStandard()
    {
        var s = new LuaState();
        Lib.StandardLibrary.OpenAll(s, s.Globals);
        return s;
    }

    // ---------- limits ----------
    /// <summary>Bytes the scripts of this state may allocate (tables, strings) before failing with "not enough memory".</summary>
    public long MemoryLimit { get => Memory.Limit; set => Memory.Limit = value; }
    public long MemoryUsed => Memory.Used;
    public void ResetMemoryCount() => Memory.Used = 0;

    /// <summary>Thread-safe: the running script fails at its next hook check with this message (not catchable by pcall).</summary>
    public void RequestInterrupt(string message) => _interruptMessage = message;
    public void ClearInterrupt() => _interruptMessage = null;
    /// <summary>Stops scripts that run past this moment (Environment.TickCount64 based); null for no limit.</summary>
    public TimeSpan? TimeLimit
    {
        set => _deadlineTicks = value is { } t ? Environment.TickCount64 + (long)t.TotalMilliseconds : long.MaxValue;
    }

    internal void RunHook(CallContext cx)
    {
        cx.HookCounter = HookInterval;
        if (_interruptMessage is { } m) throw new LuaException(m) { Uncatchable = true };
        if (_deadlineTicks != long.MaxValue && Environment.TickCount64 > _deadlineTicks)
            throw new LuaException("script timed out") { Uncatchable = true };
        Hook?.Invoke(this);
        if (_interruptMessage is { } m2) throw new LuaException(m2) { Uncatchable = true };
    }

    // Short strings library functions make from bytes (pattern captures, sub, upper/lower) are first looked up
    // by hash among recent ones, as Lua interns every string: text that repeats allocates nothing. One cache per
    // state (its coroutines take turns), a few KB.
    internal const int ShortStringMax = 32;
    readonly LuaString?[] _shortStrings = new LuaString?[512];

    internal LuaString ShortString(ReadOnlySpan<byte> s)
    {
        uint h = LuaString.ComputeHash(s);
        ref var slot = ref _shortStrings[h & (uint)(_shortStrings.Length - 1)];
        if (slot is { } c && c.Hash == h && c.Bytes.AsSpan().SequenceEqual(s)) return c;
        Memory.Charge(s.Length + 24);
        return slot = new LuaString(s.ToArray(), h);
    }

    /// <summary>For long-running library loops (string.rep, patterns): counts steps toward the hook.</summary>
    internal void Steps(CallContext cx, int n)
    {
        cx.HookCounter -= n;
        if (cx.HookCounter <= 0) RunHook(cx);
    }

    // ---------- compiling and running ----------
    /// <summary>Compiles source (bytes) under a chunk name as load() names it: "=name", "@file" or the source itself.</summary>
    public static LuaChunk Compile(ReadOnlySpan<byte> source, string chunkName)
    {
        // runtime messages name the chunk within LUA_IDSIZE (60), compile errors within the lexer's MAXSRC (80)
        var p = Parser.ParseChunk(source.ToArray(), ChunkId(chunkName, 60), ChunkId(chunkName, 80), out var shape);
        return new LuaChunk(p, shape);
    }

    public static LuaChunk Compile(string source, string chunkName) => Compile(Encoding.UTF8.GetBytes(source), chunkName);

    /// <summary>A function value for the chunk, with this state's globals as its environment.</summary>
    public LuaFunction Load(LuaChunk chunk, LuaTable? env = null) => new LuaClosure(chunk.Proto, [], env ?? Globals);

    /// <summary>Calls a function; returns its results (valid until the next call into this state).</summary>
    public ReadOnlySpan<LuaValue> Call(LuaValue fn, ReadOnlySpan<LuaValue> args)
    {
        var cx = Main;
        int top = cx.Top, depth = cx.Depth;
        try
        {
            int n = cx.Call(fn, args);
            return cx.Results(n);
        }
        catch (LuaException)
        {
            cx.Top = top;
            cx.Depth = depth;
            throw;
        }
        catch (InsufficientExecutionStackException)
        {
            cx.Top = top;
            cx.Depth = depth;
            throw new LuaException("stack overflow");
        }
    }

    /// <summary>Compiles and runs source text: convenience for tests and tools.</summary>
    public ReadOnlySpan<LuaValue> DoString(string source, string chunkName = "=(string)") =>
        Call(new LuaValue(Load(Compile(source, chunkName))), []);

    public void SetGlobal(string name, LuaValue v) => Globals.SetStr(LuaString.From(name), v);
    public LuaValue GetGlobal(string name) => Globals.GetStr(LuaString.From(name));
    public void Register(LuaTable t, string name, HostFunction fn) => t.SetStr(LuaString.From(name), new LuaValue(new HostFunctionValue(name, fn)));

    /// <summary>luaO_chunkid: how a chunk name appears in messages.</summary>
    public static string ChunkId(string source, int idSize = 60)
    {
        if (source.StartsWith('=')) return source.Length - 1 > idSize - 1 ? source.Substring(1, idSize - 1) : source[1..];
        if (source.StartsWith('@'))
        {
            string s = source[1..];
            int bufflen = idSize - " '...' ".Length - 1;
            if (s.Length > bufflen) s = "..." + s[(s.Length - bufflen)..];
            return s;
        }
        int len = 0;
        while (len < source.Length && source[len] != '\n' && source[len] != '\r') len++;
        int max = idSize - " [string \"...\"] ".Length - 1;
        if (len > max) len = max;
        if (len < source.Length) return "[string \"" + source[..len] + "...\"]";
        return "[string \"" + source + "\"]";
    }

    // ---------- value text ----------
    internal LuaString ToStringBasic(in LuaValue v)
    {
        switch (v.O)
        {
            case null: return LuaString.FromAscii("nil");
            case LuaString s: return s;
            case LuaTable t: return LuaString.FromAscii("table: " + Address(t));
            case LuaFunction f: return LuaString.FromAscii("function: " + Address(f));
            case Coroutine c: return LuaString.FromAscii("thread: " + Address(c));
            default:
                if (v.IsNumber) return NumberFormat.ToLuaString(v.N);
                if (v.IsLightNull) return LuaString.FromAscii("userdata: (nil)");
                return LuaString.FromAscii(v.IsTruthy ? "true" : "false");
        }
    }

    static string Address(object o) => "0x" + ((ulong)(uint)RuntimeHelpers.GetHashCode(o) * 16 + 0x55550000_0000).ToString("x12");
}

public sealed partial class LuaState : IDisposable
{
    readonly List<WeakReference<Coroutine>> _coroutines = new();
    internal GlibcRandom Random { get; } = new();

    internal void TrackCoroutine(Coroutine c)
    {
        if (_coroutines.Count >= 1024) _coroutines.RemoveAll(w => !w.TryGetTarget(out _));
        _coroutines.Add(new WeakReference<Coroutine>(c));
    }

    /// <summary>Ends the threads of coroutines left suspended.</summary>
    public void Dispose()
    {
        foreach (var w in _coroutines) if (w.TryGetTarget(out var c)) c.Abandon();
        _coroutines.Clear();
    }
}
