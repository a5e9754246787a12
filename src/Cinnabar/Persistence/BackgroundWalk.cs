using System.Diagnostics;

namespace Cinnabar.Persistence;

/// <summary>
/// Drives a background snapshot's walk (BGSAVE, the AOF rewrite) without a pause. Under load the epoll loops
/// step it at the end of their turns, each step a share of the turn (<see cref="Step"/>), so clients pay a
/// bounded share of latency; the snapshot's own thread (<see cref="Run"/>) writes what the steps sealed to the
/// file without taking the store lock, and walks in slices of its own only when no loop has stepped lately
/// (a quiet server, or clients served off the loops). Measured with 5M keys under 50 writing clients: when the
/// thread's slices and per-batch steps carried the walk, p99 during BGSAVE was 5.7-8x its p99 without one.
/// </summary>
/// <param name="loopCarry">How recent a loop's step must be for the thread to leave the walk to the loops (2 ms; tests set it).</param>
public sealed class BackgroundWalk(CinnabarServer server, ISnapshotWalk walk, SnapshotSpool spool, TimeSpan? loopCarry = null)
{
    /// <summary>How long one slice of the thread's own walk may hold the store lock (half a millisecond).</summary>
    private static readonly long SliceTicks = Stopwatch.Frequency / 2000;

    /// <summary>While a loop stepped the walk this recently, the thread leaves the walk to the loops.</summary>
    private readonly long _loopCarryTicks = (long)((loopCarry ?? TimeSpan.FromMilliseconds(2)).TotalSeconds * Stopwatch.Frequency);

    /// <summary>Keys written between two looks at the clock: in the thread's slices, in a loop's short steps.</summary>
    private const int KeysPerSliceCheck = 64;
    private const int KeysPerStepCheck = 2;

    /// <summary>
    /// The loops' steps add to the spool only while less than this waits for the file: with a disk slower than
    /// the clients' writes, the spool stays small and the thread's slices carry the walk at the disk's pace.
    /// </summary>
    private const long StepSpoolLimit = 4L * 1024 * 1024;

    /// <summary>When a loop last stepped the walk (a Stopwatch timestamp; written under the store lock, read by the thread without it).</summary>
    private long _lastLoopStep;

    private volatile bool _abandoned;

    /// <summary>Set once the walk is complete and its last bytes are sealed: the thread writes them and is done.</summary>
    private volatile bool _allSealed;

    public ISnapshotWalk Walk => walk;

    /// <summary>Stops the walk (under the store lock): the thread returns false at its next look.</summary>
    public void Abandon()
    {
        _abandoned = true;
        walk.Detach();
    }

    /// <summary>
    /// A step of the walk at the end of an epoll loop's turn, under the store lock, for about
    /// <paramref name="budgetTicks"/> (at least a couple of keys).
    /// </summary>
    public void Step(long budgetTicks)
    {
        if (_abandoned || walk.Done || walk.Failure != null || spool.Pending >= StepSpoolLimit) return;
        long now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _lastLoopStep, now);
        long until = now + budgetTicks;
        try
        {
            bool done;
            while (!(done = walk.WriteSome(KeysPerStepCheck)) && Stopwatch.GetTimestamp() < until) { }
            spool.Seal(onlyFullChunk: !done);
            if (done) _allSealed = true;
        }
        catch (IOException e)
        {
            // The client's turn goes on; the snapshot is lost and its thread says so.
            walk.Fail(e);
        }
    }

    /// <summary>
    /// The snapshot thread's loop: writes the sealed output to <paramref name="file"/> and walks when the loops
    /// do not, until the walk is complete (true) or abandoned (false). Throws the IOException of a failed write.
    /// </summary>
    public bool Run(FileStream file, bool incrementalFsync)
    {
        while (true)
        {
            bool complete = _allSealed;
            spool.WriteSealed(file, incrementalFsync);
            if (_abandoned) return false;
            if (complete) return true;
            if (Stopwatch.GetTimestamp() - Volatile.Read(ref _lastLoopStep) >= _loopCarryTicks)
            {
                lock (server.Gate)
                {
                    if (_abandoned) return false;
                    bool done = false;
                    long until = Stopwatch.GetTimestamp() + SliceTicks;
                    while (!done && Stopwatch.GetTimestamp() < until) done = walk.WriteSome(KeysPerSliceCheck);
                    // This slice's bytes and the keys serialized ahead of the walk since the last seal.
                    spool.Seal();
                    if (done) _allSealed = true;
                }
                if (_allSealed) continue;
            }
            // The lock lets no one queue ahead of a thread taking it again at once: the walk sleeps between
            // slices so clients waiting for it get their turn (measured: with a bare yield, p99 under a write
            // load grew 25-fold during a save).
            Thread.Sleep(1);
        }
    }
}
