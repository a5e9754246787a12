namespace Cinnabar.Config;

public static partial class ConfigDirectives
{
    // ---- RDB and AOF ------------------------------------------------------------------------------

    private static IEnumerable<ConfigEntry> Persistence()
    {
        yield return new ConfigEntry
        {
            // Redis's default: a snapshot after an hour with one change, 5 minutes with 100, a minute with 10000.
            Name = "save", Kind = ConfigKind.Special, Default = "3600 1 300 100 60 10000", MultiArg = true,
            Normalize = ConfigValueParsers.NormalizeSave,
            Apply = (c, v) => c.SavePoints = ConfigValueParsers.ParseSavePoints(v),
        };
        yield return new ConfigEntry
        {
            Name = "dir", Kind = ConfigKind.String, Default = ".", Protected = true,
            Normalize = ConfigValueParsers.NormalizeDir,
            Apply = (c, v) => c.Dir = v,
        };
        yield return Str("dbfilename", "dump.rdb", isProtected: true, apply: (c, v) => c.DbFilename = v,
            check: v => v.Contains('/') ? "dbfilename can't be a path, just a filename" : null);
        yield return Bool("rdbcompression", true, apply: (c, v) => c.RdbCompression = v);
        yield return Bool("rdbchecksum", true, mutable: false, apply: (c, v) => c.RdbChecksum = v);
        yield return Bool("rdb-del-sync-files", false);
        yield return Bool("rdb-save-incremental-fsync", true, apply: (c, v) => c.RdbSaveIncrementalFsync = v);
        yield return Bool("stop-writes-on-bgsave-error", true, apply: (c, v) => c.StopWritesOnBgsaveError = v);
        yield return Bool("appendonly", false, apply: (c, v) => c.AppendOnly = v);
        yield return Str("appendfilename", "appendonly.aof", mutable: false, apply: (c, v) => c.AppendFilename = v,
            check: v => v.Contains('/') ? "appendfilename can't be a path, just a filename" : null);
        yield return Str("appenddirname", "appendonlydir", mutable: false, apply: (c, v) => c.AppendDirname = v,
            check: v => v.Contains('/') ? "appenddirname can't be a path, just a dirname" : null);
        yield return Enum("appendfsync", "everysec", ["everysec", "always", "no"],
            apply: (c, v) => c.AppendFsync = v switch { "always" => AofFsyncPolicy.Always, "no" => AofFsyncPolicy.No, _ => AofFsyncPolicy.EverySec });
        yield return Bool("no-appendfsync-on-rewrite", false, apply: (c, v) => c.NoAppendFsyncOnRewrite = v);
        yield return Int("auto-aof-rewrite-percentage", 0, IntMax, 100, apply: (c, v) => c.AutoAofRewritePercentage = (int)v);
        yield return Mem("auto-aof-rewrite-min-size", 0, long.MaxValue, 64L * 1024 * 1024, apply: (c, v) => c.AutoAofRewriteMinSize = v);
        yield return Bool("aof-load-truncated", true, apply: (c, v) => c.AofLoadTruncated = v);
        yield return Bool("aof-use-rdb-preamble", true, apply: (c, v) => c.AofUseRdbPreamble = v);
        yield return Bool("aof-rewrite-incremental-fsync", true, apply: (c, v) => c.AofRewriteIncrementalFsync = v);
        yield return Bool("aof-timestamp-enabled", false, apply: (c, v) => c.AofTimestampEnabled = v);
        yield return Bool("aof-disable-auto-gc", false, apply: (c, v) => c.AofDisableAutoGc = v);
    }

    // ---- replication ------------------------------------------------------------------------------

