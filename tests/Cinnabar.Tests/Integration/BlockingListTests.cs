using System.Collections.Concurrent;
using System.Diagnostics;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

public class BlockingListTests
{
    [Fact]
    public void PushWakesWaitersInFifoOrder()
    {
        using var server = new TestServer();
        using var first = server.Connect();
        using var second = server.Connect();
        using var producer = server.Connect();
        first.SendRaw(RespClient.Encode("BLPOP", "q", "0"));
        server.WaitForBlocked(1);
        second.SendRaw(RespClient.Encode("BLPOP", "other", "q", "0"));
        server.WaitForBlocked(2);
        Assert.Equal(":2\r\n", producer.Call("RPUSH", "q", "a", "b"));
        Assert.Equal("*2\r\n$1\r\nq\r\n$1\r\na\r\n", first.ReadReply());
        Assert.Equal("*2\r\n$1\r\nq\r\n$1\r\nb\r\n", second.ReadReply());
        Assert.Equal(":0\r\n", producer.Call("LLEN", "q"));
    }

    [Fact]
    public void TimeoutRepliesNullArrayInResp2()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        var sw = Stopwatch.StartNew();
        Assert.Equal("*-1\r\n", c.Call("BRPOP", "none", "0.1"));
        Assert.InRange(sw.ElapsedMilliseconds, 90, 3000);
        Assert.Equal("*-1\r\n", c.Call("BLMOVE", "none", "dst", "LEFT", "RIGHT", "0.05"));
    }

    [Fact]
    public void CommandsPipelinedBehindABlockedOneRunAfterItIsServed()
    {
        using var server = new TestServer();
        using var waiter = server.Connect();
        using var producer = server.Connect();
        waiter.SendRaw(RespClient.Encode("BLPOP", "q", "0").Concat(RespClient.Encode("PING")).ToArray());
        server.WaitForBlocked(1);
        producer.Call("LPUSH", "q", "x");
        Assert.Equal("*2\r\n$1\r\nq\r\n$1\r\nx\r\n", waiter.ReadReply());
        Assert.Equal("+PONG\r\n", waiter.ReadReply());
    }

    [Fact]
    public void BlmoveServedByPushChainsToTheNextWaiter()
    {
        using var server = new TestServer();
        using var mover = server.Connect();
        using var popper = server.Connect();
        using var producer = server.Connect();
        mover.SendRaw(RespClient.Encode("BLMOVE", "a", "b", "LEFT", "LEFT", "0"));
        server.WaitForBlocked(1);
        popper.SendRaw(RespClient.Encode("BLPOP", "b", "0"));
        server.WaitForBlocked(2);
        producer.Call("RPUSH", "a", "v");
        Assert.Equal("$1\r\nv\r\n", mover.ReadReply());
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nv\r\n", popper.ReadReply());
    }

    [Fact]
    public void DisconnectedWaiterIsForgottenAndClientUnblockWorks()
    {
        using var server = new TestServer();
        var gone = server.Connect();
        gone.SendRaw(RespClient.Encode("BLPOP", "q", "0"));
        server.WaitForBlocked(1);
        gone.Dispose();
        var sw = Stopwatch.StartNew();
        while (server.Server.Blocking.BlockedCount > 0 && sw.ElapsedMilliseconds < 5000) Thread.Sleep(5);
        Assert.Equal(0, server.Server.Blocking.BlockedCount);

        using var waiter = server.Connect();
        using var admin = server.Connect();
        waiter.SendRaw(RespClient.Encode("BLPOP", "q", "0"));
        server.WaitForBlocked(1);
        long id = server.Server.ClientsSnapshot().Single(c => c.Blocked != null).Id;
        Assert.Equal(":1\r\n", admin.Call("CLIENT", "UNBLOCK", id.ToString(), "ERROR"));
        Assert.Equal("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", waiter.ReadReply());
        Assert.Equal(":0\r\n", admin.Call("CLIENT", "UNBLOCK", id.ToString()));
    }

    /// <summary>20 consumers in BRPOP, 20 producers LPUSH 100,000 items: each delivered once, per-producer order kept.</summary>
    [Fact]
    public async Task QueueDeliversEveryItemExactlyOnceInProducerOrder()
    {
        const int producers = 20, consumers = 20, total = 100_000;
        using var server = new TestServer();
        var received = new ConcurrentQueue<(int Consumer, string Item)>();
        var perConsumer = new List<string>[consumers];
        int delivered = 0;
        // Long-running tasks, not raw threads: an assertion failing in one is rethrown on the test thread by
        // Task.WaitAll instead of crashing the test host.
        var consumerTasks = Enumerable.Range(0, consumers).Select(ci => Task.Factory.StartNew(() =>
        {
            using var c = server.Connect();
            var mine = perConsumer[ci] = [];
            while (Volatile.Read(ref delivered) < total)
            {
                string reply = c.Call("BRPOP", "jobs", "0.2");
                if (reply == "*-1\r\n") continue;
                var parts = reply.Split("\r\n");
                mine.Add(parts[4]);
                Interlocked.Increment(ref delivered);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        var producerTasks = Enumerable.Range(0, producers).Select(p => Task.Factory.StartNew(() =>
        {
            using var c = server.Connect();
            int per = total / producers;
            const int batch = 50;
            for (int i = 0; i < per; i += batch)
            {
                var payload = new List<byte>();
                for (int j = i; j < i + batch; j++) payload.AddRange(RespClient.Encode("LPUSH", "jobs", $"{p}:{j}"));
                c.SendRaw(payload.ToArray());
                for (int j = 0; j < batch; j++) Assert.StartsWith(":", c.ReadReply());
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(producerTasks).WaitAsync(TimeSpan.FromSeconds(120));
        await Task.WhenAll(consumerTasks).WaitAsync(TimeSpan.FromSeconds(60));

        var all = perConsumer.SelectMany(x => x).ToList();
        Assert.Equal(total, all.Count);
        Assert.Equal(total, all.Distinct().Count());
        // Each consumer sees any one producer's items in the order they were pushed.
        foreach (var list in perConsumer)
        {
            foreach (var group in list.Select(s => s.Split(':')).GroupBy(a => a[0]))
            {
                var seq = group.Select(a => int.Parse(a[1])).ToList();
                Assert.True(seq.SequenceEqual(seq.Order()), "per-producer order broken");
            }
        }
    }

    [Fact]
    public void InfoCountsBlockedClientsAndSubscriptions()
    {
        using var server = new TestServer();
        using var waiter = server.Connect();
        using var subscriber = server.Connect();
        using var c = server.Connect();
        waiter.SendRaw(RespClient.Encode("BLPOP", "q", "0"));
        server.WaitForBlocked(1);
        subscriber.Call("SUBSCRIBE", "ch");
        subscriber.Call("PSUBSCRIBE", "p*");
        string info = c.Call("INFO", "everything");
        Assert.Contains("\r\nblocked_clients:1\r\n", info);
        Assert.Contains("\r\npubsub_channels:1\r\n", info);
        Assert.Contains("\r\npubsub_patterns:1\r\n", info);
        c.Call("RPUSH", "q", "x");
        waiter.ReadReply();
        Assert.Contains("\r\nblocked_clients:0\r\n", c.Call("INFO", "clients"));
    }
}

public class BlockingStatisticsTests
{
    private static long Usec(RespClient c, string command)
    {
        var line = c.Call("INFO", "commandstats").Split("\r\n").Single(l => l.StartsWith($"cmdstat_{command}:"));
        var usec = line.Split(',').Single(f => f.StartsWith("usec="));
        return long.Parse(usec["usec=".Length..]);
    }

    /// <summary>
    /// Redis adds the time of the call that parked a client to the count when its wait ends, timed out or
    /// served (redis-server 7.0.15: a timed-out BLPOP shows usec=24, not 0). 10,000 keys make the parking call
    /// take well over a microsecond, so the count cannot round to 0. (Fails with the parking time dropped.)
    /// </summary>
    [Fact]
    public void TheParkingCallsTimeIsCountedWhenTheWaitEnds()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        var timedOut = new List<string> { "BLPOP" };
        timedOut.AddRange(Enumerable.Range(0, 10_000).Select(i => "none:" + i));
        timedOut.Add("0.05");
        Assert.Equal("*-1\r\n", c.Call(timedOut.ToArray()));
        Assert.True(Usec(c, "blpop") > 0, "a timed-out BLPOP counted 0 µs");
    }
}
