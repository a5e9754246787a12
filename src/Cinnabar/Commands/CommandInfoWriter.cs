using System.Text.Json;
using Cinnabar.Protocol;

namespace Cinnabar.Commands;

/// <summary>
/// The reply shapes of COMMAND INFO and COMMAND DOCS, built from a <see cref="CommandDef"/> the way Redis 7.0
/// builds them from its command table: flag names and their order, the implicit ACL categories, the legacy
/// first/last/step key range, key specs, tips and subcommands.
/// </summary>
public static class CommandInfoWriter
{
    // Redis's order of command flags in COMMAND INFO; may_replicate, sentinel, only_sentinel and protected are hidden.
    private static readonly (CommandFlags Flag, string Name)[] FlagOrder =
    [
        (CommandFlags.Write, "write"), (CommandFlags.ReadOnly, "readonly"), (CommandFlags.DenyOom, "denyoom"),
        (CommandFlags.Admin, "admin"), (CommandFlags.PubSub, "pubsub"), (CommandFlags.NoScript, "noscript"),
        (CommandFlags.Blocking, "blocking"), (CommandFlags.Loading, "loading"), (CommandFlags.Stale, "stale"),
        (CommandFlags.SkipMonitor, "skip_monitor"), (CommandFlags.SkipSlowlog, "skip_slowlog"),
        (CommandFlags.Asking, "asking"), (CommandFlags.Fast, "fast"), (CommandFlags.NoAuth, "no_auth"),
        (CommandFlags.NoMandatoryKeys, "no_mandatory_keys"), (CommandFlags.NoAsyncLoading, "no_async_loading"),
        (CommandFlags.NoMulti, "no_multi"), (CommandFlags.MovableKeys, "movablekeys"), (CommandFlags.AllowBusy, "allow_busy"),
    ];

    /// <summary>Redis's ACL categories, in the order it lists them.</summary>
    public static readonly string[] AclCategoryOrder =
    [
        "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap", "hyperloglog", "geo",
        "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection", "transaction", "scripting",
    ];

    // Key-spec flags in Redis's order; the access-type ones are upper case, the rest lower case.
    private static readonly string[] KeySpecFlagOrder =
        ["RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete", "variable_flags"];

    /// <summary>The categories of a command: its own plus those Redis adds from its flags (@write, @read, @fast or @slow …).</summary>
    public static List<string> AclCategories(CommandDef def)
    {
        var set = new HashSet<string>(def.AclCategories.Select(c => c.ToLowerInvariant()));
        var f = def.Flags;
        if ((f & CommandFlags.Write) != 0) set.Add("write");
        // Scripting commands are left out of @read, as Redis does.
        if ((f & CommandFlags.ReadOnly) != 0 && !set.Contains("scripting")) set.Add("read");
        if ((f & CommandFlags.Admin) != 0) { set.Add("admin"); set.Add("dangerous"); }
        if ((f & CommandFlags.PubSub) != 0) set.Add("pubsub");
        if ((f & CommandFlags.Fast) != 0) set.Add("fast");
        if ((f & CommandFlags.Blocking) != 0) set.Add("blocking");
        if (!set.Contains("fast")) set.Add("slow");
        return AclCategoryOrder.Where(set.Contains).ToList();
    }

    private static bool IsPlainRange(KeySpec s) => s.BeginKind == "index" && s.FindKind == "range";

    /// <summary>
    /// The legacy (first key, last key, step) triple of COMMAND INFO, and whether the keys are "movable"
    /// (not describable by that triple), computed from the key specs as Redis does.
    /// </summary>
    public static (int First, int Last, int Step, bool Movable) LegacyRange(CommandDef def)
    {
        var specs = def.KeySpecs;
        if (specs.Length == 0) return (0, 0, 0, false);
        if (specs.Length == 1 && IsPlainRange(specs[0]))
        {
            var s = specs[0];
            int last = s.LastKey >= 0 ? s.Index + s.LastKey : s.LastKey;
            return (s.Index, last, s.KeyStep, s.Flags.Contains("INCOMPLETE"));
        }
        int firstKey = int.MaxValue, lastKey = 0, prevLast = 0;
        bool movable = false;
        foreach (var s in specs)
        {
            if (!IsPlainRange(s) || s.KeyStep != 1 || (prevLast != 0 && prevLast != s.Index - 1))
            {
                movable = true;
                continue;
            }
            if (s.Flags.Contains("INCOMPLETE")) movable = true;
            firstKey = Math.Min(firstKey, s.Index);
            int lastAbs = s.LastKey >= 0 ? s.LastKey + s.Index : s.LastKey;
            // Unsigned comparison, so a negative (relative to the end) last key wins, as in Redis.
            lastKey = (int)Math.Max((uint)lastKey, (uint)lastAbs);
            prevLast = lastKey;
        }
        if (firstKey == int.MaxValue) return (0, 0, 0, true);
        return (firstKey, lastKey, 1, movable);
    }

