using System.Net.Sockets;
using System.Text;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// Feeds malformed and random frames on one connection while a second client keeps working: a bad peer
/// may get its own connection closed, never disturb anyone else or the server.
/// </summary>
public class FuzzTests
{
    private const int FrameCount = 10_000;

    [Fact]
    public async Task MalformedFramesOnOneConnectionNeverDisturbAnotherClient()
    {
        using var server = new TestServer();
        using var fuzz = new FuzzConnection(server.Port);
        var random = new Random(20261125);
        using var stop = new CancellationTokenSource();

        // The well-behaved client runs beside the fuzzer the whole time and checks every reply exactly.
        var wellBehaved = Task.Run(() =>
        {
            using var good = server.Connect();
            int rounds = 0;
            while (!stop.IsCancellationRequested || rounds < 50)
            {
                string value = $"value-{rounds}-{Guid.NewGuid():N}";
                Assert.Equal("+PONG\r\n", good.Call("PING"));
                Assert.Equal("+OK\r\n", good.Call("SET", "good:key", value));
                Assert.Equal($"${value.Length}\r\n{value}\r\n", good.Call("GET", "good:key"));
                rounds++;
            }
            return rounds;
        });

        for (int i = 0; i < FrameCount; i++)
        {
            var (frame, leavesServerWaiting) = FuzzFrames.Next(random);
            fuzz.Send(frame);
            // A frame that makes the server wait for a huge payload would swallow all later frames:
            // start over on a new connection, as a confused client would.
            if (leavesServerWaiting || random.Next(20) == 0) fuzz.Reconnect();
            if (wellBehaved.IsFaulted) break;
        }
        stop.Cancel();
        int served = await wellBehaved.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(served >= 50, $"the well-behaved client completed only {served} rounds");
        Assert.True(fuzz.ClosedByServer > 100, $"too few frames made the server close the fuzz connection (reconnects {fuzz.Reconnects}, closed by server {fuzz.ClosedByServer}, bytes back {fuzz.BytesReceived})");
        using var after = server.Connect();
        Assert.Equal("+PONG\r\n", after.Call("PING"));
        Assert.Equal("+OK\r\n", after.Call("SET", "after", "1"));
        Assert.Equal("$1\r\n1\r\n", after.Call("GET", "after"));
    }

    /// <summary>A raw socket that sends whatever it is given, drains replies, and reconnects when closed.</summary>
    private sealed class FuzzConnection(int port) : IDisposable
    {
        private readonly byte[] _drain = new byte[64 * 1024];
        private Socket _socket = Open(port);

        public int ClosedByServer { get; private set; }
        public int Reconnects { get; private set; }
        public long BytesReceived { get; private set; }

        private static Socket Open(int port)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            s.Connect("127.0.0.1", port);
            return s;
        }

        /// <summary>Sends a frame, then gives the server a moment to reply or close before the next one.</summary>
        public void Send(byte[] frame)
        {
            try
            {
                _socket.Send(frame);
                AwaitReaction(TimeSpan.FromMilliseconds(1));
            }
            catch (SocketException)
            {
                ClosedByServer++;
                Open();
            }
        }

        /// <summary>Starts over on a new connection, after reading what the server said to the old one.</summary>
        public void Reconnect()
        {
            try
            {
                AwaitReaction(TimeSpan.Zero);
            }
            catch (SocketException)
            {
                ClosedByServer++;
            }
            Open();
        }

        /// <summary>Reads replies while they keep coming; reconnects when the server has closed the connection.</summary>
        private void AwaitReaction(TimeSpan wait)
        {
            while (_socket.Poll(wait, SelectMode.SelectRead))
            {
                if (_socket.Available == 0)
                {
                    ClosedByServer++;
                    Open();
                    return;
                }
                BytesReceived += _socket.Receive(_drain);
            }
        }

        private void Open()
        {
            _socket.Dispose();
            _socket = Open(port);
            Reconnects++;
        }

        public void Dispose() => _socket.Dispose();
    }
}

