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
public sealed class AofPersistence(CinnabarServer server)
{
    private AofWriter? _writer;
    private AofBackgroundFsync? _fsync;

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
    /// start (the reason is logged).
    /// </summary>
    public void LoadAndOpenAtStartup()
    {
        if (!Config.AppendOnly) return;
        State = AofState.On;
        Manifest = AofManifest.LoadFromDisk(Dir, Config.AppendFilename) ?? new AofManifest();
        UpgradeLegacyFile();
        long start = Stopwatch.GetTimestamp();
        var loader = new AofLoader(server, Dir);
        AofLoadResult result;
        lock (server.Gate)
        {
            bool wasLoading = server.Loading;
            server.Loading = true;
            try { result = loader.LoadAll(Manifest); }
            finally { server.Loading = wasLoading; }
        }
        if (result is AofLoadResult.Failed or AofLoadResult.OpenError) throw new AofFatalException([]);
        if (result != AofLoadResult.NotExist)
            server.Log.Notice($"DB loaded from append only file: {AofLoader.Seconds(start)} seconds");
        BaseSize = loader.BaseSize;
        OpenAtStartup(loader.TotalSize);
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
        _writer = new AofWriter(server, _fsync, file, incrSize) { CurrentSize = currentSize };
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
                    else AofRewrite.WriteAofBase(server, fs);
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
        server.Log.Warning("Turning the AOF on at run time needs an AOF rewrite to create its base, which Cinnabar cannot do yet: set appendonly yes in the configuration file.");
        return "Unable to turn on AOF. Check server logs.";
    }

    /// <summary>CONFIG SET appendonly no (stopAppendOnly): what is buffered is written and fsynced, then the file is closed.</summary>
    public void TurnOff()
    {
        if (State == AofState.Off || _writer == null) return;
        server.Propagator.Detach(_writer);
        _writer.FlushAndSync();
        _writer.Close();
        _writer = null;
        State = AofState.Off;
        _fsync?.ClearError();
    }

    /// <summary>The server stops: the buffer is written and fsynced, as Redis's prepareForShutdown does.</summary>
    public void Shutdown()
    {
        if (_writer != null)
        {
            server.Log.Notice("Calling fsync() on the AOF file.");
            lock (server.Gate) TurnOff();
        }
        _fsync?.Dispose();
        _fsync = null;
    }

    /// <summary>The AOF's failure to report: the last write's, or the last background fsync's; null when fine.</summary>
    public string? LastError => _writer?.WriteError ?? _fsync?.Error;

    /// <summary>Background fsyncs queued or running.</summary>
    public int PendingFsyncs => _fsync?.Pending ?? 0;
}
