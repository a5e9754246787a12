using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>OBJECT FREQ and IDLETIME under an LFU policy (replies checked against redis-server 7.0.15).</summary>
public class ObjectLfuTests
{
    [Fact]
    public void FreqStartsAtFiveAndGrowsWithAccess()
    {
        using var server = new TestServer("--maxmemory-policy", "allkeys-lfu");
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("SET", "y", "hello"));
        Assert.Equal(":5\r\n", c.Call("OBJECT", "FREQ", "y"));
        c.Call("GET", "y");
        Assert.Equal(":6\r\n", c.Call("OBJECT", "FREQ", "y"));
        Assert.Equal("$-1\r\n", c.Call("OBJECT", "FREQ", "nokey"));
        Assert.Equal("-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n",
            c.Call("OBJECT", "IDLETIME", "y"));
    }

    [Fact]
    public void IdleTimeGrowsWithoutAccess()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SET", "a", "hello");
        // The LRU clock ticks in whole seconds, so a fresh key may already read 1.
        Assert.Matches("^:[01]\r\n$", c.Call("OBJECT", "IDLETIME", "a"));
        // Waits until the idle time reaches 2 s: it never goes down, never runs ahead of the real time since
        // the SET (plus the clock's whole second), and OBJECT IDLETIME itself does not touch the key.
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (long idle = 0, last = 0; idle < 2; last = idle)
        {
            idle = long.Parse(c.Call("OBJECT", "IDLETIME", "a")[1..^2]);
            Assert.InRange(idle, last, sw.ElapsedMilliseconds / 1000 + 2);
            Assert.True(sw.ElapsedMilliseconds < 30_000, "IDLETIME did not reach 2");
            Thread.Sleep(50);
        }
        c.Call("GET", "a");
        Assert.Matches("^:[01]\r\n$", c.Call("OBJECT", "IDLETIME", "a"));
    }
}
