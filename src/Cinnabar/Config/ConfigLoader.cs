using System.Text;
using Cinnabar.Protocol;

namespace Cinnabar.Config;

/// <summary>
/// Reads redis-server style startup arguments: an optional conf file path, then <c>--name value ...</c>
/// pairs, each a directive as if written in the file. Errors use redis-server's fatal-error layout.
/// </summary>
public static class ConfigLoader
{
    public static readonly string FatalHeader = "*** FATAL CONFIG FILE ERROR (Redis " + ServerInfo.RedisVersion + ") ***";

    /// <summary>Builds a configuration from the command line; returns null and an error text on failure.</summary>
    public static ServerConfig? FromArgs(string[] args, out string? error)
    {
        error = null;
        var config = new ServerConfig();
        var text = new StringBuilder();
        int i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            string path = args[0];
            if (!File.Exists(path))
            {
                error = $"Fatal error, can't open config file '{Path.GetFullPath(path)}': No such file or directory";
                return null;
            }
            config.ConfigFile = Path.GetFullPath(path);
            text.Append(File.ReadAllText(path)).Append('\n');
            i = 1;
        }
        // "--name v1 v2 --other v" becomes lines "name v1 v2" / "other v", as redis-server does.
        var line = new StringBuilder();
        for (; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                if (line.Length > 0) text.Append(line).Append('\n');
                line.Clear().Append(a[2..]);
            }
            else
            {
                line.Append(' ').Append(Quote(a));
            }
        }
        if (line.Length > 0) text.Append(line).Append('\n');
        error = Apply(config, text.ToString());
        return error == null ? config : null;
    }

    /// <summary>Applies conf-file text to a configuration; returns the fatal error text or null.</summary>
    public static string? Apply(ServerConfig config, string text)
    {
        var lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string raw = lines[n].Trim();
            if (raw.Length == 0 || raw[0] == '#') continue;
            var parsed = new CommandArgs();
            var bytes = Encoding.UTF8.GetBytes(raw);
            parsed.Reset(bytes);
            if (!RespParser.SplitArgs(bytes, 0, parsed)) return Fatal(n + 1, raw, "Unbalanced quotes in configuration line");
            if (parsed.Count == 0) continue;
            string name = Encoding.UTF8.GetString(parsed[0]).ToLowerInvariant();
            var values = new List<string>();
            for (int k = 1; k < parsed.Count; k++) values.Add(Encoding.UTF8.GetString(parsed[k]));
            if (name == "include" || name == "rename-command" || name == "loadmodule") continue;
            var entry = config.Find(name);
            if (entry == null || values.Count == 0 && entry.Kind != ConfigKind.String && entry.Kind != ConfigKind.Special)
                return Fatal(n + 1, raw, "Bad directive or wrong number of arguments");
            string? err = config.TrySet(name, string.Join(' ', values), atStartup: true);
            if (err != null) return Fatal(n + 1, raw, err);
        }
        return null;
    }

    private static string Fatal(int line, string text, string message) =>
        $"\n{FatalHeader}\nReading the configuration file, at line {line}\n>>> '{text}'\n{message}";

    private static string Quote(string value)
    {
        if (value.Length > 0 && value.All(c => c > ' ' && c != '"' && c != '\'' && c != '\\')) return value;
        var sb = new StringBuilder("\"");
        foreach (char c in value)
        {
            if (c == '"' || c == '\\') sb.Append('\\').Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}