/// <summary>Generators of bad, odd and valid RESP/inline frames, shared by the socket and parser fuzz tests.</summary>
internal static class FuzzFrames
{
    private static readonly string[] ValidCommands =
    [
        "*1\r\n$4\r\nPING\r\n",
        "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n",
        "*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n",
        "*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n",
        "*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n$2\r\nPX\r\n$3\r\n100\r\n",
        "PING\r\n",
        "SET a \"x y\\x41\\n\"\r\n",
        "GET 'single quoted'\r\n",
        "\r\n",
        "*0\r\n",
        "*-1\r\n",
    ];

    public static IReadOnlyList<string> Valid => ValidCommands;

    /// <summary>Returns the next frame and whether it may leave the server waiting for a large payload.</summary>
    public static (byte[] Frame, bool LeavesServerWaiting) Next(Random random)
    {
        switch (random.Next(9))
        {
            case 0: // random bytes
            {
                var bytes = new byte[random.Next(1, 128)];
                random.NextBytes(bytes);
                return (bytes, false);
            }
            case 1: // a valid command cut short
            {
                var valid = Ascii(Pick(random, ValidCommands));
                return (valid[..random.Next(0, valid.Length)], false);
            }
            case 2: // bad bulk lengths
                return (Ascii(Pick(random, [
                    "*1\r\n$-7\r\nPING\r\n", "*1\r\n$abc\r\n", "*1\r\n$99999999999999999999\r\n", "*1\r\n$\r\n",
                    "*2\r\n$3\r\nGET\r\n$+3\r\nfoo\r\n", "*1\r\n$1 \r\nx\r\n", "*1\r\n$4\r\nPINGPONG\r\n",
                    "*1\r\n$600000000\r\n", "*2\r\n$3\r\nGET\r\n:3\r\n", "*1\r\n$0x10\r\n",
                ])), false);
            case 3: // bad and huge multibulk counts
                return (Ascii(Pick(random, [
                    "*2147483647\r\n", "*2147483648\r\n", "*99999999999999999999\r\n", "*-2\r\n", "*abc\r\n",
                    "*1000000\r\n$4\r\nPING\r\n", "* 1\r\n", "*\r\n", "*1\r*1\r\n",
                ])), true);
            case 4: // a large but legal bulk that is never completed
                return (Ascii($"*1\r\n${random.Next(1, 8) * 1024 * 1024}\r\nabc"), true);
            case 5: // inline oddities
                return (Ascii(Pick(random, [
                    "SET \"unbalanced\r\n", "GET 'open\r\n", "ECHO \"a\"b\r\n", "\"\"\r\n", "   \t  \r\n",
                    "NOSUCHCOMMAND a b c\r\n", "GET\r\n", "PING a b c\r\n", "\n\n\n", "ECHO \"\\xZZ\"\r\n",
                ])), false);
            case 6: // an inline request longer than Redis's 64 KB limit, with no newline
                return (Encoding.ASCII.GetBytes(new string('a', 70 * 1024)), true);
            case 7: // a valid frame with random bytes changed
                return (Mutate(random, Ascii(Pick(random, ValidCommands))), false);
            default: // valid pipelined commands
            {
                var sb = new StringBuilder();
                for (int n = random.Next(1, 5); n > 0; n--) sb.Append(Pick(random, ValidCommands));
                return (Ascii(sb.ToString()), false);
            }
        }
    }

    /// <summary>Flips, inserts, deletes, duplicates or truncates bytes of a frame, a few times over.</summary>
    public static byte[] Mutate(Random random, byte[] frame)
    {
        var bytes = new List<byte>(frame);
        byte[] interesting = "\r\n*$-+:0123456789\"' \\x"u8.ToArray();
        for (int m = random.Next(1, 4); m > 0; m--)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0: bytes[at] = (byte)random.Next(256); break;
                case 1 when bytes.Count > 0: bytes[at] = interesting[random.Next(interesting.Length)]; break;
                case 2: bytes.Insert(at, interesting[random.Next(interesting.Length)]); break;
                case 3 when bytes.Count > 0: bytes.RemoveAt(at); break;
                case 4 when bytes.Count > 0:
                    int len = random.Next(1, Math.Min(16, bytes.Count - at) + 1);
                    bytes.InsertRange(at, bytes.GetRange(at, len));
                    break;
                default: if (bytes.Count > 0) bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        return bytes.ToArray();
    }

    private static string Pick(Random random, string[] options) => options[random.Next(options.Length)];
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
}
