using Cinnabar.Tests.Support;
using StackExchange.Redis;

namespace Cinnabar.Tests.Integration;

public class SmokeTests
{
    [Fact]
    public void PingSetGetOverRawSocket()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+PONG\r\n", c.Call("PING"));
        Assert.Equal("+OK\r\n", c.Call("SET", "k", "v"));
        Assert.Equal("$1\r\nv\r\n", c.Call("GET", "k"));
        Assert.Equal("$-1\r\n", c.Call("GET", "missing"));
    }

    [Fact]
    public void UnknownCommandTextMatchesRedis()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("-ERR unknown command 'foo', with args beginning with: 'bar' 'baz' \r\n", c.Call("foo", "bar", "baz"));
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", c.Call("GET"));
    }

    [Fact]
    public void InlineCommandsAndPipelining()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.SendRaw("PING\r\nSET a \"x y\"\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n");
        Assert.Equal("+PONG\r\n", c.ReadReply());
        Assert.Equal("+OK\r\n", c.ReadReply());
        Assert.Equal("$3\r\nx y\r\n", c.ReadReply());
    }

    [Fact]
    public void ProtocolErrorClosesConnection()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.SendRaw("*abc\r\n");
        Assert.Equal("-ERR Protocol error: invalid multibulk length\r\n", c.ReadReply());
        Assert.True(c.IsClosedByServer());
    }

    [Fact]
    public async Task StackExchangeRedisConnects()
    {
        using var server = new TestServer();
        await using var mux = await ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",abortConnect=false,connectTimeout=5000");
        var db = mux.GetDatabase();
        await db.StringSetAsync("se", "value");
        Assert.Equal("value", (string?)await db.StringGetAsync("se"));
    }
}
