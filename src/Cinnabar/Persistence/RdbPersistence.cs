using System.Globalization;
using System.Text;

namespace Cinnabar.Persistence;

/// <summary>
/// The RDB file of a server: SAVE (written to temp-PID.rdb in dir, fsynced, then renamed over dbfilename, as
/// Redis does, so a crash never leaves a half file under the real name), the save points checked from the cron,
/// the load at start and DEBUG RELOAD, and the figures of INFO persistence. Every method runs under the store
/// lock except where it says otherwise.
/// </summary>
public sealed partial class RdbPersistence(CinnabarServer server)
{
    /// <summary>rdb_saves: files written since start.</summary>
    public long Saves { get; private set; }

    /// <summary>rdb_last_bgsave_status: whether the last background save succeeded (a successful SAVE counts too, a failed one not, as in Redis).</summary>
    public bool LastSaveOk { get; private set; } = true;

    /// <summary>When the last save was tried (Unix seconds): after a failure, save points wait before trying again.</summary>
    public long LastSaveAttemptUnix { get; private set; }

    public long LastLoadKeysLoaded { get; private set; }
    public long LastLoadKeysExpired { get; private set; }

    /// <summary>dir/dbfilename.</summary>
    public string FilePath => Path.Combine(server.Config.Dir, server.Config.DbFilename);

    /// <summary>Seconds a failed save makes save points wait (Redis's CONFIG_BGSAVE_RETRY_DELAY).</summary>
    private const int RetryDelaySeconds = 5;

    /// <summary>The temporary file a save writes before renaming it over dbfilename.</summary>
    private string TempPath => Path.Combine(server.Config.Dir, $"temp-{Environment.ProcessId}.rdb");

    /// <summary>
    /// Writes the whole dataset to dbfilename (SAVE, SHUTDOWN, DEBUG RELOAD, FLUSHALL with save points); null when
    /// done, else the reason (already logged, as Redis logs it). Only SAVE's count in rdb_saves (<paramref name="counted"/>), as in Redis.
    /// </summary>
    public string? Save(bool counted = false)
    {
        var log = server.Log;
        var config = server.Config;
        AbortBackground();
        string temp = TempPath;
        long dirtyBefore = server.Dirty;
        LastSaveAttemptUnix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        FileStream file;
        try
        {
            file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"Failed opening the temp RDB file {Path.GetFileName(temp)} (in server root dir {config.Dir}) for saving: {e.Message}");
            return e.Message;
        }
        try
        {
            using (file)
            {
                new RdbSnapshot(server, file).WriteAll();
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, FilePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"Write error saving DB on disk: {e.Message}");
            try { File.Delete(temp); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            return e.Message;
        }
        log.Notice("DB saved on disk");
        server.Dirty -= dirtyBefore;
        server.LastSaveUnix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        LastSaveOk = true;
        if (counted) Saves++;
        return null;
    }

    /// <summary>
    /// The final save of a shutdown: with <paramref name="save"/> true, or null and save points set. False when
    /// it failed and <paramref name="force"/> does not allow exiting anyway (logged as Redis logs it).
    /// </summary>
    public bool SaveForShutdown(bool? save, bool force)
    {
        server.Log.Warning("User requested shutdown...");
        if (!(save ?? server.Config.SavePoints.Length > 0)) return true;
        server.Log.Notice("Saving the final RDB snapshot before exiting.");
        if (Save() == null) return true;
        if (force)
        {
            server.Log.Warning("Error trying to save the DB. Exit anyway.");
            return true;
        }
        server.Log.Warning("Error trying to save the DB, can't exit.");
        server.Log.Warning("Errors trying to shut down the server. Check the logs for more information.");
        return false;
    }

    /// <summary>What shutdown-on-sigterm/-sigint asks of <see cref="SaveForShutdown"/>: save (null: if save points are set) and force.</summary>
    public static (bool? Save, bool Force) SignalShutdownFlags(string setting)
    {
        var flags = setting.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        bool? save = flags.Contains("save") ? true : flags.Contains("nosave") ? false : null;
        return (save, flags.Contains("force"));
    }

