using System.Net.Sockets;
using System.Text.RegularExpressions;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// client-output-buffer-limit (normal class) and client-query-buffer-limit, as redis-server 7.0.15 applies them
/// with the same settings: a client that never reads is closed once its replies pass the hard limit, a 3 MB
/// argument against a 1 mb query limit closes the connection, and CLIENT LIST shows the queued replies.
/// </summary>
public class OutputLimitTests
{
    [Fact]
    public void AClientThatNeverReadsIsClosedAtTheHardLimit()
    {
        var log = new ServerLogCapture();
        using var server = new TestServer(log.Log, "--client-output-buffer-limit", "normal 1mb 512kb 5");
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("SET", "v", new string('y', 100_000)));
        using var reader = NonReading(server.Port);
        // 600 replies of 100 KB: far past 1 MB even with the kernel's buffers full.
        var get = RespClient.Encode("GET", "v");
        try
        {
            for (int i = 0; i < 600; i++) reader.Send(get);
        }
        catch (SocketException) { } // the server may reset the connection while we still send
        Wait.Until(() => log.Contains("scheduled to be closed ASAP for overcoming of output buffer limits."));
        Wait.Until(() => Regex.Matches(c.Call("CLIENT", "LIST"), "cmd=").Count == 1);
        Assert.Matches(@"Client id=\d+ addr=127\.0\.0\.1:\d+ .* cmd=get .*scheduled to be closed ASAP", log.Text);
        Assert.Equal("+PONG\r\n", c.Call("PING"));
    }

    [Fact]
    public void QueuedRepliesShowInClientList()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("SET", "v", new string('y', 100_000)));
        using var reader = NonReading(server.Port);
        // The 100 GETs in one write, so the server reads them as one batch: it reads no more input from a client
        // while a send of its replies waits for the kernel, so GETs sent one by one could be read a few at a
        // time and leave less than 1 MB queued (the 20-run loop once saw that).
        var get = RespClient.Encode("GET", "v");
        reader.Send(Enumerable.Repeat(get, 100).SelectMany(bytes => bytes).ToArray());
        // 10 MB of replies cannot all be in the kernel's buffers: the rest stays queued in the server (the
        // figures fall while the kernel takes more, then hold).
        Wait.Until(() => Regex.IsMatch(c.Call("INFO", "clients"), @"client_recent_max_output_buffer:[1-9]\d{6,}"));
        var line = c.Call("CLIENT", "LIST").Split('\n').First(l => l.Contains("cmd=get"));
        Assert.Matches(@"obl=16384 oll=[1-9]\d* omem=[1-9]\d{6,} tot-mem=\d+ events=rw cmd=get", line);
    }

    [Fact]
    public void AnArgumentPastTheQueryBufferLimitClosesTheClient()
    {
        var log = new ServerLogCapture();
        using var server = new TestServer(log.Log, "--client-query-buffer-limit", "1mb");
        using var c = server.Connect();
        try { c.SendRaw(RespClient.Encode("SET", "big", new string('x', 3_000_000))); }
        catch (SocketException) { }
        Assert.True(c.IsClosedByServer());
        Assert.Contains("Closing client that reached max query buffer length: id=", log.Text);
        using var d = server.Connect();
        Assert.Equal(":0\r\n", d.Call("EXISTS", "big"));
    }

    private static Socket NonReading(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        s.Connect("127.0.0.1", port);
        return s;
    }

}
