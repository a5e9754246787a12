using System.Globalization;
using System.Text;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// MEMORY USAGE / STATS / DOCTOR / PURGE / MALLOC-STATS / HELP, with Redis 7.0's reply shapes. Sizes come
/// from the accounting the key tables keep (<see cref="Memory.MemoryAccounting"/>): exact for every value,
/// so MEMORY USAGE's SAMPLES is validated as Redis does but never needed.
/// </summary>
public static class MemoryCommands
{
    [RedisCommand("MEMORY USAGE")]
    public static void Usage(CommandContext ctx)
    {
        for (int i = 3; i < ctx.ArgCount; i++)
        {
            if (Ascii.EqualsIgnoreCase(ctx.Arg(i), "SAMPLES"u8) && i + 1 < ctx.ArgCount)
            {
                if (!ctx.TryArgLong(i + 1, out long samples)) return;
                if (samples < 0) { ctx.SyntaxError(); return; }
                i++;
            }
            else { ctx.SyntaxError(); return; }
        }
        // As Redis: the key is looked up in the table as it is (an expired key not yet deleted still answers).
        int slot = ctx.Db.Table.Find(ctx.Arg(2));
        if (slot < 0) { ctx.Reply.WriteNull(); return; }
        ctx.Reply.WriteInteger(ctx.Db.Table.MemoryUsage(slot));
    }

    [RedisCommand("MEMORY STATS")]
    public static void Stats(CommandContext ctx)
    {
        var server = ctx.Server;
        var memory = server.MemoryUsage;
        memory.RefreshClients();
        long used = memory.TrackPeak();
        long peak = Math.Max(server.Stats.PeakMemory, 1);
        long startup = memory.StartupBytes;
        long overhead = memory.OverheadBytes;
        long keys = 0;
        int nonEmpty = 0;
        foreach (var db in server.Databases)
        {
            keys += db.Count;
            if (db.Count > 0) nonEmpty++;
        }
        long netUsage = Math.Max(used - startup, 1);
        var gc = GC.GetGCMemoryInfo();
        long rss = InfoMemory.ResidentSetBytes();
        long allocated = gc.HeapSizeBytes, active = Math.Max(gc.TotalCommittedBytes, allocated);

        var w = ctx.Reply;
        w.WriteMapHeader(27 + nonEmpty);
        Pair(w, "peak.allocated", server.Stats.PeakMemory);
        Pair(w, "total.allocated", used);
        Pair(w, "startup.allocated", startup);
        Pair(w, "replication.backlog", 0);
        Pair(w, "clients.slaves", 0);
        Pair(w, "clients.normal", memory.ClientsBytes);
        Pair(w, "cluster.links", 0);
        Pair(w, "aof.buffer", 0);
        Pair(w, "lua.caches", memory.ScriptsBytes);
        Pair(w, "functions.caches", 0);
        foreach (var db in server.Databases)
        {
            if (db.Count == 0) continue;
            w.WriteBulk("db." + db.Index.ToString(CultureInfo.InvariantCulture));
            w.WriteMapHeader(3);
            Pair(w, "overhead.hashtable.main", db.Table.MainOverheadBytes);
            Pair(w, "overhead.hashtable.expires", db.Table.ExpiresOverheadBytes);
            Pair(w, "overhead.hashtable.slot-to-keys", 0);
        }
        Pair(w, "overhead.total", overhead);
        Pair(w, "keys.count", keys);
        Pair(w, "keys.bytes-per-key", keys == 0 ? 0 : (used - startup) / keys);
        Pair(w, "dataset.bytes", used - overhead);
        Pair(w, "dataset.percentage", (double)(used - overhead) * 100 / netUsage);
        Pair(w, "peak.percentage", (double)used * 100 / peak);
        Pair(w, "allocator.allocated", allocated);
        Pair(w, "allocator.active", active);
        Pair(w, "allocator.resident", rss);
        Pair(w, "allocator-fragmentation.ratio", Ratio(active, allocated));
        Pair(w, "allocator-fragmentation.bytes", active - allocated);
        Pair(w, "allocator-rss.ratio", Ratio(rss, active));
        Pair(w, "allocator-rss.bytes", rss - active);
        Pair(w, "rss-overhead.ratio", 1.0);
        Pair(w, "rss-overhead.bytes", 0);
        Pair(w, "fragmentation", Ratio(rss, used));
        Pair(w, "fragmentation.bytes", rss - used);
    }

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;

    private static void Pair(Protocol.RespWriter w, string name, long value)
    {
        w.WriteBulk(name);
        w.WriteInteger(value);
    }

    private static void Pair(Protocol.RespWriter w, string name, double value)
    {
        w.WriteBulk(name);
        w.WriteDouble(value);
    }

