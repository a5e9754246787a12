using System.Reflection;
using System.Text.Json;

namespace Cinnabar.Commands;

/// <summary>
/// The command table: every command of the embedded Redis 7.2 reference, each with the handler found by
/// <see cref="RedisCommandAttribute"/>. Commands without a handler are not listed and answer as unknown.
/// Built once per process; lookups by the raw argument bytes allocate nothing.
/// </summary>
public sealed class CommandTable
{
    private readonly Dictionary<string, CommandDef> _commands = new(StringComparer.OrdinalIgnoreCase);
    private CommandNameIndex _byName = null!;

    public static CommandTable Shared { get; } = Build();

    /// <summary>Implemented top-level commands.</summary>
    public IEnumerable<CommandDef> Commands => _commands.Values;

    /// <summary>Every entry of the reference, implemented or not (for the compatibility report).</summary>
    public IReadOnlyList<CommandDef> Reference { get; private set; } = [];

    /// <summary>How many commands and subcommands have a <see cref="CommandDef.Index"/> (0 .. IndexCount-1).</summary>
    public int IndexCount { get; private set; }

    public CommandDef? Find(ReadOnlySpan<byte> name) => _byName.Find(name);

    public CommandDef? Find(string name) => _commands.TryGetValue(name, out var def) ? def : null;

    /// <summary>
    /// Finds "get" or "config|get", as Redis's lookupCommandBySds (COMMAND INFO/DOCS, LATENCY HISTOGRAM): one
    /// level of subcommand only, and a name with a bar finds nothing under a command without subcommands.
    /// </summary>
    public CommandDef? FindByFullName(string name)
    {
        int bar = name.IndexOf('|');
        if (bar < 0) return Find(name);
        var parent = Find(name[..bar]);
        if (parent?.Subcommands == null) return null;
        return parent.Subcommands.GetValueOrDefault(name[(bar + 1)..]);
    }

    private static CommandTable Build()
    {
        var handlers = DiscoverHandlers();
        using var stream = typeof(CommandTable).Assembly.GetManifestResourceStream("Cinnabar.commands.json")
            ?? throw new InvalidOperationException("commands.json resource missing");
        using var doc = JsonDocument.Parse(stream);
        var table = new CommandTable();
        var all = new Dictionary<string, CommandDef>(StringComparer.OrdinalIgnoreCase);
        // Containers first, so subcommands can find their parent.
        var entries = doc.RootElement.EnumerateObject().OrderBy(p => p.Name.Contains(' ') ? 1 : 0).ToList();
        foreach (var p in entries)
        {
            var v = p.Value;
            CommandDef? parent = null;
            if (v.TryGetProperty("container", out var container)) parent = all[container.GetString()!];
            var def = Parse(p.Name, v.Clone(), parent);
            if (handlers.TryGetValue(p.Name, out var h)) def.Handler = h;
            all[p.Name] = def;
            if (parent != null)
            {
                parent.Subcommands ??= new Dictionary<string, CommandDef>(StringComparer.OrdinalIgnoreCase);
                parent.Subcommands[p.Name[(p.Name.IndexOf(' ') + 1)..]] = def;
            }
        }
        foreach (var name in handlers.Keys)
            if (!all.ContainsKey(name)) throw new InvalidOperationException($"handler for '{name}', which the reference does not list");
        // Keep only implemented subcommands, and containers with at least one.
        foreach (var def in all.Values.Where(d => d.Parent == null))
        {
            if (def.Subcommands != null)
            {
                foreach (var sub in def.Subcommands.Where(s => s.Value.Handler == null).Select(s => s.Key).ToList())
                    def.Subcommands.Remove(sub);
                if (def.Subcommands.Count == 0) def.Subcommands = null;
            }
            if (def.Handler != null || def.Subcommands != null) table._commands[def.Name] = def;
        }
        // Dense indexes for the dispatchable entries, in a stable order (per-server statistics arrays use them).
        int index = 0;
        foreach (var def in table._commands.Values.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            def.Index = index++;
            if (def.Subcommands == null) continue;
            foreach (var sub in def.Subcommands.Values.OrderBy(d => d.Name, StringComparer.Ordinal)) sub.Index = index++;
        }
        table.IndexCount = index;
        table._byName = new CommandNameIndex(table._commands.Values);
        table.Reference = all.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        return table;
    }

