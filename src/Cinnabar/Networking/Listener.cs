using System.Net;
using System.Net.Sockets;

namespace Cinnabar.Networking;

/// <summary>Accepts TCP clients on the configured addresses and starts a <see cref="Connection"/> for each.</summary>
public sealed class Listener
{
    private readonly CinnabarServer _server;
    private readonly List<Socket> _sockets = [];

    public Listener(CinnabarServer server) => _server = server;

    public int Port { get; private set; }

    public void Start(IEnumerable<string> addresses, int port)
    {
        foreach (var raw in addresses)
        {
            bool optional = raw.StartsWith('-');
            string text = optional ? raw[1..] : raw;
            IPAddress address = text switch
            {
                "*" => IPAddress.Any,
                "::*" => IPAddress.IPv6Any,
                "localhost" => IPAddress.Loopback,
                _ => IPAddress.Parse(text),
            };
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            _sockets.Add(socket); // owned from here, so a failed bind leaves nothing open after Stop()
            try
            {
                // Only SO_REUSEADDR, as redis-server: .NET's ReuseAddress also sets SO_REUSEPORT on Linux, which
                // would let two servers listen on one port and split its connections.
                if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
                else socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                if (address.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
                socket.Bind(new IPEndPoint(address, port));
                socket.Listen(511);
            }
            catch (SocketException) when (optional)
            {
                _sockets.Remove(socket);
                socket.Dispose();
                continue;
            }
            // With port 0, every further address binds the port the first one was given.
            if (port == 0) port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        }
        Port = port;
        foreach (var s in _sockets) _ = AcceptLoopAsync(s);
    }

    /// <summary>
    /// Moves the listening sockets to new addresses and port (CONFIG SET bind/port). As Redis does, the old
    /// sockets are closed first; when the new ones cannot be bound the old setup is restored and false returned.
    /// </summary>
    public bool TryRebind(IReadOnlyList<string> addresses, int port, IReadOnlyList<string> oldAddresses)
    {
        int oldPort = Port;
        Stop();
        try
        {
            Start(addresses, port);
            if (_sockets.Count > 0) return true;
        }
        catch (Exception e) when (e is SocketException or FormatException) { }
        Stop();
        try { Start(oldAddresses, oldPort); } catch (Exception e) when (e is SocketException or FormatException) { }
        return false;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { if (!listener.IsBound) return; continue; }
            _server.Accept(socket);
        }
    }

    public void Stop()
    {
        foreach (var s in _sockets)
        {
            try { s.Dispose(); } catch { }
        }
        _sockets.Clear();
    }
}
