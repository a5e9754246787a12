using System.Diagnostics;
using Cinnabar.Config;
using Microsoft.Win32.SafeHandles;

namespace Cinnabar.Persistence;

/// <summary>Redis's aof_state: off, on, or on and waiting for the rewrite that creates its first base.</summary>
public enum AofState { Off, On, WaitRewrite }

/// <summary>
/// The server's append-only file: the manifest of appenddirname, the writer attached to the effects stream,
/// start-up (load the directory, then open the last incremental file or create the first files, as Redis's
/// loadAppendOnlyFiles and aofOpenIfNeededOnServerStart), turning it off at run time, and shutdown (written
/// and fsynced). The counters INFO persistence shows live here.
/// </summary>
public sealed class AofPersistence
{
    private readonly CinnabarServer server;
    private AofWriter? _writer;
    private AofBackgroundFsync? _fsync;

    public AofPersistence(CinnabarServer server)
    {
        this.server = server;
        Rewrite = new AofRewrite(server, this);
    }

    /// <summary>BGREWRITEAOF and the automatic rewrite.</summary>
    public AofRewrite Rewrite { get; }

    public AofState State { get; private set; }
    public AofManifest Manifest { get; private set; } = new();

    /// <summary>The base's size when the AOF was opened or last rewritten (aof_base_size, the auto-rewrite reference).</summary>
    public long BaseSize { get; private set; }

    /// <summary>The writer while the AOF is on.</summary>
    public AofWriter? Writer => _writer;

    private ServerConfig Config => server.Config;
    private string Dir => Path.Combine(Config.Dir, Config.AppendDirname);

    /// <summary>
    /// With appendonly yes: replays the AOF directory and opens it for appending (creating the first base and
    /// incremental files when there are none). Throws <see cref="AofFatalException"/> when the server must not
    /// start (the reason is logged). Clients may be connected: they get -LOADING until the AOF is open, as the
    /// load lets the store lock go between slices. While it loads the AOF is off (INFO's aof_enabled:0, as in
    /// Redis, whose loader turns it off so replayed commands are not appended again).
    /// </summary>
    public void LoadAndOpenAtStartup()
    {
        if (!Config.AppendOnly) return;
        Manifest = AofManifest.LoadFromDisk(Dir, Config.AppendFilename) ?? new AofManifest();
        UpgradeLegacyFile();
        long start = Stopwatch.GetTimestamp();
        var loader = new AofLoader(server, Dir, server.Gate);
        server.Gate.Enter();
        try
        {
            AofLoadResult result;
            bool wasLoading = server.Loading;
            server.Loading = true;
            try { result = loader.LoadAll(Manifest); }
            finally { server.Loading = wasLoading; }
            if (result is AofLoadResult.Failed or AofLoadResult.OpenError) throw new AofFatalException([]);
            if (result != AofLoadResult.NotExist)
                server.Log.Notice($"DB loaded from append only file: {AofLoader.Seconds(start)} seconds");
            // CONFIG SET appendonly no during the load: the directory stays as loaded and nothing is appended.
            if (!Config.AppendOnly) return;
            State = AofState.On;
            Rewrite.Scheduled = false;
            BaseSize = loader.BaseSize;
            OpenAtStartup(loader.TotalSize);
        }
        finally
        {
            server.LoadingState.End();
            server.Gate.Exit();
        }
    }