    /// <summary>
    /// The save point that is due, as "N changes in M seconds", or null: a point is due when at least its
    /// changes happened and its seconds passed since the last save (after a failed save, not before the retry delay).
    /// </summary>
    public string? DueSavePoint()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var (seconds, changes) in server.Config.SavePoints)
        {
            if (server.Dirty >= changes && now - server.LastSaveUnix > seconds
                && (LastSaveOk || now - LastSaveAttemptUnix > RetryDelaySeconds))
                return $"{changes} changes in {seconds} seconds";
        }
        return null;
    }

    /// <summary>Called from the cron: starts a background save when a save point is due or one was scheduled.</summary>
    public void Cron()
    {
        // One snapshot at a time: an AOF rewrite running holds the write observer.
        if (BackgroundInProgress || server.Aof.Rewrite.InProgress) return;
        if (_scheduled)
        {
            StartBackgroundSave();
            return;
        }
        if (server.Config.SavePoints.Length == 0 || DueSavePoint() is not { } reason) return;
        server.Log.Notice($"{reason}. Saving...");
        StartBackgroundSave();
    }

    /// <summary>
    /// Loads dbfilename at start (nothing when there is none). Takes the store lock itself and lets it go every
    /// 2 MB read, so clients get -LOADING and INFO meanwhile. False when the file is damaged or unreadable
    /// (logged, with the offset): the server must not start with part of it.
    /// </summary>
    public bool LoadAtStartup()
    {
        string path = FilePath;
        if (!File.Exists(path)) return true;
        var log = server.Log;
        long started = Environment.TickCount64;
        var loading = server.LoadingState;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            server.Gate.Enter();
            try
            {
                loading.Begin(file.Length);
                var result = LoadFrom(file, sliced: true);
                LogLoaded(result, started);
            }
            finally
            {
                loading.End();
                server.Gate.Exit();
            }
            return true;
        }
        catch (RdbFormatException e)
        {
            log.Warning($"Internal error in RDB reading offset {e.Offset} -> {e.Reason}");
            log.Warning("Terminating server after rdb file reading failure.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"Fatal error loading the DB: {e.Message}. Exiting.");
        }
        return false;
    }

    /// <summary>Reads an RDB stream into the (emptied) databases; the caller holds the store lock.</summary>
    private RdbLoadResult LoadFrom(Stream file, bool sliced, bool merge = false)
    {
        var log = server.Log;
        var loading = server.LoadingState;
        var loader = new RdbLoading(server)
        {
            Merge = merge,
            OnProgress = position => loading.Step(position, sliced ? server.Gate : null),
        };
        var result = loader.Load(file, skipExpired: true);
        if (loader.AuxFields.TryGetValue("redis-ver", out var version)) log.Notice($"Loading RDB produced by version {Encoding.UTF8.GetString(version)}");
        if (loader.AuxFields.TryGetValue("ctime", out var ctime) && long.TryParse(Encoding.ASCII.GetString(ctime), out long created))
            log.Notice($"RDB age {DateTimeOffset.UtcNow.ToUnixTimeSeconds() - created} seconds");
        if (loader.AuxFields.TryGetValue("used-mem", out var mem) && long.TryParse(Encoding.ASCII.GetString(mem), out long used))
            log.Notice($"RDB memory usage when created {(used / 1024.0 / 1024.0).ToString("F2", CultureInfo.InvariantCulture)} Mb");
        LastLoadKeysLoaded = result.Keys;
        LastLoadKeysExpired = result.ExpiredSkipped;
        log.Notice($"Done loading RDB, keys loaded: {result.Keys}, keys expired: {result.ExpiredSkipped}.");
        return result;
    }

    private void LogLoaded(RdbLoadResult result, long startedMs) =>
        server.Log.Notice($"DB loaded from disk: {((Environment.TickCount64 - startedMs) / 1000.0).ToString("F3", CultureInfo.InvariantCulture)} seconds");

    /// <summary>
    /// DEBUG RELOAD: saves (unless <paramref name="save"/> is false), empties every database (unless
    /// <paramref name="flush"/> is false) and loads the file again, a key already present replaced when
    /// <paramref name="merge"/>; null when done, else Redis's error text.
    /// </summary>
    public string? Reload(bool save, bool flush, bool merge)
    {
        if (save && Save() != null) return "ERR";
        if (flush)
            foreach (var db in server.Databases) db.Flush();
        long started = Environment.TickCount64;
        try
        {
            using var file = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            server.LoadingState.Begin(file.Length);
            try
            {
                LogLoaded(LoadFrom(file, sliced: false, merge), started);
            }
            finally
            {
                server.LoadingState.End();
            }
        }
        catch (Exception e) when (e is RdbFormatException or IOException or UnauthorizedAccessException)
        {
            server.Log.Warning($"Error trying to load the RDB dump: {e.Message}");
            return "ERR Error trying to load the RDB dump";
        }
        server.Log.Warning("DB reloaded by DEBUG RELOAD");
        return null;
    }
}
