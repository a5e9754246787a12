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
        Thread.Sleep(2100);
        Assert.Matches("^:[23]\r\n$", c.Call("OBJECT", "IDLETIME", "a"));
        c.Call("GET", "a");
        Assert.Matches("^:[01]\r\n$", c.Call("OBJECT", "IDLETIME", "a"));
    }
}