    private static CommandDef Parse(string name, JsonElement v, CommandDef? parent)
    {
        var flagNames = v.TryGetProperty("command_flags", out var f) ? f.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
        var flags = CommandFlags.None;
        foreach (var fn in flagNames)
            flags |= Enum.Parse<CommandFlags>(fn.Replace("_", ""), ignoreCase: true);
        var specs = new List<KeySpec>();
        if (v.TryGetProperty("key_specs", out var ks))
        {
            foreach (var s in ks.EnumerateArray())
            {
                var bs = s.GetProperty("begin_search");
                var fk = s.GetProperty("find_keys");
                string beginKind = bs.EnumerateObject().First().Name;
                string findKind = fk.EnumerateObject().First().Name;
                int index = 0, startFrom = 0, lastKey = 0, keyStep = 1, limit = 0, keyNumIdx = 0, firstKey = 0;
                string? keyword = null;
                if (beginKind == "index") index = bs.GetProperty("index").GetProperty("pos").GetInt32();
                else if (beginKind == "keyword")
                {
                    keyword = bs.GetProperty("keyword").GetProperty("keyword").GetString();
                    startFrom = bs.GetProperty("keyword").GetProperty("startfrom").GetInt32();
                }
                if (findKind == "range")
                {
                    var r = fk.GetProperty("range");
                    lastKey = r.GetProperty("lastkey").GetInt32();
                    keyStep = r.GetProperty("step").GetInt32();
                    limit = r.GetProperty("limit").GetInt32();
                }
                else if (findKind == "keynum")
                {
                    var r = fk.GetProperty("keynum");
                    keyNumIdx = r.GetProperty("keynumidx").GetInt32();
                    firstKey = r.GetProperty("firstkey").GetInt32();
                    keyStep = r.GetProperty("step").GetInt32();
                }
                if (beginKind == "keyword" || findKind == "keynum") flags |= CommandFlags.MovableKeys;
                var sf = s.TryGetProperty("flags", out var sfl) ? sfl.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
                specs.Add(new KeySpec(beginKind, index, keyword, startFrom, findKind, lastKey, keyStep, limit, keyNumIdx, firstKey, sf));
            }
        }
        return new CommandDef
        {
            Name = name,
            DisplayName = name.ToLowerInvariant().Replace(' ', '|'),
            Arity = v.GetProperty("arity").GetInt32(),
            Flags = flags,
            FlagNames = flagNames,
            AclCategories = v.TryGetProperty("acl_categories", out var a) ? a.EnumerateArray().Select(x => x.GetString()!).ToArray() : [],
            KeySpecs = specs.ToArray(),
            Group = v.TryGetProperty("group", out var g) ? g.GetString()! : "",
            Since = v.TryGetProperty("since", out var si) ? si.GetString()! : "",
            Metadata = v,
            Parent = parent,
        };
    }

    private static Dictionary<string, CommandHandler> DiscoverHandlers()
    {
        var result = new Dictionary<string, CommandHandler>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in typeof(CommandTable).Assembly.GetTypes())
        {
            foreach (var m in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                foreach (var attr in m.GetCustomAttributes<RedisCommandAttribute>())
                {
                    var handler = m.CreateDelegate<CommandHandler>();
                    if (!result.TryAdd(attr.Name, handler))
                        throw new InvalidOperationException($"two handlers for '{attr.Name}'");
                }
            }
        }
        return result;
    }
}
