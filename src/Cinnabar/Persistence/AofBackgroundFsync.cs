using Microsoft.Win32.SafeHandles;

namespace Cinnabar.Persistence;

/// <summary>
/// Redis's BIO_AOF_FSYNC thread: fsyncs (and, for a file that is no longer appended to, then closes) an AOF file
/// off the store lock, so `appendfsync everysec` never makes a client wait for the disk. The writer asks for
/// at most one fsync at a time and postpones its writes while one runs, as Redis does.
/// </summary>
public sealed class AofBackgroundFsync : IDisposable
{
    private readonly Queue<(SafeFileHandle File, bool Close, long Covers)> _jobs = new();
    private readonly object _lock = new();
    private readonly Thread _thread;
    private int _pending;
    private bool _stopping;
    private volatile string? _error;

    public AofBackgroundFsync()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "aof-fsync" };
        _thread.Start();
    }

    /// <summary>Jobs queued or running (INFO aof_pending_bio_fsync).</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>The last background fsync's failure (Redis's aof_bio_fsync_status), null when it succeeded.</summary>
    public string? Error => _error;

    /// <summary>Forgets a failure (the AOF was reopened).</summary>
    public void ClearError() => _error = null;

    /// <summary>AOF offset known to be on the disk: published when an fsync ends (Redis's fsynced_reploff_pending).</summary>
    public long FsyncedOffset => Volatile.Read(ref _fsyncedOffset);
    private long _fsyncedOffset;

    /// <summary>Sets the fsynced offset from the writer's own thread (an fsync it made itself).</summary>
    public void Publish(long offset)
    {
        long seen;
        while ((seen = Volatile.Read(ref _fsyncedOffset)) < offset && Interlocked.CompareExchange(ref _fsyncedOffset, offset, seen) != seen) { }
    }

    /// <summary>Fsyncs a file; once done, the AOF offset <paramref name="covers"/> is on the disk.</summary>
    public void Fsync(SafeFileHandle file, long covers) => Enqueue(file, close: false, covers);

    /// <summary>Fsyncs a file no longer written to, then closes it.</summary>
    public void FsyncAndClose(SafeFileHandle file, long covers) => Enqueue(file, close: true, covers);

    private void Enqueue(SafeFileHandle file, bool close, long covers)
    {
        lock (_lock)
        {
            _jobs.Enqueue((file, close, covers));
            Interlocked.Increment(ref _pending);
            Monitor.Pulse(_lock);
        }
    }

    /// <summary>Waits until every queued job is done (shutdown, turning the AOF off).</summary>
    public void Drain()
    {
        lock (_lock)
        {
            while (_pending > 0 && !_stopping) Monitor.Wait(_lock, 100);
        }
    }

    private void Run()
    {
        while (true)
        {
            (SafeFileHandle File, bool Close, long Covers) job;
            lock (_lock)
            {
                while (_jobs.Count == 0 && !_stopping) Monitor.Wait(_lock);
                if (_jobs.Count == 0) return;
                job = _jobs.Peek();
            }
            try
            {
                if (!job.File.IsClosed) AofFileSync.SyncData(job.File);
                _error = null;
                Publish(job.Covers);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                _error = e.Message;
            }
            if (job.Close) job.File.Dispose();
            lock (_lock)
            {
                _jobs.Dequeue();
                Interlocked.Decrement(ref _pending);
                Monitor.PulseAll(_lock);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }
        _thread.Join();
    }
}
