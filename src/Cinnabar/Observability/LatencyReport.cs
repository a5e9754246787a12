using System.Globalization;
using System.Text;
using Cinnabar.Types;

namespace Cinnabar.Observability;

/// <summary>
/// LATENCY DOCTOR: Redis's human report (latency.c createLatencyReport), with its sentences, the line per event
/// and the advice each event calls for, in Redis's order. Cinnabar records the events "command", "fast-command"
/// and "expire-cycle" only, so only their advice (and the transparent-huge-pages check, which concerns any
/// process) can appear. Redis's other events need what Cinnabar does not do: "fork" (Cinnabar never forks),
/// the "aof-*" and "rdb-unlink-temp-file" events (no AOF or RDB files yet), "eviction-*" (no maxmemory eviction
/// yet); their advice (a faster VM for fork, disks, fsync policy, mass eviction) is left out until those features
/// record the events.
/// </summary>
public static class LatencyReport
{
    [Flags]
    private enum Advice
    {
        None = 0,
        EnableSlowLog = 1 << 0,
        TuneSlowLog = 1 << 1,
        InspectSlowLog = 1 << 2,
        Scheduler = 1 << 3,
        Hz = 1 << 4,
        LargeObjects = 1 << 5,
        DisableHugePages = 1 << 6,
    }

    public static string Create(CinnabarServer server)
    {
        var monitor = server.Latency;
        var config = server.Config;
        var report = new StringBuilder();
        if (!monitor.Events.Any() && config.LatencyMonitorThreshold == 0)
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";

        var advice = Advice.None;
        int advices = 0, eventNumber = 0;
        Span<byte> period = stackalloc byte[FixedPointText.MaxLength(2)];
        foreach (var (name, series) in monitor.Events)
        {
            if (++eventNumber == 1)
                report.Append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
            var a = LatencyMonitor.Analyze(series);
            int periodLength = FixedPointText.Format((double)a.PeriodSeconds / a.Samples, 2, period);
            report.Append(CultureInfo.InvariantCulture,
                $"{eventNumber}. {name}: {a.Samples} latency spikes (average {a.Average}ms, mean deviation {a.MeanDeviation}ms, period {Encoding.ASCII.GetString(period[..periodLength])} sec). Worst all time event {series.Max}ms.");

            // Event names are compared case-insensitively, as Redis does.
            switch (name.ToLowerInvariant())
            {
                case "command":
                    if (config.SlowlogLogSlowerThan < 0) Add(Advice.EnableSlowLog);
                    else if (config.SlowlogLogSlowerThan / 1000 > config.LatencyMonitorThreshold) Add(Advice.TuneSlowLog);
                    Add(Advice.InspectSlowLog | Advice.LargeObjects, 2);
                    break;
                case "fast-command":
                    Add(Advice.Scheduler);
                    break;
                case "expire-cycle":
                    Add(Advice.Hz | Advice.LargeObjects, 2);
                    break;
            }
            report.Append('\n');
        }
        if (AnonHugePagesBytes() > 0) Add(Advice.DisableHugePages);

        if (eventNumber == 0 && advices == 0)
        {
            report.Append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
        }
        else if (eventNumber > 0 && advices == 0)
        {
            report.Append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n");
        }
        else
        {
            report.Append("\nI have a few advices for you:\n\n");
            long suggested = config.LatencyMonitorThreshold * 1000;
            if ((advice & Advice.EnableSlowLog) != 0)
                report.Append(CultureInfo.InvariantCulture, $"- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than {suggested}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n");
            if ((advice & Advice.TuneSlowLog) != 0)
                report.Append(CultureInfo.InvariantCulture, $"- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than {suggested}'.\n");
            if ((advice & Advice.InspectSlowLog) != 0)
                report.Append("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
            if ((advice & Advice.Scheduler) != 0)
                report.Append("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n"
                    + "  1) Lower the system load.\n"
                    + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                    + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                    + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n"
                    + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n");
            if ((advice & Advice.Hz) != 0 && config.Hz < 100)
                report.Append("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
            if ((advice & Advice.LargeObjects) != 0)
                report.Append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n");
            if ((advice & Advice.DisableHugePages) != 0)
                report.Append("- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n");
        }
        return report.ToString();

        // Redis counts every advice raised (some more than once); only "none at all" changes the report.
        void Add(Advice what, int count = 1)
        {
            advice |= what;
            advices += count;
        }
    }

    /// <summary>
    /// Bytes of this process's memory backed by transparent huge pages (the AnonHugePages lines of
    /// /proc/self/smaps, which smaps_rollup sums), as Redis checks its own process; 0 where there is no /proc.
    /// </summary>
    public static long AnonHugePagesBytes()
    {
        foreach (var path in new[] { "/proc/self/smaps_rollup", "/proc/self/smaps" })
        {
            if (!File.Exists(path)) continue;
            try
            {
                long kilobytes = 0;
                foreach (var line in File.ReadLines(path))
                {
                    if (!line.StartsWith("AnonHugePages:", StringComparison.Ordinal)) continue;
                    var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (words.Length >= 2 && long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb)) kilobytes += kb;
                }
                return kilobytes * 1024;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return 0;
            }
        }
        return 0;
    }
}