    /// <summary>One COMMAND INFO entry: name, arity, flags, first, last, step, categories, tips, key specs, subcommands.</summary>
    public static void WriteInfo(RespWriter w, CommandDef def)
    {
        var (first, last, step, movable) = LegacyRange(def);
        w.WriteArrayHeader(10);
        w.WriteBulk(def.DisplayName);
        w.WriteInteger(def.Arity);
        var flags = def.Flags & ~CommandFlags.MovableKeys;
        if (movable) flags |= CommandFlags.MovableKeys;
        var names = FlagOrder.Where(x => (flags & x.Flag) != 0).ToList();
        w.WriteSetHeader(names.Count);
        foreach (var (_, name) in names) w.WriteSimpleString(name);
        w.WriteInteger(first);
        w.WriteInteger(last);
        w.WriteInteger(step);
        var categories = AclCategories(def);
        w.WriteSetHeader(categories.Count);
        foreach (var c in categories) w.WriteSimpleString("@" + c);
        var tips = CommandDocsSupplement.Tips(def.DisplayName);
        w.WriteSetHeader(tips.Length);
        foreach (var t in tips) w.WriteBulk(t);
        WriteKeySpecs(w, def);
        if (def.Subcommands == null) w.WriteSetHeader(0);
        else
        {
            var subs = SortedSubcommands(def);
            w.WriteArrayHeader(subs.Count);
            foreach (var sub in subs) WriteInfo(w, sub);
        }
    }

    public static List<CommandDef> SortedSubcommands(CommandDef def) =>
        def.Subcommands == null ? [] : def.Subcommands.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    /// <summary>Key-spec flags as Redis prints them: RO/RW/OW/RM upper case, the rest lower case, in its order.</summary>
    public static List<string> KeySpecFlagNames(IEnumerable<string> flags)
    {
        var set = new HashSet<string>(flags, StringComparer.OrdinalIgnoreCase);
        return KeySpecFlagOrder.Where(set.Contains).ToList();
    }

    private static void WriteKeySpecs(RespWriter w, CommandDef def)
    {
        var notes = CommandDocsSupplement.KeySpecNotes(def.DisplayName);
        if (notes != null && notes.Length != def.KeySpecs.Length) notes = null;
        w.WriteSetHeader(def.KeySpecs.Length);
        for (int i = 0; i < def.KeySpecs.Length; i++)
        {
            var s = def.KeySpecs[i];
            bool hasNote = notes != null && notes[i].Length > 0;
            w.WriteMapHeader(hasNote ? 4 : 3);
            if (hasNote)
            {
                w.WriteBulk("notes");
                w.WriteBulk(notes![i]);
            }
            w.WriteBulk("flags");
            var flags = KeySpecFlagNames(s.Flags);
            w.WriteSetHeader(flags.Count);
            foreach (var f in flags) w.WriteSimpleString(f);

            WriteSearchHead(w, "begin_search", s.BeginKind);
            switch (s.BeginKind)
            {
                case "index":
                    WriteIntegerMap(w, ("index", s.Index));
                    break;
                case "keyword":
                    w.WriteMapHeader(2);
                    w.WriteBulk("keyword");
                    w.WriteBulk(s.Keyword ?? "");
                    w.WriteBulk("startfrom");
                    w.WriteInteger(s.StartFrom);
                    break;
                default:
                    w.WriteMapHeader(0);
                    break;
            }

            WriteSearchHead(w, "find_keys", s.FindKind);
            switch (s.FindKind)
            {
                case "range":
                    WriteIntegerMap(w, ("lastkey", s.LastKey), ("keystep", s.KeyStep), ("limit", s.Limit));
                    break;
                case "keynum":
                    WriteIntegerMap(w, ("keynumidx", s.KeyNumIndex), ("firstkey", s.FirstKey), ("keystep", s.KeyStep));
                    break;
                default:
                    w.WriteMapHeader(0);
                    break;
            }
        }
    }

    /// <summary>The start of a begin_search / find_keys entry: its type, then the "spec" key whose map follows.</summary>
    private static void WriteSearchHead(RespWriter w, string name, string kind)
    {
        w.WriteBulk(name);
        w.WriteMapHeader(2);
        w.WriteBulk("type");
        w.WriteBulk(kind);
        w.WriteBulk("spec");
    }

