using System.Globalization;

namespace Cinnabar.Config;

/// <summary>
/// Every configuration directive Cinnabar knows, with Redis's names, aliases, defaults, ranges and
/// mutability (as redis-server 7.0 reports them in CONFIG GET *). Directives whose feature comes later
/// are stored and reported already, so clients and test suites that set them work.
/// </summary>
public static partial class ConfigDirectives
{
    private const long IntMax = int.MaxValue;
    private const long UIntMax = uint.MaxValue;

    public static IEnumerable<ConfigEntry> All() =>
        General().Concat(Clients()).Concat(Memory()).Concat(Encodings()).Concat(Persistence())
            .Concat(Replication()).Concat(Cluster()).Concat(Tls());

    // ---- builders ---------------------------------------------------------------------------------

    private static ConfigEntry Bool(string name, bool def, bool mutable = true, string? alias = null, Action<ServerConfig, bool>? apply = null) =>
        new()
        {
            Name = name, Kind = ConfigKind.Bool, Default = def ? "yes" : "no", Mutable = mutable,
            Aliases = alias == null ? [] : [alias],
            Apply = apply == null ? null : (c, v) => apply(c, v == "yes"),
        };

    private static ConfigEntry Int(string name, long min, long max, long def, bool mutable = true, string? alias = null, Action<ServerConfig, long>? apply = null) =>
        new()
        {
            Name = name, Kind = ConfigKind.Integer, Default = def.ToString(CultureInfo.InvariantCulture), Min = min, Max = max,
            Mutable = mutable, Aliases = alias == null ? [] : [alias],
            Apply = apply == null ? null : (c, v) => apply(c, ServerConfig.ParseLong(v)),
        };

    private static ConfigEntry Mem(string name, long min, long max, long def, bool mutable = true, string? alias = null, Action<ServerConfig, long>? apply = null) =>
        new()
        {
            Name = name, Kind = ConfigKind.Memory, Default = def.ToString(CultureInfo.InvariantCulture), Min = min, Max = max,
            Mutable = mutable, Aliases = alias == null ? [] : [alias],
            Apply = apply == null ? null : (c, v) => apply(c, ServerConfig.ParseLong(v)),
        };

    private static ConfigEntry Str(string name, string def, bool mutable = true, string? alias = null, Action<ServerConfig, string>? apply = null,
        Func<string, string?>? check = null, bool sensitive = false, bool isProtected = false) =>
        new()
        {
            Name = name, Kind = ConfigKind.String, Default = def, Mutable = mutable, Aliases = alias == null ? [] : [alias],
            Apply = apply, Sensitive = sensitive, Protected = isProtected,
            Normalize = check == null ? null : v => check(v) is { } error ? (null, error) : (v, null),
        };

    private static ConfigEntry Enum(string name, string def, string[] values, bool mutable = true, Action<ServerConfig, string>? apply = null) =>
        new()
        {
            Name = name, Kind = ConfigKind.Enum, Default = def, EnumValues = values, Mutable = mutable,
            Apply = apply,
        };

    // ---- general, network and logging -------------------------------------------------------------