    /// <summary>
    /// An appendonly.aof in dir, from Redis 6 or earlier (aofUpgradePrepare): when the directory or its manifest
    /// does not exist yet (or an upgrade was interrupted), the file moves into the directory as its base.
    /// </summary>
    private void UpgradeLegacyFile()
    {
        string name = Config.AppendFilename;
        string legacy = Path.Combine(Config.Dir, name);
        if (!File.Exists(legacy)) return;
        bool emptyManifest = Manifest.Base == null && Manifest.Incrs.Count == 0;
        bool interrupted = Manifest.Base?.Name == name && Manifest.Incrs.Count == 0 && !File.Exists(Path.Combine(Dir, name));
        if (Directory.Exists(Dir) && !emptyManifest && !interrupted) return;
        try
        {
            Directory.CreateDirectory(Dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            server.Log.Warning($"Can't open or create append-only dir {Config.AppendDirname}: {e.Message}");
            throw new AofFatalException([]);
        }
        Manifest.AdoptLegacyFile(name);
        if (Manifest.Persist(Dir, name) is string error)
        {
            server.Log.Warning(error);
            throw new AofFatalException([]);
        }
        try
        {
            File.Move(legacy, Path.Combine(Dir, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            server.Log.Warning($"Error trying to move the old AOF file {name} into dir {Config.AppendDirname}: {e.Message}");
            throw new AofFatalException([]);
        }
        server.Log.Notice($"Successfully migrated an old-style AOF file ({name}) into the AOF directory ({Config.AppendDirname}).");
    }

    private void OpenAtStartup(long loadedSize)
    {
        var log = server.Log;
        try
        {
            Directory.CreateDirectory(Dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"Can't open or create append-only dir {Config.AppendDirname}: {e.Message}");
            throw new AofFatalException([]);
        }
        bool hadIncr = Manifest.Incrs.Count > 0;
        if (Manifest.Base == null && !hadIncr)
        {
            // Starting with an empty data set: a base file is created at once, so the directory is complete.
            string baseName = Manifest.NewBaseName(Config.AppendFilename, Config.AofUseRdbPreamble);
            string? error = WriteBase(Path.Combine(Dir, baseName));
            if (error != null)
            {
                log.Warning(error);
                throw new AofFatalException([]);
            }
            BaseSize = new FileInfo(Path.Combine(Dir, baseName)).Length;
            loadedSize = BaseSize;
            log.Notice($"Creating AOF base file {baseName} on server start");
        }
        string incrName = Manifest.LastIncrName(Config.AppendFilename);
        SafeFileHandle file;
        try
        {
            file = OpenForAppend(incrName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"Can't open the append-only file {incrName}: {e.Message}");
            throw new AofFatalException([]);
        }
        if (Manifest.Persist(Dir, Config.AppendFilename) is string persistError)
        {
            log.Warning(persistError);
            file.Dispose();
            throw new AofFatalException([]);
        }
        long incrSize = RandomAccess.GetLength(file);
        Attach(file, incrSize, Math.Max(loadedSize, BaseSize + incrSize));
        log.Notice(hadIncr ? $"Opening AOF incr file {incrName} on server start" : $"Creating AOF incr file {incrName} on server start");
    }

    private SafeFileHandle OpenForAppend(string name) =>
        File.OpenHandle(Path.Combine(Dir, name), FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    private void Attach(SafeFileHandle file, long incrSize, long currentSize)
    {
        _fsync ??= new AofBackgroundFsync();
        _writer = new AofWriter(server, _fsync, file, incrSize, _offsetWhenOff) { CurrentSize = currentSize };
        lock (server.Gate) server.Propagator.Attach(_writer);
    }

    /// <summary>
    /// A base file for the current data set: an RDB file with aof-use-rdb-preamble, otherwise the AOF format
    /// (a <c>#TS:</c> annotation first when aof-timestamp-enabled).
    /// Returns the error, or null.
    /// </summary>
    private string? WriteBase(string path)
    {
        try
        {
            using (var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                lock (server.Gate)
                {
                    if (path.EndsWith(".rdb", StringComparison.Ordinal)) new RdbSnapshot(server, fs, aofPreamble: true).WriteAll();
                    else new AofCommandSnapshot(server, fs).WriteAll();
                }
                fs.Flush(flushToDisk: true);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Error writing the AOF base file {Path.GetFileName(path)}: {e.Message}";
        }
    }

    /// <summary>CONFIG SET appendonly changed the setting: the AOF is turned on or off to match; returns the failure or null.</summary>
    public string? ApplyAppendOnly()
    {
        if (!Config.AppendOnly)
        {
            TurnOff();
            return null;
        }
        if (State != AofState.Off) return null;
        if (server.LoadingState.Active)
        {
            // A base written now would miss what is still to load: the cron starts the rewrite once the load
            // is over (the AOF's own load at start opens it then instead).
            State = AofState.WaitRewrite;
            Rewrite.Scheduled = true;
            return null;
        }
        // startAppendOnly: the AOF exists once a rewrite has written its base; meanwhile writes go to a
        // temporary incremental file that the rewrite's end renames.
        State = AofState.WaitRewrite;
        if (server.Rdb.BackgroundInProgress)
        {
            server.Log.Warning("AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.");
            Rewrite.Scheduled = true;
            return null;
        }
        if (Rewrite.InProgress)
        {
            server.Log.Warning("AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.");
            Rewrite.Abandon();
            Rewrite.Scheduled = true;
            return null;
        }
        if (Rewrite.Start() != null)
        {
            State = AofState.Off;
            server.Log.Warning("Cinnabar needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.");
            return "Unable to turn on AOF. Check server logs.";
        }
        return null;
    }

    /// <summary>CONFIG SET appendonly no (stopAppendOnly): what is buffered is written and fsynced, then the file is closed.</summary>
    public void TurnOff()
    {
        if (Rewrite.InProgress) Rewrite.Abandon();
        Rewrite.Scheduled = false;
        if (State == AofState.Off) return;
        State = AofState.Off;
        if (_writer == null) return;
        server.Propagator.Detach(_writer);
        _writer.FlushAndSync();
        _offsetWhenOff = _writer.AppendedOffset;
        _writer.Close();
        _writer = null;
        _fsync?.ClearError();
    }

    /// <summary>
    /// DEBUG LOADAOF, once the data set is emptied: what is buffered is written and fsynced, the manifest is read
    /// again from the disk, history files go, and the files are replayed as at start (whether appendonly is on or
    /// not, as Redis does). Nothing replayed reaches the effects stream. Returns the error to answer, or null.
    /// </summary>
    public string? ReloadForDebug()
    {
        const string Failed = "ERR Error trying to load the AOF files, check server logs.";
        var log = server.Log;
        try
        {
            Manifest = AofManifest.LoadFromDisk(Dir, Config.AppendFilename) ?? new AofManifest();
            DeleteHistory();
            UpgradeLegacyFile();
        }
        catch (AofFatalException e)
        {
            foreach (var line in e.LogLines) log.Warning(line);
            return Failed;
        }
        var loader = new AofLoader(server, Dir, sliceGate: null);
        var propagator = server.Propagator;
        var targets = propagator.Targets;
        bool wasLoading = server.Loading;
        AofLoadResult result;
        try
        {
            propagator.Targets = Propagation.PropagationTargets.None;
            server.Loading = true;
            result = loader.LoadAll(Manifest);
        }
        finally
        {
            propagator.Targets = targets;
            server.Loading = wasLoading;
            server.LoadingState.End();
        }
        if (result == AofLoadResult.NotExist) log.Warning($"DEBUG LOADAOF: no AOF file to load in {Config.AppendDirname}");
        // As Redis 7.2 (7.0 exits instead): anything but a whole load is an error, a cut torn tail included.
        if (result is not (AofLoadResult.Ok or AofLoadResult.Empty)) return Failed;
        BaseSize = loader.BaseSize;
        if (_writer != null) _writer.CurrentSize = loader.TotalSize;
        return null;
    }

    /// <summary>Writes and fsyncs what is buffered now (flushAppendOnlyFile with force), when the AOF is on.</summary>
    public void FlushNow() => _writer?.FlushAndSync();

    private string TempIncrName => AofManifest.TempPrefix + Config.AppendFilename + ".incr";

    /// <summary>
    /// A rewrite starts (the store lock is held): appending moves to a new incremental file, listed in the
    /// manifest at once (openNewIncrAofForAppend); while the AOF waits for its first base, to a temporary one.
    /// Returns the error, or null.
    /// </summary>
    internal string? OpenNewIncrForRewrite()
    {
        if (State == AofState.Off) return null;
        var manifest = Manifest.Clone();
        string name = State == AofState.WaitRewrite ? TempIncrName : manifest.NewIncrName(Config.AppendFilename);
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(Path.Combine(Dir, name), FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Can't open the append-only file {name}: {e.Message}";
        }
        if (State == AofState.On && manifest.Persist(Dir, Config.AppendFilename) is string error)
        {
            file.Dispose();
            return error;
        }
        server.Log.Notice($"Creating AOF incr file {name} on background rewrite");
        if (_writer == null) Attach(file, 0, 0);
        else _writer.SwitchTo(file);
        Manifest = manifest;
        return null;
    }

    /// <summary>
    /// A rewrite's base is complete in <paramref name="tempBase"/> (the store lock is held): it becomes the
    /// base, the incremental files it covers become history, the manifest is written (backgroundRewriteDoneHandler).
    /// Returns the error, or null.
    /// </summary>
    internal string? AdoptRewrite(string tempBase, bool rdbPreamble)
    {
        var log = server.Log;
        var manifest = Manifest.Clone();
        try
        {
            if (State == AofState.WaitRewrite)
            {
                string incr = manifest.NewIncrName(Config.AppendFilename);
                File.Move(Path.Combine(Dir, TempIncrName), Path.Combine(Dir, incr), overwrite: true);
            }
            string baseName = manifest.NewBaseName(Config.AppendFilename, rdbPreamble);
            File.Move(tempBase, Path.Combine(Dir, baseName), overwrite: true);
            log.Notice($"Successfully renamed the temporary AOF base file {Path.GetFileName(tempBase)} into {baseName}");
            manifest.MarkRewrittenIncrsAsHistory(keepLast: State != AofState.Off);
            if (manifest.Persist(Dir, Config.AppendFilename) is string error) return error;
            Manifest = manifest;
            BaseSize = new FileInfo(Path.Combine(Dir, baseName)).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
        if (_writer != null) _writer.CurrentSize = BaseSize + _writer.IncrSize;
        if (State == AofState.WaitRewrite) State = AofState.On;
        DeleteHistory();
        return null;
    }

    /// <summary>The rewrite failed: an AOF still waiting for its first base tries again from the cron.</summary>
    internal void RewriteFailed()
    {
        if (State == AofState.WaitRewrite) Rewrite.Scheduled = true;
    }

    /// <summary>History files go (aofDelHistoryFiles), unless aof-disable-auto-gc keeps them.</summary>
    private void DeleteHistory()
    {
        if (Config.AofDisableAutoGc || Manifest.History.Count == 0) return;
        foreach (var h in Manifest.History)
        {
            server.Log.Notice($"Removing the history file {h.Name} in the background");
            try { File.Delete(Path.Combine(Dir, h.Name)); } catch (IOException) { }
        }
        Manifest.ClearHistory();
        if (Manifest.Persist(Dir, Config.AppendFilename) is string error) server.Log.Warning(error);
    }

    /// <summary>BGREWRITEAOF: returns null when a rewrite started, or the error to answer.</summary>
    public string? StartRewrite() => Rewrite.Start();

    /// <summary>The server's cron: scheduled and automatic rewrites.</summary>
    public void Cron()
    {
        WakeFsyncWaiters();
        Rewrite.Cron(_writer?.CurrentSize ?? 0, BaseSize);
    }

    /// <summary>The server stops: the buffer is written and fsynced, as Redis's prepareForShutdown does.</summary>
    public void Shutdown()
    {
        if (Rewrite.InProgress) Rewrite.Abandon();
        if (_writer != null) server.Log.Notice("Calling fsync() on the AOF file.");
        lock (server.Gate) TurnOff();
        _fsync?.Dispose();
        _fsync = null;
    }

    private long _offsetWhenOff;
    private readonly List<Client> _fsyncWaiters = [];

    /// <summary>Bytes appended to the AOF since start (monotonic across files and restarts of appending).</summary>
    public long AppendedOffset => _writer?.AppendedOffset ?? _offsetWhenOff;

    /// <summary>
    /// Whether everything this client wrote is on the disk (WAITAOF's local acknowledgement): only once the AOF
    /// is on, since while it waits for its first base nothing it wrote can be loaded yet.
    /// </summary>
    public bool HasFsynced(Client client) => State == AofState.On && (_fsync?.FsyncedOffset ?? 0) >= client.AofWriteOffset;

    /// <summary>A WAITAOF parked until the client's writes are fsynced.</summary>
    public void WaitForFsync(Client client) => _fsyncWaiters.Add(client);

    /// <summary>After each batch's write and in the cron: WAITAOF clients whose writes reached the disk get their reply.</summary>
    public void WakeFsyncWaiters()
    {
        if (_fsyncWaiters.Count == 0) return;
        _fsyncWaiters.RemoveAll(c => c.Blocked == null || (HasFsynced(c) && server.Blocking.WakeFulfilled(c)));
    }

    /// <summary>The AOF's failure to report: the last write's, or the last background fsync's; null when fine.</summary>
    public string? LastError => _writer?.WriteError ?? _fsync?.Error;

    /// <summary>Background fsyncs queued or running.</summary>
    public int PendingFsyncs => _fsync?.Pending ?? 0;
}