    /// <summary>
    /// A report of memory conditions worth a look, on the same conditions Redis's doctor checks (a peak far
    /// above current use, fragmentation, large client buffers, many cached scripts), in our own words.
    /// </summary>
    [RedisCommand("MEMORY DOCTOR")]
    public static void Doctor(CommandContext ctx)
    {
        var server = ctx.Server;
        var memory = server.MemoryUsage;
        memory.RefreshClients();
        long used = memory.TrackPeak();
        if (used < 5 * 1024 * 1024)
        {
            ctx.Reply.WriteVerbatim("This server holds too little data for a memory diagnosis (under 5 MB in use); ask again once it holds a working set.\n");
            return;
        }
        var findings = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        long peak = server.Stats.PeakMemory;
        if (peak > used * 3 / 2)
            findings.Append(inv, $" * Peak memory: the peak ({InfoMemory.BytesToHuman(peak)}) is more than 1.5 times the memory in use now ({InfoMemory.BytesToHuman(used)}). Memory freed since the peak returns to the system gradually; the resident size may stay above the data for a while.\n\n");
        long rss = InfoMemory.ResidentSetBytes();
        if (rss > used * 14 / 10 && rss - used > 10 * 1024 * 1024)
            findings.Append(inv, $" * High fragmentation: the resident set ({InfoMemory.BytesToHuman(rss)}) is {(double)rss / used:F2} times the memory in use. The runtime returns free regions to the system after collections; MEMORY PURGE asks for that now.\n\n");
        int clients = Math.Max(1, server.ClientCount);
        if (memory.ClientsBytes / clients > 200 * 1024)
            findings.Append(inv, $" * Big client buffers: the clients use {InfoMemory.BytesToHuman(memory.ClientsBytes / clients)} each on average. Pipelines of very large replies or slow readers cause this; client-output-buffer-limit bounds it.\n\n");
        if (server.Scripting.CachedScriptCount > 1000)
            findings.Append(inv, $" * Many scripts: {server.Scripting.CachedScriptCount} scripts are cached. Scripts built with their arguments inside the body fill the cache; pass arguments through KEYS and ARGV, or run SCRIPT FLUSH.\n\n");
        ctx.Reply.WriteVerbatim(findings.Length == 0
            ? "No memory problems found: use, peak, fragmentation, client buffers and the script cache all look normal.\n"
            : "Memory conditions worth a look:\n\n" + findings);
    }

    /// <summary>The allocators' report: the .NET GC's figures for its last collections, the record pages, the native blocks.</summary>
    [RedisCommand("MEMORY MALLOC-STATS")]
    public static void MallocStats(CommandContext ctx)
    {
        var sb = new StringBuilder("___ .NET GC statistics ___\n");
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"server-gc: {System.Runtime.GCSettings.IsServerGC}, latency-mode: {System.Runtime.GCSettings.LatencyMode}\n");
        sb.Append(inv, $"collections: gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)}\n");
        sb.Append(inv, $"total-pause: {GC.GetTotalPauseDuration().TotalMilliseconds:F1} ms, allocated-total: {GC.GetTotalAllocatedBytes()}\n");
        var monitor = Memory.GcPauseMonitor.Instance;
        sb.Append(inv, $"pauses: {monitor.Pauses}, longest-pause: {monitor.Longest}, last-pause: {monitor.Last.Duration.TotalMilliseconds:F2} ms\n");
        sb.Append(inv, $"longest-pause-since-latency-reset: {ctx.Server.Latency.LongestGcPause}\n");
        foreach (var kind in new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background })
        {
            var info = GC.GetGCMemoryInfo(kind);
            if (info.Index == 0) continue;
            string pauses = string.Join(",", info.PauseDurations.ToArray().Select(p => p.TotalMilliseconds.ToString("F2", inv)));
            sb.Append(inv, $"last {kind}: index={info.Index} generation={info.Generation} compacted={info.Compacted} heap={info.HeapSizeBytes} committed={info.TotalCommittedBytes} fragmented={info.FragmentedBytes} promoted={info.PromotedBytes} pause-ms={pauses}\n");
        }
        // The key tables' record pages, as jemalloc's stats show its bins: what the records hold and the free room.
        long pages = 0, pageBytes = 0, recordBytes = 0;
        foreach (var db in ctx.Server.Databases)
        {
            pages += db.Table.RecordPageCount;
            pageBytes += db.Table.RecordPageBytes;
            recordBytes += db.Table.RecordBytes;
        }
        sb.Append(inv, $"___ Record pages (keys and strings) ___\npages: {pages}, page-bytes: {pageBytes}, record-bytes: {recordBytes}, free-bytes: {pageBytes - recordBytes}\n");
        sb.Append(inv, $"___ Native memory (entries, record pages, large arrays) ___\nbytes: {Storage.NativeHeap.Bytes}, waiting-to-free: {Storage.NativeHeap.RetiredCount}\n");
        ctx.Reply.WriteVerbatim(sb.ToString());
    }

    /// <summary>Asks the runtime to return free memory to the system now, without stopping clients (see <see cref="Memory.MemoryTrimmer"/>).</summary>
    [RedisCommand("MEMORY PURGE")]
    public static void Purge(CommandContext ctx)
    {
        ctx.Server.MemoryTrimmer.RequestNow(compact: true);
        ctx.Reply.WriteOk();
    }

    private static readonly string[] HelpLines =
    [
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        "HELP",
        "    Prints this help.",
    ];

    [RedisCommand("MEMORY HELP")]
    public static void Help(CommandContext ctx) => ctx.WriteHelp(HelpLines);
}
