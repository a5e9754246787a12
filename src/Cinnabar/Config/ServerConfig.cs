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
            // Defaults go through validation too, so "dir ." is shown as an absolute path as Redis does.
            e.Value = Normalize(e, e.Default).Value ?? e.Default;
            e.NormalizedDefault = e.Value;
            e.Apply?.Invoke(this, e.Value);
        }
        ConfigDirectives.DescribeSupport(this);
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
    public int TcpBacklog = 511;
    public string UnixSocket = "";
    public int UnixSocketPerm;
    public bool Daemonize;
    public string Supervised = "no";
    public string PidFile = "";
    /// <summary>shutdown-on-sigint / shutdown-on-sigterm: "default" or flags among save, nosave, now, force.</summary>
    public string ShutdownOnSigint = "default", ShutdownOnSigterm = "default";
    public long ProtoMaxBulkLen = 512L * 1024 * 1024;
    public long ClientQueryBufferLimit = 1024L * 1024 * 1024;
    public int Hz = 10;
    public bool ActiveExpireEnabled = true;
    public long MaxMemory;
    public string MaxMemoryPolicy = "noeviction";
    /// <summary>rdbcompression, rdbchecksum: LZF for long strings, the CRC-64 footer of RDB files.</summary>
    public bool RdbCompression = true, RdbChecksum = true;

    /// <summary>stop-writes-on-bgsave-error: refuse writes with -MISCONF after a failed background save (with save points).</summary>
    public bool StopWritesOnBgsaveError = true;
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

    /// <summary>client-output-buffer-limit for the normal and replica classes.</summary>
    public (long Hard, long Soft, long Seconds) NormalOutputLimit;
    public (long Hard, long Soft, long Seconds) ReplicaOutputLimit = (256L * 1024 * 1024, 64L * 1024 * 1024, 60);
    public (long Seconds, long Changes)[] SavePoints = [(3600, 1), (300, 100), (60, 10000)];
    public string DbFilename = "dump.rdb";
    public bool AppendOnly;
    public AofFsyncPolicy AppendFsync = AofFsyncPolicy.EverySec;
    public string AppendFilename = "appendonly.aof";
    public string AppendDirname = "appendonlydir";
    public int AutoAofRewritePercentage = 100;
    public long AutoAofRewriteMinSize = 64L * 1024 * 1024;
    public bool AofUseRdbPreamble = true;
    public bool AofTimestampEnabled;
    public bool NoAppendFsyncOnRewrite;
    public bool AofLoadTruncated = true;
    public bool AofRewriteIncrementalFsync = true;
    public bool RdbSaveIncrementalFsync = true;
    public bool AofDisableAutoGc;
    public bool ProtectedMode = true;
    public string EnableProtectedConfigs = "no";
    public bool ActiveRehashing = true;
    public int ActiveExpireEffort = 1;
    public long SlowlogLogSlowerThan = 10000;
    public long SlowlogMaxLen = 128;
    public long LatencyMonitorThreshold;
    public bool LatencyTracking = true;
    public double[] LatencyTrackingPercentiles = [50, 99, 99.9];
    public long BusyReplyThreshold = 5000;
    /// <summary>
    /// How long an epoll loop polls for the next request before it sleeps (EpollLoop.BusyPollTicks); not a
    /// directive, as Redis has none: -1 takes CINNABAR_BUSY_POLL_US or the default, tests set it directly.
    /// </summary>
    public int BusyPollMicroseconds = -1;
    public int MaxMemorySamples = 5;
    public int MaxMemoryEvictionTenacity = 10;
    public int LfuLogFactor = 10;
    public int LfuDecayTime = 1;
    public bool LazyFreeLazyEviction, LazyFreeLazyExpire, LazyFreeLazyServerDel, LazyFreeLazyUserDel, LazyFreeLazyUserFlush;
    public int ListCompressDepth;
    public long HllSparseMaxBytes = 3000;
    public long StreamNodeMaxBytes = 4096;
    public long StreamNodeMaxEntries = 100;
    public bool ReplicaReadOnly = true;
    public bool ClusterEnabled;

    public ConfigEntry? Find(string name) => _byName.TryGetValue(name, out var e) ? e : null;

    /// <summary>Every name CONFIG GET can report: each directive's name, then its aliases.</summary>
    public IEnumerable<(string Name, ConfigEntry Entry)> Names()
    {
        foreach (var e in _entries)
        {
            yield return (e.Name, e);
            foreach (var a in e.Aliases) yield return (a, e);
        }
    }

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

    /// <summary>
    /// CONFIG SET of several directives, all or nothing: every value is validated before any is applied.
    /// Returns null, or the failing directive's name (as given) and Redis's reason.
    /// </summary>
    public (string Name, string Error)? TrySetAll(IReadOnlyList<(string Name, string Value)> pairs)
    {
        var validated = new List<(ConfigEntry Entry, string Value)>();
        foreach (var (name, value) in pairs)
        {
            var e = Find(name)!;
            if (!e.Mutable) return (name, "can't set immutable config");
            if (e.Protected && EnableProtectedConfigs != "yes") return (name, "can't set protected config");
            var (normalized, error) = Validate(e, value);
            if (error != null) return (name, error);
            validated.Add((e, normalized!));
        }
        foreach (var (e, v) in validated)
        {
            e.Value = v;
            e.Apply?.Invoke(this, v);
        }
        return null;
    }

    /// <summary>
    /// Validates a value for an entry without applying it: Redis's checks, then the refusal of a value whose
    /// feature Cinnabar lacks (so it is never stored and ignored).
    /// </summary>
    public static (string? Value, string? Error) Validate(ConfigEntry e, string value)
    {
        var (normalized, error) = Normalize(e, value);
        if (error != null) return (null, error);
        return e.Refusal(normalized!) is { } refusal ? (null, refusal) : (normalized, null);
    }

    private static (string? Value, string? Error) Normalize(ConfigEntry e, string value)
    {
        if (e.Merge != null) return e.Merge(e.Value.Length == 0 ? e.Default : e.Value, value);
        if (e.Normalize != null) return e.Normalize(value);
        switch (e.Kind)
        {
            case ConfigKind.Bool:
                if (value.Equals("yes", StringComparison.OrdinalIgnoreCase)) return ("yes", null);
                if (value.Equals("no", StringComparison.OrdinalIgnoreCase)) return ("no", null);
                return (null, "argument must be 'yes' or 'no'");
            case ConfigKind.Integer:
                var (n, err) = ConfigValueParsers.Integer(value, e.Min, e.Max);
                return err != null ? (null, err) : (n.ToString(CultureInfo.InvariantCulture), null);
            case ConfigKind.Memory:
                return ConfigValueParsers.Memory(e, value);
            case ConfigKind.Enum:
                foreach (var ev in e.EnumValues)
                    if (ev.Equals(value, StringComparison.OrdinalIgnoreCase)) return (ev, null);
                return (null, "argument(s) must be one of the following: " + string.Join(", ", e.EnumValues));
            default:
                return (value, null);
        }
    }

    public static long ParseLong(string v) => long.Parse(v, CultureInfo.InvariantCulture);
}

/// <summary>appendfsync: when the AOF is flushed to the disk.</summary>
public enum AofFsyncPolicy { No, EverySec, Always }
