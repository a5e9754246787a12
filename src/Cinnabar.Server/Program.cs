using Cinnabar;
using Cinnabar.Config;
using Cinnabar.Server;

InheritedSignals.UnignoreInterrupt();

// Inline socket completions run command code on the I/O thread with no thread hop (measured in DESIGN.md);
// the runtime reads this before the first socket exists.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

if (CommandLine.HandleSpecial(args) is int exitCode) return exitCode;

var config = ConfigLoader.FromArgs(args, out var error);
if (config == null)
{
    Console.Error.WriteLine(error);
    return 1;
}

// daemonize yes: a detached copy runs the server and this process exits, as redis-server's parent after fork().
bool daemonized = config.Daemonize && config.Supervised == "no";
if (daemonized && !Daemon.IsDetachedCopy) return Daemon.StartDetachedCopy(args);
if (Daemon.IsDetachedCopy) Daemon.Detach();

return await ServerProcess.RunAsync(config, args.Length == 0, daemonized);
