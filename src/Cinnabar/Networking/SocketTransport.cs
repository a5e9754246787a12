using System.Net.Sockets;

namespace Cinnabar.Networking;

/// <summary>
/// A client connection on .NET's sockets: the portable transport, and the one to compare against on Linux
/// (CINNABAR_TRANSPORT=sockets). The runtime's awaitables are reused per socket, so a request allocates nothing.
/// </summary>
internal sealed class SocketTransport(Socket socket) : IClientTransport
{
    /// <summary>Whether receive completions run on the socket engine's threads (set by the server program).</summary>
    private static readonly bool InlineCompletions =
        Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1";

    // .NET's receive holds its buffer while it waits for input.
    public ValueTask<int> ReceiveAsync(IReceiveTarget target) => socket.ReceiveAsync(target.ReceiveMemory(), SocketFlags.None);

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data) => socket.SendAsync(data, SocketFlags.None);

    public void SendAll(ReadOnlySpan<byte> data)
    {
        try
        {
            while (data.Length > 0)
            {
                int sent = socket.Send(data, SocketFlags.None);
                if (sent <= 0) break;
                data = data[sent..];
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    public bool CompletesInline => InlineCompletions;

    public long Handle => socket.SafeHandle.IsInvalid ? -1 : (long)socket.SafeHandle.DangerousGetHandle();

    public void Close(bool abort)
    {
        try
        {
            if (abort) socket.LingerState = new LingerOption(true, 0);
            else socket.Shutdown(SocketShutdown.Both);
        }
        catch { }
        socket.Dispose();
    }
}
