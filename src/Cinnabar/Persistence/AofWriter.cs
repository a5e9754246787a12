using System.Buffers.Text;
using System.Diagnostics;
using Cinnabar.Config;
using Cinnabar.Propagation;
using Microsoft.Win32.SafeHandles;

namespace Cinnabar.Persistence;

/// <summary>
/// The AOF's consumer of the effects stream (Redis's feedAppendOnlyFile and flushAppendOnlyFile). Each unit is
/// copied into one buffer (with a <c>#TS:</c> annotation first when aof-timestamp-enabled and the second
/// changed); at the end of the batch, before any reply it covers leaves, the buffer is written to the current
/// incremental file in one write, and fsynced there for `appendfsync always`. With `everysec` the fsync runs
/// on <see cref="AofBackgroundFsync"/> once a second, never on the store lock.
/// Used with the store lock held; appending allocates nothing once the buffer has grown to the batch's size.
/// </summary>
public sealed class AofWriter : IEffectsSink
{
    private readonly CinnabarServer _server;
    private readonly AofBackgroundFsync _fsync;
    private byte[] _buffer = new byte[16 * 1024];
    private int _length;
    private SafeFileHandle _file;
    /// <summary>Bytes in the current incremental file (Redis's aof_last_incr_size): where the next write goes.</summary>
    private long _incrSize;
    /// <summary>Bytes of the current incremental file known to be on the disk (aof_last_incr_fsync_offset).</summary>
    private long _fsyncedSize;
    private long _lastFsyncSecond;
    private long _delayCountedSecond;
    private long _timestampSecond;
    private long _lastErrorLogSecond;

    public AofWriter(CinnabarServer server, AofBackgroundFsync fsync, SafeFileHandle file, long incrSize, long offset)
    {
        AppendedOffset = _writtenOffset = offset;
        _server = server;
        _fsync = fsync;
        _file = file;
        _incrSize = _fsyncedSize = incrSize;
        _lastFsyncSecond = UnixSecond;
    }

    public PropagationTargets Targets => PropagationTargets.Aof;

    /// <summary>Bytes appended since the AOF was turned on, across files (the offset WAITAOF waits for).</summary>
    public long AppendedOffset { get; private set; }

    /// <summary>Bytes appended and written to the file (a background fsync started now covers them).</summary>
    private long _writtenOffset;

    /// <summary>Base and incremental files together (INFO aof_current_size).</summary>
    public long CurrentSize { get; set; }

    /// <summary>Seconds whose fsync had to wait for the previous one, still running (INFO aof_delayed_fsync).</summary>
    public long DelayedFsyncs { get; private set; }

    /// <summary>The last write's failure (INFO aof_last_write_status:err; write commands get MISCONF), null when fine.</summary>
    public string? WriteError { get; private set; }

    /// <summary>Writes of the buffer to the file so far (one per loop turn with writes, see LoopTurnReplies).</summary>
    internal long Writes { get; private set; }

    /// <summary>Bytes appended and not yet written (INFO aof_buffer_length).</summary>
    public int BufferLength => _length;

    /// <summary>The current incremental file's size.</summary>
    public long IncrSize => _incrSize;

    /// <summary>
    /// True while a rewrite or a BGSAVE keeps the disk busy: no-appendfsync-on-rewrite then skips fsyncs, as Redis
    /// does while any child process runs.
    /// </summary>
    private bool BackgroundWorkRunning => _server.Aof.Rewrite.InProgress || _server.Rdb.BackgroundInProgress;

    private long UnixSecond => _server.NowMs / 1000;

    public void Append(ReadOnlySpan<byte> resp)
    {
        if (_server.Config.AofTimestampEnabled && _timestampSecond < UnixSecond)
        {
            _timestampSecond = UnixSecond;
            AppendTimestamp(_timestampSecond);
        }
        Reserve(resp.Length);
        resp.CopyTo(_buffer.AsSpan(_length));
        _length += resp.Length;
        AppendedOffset += resp.Length;
    }

    /// <summary>Redis's "#TS:&lt;unix time&gt;\r\n" annotation, skipped by loaders, read by redis-check-aof --truncate-to-timestamp.</summary>
    private void AppendTimestamp(long second)
    {
        Reserve(32);
        "#TS:"u8.CopyTo(_buffer.AsSpan(_length));
        _length += 4;
        Utf8Formatter.TryFormat(second, _buffer.AsSpan(_length), out int written);
        _length += written;
        _buffer[_length++] = (byte)'\r';
        _buffer[_length++] = (byte)'\n';
        AppendedOffset += 6 + written;
    }

