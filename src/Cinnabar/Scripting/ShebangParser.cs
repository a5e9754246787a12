using System.Text;

namespace Cinnabar.Scripting;

/// <summary>The `#!lua` first line of an EVAL script or a function library (Redis's evalExtractShebangFlags).</summary>
public static class ShebangParser
{
    /// <summary>Flag names as Redis spells them, in its table's order.</summary>
    public static readonly (string Name, ScriptFlags Flag)[] FlagNames =
    [
        ("no-writes", ScriptFlags.NoWrites),
        ("allow-oom", ScriptFlags.AllowOom),
        ("allow-stale", ScriptFlags.AllowStale),
        ("no-cluster", ScriptFlags.NoCluster),
        ("allow-cross-slot-keys", ScriptFlags.AllowCrossSlotKeys),
    ];

    /// <summary>
    /// Reads an EVAL script's shebang: no shebang gives compatibility mode; `#!lua [flags=a,b]` gives those
    /// flags. <paramref name="length"/> is the shebang's length without its newline. False with Redis's error.
    /// </summary>
    public static bool TryParseEval(ReadOnlySpan<byte> body, out ScriptFlags flags, out int length, out string? error)
    {
        flags = ScriptFlags.EvalCompatMode;
        length = 0;
        error = null;
        if (!body.StartsWith("#!"u8)) return true;
        int newline = body.IndexOf((byte)'\n');
        if (newline < 0)
        {
            error = "ERR Invalid script shebang";
            return false;
        }
        length = newline;
        var parts = SplitArgs(Encoding.Latin1.GetString(body[..newline]));
        if (parts.Count == 0)
        {
            error = "ERR Invalid engine in script shebang";
            return false;
        }
        if (parts[0] != "#!lua")
        {
            error = "ERR Unexpected engine in script shebang: " + parts[0];
            return false;
        }
        flags = ScriptFlags.None;
        for (int i = 1; i < parts.Count; i++)
        {
            if (!parts[i].StartsWith("flags=", StringComparison.Ordinal))
            {
                error = "ERR Unknown lua shebang option: " + parts[i];
                return false;
            }
            string list = parts[i][6..];
            if (list.Length == 0) continue;
            foreach (var name in list.Split(','))
            {
                var flag = Find(name);
                if (flag == null)
                {
                    error = "ERR Unexpected flag in script shebang: " + name;
                    return false;
                }
                flags |= flag.Value;
            }
        }
        return true;
    }

    public static ScriptFlags? Find(string name)
    {
        foreach (var (n, f) in FlagNames)
            if (n == name) return f;
        return null;
    }

    /// <summary>Redis's sdssplitargs for a shebang line: words split on blanks, with "double" and 'single' quotes.</summary>
    public static List<string> SplitArgs(string line)
    {
        var parts = new List<string>();
        int i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i >= line.Length) return parts;
            var current = new StringBuilder();
            char quote = '\0';
            while (i < line.Length)
            {
                char c = line[i];
                if (quote != '\0')
                {
                    if (c == quote) { quote = '\0'; i++; continue; }
                    current.Append(c);
                }
                else if (char.IsWhiteSpace(c)) break;
                else if (c is '"' or '\'') quote = c;
                else current.Append(c);
                i++;
            }
            parts.Add(current.ToString());
        }
    }
}
