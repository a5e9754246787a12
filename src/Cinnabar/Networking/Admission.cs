using System.Net;
using System.Net.Sockets;

namespace Cinnabar.Networking;

/// <summary>
/// Who may become a client, decided at accept time in Redis's order: first the client count against
/// maxclients, then protected mode. A refused peer gets one error line and is closed.
/// </summary>
public static class Admission
{
    public static ReadOnlySpan<byte> MaxClientsReached => "-ERR max number of clients reached\r\n"u8;

    public static ReadOnlySpan<byte> ProtectedModeDenied =>
        "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"u8;

    /// <summary>
    /// Redis 7's rule: with protected-mode on and no password for the default user, only loopback peers are
    /// served, whatever bind says. As Redis, "loopback" is exactly 127.0.0.1 or ::1 (or a unix socket).
    /// </summary>
    public static bool ProtectedModeDenies(bool protectedMode, bool defaultUserHasPassword, EndPoint? peer) =>
        protectedMode && !defaultUserHasPassword && !IsLocal(peer);

    public static bool IsLocal(EndPoint? peer) => peer switch
    {
        UnixDomainSocketEndPoint => true,
        IPEndPoint ip => ip.Address.Equals(IPAddress.Loopback) || ip.Address.Equals(IPAddress.IPv6Loopback),
        _ => false,
    };

    /// <summary>Best effort, as Redis: the refusal is written once and the socket closed whatever happens.</summary>
    public static void Refuse(Socket socket, ReadOnlySpan<byte> error)
    {
        try { socket.Send(error); } catch (SocketException) { }
        socket.Dispose();
    }
}
