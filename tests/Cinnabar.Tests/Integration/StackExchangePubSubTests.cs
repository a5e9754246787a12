using Cinnabar.Tests.Support;
using StackExchange.Redis;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// StackExchange.Redis 3 (RESP3 by default once HELLO exists: pushes then share the interactive connection)
/// doing pub/sub and conditional transactions against Cinnabar.
/// </summary>
public class StackExchangePubSubTests
{
    private static Task<ConnectionMultiplexer> Connect(TestServer server) =>
        ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",abortConnect=false,connectTimeout=5000,syncTimeout=5000");

    [Fact]
    public async Task SubscribeAndPublishDeliverInOrder()
    {
        using var server = new TestServer();
        await using var mux = await Connect(server);
        var subscriber = mux.GetSubscriber();
        var queue = await subscriber.SubscribeAsync(RedisChannel.Literal("orders"));
        var patternMessages = new List<(string Channel, string Message)>();
        var gotPattern = new TaskCompletionSource();
        await subscriber.SubscribeAsync(RedisChannel.Pattern("notifications:*"), (channel, message) =>
        {
            lock (patternMessages)
            {
                patternMessages.Add((channel.ToString(), message.ToString()));
                if (patternMessages.Count == 3) gotPattern.TrySetResult();
            }
        });

        // A second multiplexer publishes, and this one publishes too while it is subscribed.
        await using var publisherMux = await Connect(server);
        var publisher = publisherMux.GetSubscriber();
        for (int i = 0; i < 50; i++) Assert.Equal(1, await publisher.PublishAsync(RedisChannel.Literal("orders"), $"o{i}"));
        for (int i = 0; i < 3; i++) Assert.Equal(1, await subscriber.PublishAsync(RedisChannel.Literal($"notifications:{i}"), $"n{i}"));
        Assert.Equal(0, await publisher.PublishAsync(RedisChannel.Literal("nobody"), "x"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (int i = 0; i < 50; i++)
        {
            var m = await queue.ReadAsync(timeout.Token);
            Assert.Equal("orders", m.Channel.ToString());
            Assert.Equal($"o{i}", m.Message.ToString());
        }
        await gotPattern.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (patternMessages)
            Assert.Equal([("notifications:0", "n0"), ("notifications:1", "n1"), ("notifications:2", "n2")], patternMessages.OrderBy(p => p.Channel));

        // The subscribing connection still answers ordinary commands.
        var db = mux.GetDatabase();
        Assert.True(await db.StringSetAsync("plain", "v"));
        Assert.Equal("v", (string?)await db.StringGetAsync("plain"));

        await subscriber.UnsubscribeAllAsync();
        await WaitUntil(async () => await publisher.PublishAsync(RedisChannel.Literal("orders"), "late") == 0);
    }

    [Fact]
    public async Task TransactionWithConditionCommitsOrAborts()
    {
        using var server = new TestServer();
        await using var mux = await Connect(server);
        var db = mux.GetDatabase();
        await db.StringSetAsync("stock", "5");

        var tran = db.CreateTransaction();
        tran.AddCondition(Condition.StringEqual("stock", "5"));
        var decr = tran.StringDecrementAsync("stock");
        var log = tran.ListRightPushAsync("sales", "one");
        Assert.True(await tran.ExecuteAsync());
        Assert.Equal(4, await decr);
        Assert.Equal(1, await log);

        // The condition no longer holds: nothing runs.
        var stale = db.CreateTransaction();
        stale.AddCondition(Condition.StringEqual("stock", "5"));
        _ = stale.StringDecrementAsync("stock");
        Assert.False(await stale.ExecuteAsync());
        Assert.Equal("4", (string?)await db.StringGetAsync("stock"));

        // A write by another client between WATCH and EXEC is caught too (KeyNotExists + conflicting SET).
        var create = db.CreateTransaction();
        create.AddCondition(Condition.KeyNotExists("lock"));
        _ = create.StringSetAsync("lock", "me");
        Assert.True(await create.ExecuteAsync());
        var again = db.CreateTransaction();
        again.AddCondition(Condition.KeyNotExists("lock"));
        _ = again.StringSetAsync("lock", "other");
        Assert.False(await again.ExecuteAsync());
        Assert.Equal("me", (string?)await db.StringGetAsync("lock"));
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var end = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < end, "condition not reached in time");
            await Task.Delay(20);
        }
    }
}
