using System.Net.Sockets;

namespace Cinnabar.Networking;

/// <summary>
/// The byte I/O of one client connection, so <see cref="Connection"/> is written once for every transport:
/// .NET's sockets (<see cref="SocketTransport"/>, any platform) or Cinnabar's own epoll loop
/// (<see cref="EpollTransport"/>, Linux: one read and one write per request, as redis-server).
/// One receive and one send may be outstanding at a time, from different threads.
/// </summary>
internal interface IClientTransport
{
    /// <summary>
    /// Reads what has arrived into the memory <paramref name="target"/> gives; 0 once the peer closed or the
    /// transport was closed. The target is asked for its memory only when the read is made, so a transport
    /// that waits for input before reading (epoll) lets an idle connection hold no buffer.
    /// </summary>
    ValueTask<int> ReceiveAsync(IReceiveTarget target);

    /// <summary>
    /// Sends a prefix of <paramref name="data"/>; completes synchronously when the kernel took bytes at once, so
    /// a pending result means the rest waits for the peer to read (counted in the client's output buffer).
    /// </summary>
    ValueTask<int> SendAsync(ReadOnlyMemory<byte> data);

    /// <summary>Sends all of <paramref name="data"/> from a thread that may wait (best effort: stops when the connection fails).</summary>
    void SendAll(ReadOnlySpan<byte> data);

    /// <summary>
    /// True when receive completions run on a thread that serves other connections too: a batch that may hold
    /// the store lock for long (a script) must move off it first.
    /// </summary>
    bool CompletesInline { get; }

    /// <summary>The file descriptor on Unix (CLIENT LIST fd=), -1 once closed.</summary>
    long Handle { get; }

    /// <summary>
    /// Closes the connection from any thread; a pending receive completes with 0. With <paramref name="abort"/>
    /// the bytes still queued in the kernel are dropped and the peer gets a reset.
    /// </summary>
    void Close(bool abort);
}

/// <summary>Where received bytes go: asked once per read, by the thread that makes it.</summary>
internal interface IReceiveTarget
{
    Memory<byte> ReceiveMemory();

    /// <summary>
    /// The read that asked for memory found nothing (a readiness edge whose bytes an earlier read took): the
    /// target may give an unused buffer back before the transport waits.
    /// </summary>
    void ReceivedNothing();
}

/// <summary>Picks the transport for an accepted socket.</summary>
internal static class ClientTransport
{
    /// <summary>
    /// The epoll transport on Linux; CINNABAR_TRANSPORT=sockets selects .NET's sockets instead (to compare the
    /// two in benchmarks). Read once per process.
    /// </summary>
    public static readonly bool UseEpoll = OperatingSystem.IsLinux() &&
        !string.Equals(Environment.GetEnvironmentVariable("CINNABAR_TRANSPORT"), "sockets", StringComparison.OrdinalIgnoreCase);

    public static IClientTransport For(Socket socket, CinnabarServer server) =>
        UseEpoll ? EpollTransport.Register(socket, server.NextEpollLoop()) : new SocketTransport(socket);
}