    /// <summary>A map of named integers, as the key-spec "spec" maps are.</summary>
    private static void WriteIntegerMap(RespWriter w, params ReadOnlySpan<(string Name, long Value)> fields)
    {
        w.WriteMapHeader(fields.Length);
        foreach (var (name, value) in fields)
        {
            w.WriteBulk(name);
            w.WriteInteger(value);
        }
    }

    // ---- COMMAND DOCS -----------------------------------------------------------------------------

    /// <summary>The COMMAND DOCS map of a command: the oracle's documentation when known, else what the reference holds.</summary>
    public static void WriteDocs(RespWriter w, CommandDef def)
    {
        var docs = CommandDocsSupplement.Docs(def.DisplayName);
        var fields = docs.HasValue
            ? docs.Value.EnumerateObject().Where(p => p.Name != "subcommands").ToList()
            : GeneratedDocFields(def);
        bool hasSubs = def.Subcommands != null;
        w.WriteMapHeader(fields.Count + (hasSubs ? 1 : 0));
        foreach (var p in fields)
        {
            w.WriteBulk(p.Name);
            WriteDocValue(w, p.Name, p.Value);
        }
        if (hasSubs)
        {
            w.WriteBulk("subcommands");
            var subs = SortedSubcommands(def);
            w.WriteMapHeader(subs.Count);
            foreach (var sub in subs)
            {
                w.WriteBulk(sub.DisplayName);
                WriteDocs(w, sub);
            }
        }
    }

    /// <summary>Doc fields from the reference alone (commands newer than the oracle): since, group, flags, arguments.</summary>
    private static List<JsonProperty> GeneratedDocFields(CommandDef def)
    {
        var m = def.Metadata;
        var obj = new Dictionary<string, object>();
        obj["since"] = def.Since;
        obj["group"] = def.Group.Replace('_', '-');
        if (m.TryGetProperty("doc_flags", out var df)) obj["doc_flags"] = df.EnumerateArray().Select(x => x.GetString()!.ToLowerInvariant()).ToArray();
        if (m.TryGetProperty("deprecated_since", out var ds)) obj["deprecated_since"] = ds.GetString()!;
        if (m.TryGetProperty("replaced_by", out var rb)) obj["replaced_by"] = rb.GetString()!;
        if (m.TryGetProperty("arguments", out var args)) obj["arguments"] = args.EnumerateArray().Select(GeneratedArgument).ToArray();
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(obj));
        return doc.RootElement.Clone().EnumerateObject().ToList();
    }

    private static Dictionary<string, object> GeneratedArgument(JsonElement a)
    {
        var arg = new Dictionary<string, object>
        {
            ["name"] = a.GetProperty("name").GetString()!,
            ["type"] = a.GetProperty("type").GetString()!,
        };
        if (a.TryGetProperty("key_spec_index", out var ksi)) arg["key_spec_index"] = ksi.GetInt32();
        if (a.TryGetProperty("token", out var token)) arg["token"] = token.GetString()!;
        var flags = new List<string>();
        if (a.TryGetProperty("optional", out var o) && o.GetBoolean()) flags.Add("optional");
        if (a.TryGetProperty("multiple", out var mu) && mu.GetBoolean()) flags.Add("multiple");
        if (a.TryGetProperty("multiple_token", out var mt) && mt.GetBoolean()) flags.Add("multiple_token");
        if (flags.Count > 0) arg["flags"] = flags;
        if (a.TryGetProperty("arguments", out var nested)) arg["arguments"] = nested.EnumerateArray().Select(GeneratedArgument).ToArray();
        return arg;
    }

    /// <summary>Writes a docs value; Redis sends flags as sets of simple strings and history as a set.</summary>
    private static void WriteDocValue(RespWriter w, string key, JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.String:
                w.WriteBulk(v.GetString()!);
                break;
            case JsonValueKind.Number:
                w.WriteInteger(v.GetInt64());
                break;
            case JsonValueKind.Array when key is "flags" or "doc_flags":
                w.WriteSetHeader(v.GetArrayLength());
                foreach (var x in v.EnumerateArray()) w.WriteSimpleString(x.GetString()!);
                break;
            case JsonValueKind.Array:
                if (key == "history") w.WriteSetHeader(v.GetArrayLength());
                else w.WriteArrayHeader(v.GetArrayLength());
                foreach (var x in v.EnumerateArray()) WriteDocValue(w, "", x);
                break;
            case JsonValueKind.Object:
                w.WriteMapHeader(v.EnumerateObject().Count());
                foreach (var p in v.EnumerateObject())
                {
                    w.WriteBulk(p.Name);
                    WriteDocValue(w, p.Name, p.Value);
                }
                break;
            default:
                w.WriteNull();
                break;
        }
    }
}
