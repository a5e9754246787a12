using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Cinnabar.Server;

/// <summary>
/// daemonize yes: .NET cannot fork, so the server starts a detached copy of itself with the same arguments
/// and exits 0, as redis-server's parent does after fork(). The copy starts a new session and points its
/// standard streams at /dev/null, as Redis's child does.
/// </summary>
internal static partial class Daemon
{
    private const string ChildMarker = "CINNABAR_DAEMON_CHILD";

    /// <summary>The pidfile a daemon writes when none is configured (Redis writes /var/run/redis.pid).</summary>
    public const string DefaultPidFile = "/var/run/cinnabar.pid";

    public static bool IsDetachedCopy => Environment.GetEnvironmentVariable(ChildMarker) == "1";

    /// <summary>Starts the detached copy; returns the exit code for this (parent) process.</summary>
    public static int StartDetachedCopy(string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        // Under "dotnet cinnabar-server.dll" the process is the dotnet host and the assembly comes first; a
        // published cinnabar-server executable runs the assembly itself.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            start.ArgumentList.Add(Path.GetFullPath(Environment.GetCommandLineArgs()[0]));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment[ChildMarker] = "1";
        try
        {
            using var child = Process.Start(start);
            return child == null ? 1 : 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Console.Error.WriteLine($"Can't daemonize: {e.Message}");
            return 1;
        }
    }

    /// <summary>In the detached copy: a session of its own (no terminal signals) and stdio on /dev/null.</summary>
    public static void Detach()
    {
        Environment.SetEnvironmentVariable(ChildMarker, null);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        SetSid();
        int fd = Open("/dev/null", 2 /* O_RDWR */);
        if (fd < 0) return;
        Dup2(fd, 0);
        Dup2(fd, 1);
        Dup2(fd, 2);
        if (fd > 2) Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "setsid")]
    private static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "dup2")]
    private static partial int Dup2(int from, int to);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
