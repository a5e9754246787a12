// Pub/sub load check against any Redis-protocol server: many subscribers on channels and patterns,
// many publishers, every message verified delivered to every matching subscriber in per-publisher order,
// and one subscriber that never reads, which the server must disconnect by its output-buffer limit.
// Usage: PubSubLoad <port> [subscribers] [channels] [publishers] [messages] [payloadBytes]
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

int port = int.Parse(args[0]);
int subscriberCount = args.Length > 1 ? int.Parse(args[1]) : 1000;
int channelCount = args.Length > 2 ? int.Parse(args[2]) : 100;
int publisherCount = args.Length > 3 ? int.Parse(args[3]) : 50;
int messageCount = args.Length > 4 ? int.Parse(args[4]) : 1_000_000;
int payloadBytes = args.Length > 5 ? int.Parse(args[5]) : 64;
int perPublisher = messageCount / publisherCount;

static byte[] Command(params string[] parts)
{
    var sb = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
    foreach (var p in parts) sb.Append('$').Append(Encoding.UTF8.GetByteCount(p)).Append("\r\n").Append(p).Append("\r\n");
    return Encoding.UTF8.GetBytes(sb.ToString());
}

static Socket Connect(int port)
{
    var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    s.Connect("127.0.0.1", port);
    return s;
}

static string Channel(int c) => $"ch.{c:D3}";

// Subscriber i listens on channel i % channels; every tenth one through a pattern matching only that channel.
var receivers = new int[channelCount];
var subscribers = new List<Subscriber>();
for (int i = 0; i < subscriberCount; i++)
{
    int c = i % channelCount;
    bool pattern = i % 10 == 9;
    var socket = Connect(port);
    socket.Send(pattern ? Command("PSUBSCRIBE", Channel(c) + "*") : Command("SUBSCRIBE", Channel(c)));
    subscribers.Add(new Subscriber(socket, publisherCount));
    receivers[c]++;
}
// The slow one subscribes to everything and never reads.
var slow = Connect(port);
slow.ReceiveBufferSize = 4096;
slow.Send(Command("PSUBSCRIBE", "*"));
Thread.Sleep(500);

long expected = 0;
for (int p = 0; p < publisherCount; p++)
    for (int s = 0; s < perPublisher; s++) expected += receivers[s % channelCount];
foreach (var sub in subscribers) sub.Start();

var padding = new string('x', Math.Max(0, payloadBytes - 16));
var sw = Stopwatch.StartNew();
var publishers = Enumerable.Range(0, publisherCount).Select(p => Task.Run(() =>
{
    using var socket = Connect(port);
    var buffer = new byte[1 << 16];
    const int batch = 100;
    for (int s = 0; s < perPublisher; s += batch)
    {
        var payload = new List<byte>();
        int n = Math.Min(batch, perPublisher - s);
        for (int j = s; j < s + n; j++) payload.AddRange(Command("PUBLISH", Channel(j % channelCount), $"{p}:{j}:{padding}"));
        socket.Send(payload.ToArray());
        int lines = 0;
        while (lines < n)
        {
            int got = socket.Receive(buffer);
            if (got == 0) throw new IOException("publisher connection closed");
            for (int k = 0; k < got; k++) if (buffer[k] == '\n') lines++;
        }
    }
})).ToArray();
Task.WaitAll(publishers);
double publishSeconds = sw.Elapsed.TotalSeconds;
var deadline = Stopwatch.StartNew();
while (subscribers.Sum(s => s.Received) < expected && deadline.Elapsed.TotalSeconds < 120) Thread.Sleep(20);
double seconds = sw.Elapsed.TotalSeconds;
long delivered = subscribers.Sum(s => s.Received);
bool slowClosed;
try
{
    slow.ReceiveTimeout = 2000;
    var sink = new byte[1 << 20];
    int r;
    do { r = slow.Receive(sink); } while (r > 0);
    slowClosed = true;
}
// A reset also means the server dropped it (its orphaned socket gave up on the zero window); only a timeout does not.
catch (SocketException e) { slowClosed = e.SocketErrorCode is not (SocketError.TimedOut or SocketError.WouldBlock); }
int orderErrors = subscribers.Sum(s => s.OrderErrors);
Console.WriteLine($"messages={messageCount} deliveries_expected={expected} delivered={delivered} order_errors={orderErrors} " +
    $"slow_subscriber_disconnected={(slowClosed ? "yes" : "no")} publish_seconds={publishSeconds:F2} seconds={seconds:F2} " +
    $"deliveries_per_sec={delivered / seconds:F0}");
return delivered == expected && orderErrors == 0 && slowClosed ? 0 : 1;

sealed class Subscriber(Socket socket, int publishers)
{
    private readonly long[] _lastSeq = Enumerable.Repeat(-1L, publishers).ToArray();
    private long _received;
    public long Received => Interlocked.Read(ref _received);
    public int OrderErrors;

    public void Start() => new Thread(Run) { IsBackground = true }.Start();

    // Reads pushes and checks each publisher's sequence numbers only grow (skips the subscribe confirmation).
    private void Run()
    {
        var buf = new byte[1 << 16];
        int start = 0, end = 0;
        bool confirmed = false;
        while (true)
        {
            if (end == buf.Length)
            {
                Buffer.BlockCopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            int n;
            try { n = socket.Receive(buf, end, buf.Length - end, SocketFlags.None); }
            catch (SocketException) { return; }
            if (n == 0) return;
            end += n;
            while (TryParse(buf, ref start, end, out var last))
            {
                if (!confirmed) { confirmed = true; continue; }
                var text = Encoding.ASCII.GetString(last.Span);
                int a = text.IndexOf(':'), b = text.IndexOf(':', a + 1);
                int pub = int.Parse(text.AsSpan(0, a));
                long seq = long.Parse(text.AsSpan(a + 1, b - a - 1));
                if (seq <= _lastSeq[pub]) OrderErrors++;
                _lastSeq[pub] = seq;
                Interlocked.Increment(ref _received);
            }
            if (start == end) start = end = 0;
        }
    }

    /// <summary>Parses one array of bulks; returns its last element.</summary>
    private static bool TryParse(byte[] buf, ref int start, int end, out ReadOnlyMemory<byte> last)
    {
        last = default;
        int pos = start;
        if (!ReadLine(buf, ref pos, end, out var header)) return false;
        int count = int.Parse(header.AsSpan(1));
        for (int i = 0; i < count; i++)
        {
            if (!ReadLine(buf, ref pos, end, out var line)) return false;
            if (line[0] == ':') continue;
            int len = int.Parse(line.AsSpan(1));
            if (pos + len + 2 > end) return false;
            last = new ReadOnlyMemory<byte>(buf, pos, len);
            pos += len + 2;
        }
        start = pos;
        return true;
    }

    private static bool ReadLine(byte[] buf, ref int pos, int end, out string line)
    {
        line = "";
        int nl = Array.IndexOf(buf, (byte)'\n', pos, end - pos);
        if (nl < 0) return false;
        line = Encoding.ASCII.GetString(buf, pos, nl - 1 - pos);
        pos = nl + 1;
        return true;
    }
}
