using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>The active expiry cycle removes keys whose time to live has passed without anyone reading them.</summary>
public class ActiveExpiryTests
{
    private static bool WaitFor(Func<bool> condition, int timeoutMs = 10_000)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < timeoutMs)
        {
            if (condition()) return true;
            Thread.Sleep(20);
        }
        return condition();
    }

    [Fact]
    public void ExpiredKeysDisappearWithoutBeingRead()
    {
        using var server = new TestServer("--hz", "100");
        using var c = server.Connect();
        for (int i = 0; i < 500; i++)
        {
            Assert.Equal("+OK\r\n", c.Call("SET", "volatile:" + i, "v"));
            Assert.Equal(":1\r\n", c.Call("PEXPIRE", "volatile:" + i, "1500"));
        }
        for (int i = 0; i < 50; i++) c.Call("SET", "persistent:" + i, "v");
        var db = server.Server.Databases[0];
        // Nothing reads the volatile keys from here on: only the active cycle can remove them.

        Assert.True(WaitFor(() => db.Count == 50), $"{db.Count} keys left");
        Assert.Equal(0, db.VolatileCount);
        Assert.Equal(500, server.Server.Stats.ExpiredKeys);
        Assert.Equal(":50\r\n", c.Call("DBSIZE"));
    }

    [Fact]
    public void ExpiryRunsInEveryDatabase()
    {
        using var server = new TestServer("--hz", "100");
        using var c = server.Connect();
        for (int db = 0; db < 3; db++)
        {
            c.Call("SELECT", db.ToString());
            for (int i = 0; i < 30; i++)
            {
                c.Call("SET", "k" + i, "v");
                c.Call("PEXPIRE", "k" + i, "50");
            }
        }
        Assert.True(WaitFor(() => server.Server.Databases.Take(3).All(d => d.Count == 0)));
        Assert.Equal(90, server.Server.Stats.ExpiredKeys);
    }

    [Fact]
    public void LazyExpiryCountsExpiredKeysToo()
    {
        using var server = new TestServer("--hz", "1");
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        c.Call("PEXPIRE", "a", "1");
        Thread.Sleep(20);
        long before = server.Server.Stats.ExpiredKeys;
        Assert.Equal(":0\r\n", c.Call("EXISTS", "a"));
        Assert.True(server.Server.Stats.ExpiredKeys >= 1);
        Assert.True(before <= 1);
    }

    [Fact]
    public void KeysWithoutTtlAreNeverExpired()
    {
        using var server = new TestServer("--hz", "100");
        using var c = server.Connect();
        for (int i = 0; i < 100; i++) c.Call("SET", "k" + i, "v");
        c.Call("EXPIRE", "k0", "1000");
        Thread.Sleep(300);
        Assert.Equal(100, server.Server.Databases[0].Count);
        Assert.Equal(0, server.Server.Stats.ExpiredKeys);
    }

    [Fact]
    public void FewExpiredKeysAmongManyLiveOnesAreStillCollected()
    {
        using var server = new TestServer("--hz", "100");
        using var c = server.Connect();
        for (int i = 0; i < 3000; i++)
        {
            c.Call("SET", "long:" + i, "v");
            c.Call("EXPIRE", "long:" + i, "3600");
        }
        for (int i = 0; i < 10; i++)
        {
            c.Call("SET", "short:" + i, "v");
            c.Call("PEXPIRE", "short:" + i, "50");
        }
        var db = server.Server.Databases[0];
        Assert.True(WaitFor(() => db.Count == 3000), $"{db.Count} keys left");
        Assert.Equal(10, server.Server.Stats.ExpiredKeys);
        Assert.Equal(3000, db.VolatileCount);
    }
}
