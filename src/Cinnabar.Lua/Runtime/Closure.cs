namespace Cinnabar.Lua.Runtime;

/// <summary>A captured local: locals are plain frame slots unless a closure captures them.</summary>
internal sealed class UpBox
{
    public LuaValue V;
    public UpBox(LuaValue v) { V = v; }
}

/// <summary>A compiled function body: resolved slots, its tree of executable nodes, debug facts.</summary>
internal sealed class Proto
{
    public string ChunkId = "?";
    public int LineDefined;
    public int NumParams;
    public bool IsVararg;
    public int FrameSize;
    public LocalVar[] Params = [];
    /// <summary>The parameters a nested function captures: boxed on entry (usually none).</summary>
    public LocalVar[] CapturedParams = [];
    public Stat Body = null!;
    public UpvalDesc[] Upvals = [];
    /// <summary>5.1's compatibility `arg` table of a vararg function that never uses '...'.</summary>
    public LocalVar? ArgSlot;
}

internal readonly record struct UpvalDesc(bool FromParentLocal, int Index, string Name);

internal sealed class LocalVar
{
    public readonly string Name;
    public int Slot;
    public bool Captured;
    public LocalVar(string name, int slot) { Name = name; Slot = slot; }
}

internal sealed class LuaClosure : LuaFunction
{
    public readonly Proto P;
    public readonly UpBox[] Up;
    public LuaTable Env;
    public LuaClosure(Proto p, UpBox[] up, LuaTable env) { P = p; Up = up; Env = env; }
    public override string DebugName => "function";
}
