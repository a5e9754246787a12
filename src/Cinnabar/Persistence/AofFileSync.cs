using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cinnabar.Persistence;

/// <summary>
/// Getting bytes onto the disk: fdatasync for an append-only file (Redis's redis_fsync on Linux, which skips
/// the metadata a size change does not need), and fsync of a directory so a rename or a new file in it
/// survives a crash. Elsewhere the runtime's full flush is used, and directories are not synced.
/// </summary>
public static partial class AofFileSync
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(SafeFileHandle fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    /// <summary>Flushes a file's data to the disk; throws IOException with the system's reason on failure.</summary>
    public static void SyncData(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux())
        {
            while (fdatasync(handle) == -1)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != 4) throw new IOException(Marshal.GetPInvokeErrorMessage(errno)); // EINTR: retry
            }
            return;
        }
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>fsync of a directory (Linux): a rename or a file created in it is durable afterwards.</summary>
    public static void SyncDirectory(string dir)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = open(dir, 0); // O_RDONLY
        if (fd == -1) throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        try
        {
            if (fsync(fd) == -1) throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }
        finally
        {
            close(fd);
        }
    }
}
