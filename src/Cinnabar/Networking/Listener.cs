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
        bool ephemeral = port == 0;
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
                socket.Listen(_server.Config.TcpBacklog);
            }
            // As Redis, an optional ("-") address may be missing; with an ephemeral port (0, in-process servers)
            // the port picked for the first address may also be taken on the next one.
            catch (SocketException e) when (optional && (ephemeral || e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported))
            {
                _sockets.Remove(socket);
                socket.Dispose();
                continue;
            }
            catch (SocketException e)
            {
                throw new ListenFailedException(text, port, e);
            }
            // With port 0, every further address binds the port the first one was given.
            if (port == 0) port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        }
        Port = port;
        foreach (var s in _sockets) _ = AcceptLoopAsync(s);
    }

    /// <summary>The unix socket path listened on, or null.</summary>
    public string? UnixPath { get; private set; }

    /// <summary>
    /// Listens on a unix socket as redis-server's unixsocket: a stale file at the path is removed first, and a
    /// non-zero <paramref name="permissions"/> (unixsocketperm, octal in the config) is applied to the new file.
    /// </summary>
    public void StartUnix(string path, int permissions)
    {
        File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            if (permissions != 0 && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)permissions);
            socket.Listen(_server.Config.TcpBacklog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _unixSocket = socket;
        UnixPath = path;
        _ = AcceptLoopAsync(socket);
    }

    private Socket? _unixSocket;

    /// <summary>Closes the unix socket and removes its file (Redis: "Removing the unix socket file.").</summary>
    public void StopUnix()
    {
        if (_unixSocket == null) return;
        _unixSocket.Dispose();
        _unixSocket = null;
        try { File.Delete(UnixPath!); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
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
        catch (Exception e) when (e is SocketException or FormatException or ListenFailedException) { }
        Stop();
        try { Start(oldAddresses, oldPort); } catch (Exception e) when (e is SocketException or FormatException or ListenFailedException) { }
        return false;
    }

    /// <summary>How long the accept loop waits after accept() failed for lack of descriptors or memory.</summary>
    private static readonly TimeSpan AcceptRetryPause = TimeSpan.FromMilliseconds(100);

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
            catch (SocketException e)
            {
                if (listener.SafeHandle.IsClosed) return;
                // Out of descriptors or memory: the pending connection stays queued in the kernel; retrying at
                // once would spin, so log as Redis does and try again after a pause.
                _server.Log.Warning($"Accepting client connection: accept: {e.Message}");
                await Task.Delay(AcceptRetryPause).ConfigureAwait(false);
                continue;
            }
            try
            {
                if (_server.Log.Enabled(1))
                    _server.Log.Verbose(socket.RemoteEndPoint is IPEndPoint peer ? $"Accepted {peer.Address}:{peer.Port}" : $"Accepted connection to {UnixPath}");
                _server.Accept(socket);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The peer reset before it was admitted: nothing to serve.
                socket.Dispose();
            }
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

/// <summary>A listening socket could not be created: the address and port, with the system's reason.</summary>
public sealed class ListenFailedException(string address, int port, SocketException inner)
    : IOException($"Could not create server TCP listening socket {address}:{port}: bind: {inner.Message}", inner)
{
    public string Address { get; } = address;
    public int Port { get; } = port;
}