    private void Reserve(int more)
    {
        if (_length + more <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
    }

    public void EndOfBatch() => Flush();

    /// <summary>
    /// Writes the buffer and fsyncs per appendfsync (flushAppendOnlyFile).
    /// </summary>
    public void Flush()
    {
        var policy = _server.Config.AppendFsync;
        long now = UnixSecond;
        bool syncInProgress = false;
        if (_length == 0)
        {
            // Nothing new, but bytes written earlier may still wait for their fsync: a writer that stopped
            // within the second must not leave them in the page cache for good.
            if (policy == AofFsyncPolicy.EverySec && _fsyncedSize != _incrSize && now > _lastFsyncSecond && _fsync.Pending == 0)
                TrySync(policy, now, syncInProgress: false);
            else if (policy == AofFsyncPolicy.Always && _fsyncedSize != _incrSize)
                TrySync(policy, now, syncInProgress: false);
            return;
        }
        // Unlike Redis, which postpones the write for up to two seconds while a background fsync runs (a killed
        // process then loses replies it already sent), the bytes always reach the page cache before the replies:
        // only the fsync waits for the running one to end.
        if (policy == AofFsyncPolicy.EverySec) syncInProgress = _fsync.Pending > 0;
        long start = Stopwatch.GetTimestamp();
        string? error = Write();
        long ms = (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        _server.Latency.AddIfNeeded(syncInProgress ? "aof-write-pending-fsync" : BackgroundWorkRunning ? "aof-write-active-child" : "aof-write-alone", ms);
        _server.Latency.AddIfNeeded("aof-write", ms);

        if (error != null)
        {
            if (now - _lastErrorLogSecond > 30)
            {
                _lastErrorLogSecond = now;
                _server.Log.Warning("Error writing to the AOF file: " + error);
            }
            if (policy == AofFsyncPolicy.Always)
            {
                // The replies are already in the output buffers and the data set cannot be rolled back: with
                // the promise that an acknowledged write is on the disk, the only honest move is to stop.
                _server.Log.Warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
                Environment.Exit(1);
            }
            // The buffer is kept for the next attempt; write commands are refused meanwhile (MISCONF).
            WriteError = error;
            return;
        }
        if (WriteError != null)
        {
            _server.Log.Warning("AOF write error looks solved, Redis can write again.");
            WriteError = null;
        }
        // Give a buffer grown by a large batch back.
        if (_buffer.Length > 1024 * 1024) _buffer = new byte[16 * 1024];
        TrySync(policy, now, syncInProgress);
    }

    /// <summary>Writes the whole buffer at the end of the file; on failure the file is cut back to its last good size.</summary>
    private string? Write()
    {
        try
        {
            RandomAccess.Write(_file, _buffer.AsSpan(0, _length), _incrSize);
        }
        catch (IOException e)
        {
            // A short write would leave half a command: cut it off, so the file still loads.
            try { RandomAccess.SetLength(_file, _incrSize); } catch (IOException) { }
            return SystemReason(e);
        }
        _incrSize += _length;
        CurrentSize += _length;
        Writes++;
        _writtenOffset += _length;
        _length = 0;
        return null;
    }

    /// <summary>The system's reason alone, as strerror gives it (the runtime appends " : 'path'").</summary>
    internal static string SystemReason(IOException e)
    {
        int cut = e.Message.IndexOf(" : '", StringComparison.Ordinal);
        return cut > 0 ? e.Message[..cut] : e.Message;
    }

    private void TrySync(AofFsyncPolicy policy, long now, bool syncInProgress)
    {
        if (_server.Config.NoAppendFsyncOnRewrite && BackgroundWorkRunning) return;
        if (policy == AofFsyncPolicy.Always)
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                AofFileSync.SyncData(_file);
            }
            catch (IOException e)
            {
                _server.Log.Warning($"Can't persist AOF for fsync error when the AOF fsync policy is 'always': {e.Message}. Exiting...");
                Environment.Exit(1);
            }
            _server.Latency.AddIfNeeded("aof-fsync-always", (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            _fsyncedSize = _incrSize;
            _lastFsyncSecond = now;
            _fsync.Publish(_writtenOffset);
        }
        else if (policy == AofFsyncPolicy.EverySec && now > _lastFsyncSecond)
        {
            if (syncInProgress)
            {
                // The disk is slower than one fsync a second: this second's bytes wait for the next one.
                if (_delayCountedSecond != now) DelayedFsyncs++;
                _delayCountedSecond = now;
                return;
            }
            _fsync.Fsync(_file, _writtenOffset);
            _fsyncedSize = _incrSize;
            _lastFsyncSecond = now;
        }
    }

    /// <summary>Writes what is buffered and fsyncs it now (shutdown, turning the AOF off).</summary>
    public void FlushAndSync()
    {
        Flush();
        _fsync.Drain();
        try
        {
            AofFileSync.SyncData(_file);
            _fsyncedSize = _incrSize;
            _lastFsyncSecond = UnixSecond;
            _fsync.Publish(_writtenOffset);
        }
        catch (IOException e)
        {
            _server.Log.Warning("Fail to fsync the AOF file: " + e.Message);
        }
    }

    /// <summary>
    /// Continues in another incremental file (a rewrite started): what is buffered goes to the old file first,
    /// which is then fsynced and closed in the background.
    /// </summary>
    public void SwitchTo(SafeFileHandle file)
    {
        Flush();
        _fsync.FsyncAndClose(_file, _writtenOffset);
        _file = file;
        _incrSize = _fsyncedSize = 0;
        _lastFsyncSecond = UnixSecond;
    }

    /// <summary>Closes the file (after <see cref="FlushAndSync"/>).</summary>
    public void Close() => _file.Dispose();
}