    private static IEnumerable<ConfigEntry> General()
    {
        yield return Int("port", 0, 65535, 6379, apply: (c, v) => c.Port = (int)v);
        yield return new ConfigEntry
        {
            Name = "bind", Kind = ConfigKind.Special, Default = "127.0.0.1 -::1", MultiArg = true,
            Normalize = ConfigValueParsers.NormalizeBind,
            Apply = (c, v) => c.Bind = v.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        };
        yield return Str("bind-source-addr", "");
        yield return Int("tcp-backlog", 0, IntMax, 511, mutable: false, apply: (c, v) => c.TcpBacklog = (int)v);
        yield return Int("tcp-keepalive", 0, IntMax, 300, apply: (c, v) => c.TcpKeepAlive = v);
        yield return Int("timeout", 0, IntMax, 0, apply: (c, v) => c.TimeoutSeconds = v);
        yield return Str("unixsocket", "", mutable: false, apply: (c, v) => c.UnixSocket = v);
        yield return new ConfigEntry
        {
            // Octal as a file mode, as Redis reads and shows it ("700").
            Name = "unixsocketperm", Kind = ConfigKind.Special, Default = "0", Mutable = false,
            Normalize = ConfigValueParsers.NormalizeOctalMode,
            Apply = (c, v) => c.UnixSocketPerm = Convert.ToInt32(v, 8),
        };
        yield return Int("socket-mark-id", 0, UIntMax, 0, mutable: false);
        yield return Bool("protected-mode", true, apply: (c, v) => c.ProtectedMode = v);
        yield return Int("databases", 1, IntMax, 16, mutable: false, apply: (c, v) => c.Databases = (int)v);
        yield return new ConfigEntry
        {
            Name = "hz", Kind = ConfigKind.Integer, Default = "10", Min = 0, Max = IntMax,
            // Redis clamps the stored value itself, so CONFIG GET hz shows 500 after CONFIG SET hz 1000.
            Normalize = v => ConfigValueParsers.Integer(v, 0, IntMax) is var (n, err) && err != null ? (null, err)
                : (Math.Clamp(n, 1, 500).ToString(CultureInfo.InvariantCulture), null),
            Apply = (c, v) => c.Hz = (int)ServerConfig.ParseLong(v),
        };
        yield return Bool("dynamic-hz", true);
        yield return Int("active-expire-effort", 1, 10, 1, apply: (c, v) => c.ActiveExpireEffort = (int)v);
        yield return Bool("activerehashing", true, apply: (c, v) => c.ActiveRehashing = v);
        yield return Bool("daemonize", false, mutable: false, apply: (c, v) => c.Daemonize = v);
        yield return Enum("supervised", "no", ["upstart", "systemd", "auto", "no"], mutable: false, apply: (c, v) => c.Supervised = v);
        yield return Str("pidfile", "", mutable: false, apply: (c, v) => c.PidFile = v);
        yield return Enum("loglevel", "notice", ["debug", "verbose", "notice", "warning"], apply: (c, v) => c.LogLevel = v);
        yield return Str("logfile", "", mutable: false, apply: (c, v) => c.LogFile = v);
        yield return Bool("syslog-enabled", false, mutable: false);
        yield return Str("syslog-ident", "redis", mutable: false);
        yield return Enum("syslog-facility", "local0", ["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"], mutable: false);
        yield return Bool("crash-log-enabled", true);
        yield return Bool("crash-memcheck-enabled", true);
        yield return Bool("always-show-logo", false, mutable: false);
        yield return Bool("set-proc-title", true, mutable: false);
        yield return Str("proc-title-template", "{title} {listen-addr} {server-mode}");
        yield return Bool("disable-thp", true, mutable: false);
        yield return Str("ignore-warnings", "");
        yield return Enum("enable-protected-configs", "no", ["no", "yes", "local"], mutable: false, apply: (c, v) => c.EnableProtectedConfigs = v);
        yield return Enum("enable-debug-command", "no", ["no", "yes", "local"], mutable: false);
        yield return Enum("enable-module-command", "no", ["no", "yes", "local"], mutable: false);
        yield return Int("io-threads", 1, 128, 1, mutable: false);
        yield return Bool("io-threads-do-reads", false, mutable: false);
        yield return Str("server_cpulist", "", mutable: false);
        yield return Str("bio_cpulist", "", mutable: false);
        yield return Str("aof_rewrite_cpulist", "", mutable: false);
        yield return Str("bgsave_cpulist", "", mutable: false);
        yield return Enum("oom-score-adj", "no", ["no", "yes", "relative", "absolute"]);
        yield return new ConfigEntry
        {
            Name = "oom-score-adj-values", Kind = ConfigKind.Special, Default = "0 200 800", MultiArg = true,
            Normalize = ConfigValueParsers.NormalizeOomScoreAdjValues,
        };
        yield return new ConfigEntry
        {
            Name = "shutdown-on-sigint", Kind = ConfigKind.Special, Default = "default", MultiArg = true,
            Normalize = ConfigValueParsers.NormalizeShutdownFlags,
            Apply = (c, v) => c.ShutdownOnSigint = v,
        };
        yield return new ConfigEntry
        {
            Name = "shutdown-on-sigterm", Kind = ConfigKind.Special, Default = "default", MultiArg = true,
            Normalize = ConfigValueParsers.NormalizeShutdownFlags,
            Apply = (c, v) => c.ShutdownOnSigterm = v,
        };
        yield return Int("shutdown-timeout", 0, IntMax, 10);
        yield return Bool("jemalloc-bg-thread", true);
        yield return Int("slowlog-log-slower-than", -1, long.MaxValue, 10000, apply: (c, v) => c.SlowlogLogSlowerThan = v);
        yield return Int("slowlog-max-len", 0, long.MaxValue, 128, apply: (c, v) => c.SlowlogMaxLen = v);
        yield return Int("latency-monitor-threshold", 0, long.MaxValue, 0, apply: (c, v) => c.LatencyMonitorThreshold = v);
        yield return Bool("latency-tracking", true, apply: (c, v) => c.LatencyTracking = v);
        yield return new ConfigEntry
        {
            Name = "latency-tracking-info-percentiles", Kind = ConfigKind.Special, Default = "50 99 99.9", MultiArg = true,
            Normalize = ConfigValueParsers.NormalizePercentiles,
            Apply = (c, v) => c.LatencyTrackingPercentiles = v.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray(),
        };
        yield return Int("busy-reply-threshold", 0, long.MaxValue, 5000, alias: "lua-time-limit", apply: (c, v) => c.BusyReplyThreshold = v);
        yield return Enum("propagation-error-behavior", "ignore", ["ignore", "panic", "panic-on-replicas"]);
        yield return Str("aclfile", "", mutable: false);
        yield return Int("acllog-max-len", 0, long.MaxValue, 128);
        yield return Enum("acl-pubsub-default", "resetchannels", ["allchannels", "resetchannels"]);
        yield return Str("requirepass", "", sensitive: true, apply: (c, v) => c.RequirePass = v.Length == 0 ? null : v);
        yield return Enum("sanitize-dump-payload", "no", ["no", "yes", "clients"]);
        yield return Int("tracking-table-max-keys", 0, long.MaxValue, 1000000);
        yield return Int("lfu-log-factor", 0, IntMax, 10, apply: (c, v) => c.LfuLogFactor = (int)v);
        yield return Int("lfu-decay-time", 0, IntMax, 1, apply: (c, v) => c.LfuDecayTime = (int)v);
        yield return Bool("activedefrag", false);
        yield return Int("active-defrag-cycle-min", 1, 99, 1);
        yield return Int("active-defrag-cycle-max", 1, 99, 25);
        yield return Int("active-defrag-threshold-lower", 0, 1000, 10);
        yield return Int("active-defrag-threshold-upper", 0, 1000, 100);
        yield return Mem("active-defrag-ignore-bytes", 1, long.MaxValue, 100L << 20);
        yield return Int("active-defrag-max-scan-fields", 1, long.MaxValue, 1000);
    }

