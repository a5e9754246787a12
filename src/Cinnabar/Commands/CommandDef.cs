using System.Text.Json;

namespace Cinnabar.Commands;

[Flags]
public enum CommandFlags : long
{
    None = 0,
    Write = 1 << 0,
    ReadOnly = 1 << 1,
    DenyOom = 1 << 2,
    Admin = 1 << 3,
    PubSub = 1 << 4,
    NoScript = 1 << 5,
    Blocking = 1 << 6,
    Loading = 1 << 7,
    Stale = 1 << 8,
    SkipMonitor = 1 << 9,
    SkipSlowlog = 1 << 10,
    Asking = 1 << 11,
    Fast = 1 << 12,
    NoAuth = 1 << 13,
    MayReplicate = 1 << 14,
    Sentinel = 1 << 15,
    OnlySentinel = 1 << 16,
    NoMandatoryKeys = 1 << 17,
    Protected = 1 << 18,
    NoAsyncLoading = 1 << 19,
    NoMulti = 1 << 20,
    AllowBusy = 1 << 21,
    TouchesArbitraryKeys = 1 << 22,
    /// <summary>Derived: the key positions depend on arguments (keyword or keynum key specs).</summary>
    MovableKeys = 1 << 23,
}

/// <summary>How to find keys in a command's arguments (Redis's key_specs: begin_search + find_keys).</summary>
public sealed record KeySpec(
    string BeginKind, int Index, string? Keyword, int StartFrom,
    string FindKind, int LastKey, int KeyStep, int Limit, int KeyNumIndex, int FirstKey,
    string[] Flags);

/// <summary>One command or subcommand: its metadata (from the Redis 7.2 reference) and its handler.</summary>
public sealed class CommandDef
{
    public required string Name { get; init; }           // "GET", "CONFIG GET"
    public required string DisplayName { get; init; }    // "get", "config|get" as in errors and INFO
    public required int Arity { get; init; }
    public required CommandFlags Flags { get; init; }
    public required string[] FlagNames { get; init; }
    public required string[] AclCategories { get; init; }
    public required KeySpec[] KeySpecs { get; init; }
    public required string Group { get; init; }
    public required string Since { get; init; }
    public required JsonElement Metadata { get; init; }
    public CommandDef? Parent { get; init; }
    public Dictionary<string, CommandDef>? Subcommands { get; set; }
    public CommandHandler? Handler { get; set; }

    /// <summary>
    /// Dense position of an implemented command or subcommand in its table, assigned when the table is built
    /// (-1 for reference entries without a handler): indexes each server's per-command statistics.
    /// </summary>
    public int Index { get; internal set; } = -1;

    public bool IsWrite => (Flags & CommandFlags.Write) != 0;
    public bool HasHandler => Handler != null || Subcommands?.Values.Any(s => s.HasHandler) == true;

    public CommandDef? FindSubcommand(ReadOnlySpan<byte> name)
    {
        if (Subcommands == null || name.Length > 64) return null;
        Span<char> chars = stackalloc char[name.Length];
        for (int i = 0; i < name.Length; i++) chars[i] = (char)name[i];
        return Subcommands.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out var sub) ? sub : null;
    }

    /// <summary>The positions of the key arguments in <paramref name="argc"/> arguments read by <paramref name="arg"/>.</summary>
    public List<int> KeyPositions(int argc, Func<int, ReadOnlySpan<byte>> arg)
    {
        var result = new List<int>();
        foreach (var spec in KeySpecs)
        {
            int first;
            if (spec.BeginKind == "index") first = spec.Index;
            else if (spec.BeginKind == "keyword")
            {
                first = -1;
                int from = spec.StartFrom;
                int start = from >= 0 ? from : argc + from;
                int step = from >= 0 ? 1 : -1;
                for (int i = start; i > 0 && i < argc; i += step)
                {
                    if (System.Text.Ascii.EqualsIgnoreCase(arg(i), System.Text.Encoding.ASCII.GetBytes(spec.Keyword!)))
                    {
                        first = i + 1;
                        break;
                    }
                }
                if (first < 0) continue;
            }
            else continue;
            if (first >= argc) continue;
            if (spec.FindKind == "range")
            {
                int last;
                if (spec.LastKey >= 0) last = first + spec.LastKey;
                else if (spec.LastKey == -1 && spec.Limit > 1) last = first + (argc - first) / spec.Limit - 1;
                else last = argc + spec.LastKey;
                for (int i = first; i <= last && i < argc; i += Math.Max(1, spec.KeyStep)) result.Add(i);
            }
            else if (spec.FindKind == "keynum")
            {
                int numIdx = first + spec.KeyNumIndex;
                if (numIdx >= argc || !Protocol.RespParser.TryParseLong(arg(numIdx), out long n) || n < 0) continue;
                int k0 = first + spec.FirstKey;
                for (long j = 0; j < n && k0 + j * spec.KeyStep < argc; j++) result.Add(k0 + (int)j * spec.KeyStep);
            }
        }
        return result;
    }
}

public delegate void CommandHandler(CommandContext ctx);

/// <summary>Marks a static method <c>static void X(CommandContext ctx)</c> as the handler of a command ("GET", "CONFIG GET").</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RedisCommandAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
