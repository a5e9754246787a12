using System.Globalization;

namespace Cinnabar.Commands.Families;

/// <summary>
/// INFO memory. used_memory and its parts come from <see cref="Memory.MemoryAccounting"/> (counted as values
/// change, no collection), used_memory_rss is the process's resident set from /proc/self/statm; the
/// allocator figures add the two allocators: allocated = the managed heap after the last collection plus the
/// native blocks (entries, record pages, large arrays: <see cref="Storage.NativeHeap"/>), active = what the GC has
/// committed plus those blocks.
/// </summary>
public static class InfoMemory
{
    public static void Write(CinnabarServer server, InfoSection info)
    {
        var st = server.Stats;
        var memory = server.MemoryUsage;
        memory.RefreshClients();
        long used = memory.TrackPeak();
        long peak = Math.Max(st.PeakMemory, 1);
        long rss = ResidentSetBytes();
        var gc = GC.GetGCMemoryInfo();
        long native = Storage.NativeHeap.Bytes;
        long allocated = gc.HeapSizeBytes + native;
        long active = Math.Max(gc.TotalCommittedBytes + native, allocated);
        long startup = memory.StartupBytes;
        long clientMemory = memory.ClientsBytes;
        long overhead = memory.OverheadBytes;
        long dataset = used - overhead;
        long netUsage = used - startup;
        long systemMemory = TotalSystemMemory(gc);
        long maxMemory = server.Config.MaxMemory;

        info.Header("Memory");
        info.Add("used_memory", used);
        info.Add("used_memory_human", BytesToHuman(used));
        info.Add("used_memory_rss", rss);
        info.Add("used_memory_rss_human", BytesToHuman(rss));
        info.Add("used_memory_peak", st.PeakMemory);
        info.Add("used_memory_peak_human", BytesToHuman(st.PeakMemory));
        info.Add("used_memory_peak_perc", Percent(used, peak));
        info.Add("used_memory_overhead", overhead);
        info.Add("used_memory_startup", startup);
        info.Add("used_memory_dataset", dataset);
        info.Add("used_memory_dataset_perc", Percent(dataset, Math.Max(netUsage, 1)));
        info.Add("allocator_allocated", allocated);
        info.Add("allocator_active", active);
        info.Add("allocator_resident", rss);
        info.Add("total_system_memory", systemMemory);
        info.Add("total_system_memory_human", BytesToHuman(systemMemory));
        var scripting = server.Scripting;
        var functions = scripting.Functions;
        long vmEval = scripting.EvalVmBytes, vmFunctions = functions.VmBytes;
        long scriptsEval = scripting.CachedScriptBytes, functionsBytes = functions.LibraryBytes;
        info.Add("used_memory_lua", vmEval);
        info.Add("used_memory_vm_eval", vmEval);
        info.Add("used_memory_lua_human", BytesToHuman(vmEval));
        info.Add("used_memory_scripts_eval", scriptsEval);
        info.Add("number_of_cached_scripts", scripting.CachedScriptCount);
        info.Add("number_of_functions", functions.Functions.Count);
        info.Add("number_of_libraries", functions.Libraries.Count);
        info.Add("used_memory_vm_functions", vmFunctions);
        info.Add("used_memory_vm_total", vmEval + vmFunctions);
        info.Add("used_memory_vm_total_human", BytesToHuman(vmEval + vmFunctions));
        info.Add("used_memory_functions", functionsBytes);
        info.Add("used_memory_scripts", scriptsEval + functionsBytes);
        info.Add("used_memory_scripts_human", BytesToHuman(scriptsEval + functionsBytes));
        info.Add("maxmemory", maxMemory);
        info.Add("maxmemory_human", BytesToHuman(maxMemory));
        info.Add("maxmemory_policy", server.Config.MaxMemoryPolicy);
        info.Add("allocator_frag_ratio", Ratio(active, allocated));
        info.Add("allocator_frag_bytes", active - allocated);
        info.Add("allocator_rss_ratio", Ratio(rss, active));
        info.Add("allocator_rss_bytes", rss - active);
        info.Add("rss_overhead_ratio", Ratio(rss, rss));
        info.Add("rss_overhead_bytes", 0);
        info.Add("mem_fragmentation_ratio", Ratio(rss, used));
        info.Add("mem_fragmentation_bytes", rss - used);
        info.Add("mem_not_counted_for_evict", memory.NotCountedForEvictBytes);
        info.Add("mem_replication_backlog", 0);
        info.Add("mem_total_replication_buffers", 0);
        info.Add("mem_clients_slaves", 0);
        info.Add("mem_clients_normal", clientMemory);
        info.Add("mem_cluster_links", 0);
        info.Add("mem_aof_buffer", 0);
        info.Add("mem_allocator", "libc");
        info.Add("active_defrag_running", 0);
        info.Add("lazyfree_pending_objects", 0);
        info.Add("lazyfreed_objects", 0);
    }

    /// <summary>Redis's bytesToHuman: "512B", "894.77K", "11.64M", "23.54G" …</summary>
    public static string BytesToHuman(long n)
    {
        const double K = 1024;
        double d = n;
        if (n < 1024) return n.ToString(CultureInfo.InvariantCulture) + "B";
        string[] units = ["K", "M", "G", "T", "P"];
        double scale = K;
        foreach (var unit in units)
        {
            if (d < scale * K || unit == "P")
                return InfoSection.TwoDecimals(d / scale) + unit;
            scale *= K;
        }
        return n.ToString(CultureInfo.InvariantCulture) + "B";
    }

    private static string Percent(long part, long whole) =>
        InfoSection.TwoDecimals((double)part * 100 / whole) + "%";

    private static string Ratio(long a, long b) =>
        InfoSection.TwoDecimals(b == 0 ? 0 : (double)a / b);

    /// <summary>Resident set size in bytes (<see cref="Memory.ProcessMemory.ResidentSetBytes"/>).</summary>
    public static long ResidentSetBytes() => Memory.ProcessMemory.ResidentSetBytes();

    private static long TotalSystemMemory(GCMemoryInfo gc)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb)) return kb * 1024;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return gc.TotalAvailableMemoryBytes;
    }
}
