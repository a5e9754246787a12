using System.Runtime.InteropServices;

namespace Cinnabar.Server;

/// <summary>
/// A shell script's background job starts with SIGINT ignored, and the .NET runtime keeps a signal that was
/// ignored when it set up its handlers ignored for good. Redis installs its SIGINT handler regardless, so
/// SIGINT stops a background redis-server; to behave the same, an inherited SIG_IGN is set back to the
/// default before the runtime looks at it (first thing in Main, before any Console or signal use).
/// </summary>
internal static unsafe partial class InheritedSignals
{
    private const int SigInt = 2;

    public static void UnignoreInterrupt()
    {
        if (!OperatingSystem.IsLinux()) return;
        // glibc and musl both put the handler first in struct sigaction (at most 152 bytes on Linux).
        byte* action = stackalloc byte[512];
        if (QueryAction(SigInt, null, action) == 0 && *(nint*)action == 1 /* SIG_IGN */) SetHandler(SigInt, 0 /* SIG_DFL */);
    }

    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static partial int QueryAction(int signal, byte* newAction, byte* oldAction);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint SetHandler(int signal, nint handler);
}
