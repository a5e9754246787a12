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
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                if (address.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
                socket.Bind(new IPEndPoint(address, port));
                socket.Listen(511);
            }
            catch (SocketException) when (optional)
            {
                socket.Dispose();
                continue;
            }
            // With port 0, every further address binds the port the first one was given.
            if (port == 0) port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            _sockets.Add(socket);
        }
        Port = port;
        foreach (var s in _sockets) _ = AcceptLoopAsync(s);
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
