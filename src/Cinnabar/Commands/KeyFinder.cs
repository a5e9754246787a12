using System.Text;

namespace Cinnabar.Commands;

/// <summary>
/// Finds the key arguments of a command as Redis's getKeysFromCommandWithSpecs: from the key specs, unless
/// their flags depend on the arguments (VARIABLE_FLAGS) or they cannot describe the arguments given, in which
/// case the command's own key-finding procedure decides, for the commands that have one.
/// </summary>
public static class KeyFinder
{
    private static readonly string[] ReadAccess = ["RO", "ACCESS"];
    private static readonly string[] OverwriteUpdate = ["OW", "UPDATE"];
    private static readonly string[] ReadWriteUpdate = ["RW", "ACCESS", "UPDATE"];
    private static readonly string[] ReadWriteDelete = ["RW", "ACCESS", "DELETE"];

    /// <summary>
    /// The key positions (in <paramref name="argc"/> arguments, 0 = the command name) with each key's flags,
    /// or null when the arguments do not fit (an incomplete spec, a bad key count, a key out of range).
    /// </summary>
    public static List<(int Pos, string[] Flags)>? Find(CommandDef def, int argc, Func<int, ReadOnlySpan<byte>> arg)
    {
        bool variableFlags = def.KeySpecs.Any(s => s.Flags.Contains("VARIABLE_FLAGS"));
        if (!variableFlags)
        {
            var keys = FromSpecs(def, argc, arg);
            if (keys != null) return keys;
        }
        var found = def.Name switch
        {
            "SET" => SetKeys(argc, arg),
            "BITFIELD" => BitfieldKeys(argc, arg),
            "SORT" => SortKeys(argc, arg),
            "SORT_RO" => [(1, ReadAccess)],
            "MIGRATE" => MigrateKeys(argc, arg),
            _ => null,
        };
        return found is { Count: > 0 } ? found : null;
    }

    /// <summary>Redis's getKeysUsingKeySpecs; null for an invalid or undescribable ("unknown") spec.</summary>
    public static List<(int Pos, string[] Flags)>? FromSpecs(CommandDef def, int argc, Func<int, ReadOnlySpan<byte>> arg)
    {
        var result = new List<(int, string[])>();
        foreach (var spec in def.KeySpecs)
        {
            if (spec.Flags.Contains("NOT_KEY")) continue;
            int first = 0;
            if (spec.BeginKind == "index") first = spec.Index;
            else if (spec.BeginKind == "keyword")
            {
                var keyword = Encoding.ASCII.GetBytes(spec.Keyword ?? "");
                int start = spec.StartFrom > 0 ? spec.StartFrom : argc + spec.StartFrom;
                int end = spec.StartFrom > 0 ? argc - 1 : 0;
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1)
                {
                    if (i >= argc || i < 1) break;
                    if (Ascii.EqualsIgnoreCase(arg(i), keyword))
                    {
                        first = i + 1;
                        break;
                    }
                }
                if (first == 0) continue;
            }
            else return null;

            int last, step;
            if (spec.FindKind == "range")
            {
                step = spec.KeyStep;
                if (spec.LastKey >= 0) last = first + spec.LastKey;
                else if (spec.Limit == 0) last = argc + spec.LastKey;
                else last = first + ((argc - first) / spec.Limit + spec.LastKey);
            }
            else if (spec.FindKind == "keynum")
            {
                step = spec.KeyStep;
                int numIndex = first + spec.KeyNumIndex;
                if (numIndex >= argc || !Protocol.RespParser.TryParseLong(arg(numIndex), out long numKeys) || numKeys < 0) return null;
                first += spec.FirstKey;
                last = first + (int)Math.Min(numKeys, int.MaxValue / 2) - 1;
            }
            else return null;

            if (last >= argc || last < first || first >= argc) return null;
            for (int i = first; i <= last; i += Math.Max(step, 1)) result.Add((i, spec.Flags));
            if (spec.Flags.Contains("INCOMPLETE")) return null;
        }
        return result;
    }

    /// <summary>SET: RW when GET returns the old value, else a plain overwrite.</summary>
    private static List<(int, string[])> SetKeys(int argc, Func<int, ReadOnlySpan<byte>> arg)
    {
        for (int i = 3; i < argc; i++)
            if (Ascii.EqualsIgnoreCase(arg(i), "GET"u8)) return [(1, ReadWriteUpdate)];
        return [(1, OverwriteUpdate)];
    }

    /// <summary>BITFIELD: read-only unless a complete SET or INCRBY operation is present.</summary>
    private static List<(int, string[])> BitfieldKeys(int argc, Func<int, ReadOnlySpan<byte>> arg)
    {
        for (int i = 2; i < argc; i++)
        {
            int remaining = argc - i - 1;
            var a = arg(i);
            if (Ascii.EqualsIgnoreCase(a, "GET"u8) && remaining >= 2) i += 2;
            else if ((Ascii.EqualsIgnoreCase(a, "SET"u8) || Ascii.EqualsIgnoreCase(a, "INCRBY"u8)) && remaining >= 3) return [(1, ReadWriteUpdate)];
            else if (Ascii.EqualsIgnoreCase(a, "OVERFLOW"u8) && remaining >= 1) i += 1;
        }
        return [(1, ReadAccess)];
    }

    /// <summary>SORT: the sorted key, plus the last STORE destination (skipping LIMIT, GET and BY operands).</summary>
    private static List<(int, string[])> SortKeys(int argc, Func<int, ReadOnlySpan<byte>> arg)
    {
        var keys = new List<(int, string[])> { (1, ReadAccess) };
        int store = -1;
        for (int i = 2; i < argc; i++)
        {
            var a = arg(i);
            if (Ascii.EqualsIgnoreCase(a, "LIMIT"u8)) i += 2;
            else if (Ascii.EqualsIgnoreCase(a, "GET"u8) || Ascii.EqualsIgnoreCase(a, "BY"u8)) i += 1;
            else if (Ascii.EqualsIgnoreCase(a, "STORE"u8) && i + 1 < argc) store = i + 1;
        }
        if (store > 0) keys.Add((store, OverwriteUpdate));
        return keys;
    }

    /// <summary>MIGRATE: the key argument, or with KEYS (and an empty key argument) every key after KEYS.</summary>
    private static List<(int, string[])>? MigrateKeys(int argc, Func<int, ReadOnlySpan<byte>> arg)
    {
        int first = 3, count = 1;
        for (int i = 6; i < argc; i++)
        {
            var a = arg(i);
            if (Ascii.EqualsIgnoreCase(a, "KEYS"u8))
            {
                if (arg(3).Length > 0) return null;
                first = i + 1;
                count = argc - first;
                break;
            }
            if (Ascii.EqualsIgnoreCase(a, "AUTH"u8)) i += 1;
            else if (Ascii.EqualsIgnoreCase(a, "AUTH2"u8)) i += 2;
        }
        var keys = new List<(int, string[])>();
        for (int i = 0; i < count; i++) keys.Add((first + i, ReadWriteDelete));
        return keys;
    }
}
