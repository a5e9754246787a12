using System.Globalization;
using System.Runtime.InteropServices;
using Cinnabar;
using Cinnabar.Config;
using Cinnabar.Networking;

namespace Cinnabar.Server;

/// <summary>
/// The life of the server process as redis-server's main(): start-up lines, descriptor limit, listening,
/// pidfile, then shutdown on SHUTDOWN, SIGTERM or SIGINT with Redis's log lines, exit code 0.
/// </summary>
internal static class ServerProcess
{
    public static async Task<int> RunAsync(ServerConfig config, bool defaultConfig, bool daemonized)
    {
        // logfile and pidfile are relative to dir, as redis-server opens them after changing into it.
        TextWriter? output = Console.Out;
        if (config.LogFile.Length > 0)
        {
            try
            {
                output = new StreamWriter(new FileStream(Path.Combine(config.Dir, config.LogFile), FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"\n{ConfigLoader.FatalHeader}\nCan't open the log file: {(ex is UnauthorizedAccessException ? "Permission denied" : "No such file or directory")}");
                return 1;
            }
        }
        else if (daemonized)
        {
            output = null; // a daemon logging to stdout logs nothing, as Redis's
        }
        var log = new ServerLog(output, () => config.LogLevel) { Role = 'C' };
        log.Warning("oO0OoO0OoO0Oo Cinnabar is starting oO0OoO0OoO0Oo");
        log.Warning($"Cinnabar version={ServerInfo.Version}, bits={IntPtr.Size * 8}, commit=00000000, modified=0, pid={Environment.ProcessId}, just started");
        if (defaultConfig)
            log.Warning("Warning: no config file specified, using the default config. In order to specify a config file use cinnabar-server /path/to/redis.conf");
        else
            log.Warning("Configuration loaded");
        log.Role = 'M';

        DescriptorLimit.Measure(log);
        int clients = DescriptorLimit.Fit(config.MaxClients, log, out bool tooFewDescriptors);
        if (tooFewDescriptors) return 1;
        if (clients != config.MaxClients) config.TrySet("maxclients", clients.ToString(CultureInfo.InvariantCulture), atStartup: true);

        using var server = new CinnabarServer(config, log);
        // This process is the server: its heap against used memory tells the trimmer when to collect.
        server.MemoryTrimmer.OwnsProcess = true;
        // Full collections in the background only. Otherwise the runtime turns a full collection into a blocking,
        // compacting one when the old generation looks fragmented against what was allocated into it lately:
        // at 10M keys, 60-90 ms with every client waiting (docs/ARCHITECTURE.md, "Memory that comes back").
        // The trimmer's own blocking collection of a small heap (after a flush, when quiet) is still made.
        System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.SustainedLowLatency;
        try
        {
            server.Listen();
        }
        catch (ListenFailedException e)
        {
            log.Warning("Warning: " + e.Message);
            log.Warning($"Failed listening on port {e.Port} (TCP), aborting.");
            return 1;
        }
        catch (Exception e) when (config.UnixSocket.Length > 0 && e is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
        {
            log.Warning($"Failed opening Unix socket: {e.Message}");
            return 1;
        }

        string pidFile = config.PidFile.Length > 0 ? Path.Combine(config.Dir, config.PidFile) : daemonized ? Daemon.DefaultPidFile : "";
        // Best effort, as Redis: a pidfile that cannot be written does not stop the server.
        if (pidFile.Length > 0)
        {
            try { File.WriteAllText(pidFile, Environment.ProcessId + "\n"); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { log.Warning($"Failed to write PID file: {ex.Message}"); }
        }

        log.Notice($"Running mode=standalone, port={server.Port}.");
        WarnAboutBacklog(config, log);
        log.Warning("Server initialized");
        // SHUTDOWN and signals are heard from now on: one arriving while the data set loads takes effect once
        // the load is over (SHUTDOWN saves nothing while loading).
        var shutdown = new ShutdownSignals(log, config);
        server.ShutdownRequested += () => shutdown.Stop(null);
        // Start-up's long-lived objects (the command table, configuration, the scripting engine) are still young.
        // Left to the collector, the first young collections under clients would copy them twice, to gen1 and
        // then to gen2: 7 and 9 ms on an idle 2-core VM, 22 and 18 ms on a loaded one (docs/BENCHMARKS.md, runs
        // 28-29). One full collection of the small start-up heap now moves them to gen2 at once, before any
        // client is served.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        // Clients may connect already: they get -LOADING until the AOF directory or the RDB file is in.
        try
        {
            if (config.AppendOnly) server.Aof.LoadAndOpenAtStartup();
            else if (!server.Rdb.LoadAtStartup())
            {
                shutdown.Dispose();
                server.Stop();
                return 1;
            }
        }
        catch (Cinnabar.Persistence.AofFatalException e)
        {
            foreach (var line in e.LogLines) log.Warning(line);
            shutdown.Dispose();
            server.Stop();
            return 1;
        }
        log.Notice("Ready to accept connections tcp");
        if (config.UnixSocket.Length > 0) log.Notice("Ready to accept connections unix");

        // SHUTDOWN has made its final save when it asks to stop; a signal's is made here, and when it fails the
        // server keeps running, as Redis does.
        using var periodic = new PeriodicLog(server);
        while (await shutdown.Requested.ConfigureAwait(false) is { } setting)
        {
            var (save, force) = Persistence.RdbPersistence.SignalShutdownFlags(setting);
            bool saved;
            lock (server.Gate) saved = server.Rdb.SaveForShutdown(save, force);
            if (saved) break;
            log.Warning("SIGTERM received but errors trying to shut down the server, check the logs for more information");
            shutdown.Rearm();
        }
        shutdown.Dispose();

        if (pidFile.Length > 0)
        {
            log.Notice("Removing the pid file.");
            try { File.Delete(pidFile); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
        if (config.UnixSocket.Length > 0) log.Notice("Removing the unix socket file.");
        server.Stop();
        log.Warning("Cinnabar is now ready to exit, bye bye...");
        return 0;
    }

    /// <summary>Redis's start-up check: a backlog above the kernel's somaxconn is silently cut by the kernel.</summary>
    private static void WarnAboutBacklog(ServerConfig config, ServerLog log)
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            if (int.TryParse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim(), out int somaxconn) && somaxconn > 0 && somaxconn < config.TcpBacklog)
                log.Warning($"WARNING: The TCP backlog setting of {config.TcpBacklog} cannot be enforced because /proc/sys/net/core/somaxconn is set to the lower value of {somaxconn}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>
    /// SIGTERM and SIGINT schedule a graceful shutdown, however the process was started (see
    /// <see cref="InheritedSignals"/> for scripts' background jobs). A second SIGINT while shutting down exits at
    /// once with status 1, as Redis's "You insist... exiting now.". <see cref="Requested"/> yields the signal's
    /// shutdown-on-sig* setting, or null for SHUTDOWN.
    /// </summary>
    private sealed class ShutdownSignals : IDisposable
    {
        private readonly ServerLog _log;
        private readonly ServerConfig _config;
        private readonly PosixSignalRegistration[] _registrations;
        private TaskCompletionSource<string?> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _requested;

        public ShutdownSignals(ServerLog log, ServerConfig config)
        {
            _log = log;
            _config = config;
            _registrations =
            [
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
                PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
                // Redis ignores SIGHUP, so closing the terminal it was started from does not stop it.
                PosixSignalRegistration.Create(PosixSignal.SIGHUP, static c => c.Cancel = true),
            ];
        }

        /// <summary>The request: a signal's setting, or null for SHUTDOWN.</summary>
        public Task<string?> Requested => Volatile.Read(ref _next).Task;

        /// <summary>After a signal's shutdown failed to save: wait for the next request.</summary>
        public void Rearm()
        {
            Volatile.Write(ref _next, new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously));
            Interlocked.Exchange(ref _requested, 0);
        }

        public void Stop(string? setting) => Volatile.Read(ref _next).TrySetResult(setting);

        private void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            bool interrupt = context.Signal == PosixSignal.SIGINT;
            if (Interlocked.Exchange(ref _requested, 1) == 1 && interrupt)
            {
                _log.FromSignalHandler("You insist... exiting now.");
                RemoveTempRdbFiles();
                Environment.Exit(1);
            }
            _log.FromSignalHandler(interrupt ? "Received SIGINT scheduling shutdown..." : "Received SIGTERM scheduling shutdown...");
            Stop(interrupt ? _config.ShutdownOnSigint : _config.ShutdownOnSigterm);
        }

        /// <summary>The half-written RDB files of a save this exit cuts short, as Redis's rdbRemoveTempFile.</summary>
        private void RemoveTempRdbFiles()
        {
            try
            {
                foreach (var file in Directory.EnumerateFiles(_config.Dir, $"temp-{Environment.ProcessId}*.rdb"))
                    File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }

        public void Dispose()
        {
            foreach (var r in _registrations) r.Dispose();
        }
    }
}
