namespace Cinnabar.Config;

public enum ConfigKind { Bool, Integer, Memory, String, Enum, Special }

/// <summary>How far Cinnabar honours a directive (docs/COMPATIBILITY.md's directives table).</summary>
public enum DirectiveSupport
{
    /// <summary>Does what it does in Redis.</summary>
    Honoured,
    /// <summary>Its feature is missing: values other than those that work without it are refused.</summary>
    Refused,
    /// <summary>Accepted and reported; what it tunes does not exist in Cinnabar by design (jemalloc, fork...).</summary>
    NotApplicable,
}

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
    /// <summary>Protected directives (dir, dbfilename) refuse CONFIG SET unless enable-protected-configs allows it.</summary>
    public bool Protected { get; init; }
    /// <summary>Takes several words (save, bind, client-output-buffer-limit): in a conf line they are joined by spaces.</summary>
    public bool MultiArg { get; init; }
    /// <summary>Memory directives that also take a percentage ("10%"), kept as a negative number as Redis does.</summary>
    public bool Percent { get; init; }
    public long Min { get; init; } = long.MinValue;
    public long Max { get; init; } = long.MaxValue;
    public string[] EnumValues { get; init; } = [];
    /// <summary>Validates and normalizes a value: returns the canonical text, or null with an error message.</summary>
    public Func<string, (string? Value, string? Error)>? Normalize { get; init; }
    /// <summary>Like <see cref="Normalize"/> for values merged into the current one (client-output-buffer-limit).</summary>
    public Func<string, string, (string? Value, string? Error)>? Merge { get; init; }
    /// <summary>Called after the value changed, to update the typed fields the server reads on hot paths.</summary>
    public Action<ServerConfig, string>? Apply { get; init; }
    /// <summary>Sensitive values (requirepass) are not written to logs.</summary>
    public bool Sensitive { get; init; }
    /// <summary>How CONFIG REWRITE writes the value: quoted like Redis's string directives, or bare words.</summary>
    public bool QuoteOnRewrite => Kind == ConfigKind.String;

    public string Value { get; set; } = "";

    /// <summary>
    /// How CONFIG GET and CONFIG REWRITE print <see cref="Value"/> when Redis prints less than it keeps
    /// (notify-keyspace-events hides 'n' behind 'A'); null when they print the value itself.
    /// </summary>
    public Func<string, string>? Show { get; init; }

    /// <summary>The value as CONFIG GET shows it.</summary>
    public string Shown => Show?.Invoke(Value) ?? Value;

    /// <summary>The default as CONFIG GET shows it.</summary>
    public string NormalizedDefault { get; set; } = "";

    public DirectiveSupport Support { get; set; } = DirectiveSupport.Honoured;
    /// <summary>For <see cref="DirectiveSupport.Refused"/>: the missing feature, named in the refusal ("AOF persistence").</summary>
    public string? MissingFeature { get; set; }
    /// <summary>The issue that brings the missing feature, when one is planned.</summary>
    public int? Issue { get; set; }
    /// <summary>Values that work without the missing feature; by default only the default value.</summary>
    public Func<string, bool>? WorksWithout { get; set; }
    /// <summary>Why a directive is not applicable, or what is partial about one honoured.</summary>
    public string? Note { get; set; }

    /// <summary>The refusal of a normalized value this build cannot honour, or null.</summary>
    public string? Refusal(string value)
    {
        if (Support != DirectiveSupport.Refused) return null;
        bool works = WorksWithout?.Invoke(value) ?? value == NormalizedDefault;
        return works ? null : $"'{Name} {value}' needs {MissingFeature}, which Cinnabar does not support yet";
    }
}
