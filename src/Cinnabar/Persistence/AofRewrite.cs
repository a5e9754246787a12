using System.Diagnostics;
using System.Globalization;

namespace Cinnabar.Persistence;

/// <summary>
/// AOF rewriting (Redis's rewriteAppendOnlyFileBackground and backgroundRewriteDoneHandler) without fork:
/// appending moves to a new incremental file, the data set is written as a new base (by the RDB snapshot, or
/// as commands by <see cref="AofCommandSnapshot"/> with aof-use-rdb-preamble no) in slices of keys under the
/// store lock, the bytes go to a temporary file outside it, and when the snapshot is complete the temporary
/// file becomes the base and the manifest is swapped: the files it covered become history, deleted unless
/// aof-disable-auto-gc. Clients keep running between slices.
///
/// Either snapshot is point-in-time (<see cref="SnapshotWalk{TWriter}.Attach"/>: a key the walk has not reached
/// is serialized before a write changes it), so the base is the data set at the cut to the new incremental
/// file, which holds every write after it: nothing is lost or applied twice.
/// </summary>
public sealed class AofRewrite(CinnabarServer server, AofPersistence aof)
{

    private long _startedTimestamp;
    private BackgroundWalk? _walk;

    public bool InProgress { get; private set; }
    /// <summary>A rewrite waits for the running one (or for a transaction) to end (aof_rewrite_scheduled).</summary>
    public bool Scheduled { get; set; }
    public long LastDurationSeconds { get; private set; } = -1;
    public bool LastOk { get; private set; } = true;
    public long Rewrites { get; private set; }
    public long ConsecutiveFailures { get; private set; }
    /// <summary>Seconds the running rewrite has taken, -1 when none runs (aof_current_rewrite_time_sec).</summary>
    public long CurrentSeconds => InProgress ? (long)Stopwatch.GetElapsedTime(_startedTimestamp).TotalSeconds : -1;

    private string Dir => Path.Combine(server.Config.Dir, server.Config.AppendDirname);

    /// <summary>
    /// Starts a rewrite (the store lock is held). Returns null when it started, or the reason it could not
    /// (already logged).
    /// </summary>
    public string? Start()
    {
        var log = server.Log;
        if (InProgress) return "Background append only file rewriting already in progress";
        if (server.Rdb.BackgroundInProgress)
        {
            // One snapshot at a time, as Redis runs one child: the cron starts this one when the save ends.
            Scheduled = true;
            return null;
        }
        try
        {
            Directory.CreateDirectory(Dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"Can't open or create append-only dir {server.Config.AppendDirname}: {e.Message}");
            return "Can't execute an AOF background rewriting. Please check the server logs for more information.";
        }
        if (aof.OpenNewIncrForRewrite() is string incrError)
        {
            log.Warning(incrError);
            return "Can't execute an AOF background rewriting. Please check the server logs for more information.";
        }
        string temp = Path.Combine(Dir, $"temp-rewriteaof-bg-{Environment.ProcessId}.aof");
        var spool = new SnapshotSpool();
        bool rdbPreamble = server.Config.AofUseRdbPreamble;
        ISnapshotWalk snapshot;
        try
        {
            // The base's format: RDB (aof-use-rdb-preamble) or the commands that rebuild each key; either way a
            // point-in-time snapshot that serializes a key it has not reached before a write changes it.
            snapshot = rdbPreamble ? new RdbSnapshot(server, spool.Buffer, aofPreamble: true) : new AofCommandSnapshot(server, spool.Buffer);
            snapshot.Attach();
        }
        catch (IOException e)
        {
            log.Warning("Can't start the AOF rewrite: " + e.Message);
            return "Can't execute an AOF background rewriting. Please check the server logs for more information.";
        }
        InProgress = true;
        Scheduled = false;
        _startedTimestamp = Stopwatch.GetTimestamp();
        log.Notice("Background append only file rewriting started");
        var walk = _walk = new BackgroundWalk(server, snapshot, spool);
        var thread = new Thread(() => Run(walk, rdbPreamble, temp)) { IsBackground = true, Name = "aof-rewrite" };
        thread.Start();
        return null;
    }

