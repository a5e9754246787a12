using Cinnabar;
using Cinnabar.Config;

// Inline socket completions run command code on the I/O thread with no thread hop (measured in DESIGN.md);
// the runtime reads this before the first socket exists.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

if (args.Length == 1 && (args[0] == "-v" || args[0] == "--version"))
{
    Console.WriteLine($"Cinnabar server v={ServerInfo.Version}");
    return 0;
}

var config = ConfigLoader.FromArgs(args, out var error);
if (config == null)
{
    Console.Error.WriteLine(error);
    return 1;
}

// logfile and pidfile are relative to dir, as redis-server opens them after changing into it.
TextWriter logOutput = Console.Out;
if (config.LogFile.Length > 0)
{
    try
    {
        logOutput = new StreamWriter(new FileStream(Path.Combine(config.Dir, config.LogFile), FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"\n{ConfigLoader.FatalHeader}\nCan't open the log file: {(ex is UnauthorizedAccessException ? "Permission denied" : "No such file or directory")}");
        return 1;
    }
}
string pidFile = config.Find("pidfile")!.Value;
if (pidFile.Length > 0)
{
    pidFile = Path.Combine(config.Dir, pidFile);
    try { File.WriteAllText(pidFile, Environment.ProcessId + "\n"); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { pidFile = ""; }
}
var log = new ServerLog(logOutput);
log.Notice("oO0OoO0OoO0Oo Cinnabar is starting oO0OoO0OoO0Oo");
log.Notice($"Cinnabar version={ServerInfo.Version}, pid={Environment.ProcessId}, just started");
using var server = new CinnabarServer(config, log);
var done = new TaskCompletionSource();
server.ShutdownRequested += () => done.TrySetResult();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => done.TrySetResult();
try
{
    server.Start();
}
catch (System.Net.Sockets.SocketException ex)
{
    log.Warning($"Warning: Could not create server TCP listening socket {string.Join(' ', config.Bind)}:{config.Port}: {ex.Message}");
    return 1;
}
log.Notice($"Running mode=standalone, port={server.Port}.");
log.Notice("Server initialized");
log.Notice("Ready to accept connections tcp");
await done.Task;
log.Warning("User requested shutdown...");
server.Stop();
if (pidFile.Length > 0) try { File.Delete(pidFile); } catch (IOException) { }
log.Notice("Cinnabar is now ready to exit, bye bye...");
return 0;
