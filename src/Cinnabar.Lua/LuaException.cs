namespace Cinnabar.Lua;

/// <summary>A Lua error in flight: carries the error value (any Lua value, usually a message string).</summary>
public class LuaException : Exception
{
    public LuaValue Value { get; internal set; }
    /// <summary>True while the message still needs the "chunk:line:" of the Lua code that raised it.</summary>
    internal bool AddPosition;
    /// <summary>Set when the error came from the hook or the memory limit: pcall does not catch it.</summary>
    public bool Uncatchable { get; internal set; }
    internal string? Traceback;

    public LuaException(LuaValue value) : base(null) { Value = value; }
    public LuaException(string message, bool addPosition = false) : base(null)
    {
        Value = LuaValue.String(message);
        AddPosition = addPosition;
    }

    public override string Message => Value.O switch
    {
        LuaString s => s.ToString(),
        null => "nil",
        _ => Value.IsNumber ? NumberFormat.Format(Value.N) : "(error object is a " + Value.TypeName + " value)",
    };
}

/// <summary>A compile error: message already in 5.1's form ("[string \"...\"]:1: ... near '...'").</summary>
public sealed class LuaSyntaxException : LuaException
{
    public LuaSyntaxException(string message) : base(message) { }
}

/// <summary>Counts bytes allocated by a state's tables and strings against its limit.</summary>
public sealed class MemoryAccount
{
    public long Used;
    public long Limit = long.MaxValue;
    public void Charge(long bytes)
    {
        Used += bytes;
        if (Used > Limit && bytes > 0)
        {
            Used = Limit; // leave room for the error handling itself
            throw new LuaException("not enough memory") { Uncatchable = true };
        }
    }
}
