using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (NX | XX | GT | LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST. Expected replies were recorded from redis-server 7.0.15.</summary>
public class ExpireTests
{
    [Fact]
    public void ExpireSetsTtlAndPersistRemovesIt()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal(":1\r\n", c.Call("expire", "a", "100"));
        Assert.Equal(":100\r\n", c.Call("ttl", "a"));
        Assert.Equal(":-2\r\n", c.Call("pttl", "nokey"));
        Assert.Equal(":-2\r\n", c.Call("ttl", "nokey"));
        Assert.Equal(":-2\r\n", c.Call("expiretime", "nokey"));
        Assert.Equal(":-2\r\n", c.Call("pexpiretime", "nokey"));
        Assert.Equal(":1\r\n", c.Call("persist", "a"));
        Assert.Equal(":-1\r\n", c.Call("ttl", "a"));
        Assert.Equal(":-1\r\n", c.Call("pttl", "a"));
        Assert.Equal(":0\r\n", c.Call("persist", "a"));
        Assert.Equal(":0\r\n", c.Call("persist", "nokey"));
        Assert.Equal(":0\r\n", c.Call("expire", "nokey", "100"));
    }

    [Fact]
    public void ExpireOptionErrors()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", c.Call("expire", "a", "10", "nx", "xx"));
        Assert.Equal("-ERR GT and LT options at the same time are not compatible\r\n", c.Call("expire", "a", "10", "gt", "lt"));
        Assert.Equal("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", c.Call("expire", "a", "10", "nx", "gt"));
        Assert.Equal("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", c.Call("expire", "a", "10", "lt", "nx"));
        Assert.Equal(":0\r\n", c.Call("expire", "a", "10", "xx", "gt"));
        Assert.Equal("-ERR Unsupported option foo\r\n", c.Call("expire", "a", "10", "foo"));
        Assert.Equal("-ERR Unsupported option foo\r\n", c.Call("expire", "a", "10", "nx", "foo"));
        Assert.Equal("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", c.Call("pexpire", "a", "10", "NX", "Xx"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("expire", "a", "abc"));
        Assert.Equal("-ERR Unsupported option foo\r\n", c.Call("expire", "a", "abc", "foo"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("expire", "a", "1.5"));
    }

    [Fact]
    public void ExpireOverflowErrors()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal("-ERR invalid expire time in 'expire' command\r\n", c.Call("expire", "a", "9223372036854775807"));
        Assert.Equal("-ERR invalid expire time in 'expire' command\r\n", c.Call("expire", "a", "9223372036854776"));
        Assert.Equal("-ERR invalid expire time in 'expire' command\r\n", c.Call("expire", "a", "-9223372036854776"));
        Assert.Equal("-ERR invalid expire time in 'pexpire' command\r\n", c.Call("pexpire", "a", "9223372036854775807"));
        Assert.Equal("-ERR invalid expire time in 'expireat' command\r\n", c.Call("expireat", "a", "9223372036854775807"));
        Assert.Equal("-ERR invalid expire time in 'expire' command\r\n", c.Call("expire", "a", "-9223372036854775808"));
        Assert.Equal(":1\r\n", c.Call("pexpireat", "a", "9223372036854775807"));
        Assert.Equal(":9223372036854775807\r\n", c.Call("pexpiretime", "a"));
        Assert.Equal("-ERR invalid expire time in 'expire' command\r\n", c.Call("expire", "a", "9223372036854775"));
    }

    [Fact]
    public void ExpireConditionsNxXxGtLt()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal(":0\r\n", c.Call("expire", "a", "100", "xx"));
        Assert.Equal(":0\r\n", c.Call("expire", "a", "100", "gt"));
        Assert.Equal(":1\r\n", c.Call("expire", "a", "100", "lt"));
        Assert.Equal(":100\r\n", c.Call("ttl", "a"));
        Assert.Equal(":0\r\n", c.Call("expire", "a", "100", "nx"));
        Assert.Equal(":1\r\n", c.Call("expire", "a", "200", "xx"));
        Assert.Equal(":0\r\n", c.Call("expire", "a", "100", "gt"));
        Assert.Equal(":1\r\n", c.Call("expire", "a", "300", "gt"));
        Assert.Equal(":0\r\n", c.Call("expire", "a", "300", "nx"));
        Assert.Equal(":1\r\n", c.Call("expire", "a", "50", "lt"));
        Assert.Equal(":0\r\n", c.Call("expire", "a", "60", "lt"));
        Assert.Equal(":50\r\n", c.Call("ttl", "a"));
        // 49 rather than 50: a millisecond passing between the calls would make an equal TTL "greater".
        Assert.Equal(":0\r\n", c.Call("expire", "a", "49", "xx", "gt"));
        Assert.Equal(":1\r\n", c.Call("expire", "a", "40", "xx", "lt"));
        Assert.Equal(":40\r\n", c.Call("ttl", "a"));
        Assert.Equal("+OK\r\n", c.Call("set", "b", "1"));
        Assert.Equal(":1\r\n", c.Call("expire", "b", "-5", "lt"));
        Assert.Equal(":0\r\n", c.Call("exists", "b"));
    }

    [Fact]
    public void ExpireInThePastDeletesTheKey()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal(":1\r\n", c.Call("expire", "a", "-1"));
        Assert.Equal(":0\r\n", c.Call("exists", "a"));
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal(":1\r\n", c.Call("pexpire", "a", "0"));
        Assert.Equal(":0\r\n", c.Call("exists", "a"));
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal(":1\r\n", c.Call("expireat", "a", "100"));
        Assert.Equal(":0\r\n", c.Call("exists", "a"));
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal(":1\r\n", c.Call("pexpireat", "a", "-9223372036854775808"));
        Assert.Equal(":0\r\n", c.Call("exists", "a"));
        Assert.Equal(":0\r\n", c.Call("dbsize"));
    }

    [Fact]
    public void ExpireTimeIsAbsolute()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal(":-1\r\n", c.Call("expiretime", "a"));
        Assert.Equal(":-1\r\n", c.Call("pexpiretime", "a"));
        Assert.Equal(":1\r\n", c.Call("expireat", "a", "33177117420"));
        Assert.Equal(":33177117420\r\n", c.Call("expiretime", "a"));
        Assert.Equal(":33177117420000\r\n", c.Call("pexpiretime", "a"));
        Assert.Equal(":1\r\n", c.Call("pexpireat", "a", "33177117420123"));
        Assert.Equal(":33177117420123\r\n", c.Call("pexpiretime", "a"));
        Assert.Equal(":33177117420\r\n", c.Call("expiretime", "a"));
        Assert.Equal(":1\r\n", c.Call("pexpireat", "a", "33177117420499"));
        Assert.Equal(":33177117420\r\n", c.Call("expiretime", "a"));
        Assert.Equal(":1\r\n", c.Call("pexpireat", "a", "33177117420500"));
        Assert.Equal(":33177117421\r\n", c.Call("expiretime", "a"));
    }

    [Fact]
    public void SetClearsTtl()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal(":1\r\n", c.Call("expire", "a", "100"));
        Assert.Equal("+OK\r\n", c.Call("set", "a", "2"));
        Assert.Equal(":-1\r\n", c.Call("ttl", "a"));
    }

    [Fact]
    public void LazyExpiryOnRead()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal(":1\r\n", c.Call("pexpire", "a", "30"));
        Thread.Sleep(60);
        Assert.Equal("$-1\r\n", c.Call("get", "a"));
        Assert.Equal(":0\r\n", c.Call("exists", "a"));
        Assert.Equal(":-2\r\n", c.Call("ttl", "a"));
        Assert.Equal("+none\r\n", c.Call("type", "a"));
    }
}
