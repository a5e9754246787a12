using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

public class PubSubTests
{
    // Expected replies recorded from Redis 7.0.15 running the same sequences. " !N" reads N replies.
    private static readonly (string Command, string Reply)[] Resp2Sequence =
    [
        ("pubsub numsub a b", "*4\r\n$1\r\na\r\n:0\r\n$1\r\nb\r\n:0\r\n"),
        ("pubsub numpat", ":0\r\n"),
        ("pubsub channels", "*0\r\n"),
        ("publish a m", ":0\r\n"),
        ("unsubscribe", "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n"),
        ("punsubscribe", "*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n"),
        ("sunsubscribe", "*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n"),
        ("subscribe a b a !3", "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n"),
        ("psubscribe p*", "*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:3\r\n"),
        ("ssubscribe s1 s2 !2", "*3\r\n$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n*3\r\n$10\r\nssubscribe\r\n$2\r\ns2\r\n:2\r\n"),
        ("ping", "*2\r\n$4\r\npong\r\n$0\r\n\r\n"),
        ("ping hi", "*2\r\n$4\r\npong\r\n$2\r\nhi\r\n"),
        ("get x", "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"),
        ("publish a m", "-ERR Can't execute 'publish': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"),
        ("pubsub numsub a", "-ERR Can't execute 'pubsub|numsub': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"),
        ("unsubscribe !2", "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:2\r\n*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:1\r\n"),
        ("punsubscribe x p* !2", "*3\r\n$12\r\npunsubscribe\r\n$1\r\nx\r\n:1\r\n*3\r\n$12\r\npunsubscribe\r\n$2\r\np*\r\n:0\r\n"),
        ("sunsubscribe s2 s1 !2", "*3\r\n$12\r\nsunsubscribe\r\n$2\r\ns2\r\n:1\r\n*3\r\n$12\r\nsunsubscribe\r\n$2\r\ns1\r\n:0\r\n"),
        ("ping", "+PONG\r\n"),
    ];

    private static readonly (string Command, string Reply)[] Resp3Sequence =
    [
        ("subscribe a", ">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"),
        ("get x", "_\r\n"),
        ("ping", "+PONG\r\n"),
        ("publish a hello !2", ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$5\r\nhello\r\n:1\r\n"),
        ("pubsub numsub a", "*2\r\n$1\r\na\r\n:1\r\n"),
        ("pubsub channels", "*1\r\n$1\r\na\r\n"),
        ("pubsub channels b*", "*0\r\n"),
        ("pubsub numpat", ":0\r\n"),
        ("unsubscribe a", ">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n"),
        ("unsubscribe", ">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n"),
    ];

    internal static void Run(RespClient c, (string Command, string Reply)[] sequence)
    {
        foreach (var (command, reply) in sequence)
        {
            var text = command;
            int n = 1;
            int bang = text.IndexOf(" !", StringComparison.Ordinal);
            if (bang >= 0)
            {
                n = int.Parse(text[(bang + 2)..]);
                text = text[..bang];
            }
            c.SendRaw(RespClient.Encode(ListTests.Split(text)));
            var got = string.Concat(Enumerable.Range(0, n).Select(_ => c.ReadReply()));
            Assert.Equal((command, reply), (command, got));
        }
    }

    [Fact]
    public void Resp2SubscriptionRepliesMatchRedis()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Run(c, Resp2Sequence);
    }

    [Fact]
    public void Resp3PushesInterleaveWithReplies()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.StartsWith("%7\r\n", c.Call("HELLO", "3"));
        Run(c, Resp3Sequence);
    }

    [Fact]
    public void MessagesReachChannelAndPatternSubscribersInOrder()
    {
        using var server = new TestServer();
        using var sub = server.Connect();
        using var psub = server.Connect();
        using var pub = server.Connect();
        sub.Call("SUBSCRIBE", "news.tech");
        psub.Call("PSUBSCRIBE", "news.*");
        for (int i = 0; i < 100; i++) Assert.Equal(":2\r\n", pub.Call("PUBLISH", "news.tech", $"m{i}"));
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal($"*3\r\n$7\r\nmessage\r\n$9\r\nnews.tech\r\n${(i < 10 ? 2 : 3)}\r\nm{i}\r\n", sub.ReadReply());
            Assert.Equal($"*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$9\r\nnews.tech\r\n${(i < 10 ? 2 : 3)}\r\nm{i}\r\n", psub.ReadReply());
        }
    }

    [Fact]
    public void SlowSubscriberIsDisconnectedByTheOutputLimitAndOthersKeepTheirMessages()
    {
        using var server = new TestServer();
        // 4 MB: the subscriber that never reads passes it (40 MB are published), the one that reads keeps
        // within it because the publisher waits whenever that reader is more than 1,000 messages behind.
        server.Server.Config.PubSubOutputLimit = (4 * 1024 * 1024, 0, 0);
        using var slow = server.Connect();
        using var fast = server.Connect();
        using var pub = server.Connect();
        slow.Call("SUBSCRIBE", "c");
        fast.Call("SUBSCRIBE", "c");
        const int Messages = 20_000;
        var payload = new string('x', 2000);
        int received = 0;
        Exception? readerError = null;
        var reader = new Thread(() =>
        {
            try
            {
                for (int i = 0; i < Messages; i++)
                {
                    Assert.EndsWith(payload + "\r\n", fast.ReadReply());
                    Volatile.Write(ref received, i + 1);
                }
            }
            catch (Exception e)
            {
                readerError = e;
            }
        });
        reader.Start();
        for (int i = 0; i < Messages; i++)
        {
            Assert.StartsWith(":", pub.Call("PUBLISH", "c", payload));
            // The publisher waits for the reader (no time cap that would let it run ahead past the limit).
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (i - Volatile.Read(ref received) > 1000 && readerError == null)
            {
                Assert.True(sw.ElapsedMilliseconds < 120_000, $"the reader is stuck at {received} messages");
                Thread.Sleep(1);
            }
        }
        Assert.True(reader.Join(TimeSpan.FromSeconds(60)));
        Assert.Null(readerError);
        Assert.Equal(Messages, received);
        Assert.Equal(":1\r\n", pub.Call("PUBLISH", "c", "last"));
        Assert.True(server.Server.Stats.ClientOutputLimitDisconnections >= 1);
    }
}