    /// <summary>Stops a running rewrite (the AOF was turned off, the server stops); its temporary file is removed.</summary>
    public void Abandon() => _walk?.Abandon();

    /// <summary>The running rewrite's walk, for the epoll loops' steps (null when none runs).</summary>
    public BackgroundWalk? Walk => _walk;

    private void Run(BackgroundWalk walk, bool rdbPreamble, string temp)
    {
        string? failure = null;
        try
        {
            using var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            if (!walk.Run(file, server.Config.AofRewriteIncrementalFsync)) failure = "abandoned";
            if (failure == null)
            {
                file.Flush(flushToDisk: true);
                server.Log.Notice($"Successfully created the temporary AOF base file {Path.GetFileName(temp)}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = AofWriter.SystemReason(e as IOException ?? new IOException(e.Message));
        }
        lock (server.Gate)
        {
            walk.Walk.Detach();
            _walk = null;
            if (failure == null) failure = Finish(temp, rdbPreamble);
            if (failure != null) Fail(temp, failure);
            InProgress = false;
            LastDurationSeconds = (long)Stopwatch.GetElapsedTime(_startedTimestamp).TotalSeconds;
        }
    }

    /// <summary>The snapshot is on the disk: it becomes the base and the manifest is swapped (the store lock is held).</summary>
    private string? Finish(string temp, bool rdbPreamble)
    {
        var log = server.Log;
        log.Notice("Background AOF rewrite terminated with success");
        if (aof.AdoptRewrite(temp, rdbPreamble) is string error) return error;
        LastOk = true;
        Rewrites++;
        ConsecutiveFailures = 0;
        log.Notice("Background AOF rewrite finished successfully");
        return null;
    }

    private void Fail(string temp, string reason)
    {
        var log = server.Log;
        try { File.Delete(temp); } catch (IOException) { }
        if (reason == "abandoned") return;
        log.Warning($"Background AOF rewrite terminated with error: {reason}");
        LastOk = false;
        ConsecutiveFailures++;
        aof.RewriteFailed();
    }

    /// <summary>
    /// Redis's serverCron part: a scheduled rewrite starts once nothing runs, and with auto-aof-rewrite-percentage
    /// a rewrite starts when the AOF grew by that much over its base (and past auto-aof-rewrite-min-size).
    /// After 3 failures in a row, automatic attempts wait 1, 2, 4 ... up to 60 minutes.
    /// </summary>
    public void Cron(long currentSize, long baseSize)
    {
        if (InProgress || server.Rdb.BackgroundInProgress) return;
        if (Scheduled && !Limited())
        {
            Start();
            return;
        }
        var config = server.Config;
        if (aof.State != AofState.On || config.AutoAofRewritePercentage == 0 || currentSize <= config.AutoAofRewriteMinSize) return;
        long reference = baseSize > 0 ? baseSize : 1;
        long growth = currentSize * 100 / reference - 100;
        if (growth < config.AutoAofRewritePercentage || Limited()) return;
        server.Log.Notice($"Starting automatic rewriting of AOF on {growth.ToString(CultureInfo.InvariantCulture)}% growth");
        Start();
    }

    private long _nextDelayMinutes, _nextAttemptUnix;

    /// <summary>aofRewriteLimited: after repeated failures, automatic rewrites back off.</summary>
    private bool Limited()
    {
        if (ConsecutiveFailures < 3)
        {
            _nextDelayMinutes = 0;
            _nextAttemptUnix = 0;
            return false;
        }
        long now = server.NowMs / 1000;
        if (_nextAttemptUnix != 0)
        {
            if (now < _nextAttemptUnix) return true;
            _nextAttemptUnix = 0;
            return false;
        }
        _nextDelayMinutes = Math.Min(_nextDelayMinutes == 0 ? 1 : _nextDelayMinutes * 2, 60);
        _nextAttemptUnix = now + _nextDelayMinutes * 60;
        server.Log.Warning($"Background AOF rewrite has repeatedly failed and triggered the limit, will retry in {_nextDelayMinutes} minutes");
        return true;
    }
}