    // ---- clients ----------------------------------------------------------------------------------

    private static IEnumerable<ConfigEntry> Clients()
    {
        yield return new ConfigEntry
        {
            Name = "maxclients", Kind = ConfigKind.Integer, Default = "10000", Min = 1, Max = UIntMax,
            // Checked against the descriptor limit (raised when it can be) before it is taken.
            Normalize = v => ConfigValueParsers.Integer(v, 1, UIntMax) is var (n, err) && err != null ? (null, err)
                : Networking.DescriptorLimit.CheckNewMaxClients(n) is { } refused ? (null, refused)
                : (n.ToString(CultureInfo.InvariantCulture), null),
            Apply = (c, v) => c.MaxClients = (int)Math.Min(ServerConfig.ParseLong(v), int.MaxValue),
        };
        yield return Mem("client-query-buffer-limit", 1024 * 1024, long.MaxValue, 1024L * 1024 * 1024, apply: (c, v) => c.ClientQueryBufferLimit = v);
        yield return Mem("proto-max-bulk-len", 1024 * 1024, long.MaxValue, 512L * 1024 * 1024, apply: (c, v) => c.ProtoMaxBulkLen = v);
        yield return new ConfigEntry
        {
            Name = "client-output-buffer-limit", Kind = ConfigKind.Special, MultiArg = true,
            Default = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
            Merge = ConfigValueParsers.MergeOutputBufferLimits,
            Apply = ConfigValueParsers.ApplyOutputBufferLimits,
        };
        yield return new ConfigEntry
        {
            Name = "maxmemory-clients", Kind = ConfigKind.Memory, Default = "0", Min = -100, Max = long.MaxValue, Percent = true,
        };
    }

