namespace Cinnabar.Config;

public enum ConfigKind { Bool, Integer, Memory, String, Enum, Special }

/// <summary>
/// One configuration directive: its names, kind, default and validation. The registry drives the conf
/// file, the command line, CONFIG GET/SET/REWRITE and INFO from these entries alone.
/// </summary>
public sealed class ConfigEntry
{
    public required string Name { get; init; }
    public string[] Aliases { get; init; } = [];
    public required ConfigKind Kind { get; init; }
    public required string Default { get; init; }
    /// <summary>False for directives only settable at startup (CONFIG SET answers "can't set immutable config").</summary>
    public bool Mutable { get; init; } = true;
    public long Min { get; init; } = long.MinValue;
    public long Max { get; init; } = long.MaxValue;
    public string[] EnumValues { get; init; } = [];
    /// <summary>Validates and normalizes a value: returns the canonical text, or null with an error message.</summary>
    public Func<string, (string? Value, string? Error)>? Normalize { get; init; }
    /// <summary>Called after the value changed, to update the typed fields the server reads on hot paths.</summary>
    public Action<ServerConfig, string>? Apply { get; init; }
    /// <summary>Sensitive values (requirepass) are not written to logs.</summary>
    public bool Sensitive { get; init; }

    public string Value { get; set; } = "";
}
