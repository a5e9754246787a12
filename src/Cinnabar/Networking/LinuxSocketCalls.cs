using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cinnabar.Networking;

/// <summary>The libc calls of the epoll transport (Linux), with the constants they take.</summary>
internal static unsafe partial class LinuxSocketCalls
{
    public const int EAGAIN = 11;
    public const int EINTR = 4;

    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;
    public const uint EPOLLET = 1u << 31;

    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CTL_MOD = 3;
    public const int EPOLL_CLOEXEC = 0x80000;

    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_NOSIGNAL = 0x4000;

    public const short POLLOUT = 0x004;

    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int O_NONBLOCK = 0x800;

    /// <summary>
    /// struct epoll_event is packed on x86-64 (12 bytes: events, then data at offset 4) and naturally aligned
    /// elsewhere (16 bytes, data at offset 8); the loop reads it through these offsets.
    /// </summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    public static readonly int EventDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, byte* events, int maxEvents, int timeout);

    [LibraryImport("libc", EntryPoint = "gettid")]
    public static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int CloseDescriptor(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nint count, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int cmd, int arg);

    /// <summary>
    /// Sets O_NONBLOCK on the descriptor directly: .NET's <c>Socket.Blocking = false</c> would also create the
    /// socket's async context (its own epoll bookkeeping, some 150 bytes per connection) that this transport
    /// never uses.
    /// </summary>
    public static void SetNonBlocking(int fd)
    {
        int flags = Fcntl(fd, F_GETFL, 0);
        if (flags < 0 || Fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
            throw new System.Net.Sockets.SocketException(Marshal.GetLastPInvokeError());
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeout);

    /// <summary>Writes one epoll_event (events and the 64-bit data word) at <paramref name="ev"/>.</summary>
    public static void WriteEvent(byte* ev, uint events, ulong data)
    {
        *(uint*)ev = events;
        Unsafe.WriteUnaligned(ev + EventDataOffset, data);
    }
}