    // ---- memory and eviction ----------------------------------------------------------------------

    private static IEnumerable<ConfigEntry> Memory()
    {
        yield return Mem("maxmemory", 0, long.MaxValue, 0, apply: (c, v) => c.MaxMemory = v);
        yield return Enum("maxmemory-policy", "noeviction",
            ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"],
            apply: (c, v) => c.MaxMemoryPolicy = v);
        yield return Int("maxmemory-samples", 1, IntMax, 5, apply: (c, v) => c.MaxMemorySamples = (int)v);
        yield return Int("maxmemory-eviction-tenacity", 0, 100, 10, apply: (c, v) => c.MaxMemoryEvictionTenacity = (int)v);
        yield return Bool("lazyfree-lazy-eviction", false, apply: (c, v) => c.LazyFreeLazyEviction = v);
        yield return Bool("lazyfree-lazy-expire", false, apply: (c, v) => c.LazyFreeLazyExpire = v);
        yield return Bool("lazyfree-lazy-server-del", false, apply: (c, v) => c.LazyFreeLazyServerDel = v);
        yield return Bool("lazyfree-lazy-user-del", false, apply: (c, v) => c.LazyFreeLazyUserDel = v);
        yield return Bool("lazyfree-lazy-user-flush", false, apply: (c, v) => c.LazyFreeLazyUserFlush = v);
        yield return new ConfigEntry
        {
            Name = "notify-keyspace-events", Kind = ConfigKind.Special, Default = "",
            Normalize = PubSub.KeyspaceEvents.Normalize,
            Show = PubSub.KeyspaceEvents.Show,
            Apply = (c, v) => c.KeyspaceEventFlags = PubSub.KeyspaceEvents.Parse(v),
        };
    }

    // ---- encodings of small values ----------------------------------------------------------------

    private static IEnumerable<ConfigEntry> Encodings()
    {
        yield return Int("hash-max-listpack-entries", 0, long.MaxValue, 512, alias: "hash-max-ziplist-entries", apply: (c, v) => c.HashMaxListpackEntries = ClampInt(v));
        yield return Mem("hash-max-listpack-value", 0, long.MaxValue, 64, alias: "hash-max-ziplist-value", apply: (c, v) => c.HashMaxListpackValue = ClampInt(v));
        yield return Int("list-max-listpack-size", int.MinValue, IntMax, -2, alias: "list-max-ziplist-size", apply: (c, v) => c.ListMaxListpackSize = (int)v);
        yield return Int("list-compress-depth", 0, IntMax, 0, apply: (c, v) => c.ListCompressDepth = (int)v);
        yield return Int("set-max-intset-entries", 0, long.MaxValue, 512, apply: (c, v) => c.SetMaxIntsetEntries = ClampInt(v));
        yield return Int("set-max-listpack-entries", 0, long.MaxValue, 128, apply: (c, v) => c.SetMaxListpackEntries = ClampInt(v));
        yield return Mem("set-max-listpack-value", 0, long.MaxValue, 64, apply: (c, v) => c.SetMaxListpackValue = ClampInt(v));
        yield return Int("zset-max-listpack-entries", 0, long.MaxValue, 128, alias: "zset-max-ziplist-entries", apply: (c, v) => c.ZsetMaxListpackEntries = ClampInt(v));
        yield return Mem("zset-max-listpack-value", 0, long.MaxValue, 64, alias: "zset-max-ziplist-value", apply: (c, v) => c.ZsetMaxListpackValue = ClampInt(v));
        yield return Mem("hll-sparse-max-bytes", 0, long.MaxValue, 3000, apply: (c, v) => c.HllSparseMaxBytes = v);
        yield return Mem("stream-node-max-bytes", 0, long.MaxValue, 4096, apply: (c, v) => c.StreamNodeMaxBytes = v);
        yield return Int("stream-node-max-entries", 0, long.MaxValue, 100, apply: (c, v) => c.StreamNodeMaxEntries = v);
    }

    private static int ClampInt(long v) => (int)Math.Min(v, int.MaxValue);
}
