using Cinnabar;

namespace Cinnabar.Server;

/// <summary>
/// The options redis-server handles before reading any configuration: -v/--version, -h/--help,
/// --test-memory and --check-system. Same output shape and exit codes as redis-server.
/// </summary>
internal static class CommandLine
{
    /// <summary>Handles a special first argument; returns the exit code, or null to go on and start the server.</summary>
    public static int? HandleSpecial(string[] args)
    {
        if (args.Length == 0) return null;
        switch (args[0])
        {
            case "-v" or "--version":
                Console.WriteLine($"Cinnabar server v={ServerInfo.Version} redis={ServerInfo.RedisVersion} sha=00000000:0 malloc=dotnet-gc bits={IntPtr.Size * 8} build={Cinnabar.Commands.Families.InfoCommand.BuildId}");
                return 0;
            case "-h" or "--help":
                Usage();
                return 1;
            case "--test-memory":
                // redis-server runs its own memory test here; a managed runtime cannot address physical memory
                // that way, so the option is refused rather than pretending to test.
                Console.Error.WriteLine("--test-memory is not supported by Cinnabar: use a dedicated memory tester such as memtester.");
                return 1;
            case "--check-system":
                Console.Error.WriteLine("--check-system is not supported by Cinnabar: its checks (overcommit, THP, clocksource) concern redis-server's fork-based persistence.");
                return 1;
        }
        return null;
    }

    private static void Usage()
    {
        const string name = "./cinnabar-server";
        var e = Console.Error;
        e.WriteLine($"Usage: {name} [/path/to/redis.conf] [options] [-]");
        e.WriteLine($"       {name} - (read config from stdin)");
        e.WriteLine($"       {name} -v or --version");
        e.WriteLine($"       {name} -h or --help");
        e.WriteLine();
        e.WriteLine("Examples:");
        e.WriteLine($"       {name} (run the server with default conf)");
        e.WriteLine($"       echo 'maxclients 128' | {name} -");
        e.WriteLine($"       {name} /etc/cinnabar/6379.conf");
        e.WriteLine($"       {name} --port 7777");
        e.WriteLine($"       {name} /etc/mycinnabar.conf --loglevel verbose -");
        e.WriteLine($"       {name} /etc/mycinnabar.conf --loglevel verbose");
        e.WriteLine();
    }
}
