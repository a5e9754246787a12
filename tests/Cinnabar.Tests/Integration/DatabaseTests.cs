using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>SELECT, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL. Expected replies were recorded from redis-server 7.0.15.</summary>
public class DatabaseTests
{
    [Fact]
    public void SelectChecksTheIndex()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("-ERR DB index is out of range\r\n", c.Call("select", "16"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("select", "abc"));
        Assert.Equal("-ERR DB index is out of range\r\n", c.Call("select", "-1"));
        Assert.Equal("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n", c.Call("select", "99999999999"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("select", "1.0"));
        Assert.Equal("+OK\r\n", c.Call("select", "15"));
        Assert.Equal("+OK\r\n", c.Call("set", "a", "15"));
        Assert.Equal("+OK\r\n", c.Call("select", "0"));
        Assert.Equal("$-1\r\n", c.Call("get", "a"));
    }

    [Fact]
    public void SwapDbErrorsAndSwap()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("-ERR DB index is out of range\r\n", c.Call("swapdb", "0", "16"));
        Assert.Equal("-ERR invalid first DB index\r\n", c.Call("swapdb", "a", "1"));
        Assert.Equal("-ERR invalid second DB index\r\n", c.Call("swapdb", "0", "b"));
        Assert.Equal("-ERR DB index is out of range\r\n", c.Call("swapdb", "0", "-1"));
        Assert.Equal("-ERR invalid first DB index\r\n", c.Call("swapdb", "99999999999", "1"));
        Assert.Equal("-ERR invalid second DB index\r\n", c.Call("swapdb", "16", "x"));
        Assert.Equal("-ERR invalid second DB index\r\n", c.Call("swapdb", "-1", "x"));
        Assert.Equal("+OK\r\n", c.Call("swapdb", "0", "0"));
        Assert.Equal("+OK\r\n", c.Call("set", "a", "in0"));
        Assert.Equal("+OK\r\n", c.Call("select", "1"));
        Assert.Equal("+OK\r\n", c.Call("set", "b", "in1"));
        Assert.Equal("+OK\r\n", c.Call("swapdb", "0", "1"));
        Assert.Equal("$3\r\nin0\r\n", c.Call("get", "a"));
        Assert.Equal("$-1\r\n", c.Call("get", "b"));
        Assert.Equal("+OK\r\n", c.Call("select", "0"));
        Assert.Equal("$-1\r\n", c.Call("get", "a"));
        Assert.Equal("$3\r\nin1\r\n", c.Call("get", "b"));
        Assert.Equal(":1\r\n", c.Call("dbsize"));
    }

    [Fact]
    public void FlushDbAndFlushAll()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal("+OK\r\n", c.Call("select", "1"));
        Assert.Equal("+OK\r\n", c.Call("set", "b", "1"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("flushdb", "foo"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("flushdb", "async", "sync"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("flushall", "foo"));
        Assert.Equal("+OK\r\n", c.Call("flushdb", "async"));
        Assert.Equal(":0\r\n", c.Call("dbsize"));
        Assert.Equal("+OK\r\n", c.Call("select", "0"));
        Assert.Equal(":1\r\n", c.Call("dbsize"));
        Assert.Equal("+OK\r\n", c.Call("flushdb", "SYNC"));
        Assert.Equal(":0\r\n", c.Call("dbsize"));
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal("+OK\r\n", c.Call("select", "2"));
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal("+OK\r\n", c.Call("flushall", "ASYNC"));
        Assert.Equal(":0\r\n", c.Call("dbsize"));
        Assert.Equal("+OK\r\n", c.Call("select", "0"));
        Assert.Equal(":0\r\n", c.Call("dbsize"));
        Assert.Equal("+OK\r\n", c.Call("flushall"));
        Assert.Equal("+OK\r\n", c.Call("flushall", "sync"));
        Assert.Equal("+OK\r\n", c.Call("flushdb"));
    }

    [Fact]
    public void DbSizeCountsKeys()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(":0\r\n", c.Call("dbsize"));
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal("+OK\r\n", c.Call("set", "b", "1"));
        Assert.Equal(":2\r\n", c.Call("dbsize"));
        Assert.Equal(":1\r\n", c.Call("del", "a"));
        Assert.Equal(":1\r\n", c.Call("dbsize"));
    }
}
