namespace Cinnabar.Config;

public static partial class ConfigDirectives
{
    // Issues that bring missing features (docs/COMPATIBILITY.md names them in the directives table).
    private const int MemoryIssue = 12, PersistenceIssue = 15;

    /// <summary>
    /// Marks every directive Cinnabar cannot honour yet (its non-default values are refused at start and by
    /// CONFIG SET, naming the missing feature) and those that do not apply to it by design (accepted, with the
    /// reason). Everything not listed here is honoured. A feature that lands removes its lines here.
    /// </summary>
    internal static void DescribeSupport(ServerConfig config)
    {
        void Refuse(string feature, int? issue, params string[] names)
        {
            foreach (var name in names)
            {
                var e = config.Find(name) ?? throw new InvalidOperationException("no directive " + name);
                e.Support = DirectiveSupport.Refused;
                e.MissingFeature = feature;
                e.Issue = issue;
            }
        }
        void NotApplicable(string why, params string[] names)
        {
            foreach (var name in names)
            {
                var e = config.Find(name) ?? throw new InvalidOperationException("no directive " + name);
                e.Support = DirectiveSupport.NotApplicable;
                e.Note = why;
            }
        }

        Refuse("RDB persistence", PersistenceIssue, "sanitize-dump-payload");

        Refuse("client eviction", MemoryIssue, "maxmemory-clients");
        Refuse("lazy freeing in a background thread", MemoryIssue, "lazyfree-lazy-eviction");
        Refuse("a tunable active expiry effort", MemoryIssue, "active-expire-effort");
        Refuse("quicklist compression", MemoryIssue, "list-compress-depth");

        Refuse("replication", null, "rdb-del-sync-files", "replicaof", "masterauth", "masteruser", "replica-serve-stale-data", "replica-read-only",
            "replica-lazy-flush", "replica-ignore-maxmemory", "replica-announced", "replica-ignore-disk-write-errors",
            "replica-priority", "replica-announce-ip", "replica-announce-port", "repl-ping-replica-period", "repl-timeout",
            "repl-disable-tcp-nodelay", "repl-backlog-size", "repl-backlog-ttl", "repl-diskless-sync", "repl-diskless-sync-delay",
            "repl-diskless-sync-max-replicas", "repl-diskless-load", "min-replicas-to-write", "min-replicas-max-lag",
            "propagation-error-behavior", "bind-source-addr");
        Refuse("cluster mode", null, "cluster-enabled", "cluster-config-file", "cluster-node-timeout", "cluster-port",
            "cluster-announce-ip", "cluster-announce-hostname", "cluster-announce-port", "cluster-announce-bus-port",
            "cluster-announce-tls-port", "cluster-replica-validity-factor", "cluster-migration-barrier",
            "cluster-allow-replica-migration", "cluster-require-full-coverage", "cluster-replica-no-failover",
            "cluster-allow-reads-when-down", "cluster-allow-pubsubshard-when-down", "cluster-link-sendbuf-limit",
            "cluster-preferred-endpoint-type");
        Refuse("TLS", null, "tls-port", "tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-client-cert-file",
            "tls-client-key-file", "tls-client-key-file-pass", "tls-dh-params-file", "tls-ca-cert-file", "tls-ca-cert-dir",
            "tls-protocols", "tls-ciphers", "tls-ciphersuites", "tls-cluster", "tls-replication", "tls-auth-clients",
            "tls-prefer-server-ciphers", "tls-session-caching", "tls-session-cache-size", "tls-session-cache-timeout");
        Refuse("ACL users", null, "aclfile", "acllog-max-len", "acl-pubsub-default");
        Refuse("client-side caching (CLIENT TRACKING)", null, "tracking-table-max-keys");
        Refuse("modules", null, "enable-module-command");
        Refuse("syslog logging", null, "syslog-enabled", "syslog-ident", "syslog-facility");
        Refuse("service-manager supervision", null, "supervised");
        Refuse("CPU affinity", null, "server_cpulist", "bio_cpulist", "aof_rewrite_cpulist", "bgsave_cpulist");
        Refuse("OOM score adjustment", null, "oom-score-adj", "oom-score-adj-values");
        Refuse("socket marks", null, "socket-mark-id");
        // As a Redis built without jemalloc: the tuning knobs are accepted, switching it on is refused.
        Refuse("active defragmentation (a jemalloc feature)", null, "activedefrag");
        // Honoured, with what is still partial.
        config.Find("client-output-buffer-limit")!.Note = "normal and pubsub classes enforced; the replica class waits for replication";

        NotApplicable("tunes jemalloc's defragmenter, which .NET does not use", "active-defrag-cycle-min", "active-defrag-cycle-max",
            "active-defrag-threshold-lower", "active-defrag-threshold-upper", "active-defrag-ignore-bytes", "active-defrag-max-scan-fields");
        NotApplicable("jemalloc is not used", "jemalloc-bg-thread");
        NotApplicable("no fork: transparent huge pages cannot slow a copy-on-write child", "disable-thp");
        NotApplicable("Redis's crash report; .NET reports unhandled exceptions itself", "crash-log-enabled", "crash-memcheck-enabled");
        NotApplicable("no ASCII logo", "always-show-logo");
        NotApplicable(".NET cannot rewrite the process title", "set-proc-title", "proc-title-template");
        NotApplicable("suppresses a warning about a Linux arm64 fork bug; Cinnabar never forks", "ignore-warnings");
        NotApplicable("socket I/O already runs on the .NET thread pool", "io-threads", "io-threads-do-reads");
        NotApplicable("freed values are collected by the GC, never on the command's path", "lazyfree-lazy-expire",
            "lazyfree-lazy-server-del", "lazyfree-lazy-user-del", "lazyfree-lazy-user-flush");
        NotApplicable("Cinnabar's timers run at hz; no per-tick client scan to spread", "dynamic-hz");
        NotApplicable("waits for lagging replicas, which do not exist", "shutdown-timeout");
    }
}
