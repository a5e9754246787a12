using System.Globalization;

namespace Cinnabar.Config;

/// <summary>
/// The configuration registry and the typed values the server reads on its hot paths. Every directive
/// is one <see cref="ConfigEntry"/> in <see cref="ConfigDirectives"/>.
/// </summary>
public sealed class ServerConfig
{
    private readonly Dictionary<string, ConfigEntry> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ConfigEntry> _entries = [];

    public ServerConfig()
    {
        foreach (var e in ConfigDirectives.All())
        {
            _entries.Add(e);
            _byName[e.Name] = e;
            foreach (var a in e.Aliases) _byName[a] = e;
        }
        foreach (var e in _entries)
        {
            e.Value = e.Default;
            e.Apply?.Invoke(this, e.Value);
        }
    }

    public IReadOnlyList<ConfigEntry> Entries => _entries;

    /// <summary>Path of the conf file the server started with (for CONFIG REWRITE); null when none.</summary>
    public string? ConfigFile { get; set; }

    // Typed values, updated by each entry's Apply.
    public int Port = 6379;
    public string[] Bind = ["127.0.0.1"];
    public int Databases = 16;
    public string? RequirePass;
    public int MaxClients = 10000;
    public long TimeoutSeconds;
    public long TcpKeepAlive = 300;
    public long ProtoMaxBulkLen = 512L * 1024 * 1024;
    public long ClientQueryBufferLimit = 1024L * 1024 * 1024;
    public int Hz = 10;
    public bool ActiveExpireEnabled = true;
    public long MaxMemory;
    public string MaxMemoryPolicy = "noeviction";
    public string NotifyKeyspaceEvents = "";
    public int HashMaxListpackEntries = 128;
    public int HashMaxListpackValue = 64;
    public int SetMaxIntsetEntries = 512;
    public int SetMaxListpackEntries = 128;
    public int SetMaxListpackValue = 64;
    public int ZsetMaxListpackEntries = 128;
    public int ZsetMaxListpackValue = 64;
    public int ListMaxListpackSize = -2;
    /// <summary>client-output-buffer-limit for the pubsub class: hard bytes, soft bytes, soft seconds.</summary>
    public (long Hard, long Soft, long Seconds) PubSubOutputLimit = (32L * 1024 * 1024, 8L * 1024 * 1024, 60);
    /// <summary>notify-keyspace-events as flags (see PubSub.KeyspaceEvents).</summary>
    public int KeyspaceEventFlags;
    public string Dir = ".";
    public string LogFile = "";
    public string LogLevel = "notice";

    public ConfigEntry? Find(string name) => _byName.TryGetValue(name, out var e) ? e : null;

    /// <summary>Sets a directive (conf file, command line, CONFIG SET); returns an error text or null.</summary>
    public string? TrySet(string name, string value, bool atStartup)
    {
        var e = Find(name);
        if (e == null) return "Unknown option or number of arguments";
        if (!atStartup && !e.Mutable) return "can't set immutable config";
        var (normalized, error) = Validate(e, value);
        if (error != null) return error;
        e.Value = normalized!;
        e.Apply?.Invoke(this, e.Value);
        return null;
    }

    /// <summary>Validates a value for an entry without applying it.</summary>
    public static (string? Value, string? Error) Validate(ConfigEntry e, string value)
    {
        if (e.Normalize != null) return e.Normalize(value);
        switch (e.Kind)
        {
            case ConfigKind.Bool:
                if (value.Equals("yes", StringComparison.OrdinalIgnoreCase)) return ("yes", null);
                if (value.Equals("no", StringComparison.OrdinalIgnoreCase)) return ("no", null);
                return (null, "argument must be 'yes' or 'no'");
            case ConfigKind.Integer:
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                    return (null, "argument couldn't be parsed into an integer");
                if (n < e.Min || n > e.Max) return (null, $"argument must be between {e.Min} and {e.Max} inclusive");
                return (n.ToString(CultureInfo.InvariantCulture), null);
            case ConfigKind.Memory:
                if (!TryParseMemory(value, out long bytes)) return (null, "argument must be a memory value");
                if (bytes < e.Min || bytes > e.Max) return (null, $"argument must be between {e.Min} and {e.Max} inclusive");
                return (bytes.ToString(CultureInfo.InvariantCulture), null);
            case ConfigKind.Enum:
                foreach (var ev in e.EnumValues)
                    if (ev.Equals(value, StringComparison.OrdinalIgnoreCase)) return (ev, null);
                return (null, "argument(s) must be one of the following: " + string.Join(", ", e.EnumValues));
            default:
                return (value, null);
        }
    }

    /// <summary>Parses Redis memory units: 1k=1000, 1kb=1024, m/mb, g/gb, case-insensitive.</summary>
    public static bool TryParseMemory(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim().ToLowerInvariant();
        long mul = 1;
        string[] units = ["kb", "mb", "gb", "k", "m", "g", "b"];
        long[] muls = [1024, 1024 * 1024, 1024L * 1024 * 1024, 1000, 1000 * 1000, 1000L * 1000 * 1000, 1];
        for (int i = 0; i < units.Length; i++)
        {
            if (s.EndsWith(units[i], StringComparison.Ordinal))
            {
                mul = muls[i];
                s = s[..^units[i].Length];
                break;
            }
        }
        if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)) return false;
        bytes = n * mul;
        return true;
    }

    public static long ParseLong(string v) => long.Parse(v, CultureInfo.InvariantCulture);
}
