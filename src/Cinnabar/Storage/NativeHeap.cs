using System.Runtime.InteropServices;

namespace Cinnabar.Storage;

/// <summary>
/// What the process keeps in native memory: the key tables' entries and record pages, the large hashes' pages,
/// and the arrays that grow by doubling (<see cref="NativeArray{T}"/>). None of it is the collector's work, so
/// a collection's cost does not grow with the number of keys, and nothing of it waits for a collection to be
/// given back: a dropped block is freed by a timer thread, with no lock and no pause of anyone.
///
/// A block is freed <see cref="FreeDelay"/> after its owner let it go, not at once: a command may still hold a
/// span into a record of the page its own delete just emptied, or into a table it just replaced, and a span
/// keeps no native block alive. Commands run for microseconds; a second is far past any of them.
///
/// Blocks of 64 KB and more are mapped on their own (glibc's mmap threshold is fixed there rather than left
/// to grow with what was freed), so a freed page goes back to the system at once instead of into malloc's free
/// lists.
/// </summary>
internal static unsafe partial class NativeHeap
{
    public static readonly TimeSpan FreeDelay = TimeSpan.FromSeconds(1);
    private const int MmapThresholdBytes = 64 * 1024;

    private static long s_bytes;
    private static readonly DeferredFrees s_retired = new((long)FreeDelay.TotalMilliseconds, (block, bytes) => FreeNow((void*)block, bytes));
    private static int s_timerArmed;
    private static readonly Timer s_timer = new(_ => FreeDue(), null, Timeout.Infinite, Timeout.Infinite);

    static NativeHeap() => FixMmapThreshold();

    /// <summary>Bytes allocated here and not yet freed (blocks waiting for their delay included).</summary>
    public static long Bytes => Interlocked.Read(ref s_bytes);

    /// <summary>Blocks let go and not yet freed.</summary>
    public static int RetiredCount => s_retired.Count;

    public static void* Allocate(long bytes, bool zeroed = false)
    {
        void* block = zeroed ? NativeMemory.AllocZeroed((nuint)bytes) : NativeMemory.Alloc((nuint)bytes);
        Interlocked.Add(ref s_bytes, bytes);
        return block;
    }

    /// <summary>Resizes a block at once (its owner holds no span into it while it grows: the store lock).</summary>
    public static void* Reallocate(void* block, long oldBytes, long newBytes)
    {
        block = NativeMemory.Realloc(block, (nuint)newBytes);
        Interlocked.Add(ref s_bytes, newBytes - oldBytes);
        return block;
    }

    /// <summary>Frees a block that nothing can point into any more.</summary>
    public static void FreeNow(void* block, long bytes)
    {
        NativeMemory.Free(block);
        Interlocked.Add(ref s_bytes, -bytes);
    }

    /// <summary>Frees a block after <see cref="FreeDelay"/>: its owner dropped it, a span of the current command may not have.</summary>
    public static void FreeLater(void* block, long bytes)
    {
        if (block == null) return;
        s_retired.Add((nint)block, bytes, Environment.TickCount64);
        if (Interlocked.Exchange(ref s_timerArmed, 1) == 0) s_timer.Change(FreeDelay, Timeout.InfiniteTimeSpan);
    }

    private static void FreeDue()
    {
        s_retired.FreeDue(Environment.TickCount64);
        Volatile.Write(ref s_timerArmed, 0);
        // Blocks retired meanwhile or not yet due: arm again (a racing FreeLater may have armed it already).
        long next = s_retired.NextDue;
        if (next >= 0 && Interlocked.Exchange(ref s_timerArmed, 1) == 0)
            s_timer.Change(TimeSpan.FromMilliseconds(Math.Max(10, next - Environment.TickCount64)), Timeout.InfiniteTimeSpan);
    }

    private static void FixMmapThreshold()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            Mallopt(MallocMmapThreshold, MmapThresholdBytes);
            // The default cap of 65536 mapped blocks is 8 GB of 128 KB pages; past it malloc would use its heap.
            Mallopt(MallocMmapMax, 1 << 24);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: its malloc decides.
        }
    }

    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int MallocMmapMax = -4;       // M_MMAP_MAX

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int param, int value);
}
