using System.Globalization;
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
        // A last argument "-" reads more configuration from stdin, placed after the file and before the options.
        bool fromStdin = args.Length > 0 && args[^1] == "-" && (args.Length == 1 || !args[^2].StartsWith("--", StringComparison.Ordinal));
        if (fromStdin)
        {
            args = args[..^1];
            Console.WriteLine(LogLine("Reading config from stdin"));
        }
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            string path = args[0];
            string full = Path.GetFullPath(path);
            if (!File.Exists(path))
            {
                error = LogLine($"Fatal error, can't open config file '{full}': No such file or directory");
                return null;
            }
            config.ConfigFile = full;
            foreach (var line in File.ReadAllLines(path)) text.Append(line).Append('\n');
            i = 1;
        }
        if (fromStdin) text.Append(Console.In.ReadToEnd()).Append('\n');
        text.Append('\n').Append(CommandLineOptions(args.AsSpan(i)));
        error = Apply(config, text.ToString());
        return error == null ? config : null;
    }

    /// <summary>
    /// "--port 1 --save 60 1" becomes the lines 'port "1"' and 'save "60" "1"', as redis-server builds them
    /// (every value quoted), so an error shows the same line and line number.
    /// </summary>
    public static string CommandLineOptions(ReadOnlySpan<string> args)
    {
        var options = new StringBuilder();
        for (int j = 0; j < args.Length; j++)
        {
            var a = args[j];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                if (options.Length > 0) options.Append('\n');
                options.Append(a[2..]).Append(' ');
                // "--save" with no value means: no snapshots.
                bool noValue = j + 1 == args.Length || args[j + 1].StartsWith("--", StringComparison.Ordinal);
                if (noValue && a == "--save") options.Append("\"\" ");
            }
            else
            {
                options.Append(Repr(a)).Append(' ');
            }
        }
        return options.ToString();
    }

    /// <summary>Applies conf-file text to a configuration; returns the fatal error text or null.</summary>
    public static string? Apply(ServerConfig config, string text)
    {
        var lines = text.Split('\n');
        bool saveSeen = false;
        for (int n = 0; n < lines.Length; n++)
        {
            string raw = lines[n].Trim(' ', '\t', '\r');
            if (raw.Length == 0 || raw[0] == '#') continue;
            var parsed = new CommandArgs();
            var bytes = Encoding.UTF8.GetBytes(raw);
            parsed.Reset(bytes);
            if (!RespParser.SplitArgs(bytes, 0, parsed)) return Fatal(n + 1, raw, "Unbalanced quotes in configuration line");
            if (parsed.Count == 0) continue;
            string name = Encoding.UTF8.GetString(parsed[0]).ToLowerInvariant();
            var values = new List<string>();
            for (int k = 1; k < parsed.Count; k++) values.Add(Encoding.UTF8.GetString(parsed[k]));
            if (name is "include")
            {
                if (values.Count != 1) return Fatal(n + 1, raw, "wrong number of arguments");
                if (!File.Exists(values[0])) return Fatal(n + 1, raw, $"Can't open config file '{values[0]}'");
                string? inner = Apply(config, File.ReadAllText(values[0]));
                if (inner != null) return inner;
                continue;
            }
            if (name is "rename-command" or "loadmodule" or "user") continue;
            var entry = config.Find(name);
            if (entry == null) return Fatal(n + 1, raw, "Bad directive or wrong number of arguments");
            if (!entry.MultiArg && values.Count != 1) return Fatal(n + 1, raw, "wrong number of arguments");
            string value = string.Join(' ', values);
            // Several "save" lines add up; the first one replaces the default.
            if (entry.Name == "save")
            {
                if (saveSeen && value.Length > 0 && entry.Value.Length > 0) value = entry.Value + " " + value;
                saveSeen = true;
            }
            string? err = config.TrySet(name, value, atStartup: true);
            if (err != null) return Fatal(n + 1, raw, err);
        }
        return null;
    }

    private static string Fatal(int line, string text, string message) =>
        $"\n{FatalHeader}\nReading the configuration file, at line {line}\n>>> '{text}'\n{message}";

    /// <summary>A line in redis-server's log layout for errors before the server runs ("pid:C date # text").</summary>
    public static string LogLine(string message) =>
        $"{Environment.ProcessId}:C {DateTime.Now.ToString("dd MMM yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture)} # {message}";

    /// <summary>A value quoted as Redis's sdscatrepr: "..." with \n, \r, \t, \", \\ and \xNN escapes.</summary>
    public static string Repr(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            switch (b)
            {
                case (byte)'\\': sb.Append("\\\\"); break;
                case (byte)'"': sb.Append("\\\""); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case 7: sb.Append("\\a"); break;
                case 8: sb.Append("\\b"); break;
                default:
                    if (b >= 32 && b < 127) sb.Append((char)b);
                    else sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
