using System.Diagnostics;

namespace Cinnabar.Persistence;

/// <summary>
/// BGSAVE without fork and without a pause: a point-in-time <see cref="RdbSnapshot"/> walks the keyspace on a
/// thread of its own, taking the store lock for one short slice at a time, while clients keep writing (a key they
/// change before the walk reaches it is serialized first). The walk writes to memory (<see cref="SnapshotSpool"/>);
/// the file is written, fsynced and renamed without the lock.
/// </summary>
public sealed partial class RdbPersistence
{
    private RdbSnapshot? _background;
    private BackgroundWalk? _backgroundWalk;
    private long _backgroundStartedMs;
    private bool _scheduled;
    private int _backgroundSaves;

    /// <summary>rdb_bgsave_in_progress.</summary>
    public bool BackgroundInProgress => _background != null;

    /// <summary>rdb_last_bgsave_time_sec (-1 before the first).</summary>
    public long LastBackgroundSeconds { get; private set; } = -1;

    /// <summary>rdb_current_bgsave_time_sec (-1 when none runs).</summary>
    public long CurrentBackgroundSeconds => _background == null ? -1 : (Environment.TickCount64 - _backgroundStartedMs) / 1000;

    /// <summary>current_save_keys_processed / current_save_keys_total.</summary>
    public long CurrentKeysProcessed => _background?.KeysWritten ?? 0;
    public long CurrentKeysTotal => _background?.KeysTotal ?? 0;

    /// <summary>
    /// stop-writes-on-bgsave-error: writes are refused with -MISCONF while the last background save failed and
    /// save points are set.
    /// </summary>
    public bool DeniesWrites => !LastSaveOk && server.Config.StopWritesOnBgsaveError && server.Config.SavePoints.Length > 0;

    public const string MisconfError = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. " +
        "Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB " +
        "snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

    /// <summary>BGSAVE inside EXEC: started by the next cron tick, as Redis does.</summary>
    public void ScheduleBackgroundSave() => _scheduled = true;

    /// <summary>
    /// Starts a background save (under the store lock); false when it could not start (the temp file cannot be
    /// created: logged, and the save counts as failed).
    /// </summary>
    public bool StartBackgroundSave()
    {
        _scheduled = false;
        LastSaveAttemptUnix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string temp = Path.Combine(server.Config.Dir, $"temp-{Environment.ProcessId}-bg{++_backgroundSaves}.rdb");
        FileStream file;
        try
        {
            file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            server.Log.Warning($"Failed opening the temp RDB file {Path.GetFileName(temp)} (in server root dir {server.Config.Dir}) for saving: {e.Message}");
            server.Log.Warning("Background saving error");
            LastSaveOk = false;
            return false;
        }
        var spool = new SnapshotSpool();
        var snapshot = new RdbSnapshot(server, spool.Buffer);
        snapshot.Attach();
        var walk = new BackgroundWalk(server, snapshot, spool);
        _background = snapshot;
        _backgroundWalk = walk;
        _backgroundStartedMs = Environment.TickCount64;
        long dirtyAtStart = server.Dirty;
        server.Log.Notice($"Background saving started by pid {Environment.ProcessId}");
        // A thread of its own, as the AOF rewrite has: a save of millions of keys runs for seconds, and on a pool
        // thread it would hold one of the few (as many as cores) that carry clients' commands.
        new Thread(() => RunBackground(snapshot, walk, file, temp, dirtyAtStart)) { IsBackground = true, Name = "rdb-bgsave" }.Start();
        return true;
    }

    /// <summary>
    /// Abandons a running background save (SHUTDOWN, DEBUG RELOAD and FLUSHALL save at once instead, as Redis
    /// kills its child): the walker stops at its next slice and removes its file.
    /// </summary>
    public void AbortBackground()
    {
        if (_background == null) return;
        _backgroundWalk!.Abandon();
        _background = null;
        _backgroundWalk = null;
        server.Log.Warning("Background saving stopped: a foreground save takes its place");
    }

    /// <summary>The running save's walk, for the epoll loops' steps (null when none runs).</summary>
    public BackgroundWalk? BackgroundWalk => _backgroundWalk;

    /// <summary>FLUSHALL: a background save in progress is dropped; with save points the empty dataset is saved at once.</summary>
    public void AfterFlushAll()
    {
        AbortBackground();
        if (server.Config.SavePoints.Length > 0) Save();
    }

    private void RunBackground(RdbSnapshot snapshot, BackgroundWalk walk, FileStream file, string temp, long dirtyAtStart)
    {
        Exception? failure = null;
        bool aborted = false;
        try
        {
            aborted = !walk.Run(file, server.Config.RdbSaveIncrementalFsync);
            if (!aborted)
            {
                file.Flush(flushToDisk: true);
                file.Dispose();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = e;
        }
        lock (server.Gate)
        {
            snapshot.Detach();
            aborted |= _background != snapshot;
            if (!aborted && failure == null)
            {
                // Renamed under the lock, so a foreground save that replaced this one is never overwritten.
                try { File.Move(temp, FilePath, overwrite: true); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { failure = e; }
            }
            if (!aborted) Finish(failure, dirtyAtStart);
        }
        if (failure != null || aborted)
        {
            file.Dispose();
            try { File.Delete(temp); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private void Finish(Exception? failure, long dirtyAtStart)
    {
        _background = null;
        _backgroundWalk = null;
        LastBackgroundSeconds = (Environment.TickCount64 - _backgroundStartedMs) / 1000;
        if (failure == null)
        {
            server.Log.Notice("DB saved on disk");
            server.Log.Notice("Background saving terminated with success");
            server.Dirty -= dirtyAtStart;
            server.LastSaveUnix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            LastSaveOk = true;
            Saves++;
        }
        else
        {
            server.Log.Warning($"Write error saving DB on disk: {failure.Message}");
            server.Log.Warning("Background saving error");
            LastSaveOk = false;
        }
    }
}
