using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Cinnabar.Persistence;
using Cinnabar.Observability;

namespace Cinnabar.Commands.Families;

/// <summary>
/// INFO [section ...]: the server's state as "field:value" lines under "# Section" headers, with Redis 7.0's
/// sections, field names and order. A bulk string in RESP2, a verbatim string in RESP3, as Redis sends.
/// </summary>
public static class InfoCommand
{
    /// <summary>Every section, in the order Redis prints them.</summary>
    private static readonly string[] SectionOrder =
    [
        "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
        "commandstats", "errorstats", "latencystats", "cluster", "keyspace",
    ];

    /// <summary>The sections of a bare INFO (and of "default").</summary>
    private static readonly string[] DefaultSections =
    [
        "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
        "errorstats", "cluster", "keyspace",
    ];

    [RedisCommand("INFO")]
    public static void Info(CommandContext ctx)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        if (ctx.ArgCount == 1) wanted.UnionWith(DefaultSections);
        for (int i = 1; i < ctx.ArgCount; i++)
        {
            string name = ctx.ArgString(i).ToLowerInvariant();
            switch (name)
            {
                case "default":
                    wanted.UnionWith(DefaultSections);
                    break;
                // No modules are loaded, so "all" (everything but module sections) equals "everything".
                case "all":
                case "everything":
                    wanted.UnionWith(SectionOrder);
                    break;
                default:
                    wanted.Add(name);
                    break;
            }
        }
        ctx.Reply.WriteVerbatim(Build(ctx.Server, wanted));
    }

    /// <summary>The INFO text for the given (lower-case) section names; unknown names add nothing.</summary>
    public static string Build(CinnabarServer server, IReadOnlySet<string> sections)
    {
        var sb = new StringBuilder(4096);
        foreach (var section in SectionOrder)
        {
            if (!sections.Contains(section)) continue;
            if (sb.Length > 0) sb.Append("\r\n");
            var info = new InfoSection(sb);
            switch (section)
            {
                case "server": Server(server, info); break;
                case "clients": Clients(server, info); break;
                case "memory": InfoMemory.Write(server, info); break;
                case "persistence": Persistence(server, info); break;
                case "stats": Stats(server, info); break;
                case "replication": Replication(server, info); break;
                case "cpu": Cpu(info); break;
                case "modules": info.Header("Modules"); break;
                case "commandstats": CommandStats(server, info); break;
                case "errorstats": ErrorStats(server, info); break;
                case "latencystats": LatencyStats(server, info); break;
                case "cluster":
                    info.Header("Cluster");
                    info.Add("cluster_enabled", 0);
                    break;
                case "keyspace": Keyspace(server, info); break;
            }
        }
        return sb.ToString();
    }

    private static void Server(CinnabarServer server, InfoSection info)
    {
        long nowUsec = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        long nowMs = nowUsec / 1000;
        long uptime = Math.Max(0, (nowMs - server.StartedMs) / 1000);
        info.Header("Server");
        info.Add("redis_version", ServerInfo.RedisVersion);
        info.Add("redis_git_sha1", "00000000");
        info.Add("redis_git_dirty", 0);
        info.Add("redis_build_id", BuildId);
        info.Add("redis_mode", "standalone");
        info.Add("os", OsDescription);
        info.Add("arch_bits", IntPtr.Size * 8);
        info.Add("monotonic_clock", "POSIX clock_gettime");
        info.Add("multiplexing_api", OperatingSystem.IsLinux() ? "epoll" : OperatingSystem.IsWindows() ? "iocp" : "kqueue");
        info.Add("atomicvar_api", "c11-builtin");
        info.Add("gcc_version", "0.0.0");
        info.Add("process_id", Environment.ProcessId);
        info.Add("process_supervised", "no");
        info.Add("run_id", server.RunId);
        info.Add("tcp_port", server.Port);
        info.Add("server_time_usec", nowUsec);
        info.Add("uptime_in_seconds", uptime);
        info.Add("uptime_in_days", uptime / 86400);
        info.Add("hz", server.Config.Hz);
        info.Add("configured_hz", server.Config.Find("hz")?.Value ?? server.Config.Hz.ToString(CultureInfo.InvariantCulture));
        info.Add("lru_clock", server.LruClock & 0xFFFFFF);
        info.Add("executable", Environment.ProcessPath ?? "");
        info.Add("config_file", server.Config.ConfigFile == null ? "" : Path.GetFullPath(server.Config.ConfigFile));
        info.Add("io_threads_active", 0);
    }

    private static void Clients(CinnabarServer server, InfoSection info)
    {
        var clients = server.ClientsSnapshot();
        info.Header("Clients");
        info.Add("connected_clients", clients.Count);
        info.Add("cluster_connections", 0);
        info.Add("maxclients", server.Config.MaxClients);
        info.Add("client_recent_max_input_buffer", clients.Count == 0 ? 0 : clients.Max(c => c.QueryBufferLength));
        info.Add("client_recent_max_output_buffer", clients.Count == 0 ? 0 : clients.Max(c => c.OutputBufferLength));
        info.Add("blocked_clients", server.Blocking.BlockedCount);
        info.Add("tracking_clients", server.Stats.TrackingClients);
        info.Add("clients_in_timeout_table", 0);
    }

    private static void Persistence(CinnabarServer server, InfoSection info)
    {
        info.Header("Persistence");
        var loading = server.LoadingState;
        var rdb = server.Rdb;
        info.Add("loading", loading.Active ? 1 : 0);
        info.Add("async_loading", 0);
        info.Add("current_cow_peak", 0);
        info.Add("current_cow_size", 0);
        info.Add("current_cow_size_age", 0);
        info.Add("current_fork_perc", "0.00");
        info.Add("current_save_keys_processed", rdb.CurrentKeysProcessed);
        info.Add("current_save_keys_total", rdb.CurrentKeysTotal);
        info.Add("rdb_changes_since_last_save", server.Dirty);
        info.Add("rdb_bgsave_in_progress", rdb.BackgroundInProgress ? 1 : 0);
        info.Add("rdb_last_save_time", server.LastSaveUnix);
        info.Add("rdb_last_bgsave_status", rdb.LastSaveOk ? "ok" : "err");
        info.Add("rdb_last_bgsave_time_sec", rdb.LastBackgroundSeconds);
        info.Add("rdb_current_bgsave_time_sec", rdb.CurrentBackgroundSeconds);
        info.Add("rdb_saves", rdb.Saves);
        info.Add("rdb_last_cow_size", 0);
        info.Add("rdb_last_load_keys_expired", rdb.LastLoadKeysExpired);
        info.Add("rdb_last_load_keys_loaded", rdb.LastLoadKeysLoaded);
        var aof = server.Aof;
        var writer = aof.Writer;
        info.Add("aof_enabled", aof.State != AofState.Off ? 1 : 0);
        var rewrite = aof.Rewrite;
        info.Add("aof_rewrite_in_progress", rewrite.InProgress ? 1 : 0);
        info.Add("aof_rewrite_scheduled", rewrite.Scheduled ? 1 : 0);
        info.Add("aof_last_rewrite_time_sec", rewrite.LastDurationSeconds);
        info.Add("aof_current_rewrite_time_sec", rewrite.CurrentSeconds);
        info.Add("aof_last_bgrewrite_status", rewrite.LastOk ? "ok" : "err");
        info.Add("aof_rewrites", rewrite.Rewrites);
        info.Add("aof_rewrites_consecutive_failures", rewrite.ConsecutiveFailures);
        info.Add("aof_last_write_status", aof.LastError == null ? "ok" : "err");
        info.Add("aof_last_cow_size", 0);
        info.Add("module_fork_in_progress", 0);
        info.Add("module_fork_last_cow_size", 0);
        if (server.Config.AppendOnly)
        {
            info.Add("aof_current_size", writer?.CurrentSize ?? 0);
            info.Add("aof_base_size", aof.BaseSize);
            info.Add("aof_pending_rewrite", rewrite.Scheduled ? 1 : 0);
            info.Add("aof_buffer_length", writer?.BufferLength ?? 0);
            info.Add("aof_pending_bio_fsync", aof.PendingFsyncs);
            info.Add("aof_delayed_fsync", writer?.DelayedFsyncs ?? 0);
        }
        // The load's progress comes last, as in Redis 7.
        if (loading.Active)
        {
            info.Add("loading_start_time", loading.StartUnixSeconds);
            info.Add("loading_total_bytes", loading.TotalBytes);
            info.Add("loading_rdb_used_mem", loading.RdbUsedMem);
            info.Add("loading_loaded_bytes", loading.LoadedBytes);
            info.Add("loading_loaded_perc", loading.LoadedPercent.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
            info.Add("loading_eta_seconds", loading.EtaSeconds);
        }
    }

    private static void Stats(CinnabarServer server, InfoSection info)
    {
        var st = server.Stats;
        info.Header("Stats");
        info.Add("total_connections_received", Interlocked.Read(ref st.TotalConnectionsReceived));
        info.Add("total_commands_processed", st.TotalCommandsProcessed);
        info.Add("instantaneous_ops_per_sec", st.InstantaneousOpsPerSec);
        info.Add("total_net_input_bytes", Interlocked.Read(ref st.TotalNetInputBytes));
        info.Add("total_net_output_bytes", Interlocked.Read(ref st.TotalNetOutputBytes));
        info.Add("total_net_repl_input_bytes", 0);
        info.Add("total_net_repl_output_bytes", 0);
        info.Add("instantaneous_input_kbps", InfoSection.TwoDecimals(st.InstantaneousInputKbps));
        info.Add("instantaneous_output_kbps", InfoSection.TwoDecimals(st.InstantaneousOutputKbps));
        info.Add("instantaneous_input_repl_kbps", "0.00");
        info.Add("instantaneous_output_repl_kbps", "0.00");
        info.Add("rejected_connections", Interlocked.Read(ref st.RejectedConnections));
        info.Add("sync_full", 0);
        info.Add("sync_partial_ok", 0);
        info.Add("sync_partial_err", 0);
        info.Add("expired_keys", st.ExpiredKeys);
        info.Add("expired_stale_perc", "0.00");
        info.Add("expired_time_cap_reached_count", st.ExpiredStalePercentTimes);
        info.Add("expire_cycle_cpu_milliseconds", st.ExpireCycleCpuMicros / 1000);
        info.Add("evicted_keys", st.EvictedKeys);
        info.Add("evicted_clients", 0);
        info.Add("total_eviction_exceeded_time", 0);
        info.Add("current_eviction_exceeded_time", 0);
        info.Add("keyspace_hits", st.KeyspaceHits);
        info.Add("keyspace_misses", st.KeyspaceMisses);
        info.Add("pubsub_channels", server.PubSub.ChannelCount);
        info.Add("pubsub_patterns", server.PubSub.PatternCount);
        info.Add("pubsubshard_channels", server.PubSub.ShardChannelCount);
        info.Add("latest_fork_usec", 0);
        info.Add("total_forks", 0);
        info.Add("migrate_cached_sockets", server.MigrateLinks.Count);
        info.Add("slave_expires_tracked_keys", 0);
        info.Add("active_defrag_hits", 0);
        info.Add("active_defrag_misses", 0);
        info.Add("active_defrag_key_hits", 0);
        info.Add("active_defrag_key_misses", 0);
        info.Add("total_active_defrag_time", 0);
        info.Add("current_active_defrag_time", 0);
        info.Add("tracking_total_keys", 0);
        info.Add("tracking_total_items", 0);
        info.Add("tracking_total_prefixes", 0);
        info.Add("unexpected_error_replies", st.UnexpectedErrorReplies);
        info.Add("total_error_replies", Interlocked.Read(ref st.TotalErrorReplies));
        info.Add("dump_payload_sanitizations", 0);
        info.Add("total_reads_processed", Interlocked.Read(ref st.TotalReadsProcessed));
        info.Add("total_writes_processed", Interlocked.Read(ref st.TotalWritesProcessed));
        info.Add("io_threaded_reads_processed", 0);
        info.Add("io_threaded_writes_processed", 0);
        info.Add("reply_buffer_shrinks", 0);
        info.Add("reply_buffer_expands", 0);
    }

    private static void Replication(CinnabarServer server, InfoSection info)
    {
        info.Header("Replication");
        info.Add("role", "master");
        info.Add("connected_slaves", 0);
        info.Add("master_failover_state", "no-failover");
        info.Add("master_replid", server.Stats.ReplicationId);
        info.Add("master_replid2", new string('0', 40));
        info.Add("master_repl_offset", 0);
        info.Add("second_repl_offset", -1);
        info.Add("repl_backlog_active", 0);
        info.Add("repl_backlog_size", server.Config.Find("repl-backlog-size")?.Value ?? "1048576");
        info.Add("repl_backlog_first_byte_offset", 0);
        info.Add("repl_backlog_histlen", 0);
    }

    private static void Cpu(InfoSection info)
    {
        using var process = Process.GetCurrentProcess();
        string sys = Seconds6(process.PrivilegedProcessorTime), user = Seconds6(process.UserProcessorTime);
        info.Header("CPU");
        info.Add("used_cpu_sys", sys);
        info.Add("used_cpu_user", user);
        info.Add("used_cpu_sys_children", "0.000000");
        info.Add("used_cpu_user_children", "0.000000");
        // Commands run on whichever thread holds the store lock, so the process figures stand for the main thread.
        info.Add("used_cpu_sys_main_thread", sys);
        info.Add("used_cpu_user_main_thread", user);
    }

    private static void CommandStats(CinnabarServer server, InfoSection info)
    {
        info.Header("Commandstats");
        foreach (var def in server.Commands.Commands.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            WriteCommandStat(def, server.CommandStatistics[def], info);
            foreach (var sub in CommandInfoWriter.SortedSubcommands(def)) WriteCommandStat(sub, server.CommandStatistics[sub], info);
        }
    }

    private static void WriteCommandStat(CommandDef def, in CommandStats stats, InfoSection info)
    {
        if (stats.IsEmpty) return;
        double perCall = stats.Calls == 0 ? 0 : (double)stats.Microseconds / stats.Calls;
        info.Line(string.Create(CultureInfo.InvariantCulture,
            $"cmdstat_{def.DisplayName}:calls={stats.Calls},usec={stats.Microseconds},usec_per_call={perCall:F2},rejected_calls={stats.RejectedCalls},failed_calls={stats.FailedCalls}"));
    }

    /// <summary>Percentiles of each called command's latency in µs, e.g. "latency_percentiles_usec_get:p50=1.003,p99=2.007,p99.9=2.007".</summary>
    private static void LatencyStats(CinnabarServer server, InfoSection info)
    {
        info.Header("Latencystats");
        // latency-tracking no: the section is empty, though the histograms made before are kept.
        if (!server.Config.LatencyTracking) return;
        double[] percentiles = server.Config.LatencyTrackingPercentiles;
        foreach (var def in server.Commands.Commands.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            WriteLatency(def, server.CommandStatistics[def].Latency, percentiles, info);
            foreach (var sub in CommandInfoWriter.SortedSubcommands(def))
                WriteLatency(sub, server.CommandStatistics[sub].Latency, percentiles, info);
        }
    }

    private static void WriteLatency(CommandDef def, LatencyHistogram? histogram, double[] percentiles, InfoSection info)
    {
        if (histogram == null) return;
        var line = new StringBuilder("latency_percentiles_usec_").Append(def.DisplayName).Append(':');
        for (int i = 0; i < percentiles.Length; i++)
        {
            if (i > 0) line.Append(',');
            line.Append('p').Append(Types.FixedPointText.FormatF6Trimmed(percentiles[i])).Append('=')
                .Append((histogram.ValueAtPercentile(percentiles[i]) / 1000.0).ToString("F3", CultureInfo.InvariantCulture));
        }
        info.Line(line.ToString());
    }

    private static void ErrorStats(CinnabarServer server, InfoSection info)
    {
        info.Header("Errorstats");
        foreach (var (code, count) in server.Stats.ErrorCounts.OrderBy(e => e.Key, StringComparer.Ordinal))
            info.Line(string.Create(CultureInfo.InvariantCulture, $"errorstat_{code}:count={count}"));
    }

    private static void Keyspace(CinnabarServer server, InfoSection info)
    {
        info.Header("Keyspace");
        foreach (var db in server.Databases)
        {
            if (db.Count == 0) continue;
            info.Line(string.Create(CultureInfo.InvariantCulture,
                $"db{db.Index}:keys={db.Count},expires={db.VolatileCount},avg_ttl={db.AverageTtl}"));
        }
    }


    private static string Seconds6(TimeSpan t) => t.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>A fixed id for this build, as redis_build_id is a hash of the build.</summary>
    public static readonly string BuildId = Convert.ToHexString(
        System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(typeof(InfoCommand).Assembly.FullName ?? ServerInfo.Version)))[..15].ToLowerInvariant();

    /// <summary>"Linux 6.1.0 x86_64", as uname's sysname, release and machine.</summary>
    private static readonly string OsDescription = DescribeOs();

    private static string DescribeOs()
    {
        string machine = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            Architecture.X86 => "i686",
            Architecture.Arm => "armv7l",
            var a => a.ToString().ToLowerInvariant(),
        };
        if (OperatingSystem.IsLinux())
        {
            try
            {
                string release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
                return $"Linux {release} {machine}";
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return $"{RuntimeInformation.OSDescription} {machine}";
    }
}

/// <summary>Appends one INFO section: a "# Name" header and "field:value" lines, each ending in CRLF.</summary>
public readonly struct InfoSection(StringBuilder sb)
{
    public void Header(string name) => sb.Append("# ").Append(name).Append("\r\n");
    public void Line(string line) => sb.Append(line).Append("\r\n");
    public void Add(string field, string value) => sb.Append(field).Append(':').Append(value).Append("\r\n");
    public void Add(string field, long value) => sb.Append(field).Append(':').Append(value.ToString(CultureInfo.InvariantCulture)).Append("\r\n");

    /// <summary>A number as Redis's "%.2f" prints it in INFO (ratios, percentages, kbps, human sizes).</summary>
    public static string TwoDecimals(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