    private static IEnumerable<ConfigEntry> Replication()
    {
        yield return new ConfigEntry
        {
            Name = "replicaof", Aliases = ["slaveof"], Kind = ConfigKind.Special, Default = "", MultiArg = true, Mutable = false,
            Normalize = ConfigValueParsers.NormalizeReplicaOf,
        };
        yield return Str("masterauth", "", sensitive: true);
        yield return Str("masteruser", "", sensitive: true);
        yield return Bool("replica-serve-stale-data", true, alias: "slave-serve-stale-data");
        yield return Bool("replica-read-only", true, alias: "slave-read-only", apply: (c, v) => c.ReplicaReadOnly = v);
        yield return Bool("replica-lazy-flush", false, alias: "slave-lazy-flush");
        yield return Bool("replica-ignore-maxmemory", true, alias: "slave-ignore-maxmemory");
        yield return Bool("replica-announced", true);
        yield return Bool("replica-ignore-disk-write-errors", false);
        yield return Int("replica-priority", 0, IntMax, 100, alias: "slave-priority");
        yield return Str("replica-announce-ip", "", alias: "slave-announce-ip");
        yield return Int("replica-announce-port", 0, 65535, 0, alias: "slave-announce-port");
        yield return Int("repl-ping-replica-period", 1, IntMax, 10, alias: "repl-ping-slave-period");
        yield return Int("repl-timeout", 1, IntMax, 60);
        yield return Bool("repl-disable-tcp-nodelay", false);
        yield return Mem("repl-backlog-size", 1, long.MaxValue, 1024 * 1024);
        yield return Int("repl-backlog-ttl", 0, long.MaxValue, 3600);
        yield return Bool("repl-diskless-sync", true);
        yield return Int("repl-diskless-sync-delay", 0, IntMax, 5);
        yield return Int("repl-diskless-sync-max-replicas", 0, IntMax, 0);
        yield return Enum("repl-diskless-load", "disabled", ["disabled", "on-empty-db", "swapdb"]);
        yield return Int("min-replicas-to-write", 0, IntMax, 0, alias: "min-slaves-to-write");
        yield return Int("min-replicas-max-lag", 0, IntMax, 10, alias: "min-slaves-max-lag");
    }

    // ---- cluster ----------------------------------------------------------------------------------

    private static IEnumerable<ConfigEntry> Cluster()
    {
        yield return Bool("cluster-enabled", false, mutable: false, apply: (c, v) => c.ClusterEnabled = v);
        yield return Str("cluster-config-file", "nodes.conf", mutable: false);
        yield return Int("cluster-node-timeout", 0, long.MaxValue, 15000);
        yield return Int("cluster-port", 0, 65535, 0, mutable: false);
        yield return Str("cluster-announce-ip", "");
        yield return Str("cluster-announce-hostname", "");
        yield return Int("cluster-announce-port", 0, 65535, 0);
        yield return Int("cluster-announce-bus-port", 0, 65535, 0);
        yield return Int("cluster-announce-tls-port", 0, 65535, 0);
        yield return Int("cluster-replica-validity-factor", 0, IntMax, 10, alias: "cluster-slave-validity-factor");
        yield return Int("cluster-migration-barrier", 0, IntMax, 1);
        yield return Bool("cluster-allow-replica-migration", true);
        yield return Bool("cluster-require-full-coverage", true);
        yield return Bool("cluster-replica-no-failover", false, alias: "cluster-slave-no-failover");
        yield return Bool("cluster-allow-reads-when-down", false);
        yield return Bool("cluster-allow-pubsubshard-when-down", true);
        yield return Mem("cluster-link-sendbuf-limit", 0, long.MaxValue, 0);
        yield return Enum("cluster-preferred-endpoint-type", "ip", ["ip", "hostname", "unknown-endpoint"]);
    }

    // ---- TLS (stored and reported; Cinnabar serves plain TCP) -------------------------------------

    private static IEnumerable<ConfigEntry> Tls()
    {
        yield return Int("tls-port", 0, 65535, 0);
        yield return Str("tls-cert-file", "");
        yield return Str("tls-key-file", "");
        yield return Str("tls-key-file-pass", "");
        yield return Str("tls-client-cert-file", "");
        yield return Str("tls-client-key-file", "");
        yield return Str("tls-client-key-file-pass", "");
        yield return Str("tls-dh-params-file", "");
        yield return Str("tls-ca-cert-file", "");
        yield return Str("tls-ca-cert-dir", "");
        yield return Str("tls-protocols", "");
        yield return Str("tls-ciphers", "");
        yield return Str("tls-ciphersuites", "");
        yield return Bool("tls-cluster", false);
        yield return Bool("tls-replication", false);
        yield return Enum("tls-auth-clients", "yes", ["no", "yes", "optional"]);
        yield return Bool("tls-prefer-server-ciphers", false);
        yield return Bool("tls-session-caching", true);
        yield return Int("tls-session-cache-size", 0, IntMax, 20 * 1024);
        yield return Int("tls-session-cache-timeout", 0, IntMax, 300);
    }
}
