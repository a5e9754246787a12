namespace Cinnabar.Lua;

/// <summary>
/// A host function: arguments arrive as a span over the interpreter's argument stack (no array or boxing per
/// call); results are written with <see cref="CallContext.Return(LuaValue)"/> and friends, and the function
/// returns how many it wrote.
/// </summary>
public delegate int HostFunction(CallContext cx, ReadOnlySpan<LuaValue> args);

public abstract class LuaFunction
{
    public abstract string DebugName { get; }
}

public sealed class HostFunctionValue : LuaFunction
{
    public readonly string Name;
    public readonly HostFunction Fn;
    public HostFunctionValue(string name, HostFunction fn) { Name = name; Fn = fn; }
    public override string DebugName => Name;
}
