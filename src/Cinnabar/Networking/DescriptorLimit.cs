using System.Runtime.InteropServices;

namespace Cinnabar.Networking;

/// <summary>
/// Fits maxclients to the process's open-file limit, as redis-server's adjustOpenFilesLimit: the soft
/// RLIMIT_NOFILE is raised toward maxclients plus a reserve; where the limit cannot go that high, maxclients
/// is lowered so a full server still has descriptors left for its own files. Running out of descriptors
/// makes the .NET runtime abort ("Out of memory."), so this is what keeps many clients from ending the process.
/// Linux only; elsewhere the limits are left alone.
/// </summary>
public static partial class DescriptorLimit
{
    /// <summary>Redis keeps 32 descriptors beyond its clients (CONFIG_MIN_RESERVED_FDS).</summary>
    public const int RedisReserve = 32;

    private const int RlimitNofile = 7; // RLIMIT_NOFILE on Linux (all architectures .NET runs on)

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);

    /// <summary>
    /// Descriptors kept beyond the clients: Redis's 32 plus those the runtime holds when the server starts
    /// (mapped assemblies, epoll, the log), and as many again for what it opens later. Fixed by
    /// <see cref="Measure"/>; <see cref="RedisReserve"/> until then.
    /// </summary>
    public static int Reserved { get; private set; } = RedisReserve;

    /// <summary>True once the server process took charge of the limit (not for in-process servers in tests).</summary>
    public static bool Managed { get; private set; }

    private static ServerLog _log = ServerLog.Silent;

    /// <summary>
    /// Counts the descriptors open now and fixes <see cref="Reserved"/> from it; later changes of maxclients
    /// (CONFIG SET) log to <paramref name="log"/>. Call once, at start.
    /// </summary>
    public static void Measure(ServerLog log)
    {
        _log = log;
        if (!OperatingSystem.IsLinux()) return;
        int open;
        try { open = Directory.GetFileSystemEntries("/proc/self/fd").Length; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { open = 0; }
        Reserved = RedisReserve + 2 * open;
        Managed = true;
    }

    /// <summary>
    /// CONFIG SET maxclients, as Redis's updateMaxclients: the limit is raised for the new value, and a value the
    /// limit cannot hold is refused with the number that would fit.
    /// </summary>
    public static string? CheckNewMaxClients(long requested)
    {
        if (!Managed) return null;
        int fits = Fit((int)Math.Min(requested, int.MaxValue), _log, out bool fatal);
        if (fatal) fits = 0;
        return fits < requested ? $"The operating system is not able to handle the specified number of clients, try with {fits}" : null;
    }

    /// <summary>The current soft limit, or null where it cannot be read.</summary>
    public static ulong? Current() =>
        OperatingSystem.IsLinux() && GetRLimit(RlimitNofile, out var l) == 0 ? l.Current : null;

    /// <summary>
    /// Makes room for <paramref name="maxClients"/> clients. Returns the clients the limit allows (equal to the
    /// request when it fits), with Redis's log lines in <paramref name="log"/>; <paramref name="fatal"/> is set
    /// when not even the reserve fits (Redis then exits).
    /// </summary>
    public static int Fit(int maxClients, ServerLog log, out bool fatal)
    {
        fatal = false;
        if (!Managed || GetRLimit(RlimitNofile, out var limit) != 0) return maxClients;
        ulong needed = (ulong)maxClients + (ulong)Reserved;
        ulong old = limit.Current;
        if (old >= needed) return maxClients;

        // Try the whole need first, then 16 descriptors less at a time, down to what we already have.
        ulong best = needed;
        int error = 0;
        while (best > old)
        {
            var attempt = new RLimit { Current = best, Maximum = Math.Max(best, limit.Maximum) };
            if (SetRLimit(RlimitNofile, attempt) == 0) break;
            error = Marshal.GetLastPInvokeError();
            if (best < 16) { best = old; break; }
            best -= 16;
        }
        if (best < old) best = old;
        if (best >= needed)
        {
            log.Notice($"Increased maximum number of open files to {needed} (it was originally set to {old}).");
            return maxClients;
        }
        if (best <= (ulong)Reserved)
        {
            log.Warning($"Your current 'ulimit -n' of {old} is not enough for the server to start. Please increase your open file limit to at least {needed}. Exiting.");
            fatal = true;
            return maxClients;
        }
        int reduced = (int)(best - (ulong)Reserved);
        log.Warning($"You requested maxclients of {maxClients} requiring at least {needed} max file descriptors.");
        log.Warning($"Server can't set maximum open files to {needed} because of OS error: {Marshal.GetPInvokeErrorMessage(error)}.");
        log.Warning($"Current maximum open files is {best}. maxclients has been reduced to {reduced} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.");
        return reduced;
    }
}
