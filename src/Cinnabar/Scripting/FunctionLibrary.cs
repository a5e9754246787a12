using System.Text;
using Cinnabar.Lua;

namespace Cinnabar.Scripting;

/// <summary>A function registered by a library (Redis's functionInfo): its callback in the functions Lua state.</summary>
public sealed class LibraryFunction(string name, byte[]? description, ScriptFlags flags, LuaFunction callback, FunctionLibrary library)
{
    public string Name { get; } = name;
    public byte[]? Description { get; } = description;
    public ScriptFlags Flags { get; } = flags;
    public LuaFunction Callback { get; } = callback;
    public FunctionLibrary Library { get; } = library;
}

/// <summary>A library loaded by FUNCTION LOAD or RESTORE (Redis's functionLibInfo): its name, code and functions.</summary>
public sealed class FunctionLibrary(string name, byte[] code)
{
    public const string EngineName = "LUA";

    public string Name { get; } = name;
    /// <summary>The whole code as loaded, shebang included (what LIST WITHCODE and DUMP give back).</summary>
    public byte[] Code { get; } = code;
    /// <summary>Functions in registration order.</summary>
    public Dictionary<string, LibraryFunction> Functions { get; } = new(StringComparer.Ordinal);

    /// <summary>Redis's functionsVerifyName: letters, digits and underscores, at least one.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length == 0) return false;
        foreach (char c in name)
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        return true;
    }

    /// <summary>
    /// Redis's functionExtractLibMetaData: the `#!&lt;engine&gt; name=&lt;lib&gt;` first line. On success the
    /// engine, library name and the code after the shebang (from its newline on, so line numbers stay the
    /// user's); else Redis's error text (without "ERR ").
    /// </summary>
    public static string? ParseMetadata(ReadOnlySpan<byte> code, out string engine, out string name, out int bodyStart)
    {
        engine = name = "";
        bodyStart = 0;
        if (!code.StartsWith("#!"u8)) return "Missing library metadata";
        int newline = code.IndexOf((byte)'\n');
        // Redis reads the code as a C string: a NUL ends it before any newline after it.
        int nul = code.IndexOf((byte)0);
        if (newline < 0 || (nul >= 0 && nul < newline)) return "Invalid library metadata";
        var parts = ShebangParser.SplitArgs(Encoding.Latin1.GetString(code[..newline]));
        if (parts.Count == 0) return "Invalid library metadata";
        engine = parts[0][2..];
        string? found = null;
        for (int i = 1; i < parts.Count; i++)
        {
            if (parts[i].StartsWith("name=", StringComparison.OrdinalIgnoreCase))
            {
                if (found != null) return "Invalid metadata value, name argument was given multiple times";
                found = parts[i][5..];
                continue;
            }
            return "Invalid metadata value given: " + parts[i];
        }
        if (found == null) return "Library name was not given";
        name = found;
        bodyStart = newline;
        return null;
    }
}
