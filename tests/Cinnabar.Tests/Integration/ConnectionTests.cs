using Cinnabar.Tests.Support;
using StackExchange.Redis;

namespace Cinnabar.Tests.Integration;

/// <summary>PING, ECHO, QUIT, AUTH, HELLO, RESET and connection limits; expected bytes taken from redis-server 7.0.15.</summary>
public class ConnectionTests
{
    private const string NoPasswordConfigured =
        "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n";
    private const string WrongPass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

    private static string HelloReply(int proto, long id) =>
        (proto == 3 ? "%7\r\n" : "*14\r\n") + "$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.4\r\n" +
        $"$5\r\nproto\r\n:{proto}\r\n$2\r\nid\r\n:{id}\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n" +
        "$7\r\nmodules\r\n*0\r\n";

    private static long ClientId(RespClient c) => long.Parse(c.Call("CLIENT", "ID").AsSpan(1).TrimEnd("\r\n"));

    [Fact]
    public void PingEchoQuit()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+PONG\r\n", c.Call("PING"));
        Assert.Equal("$5\r\nhello\r\n", c.Call("PING", "hello"));
        Assert.Equal("-ERR wrong number of arguments for 'ping' command\r\n", c.Call("PING", "a", "b"));
        Assert.Equal("$1\r\nx\r\n", c.Call("ECHO", "x"));
        Assert.Equal("-ERR wrong number of arguments for 'echo' command\r\n", c.Call("ECHO"));
        Assert.Equal("+OK\r\n", c.Call("QUIT"));
        Assert.True(c.IsClosedByServer());
    }

    [Fact]
    public void AuthWithoutRequirepass()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(NoPasswordConfigured, c.Call("AUTH", "x"));
        // The default user has "nopass": any password is accepted in the two-argument form.
        Assert.Equal("+OK\r\n", c.Call("AUTH", "default", "x"));
        Assert.Equal(WrongPass, c.Call("AUTH", "a", "b"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("AUTH", "a", "b", "c"));
        Assert.Equal("-ERR wrong number of arguments for 'auth' command\r\n", c.Call("AUTH"));
    }

    [Fact]
    public void AuthWithRequirepass()
    {
        using var server = new TestServer("--requirepass", "secret");
        using var c = server.Connect();
        Assert.Equal("-NOAUTH Authentication required.\r\n", c.Call("PING"));
        Assert.Equal("-NOAUTH Authentication required.\r\n", c.Call("GET", "x"));
        Assert.Equal(WrongPass, c.Call("AUTH", "wrong"));
        Assert.Equal(WrongPass, c.Call("AUTH", "default", "wrong"));
        Assert.Equal(WrongPass, c.Call("AUTH", "other", "secret"));
        Assert.Equal("-NOAUTH Authentication required.\r\n", c.Call("PING"));
        Assert.Equal("+OK\r\n", c.Call("AUTH", "secret"));
        Assert.Equal("+PONG\r\n", c.Call("PING"));
        using var d = server.Connect();
        Assert.Equal("+OK\r\n", d.Call("AUTH", "default", "secret"));
        Assert.Equal("+PONG\r\n", d.Call("PING"));
    }

    [Fact]
    public void HelloRepliesWithServerMapInBothProtocols()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        long id = ClientId(c);
        Assert.Equal(HelloReply(2, id), c.Call("HELLO"));
        Assert.Equal(HelloReply(3, id), c.Call("HELLO", "3"));
        // The connection now speaks RESP3: a missing key is "_", CONFIG GET a map.
        Assert.Equal("_\r\n", c.Call("GET", "missing"));
        Assert.Equal("%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", c.Call("CONFIG", "GET", "maxmemory"));
        Assert.Equal(HelloReply(3, id), c.Call("HELLO"));
        Assert.Equal(HelloReply(2, id), c.Call("HELLO", "2"));
        Assert.Equal("$-1\r\n", c.Call("GET", "missing"));
    }

    [Fact]
    public void HelloErrors()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("-NOPROTO unsupported protocol version\r\n", c.Call("HELLO", "4"));
        Assert.Equal("-NOPROTO unsupported protocol version\r\n", c.Call("HELLO", "1"));
        Assert.Equal("-ERR Protocol version is not an integer or out of range\r\n", c.Call("HELLO", "abc"));
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", c.Call("HELLO", "3", "setname", "a b"));
        Assert.Equal("-ERR Syntax error in HELLO option 'auth'\r\n", c.Call("HELLO", "3", "auth"));
        Assert.Equal("-ERR Syntax error in HELLO option 'foo'\r\n", c.Call("HELLO", "3", "foo"));
        Assert.Equal(WrongPass, c.Call("HELLO", "3", "auth", "a", "b"));
        // None of the failed calls switched the protocol.
        Assert.Equal("$-1\r\n", c.Call("GET", "missing"));
    }

    [Fact]
    public void HelloAuthenticatesAndNamesBeforeAuth()
    {
        using var server = new TestServer("--requirepass", "secret");
        using var c = server.Connect();
        const string noAuth = "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n";
        Assert.Equal(noAuth, c.Call("HELLO"));
        Assert.Equal(noAuth, c.Call("HELLO", "3"));
        Assert.Equal(noAuth, c.Call("HELLO", "3", "SETNAME", "x"));
        Assert.Equal(WrongPass, c.Call("HELLO", "3", "AUTH", "default", "wrong"));
        string reply = c.Call("HELLO", "3", "AUTH", "default", "secret", "SETNAME", "conn1");
        Assert.StartsWith("%7\r\n$6\r\nserver\r\n", reply);
        Assert.Contains("$5\r\nproto\r\n:3\r\n", reply);
        Assert.Equal("$5\r\nconn1\r\n", c.Call("CLIENT", "GETNAME"));
        Assert.Equal("+PONG\r\n", c.Call("PING"));
    }

    [Fact]
    public void ResetRestoresConnectionDefaults()
    {
        using var server = new TestServer("--requirepass", "secret");
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("AUTH", "secret"));
        c.Call("HELLO", "3");
        Assert.Equal("+OK\r\n", c.Call("CLIENT", "SETNAME", "abc"));
        Assert.Equal("+OK\r\n", c.Call("MULTI"));
        Assert.Equal("+RESET\r\n", c.Call("RESET"));
        // Unauthenticated again, RESP2, no transaction, no name.
        Assert.Equal("-NOAUTH Authentication required.\r\n", c.Call("PING"));
        Assert.Equal("+OK\r\n", c.Call("AUTH", "secret"));
        Assert.Equal("$-1\r\n", c.Call("CLIENT", "GETNAME"));
        Assert.Equal("$-1\r\n", c.Call("GET", "missing"));
        Assert.Equal("-ERR EXEC without MULTI\r\n", c.Call("EXEC"));
    }

    [Fact]
    public void ResetTurnsRepliesBackOn()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.SendRaw(RespClient.Encode("CLIENT", "REPLY", "OFF"));
        c.SendRaw(RespClient.Encode("PING"));
        Assert.Equal("+RESET\r\n", c.Call("RESET"));
        Assert.Equal("+PONG\r\n", c.Call("PING"));
    }

    [Fact]
    public void MaxClientsRejectsExtraConnections()
    {
        using var server = new TestServer("--maxclients", "1");
        using var first = server.Connect();
        Assert.Equal("+PONG\r\n", first.Call("PING"));
        using var second = server.Connect();
        Assert.Equal("-ERR max number of clients reached\r\n", second.ReadReply());
        Assert.True(second.IsClosedByServer());
        Assert.Equal("+OK\r\n", first.Call("CONFIG", "SET", "maxclients", "2"));
        using var third = server.Connect();
        Assert.Equal("+PONG\r\n", third.Call("PING"));
    }

    [Fact]
    public void IdleClientsAreClosedAfterTimeout()
    {
        using var server = new TestServer("--timeout", "1");
        using var idle = server.Connect();
        Assert.Equal("+PONG\r\n", idle.Call("PING"));
        Assert.True(idle.IsClosedByServer(5000));
    }

    [Fact]
    public void TcpKeepAliveIsConfigurable()
    {
        using var server = new TestServer("--tcp-keepalive", "60");
        using var c = server.Connect();
        Assert.Equal("*2\r\n$13\r\ntcp-keepalive\r\n$2\r\n60\r\n", c.Call("CONFIG", "GET", "tcp-keepalive"));
        var (keepAlive, idleSeconds) = KeepAliveOfAccepted(server);
        Assert.True(keepAlive);
        Assert.Equal(60, idleSeconds);
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "tcp-keepalive", "0"));
        Assert.False(KeepAliveOfAccepted(server).KeepAlive);
        using var d = server.Connect();
        Assert.Equal("+PONG\r\n", d.Call("PING"));
    }

    /// <summary>The keep-alive options the server sets on a connection it accepts (read from its side of the socket).</summary>
    private static (bool KeepAlive, int IdleSeconds) KeepAliveOfAccepted(TestServer server)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        using var client = new System.Net.Sockets.TcpClient();
        client.Connect((System.Net.IPEndPoint)listener.LocalEndpoint);
        var accepted = listener.AcceptSocket();
        server.Server.Accept(accepted);
        bool on = (int)accepted.GetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.KeepAlive)! != 0;
        int idle = (int)accepted.GetSocketOption(System.Net.Sockets.SocketOptionLevel.Tcp, System.Net.Sockets.SocketOptionName.TcpKeepAliveTime)!;
        client.Close();
        return (on, idle);
    }

    [Fact]
    public async Task StackExchangeRedisConnectsWithPasswordOverResp3()
    {
        using var server = new TestServer("--requirepass", "s3cret");
        var options = ConfigurationOptions.Parse(server.EndPoint);
        options.Password = "s3cret";
        options.Protocol = RedisProtocol.Resp3;
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 5000;
        await using var mux = await ConnectionMultiplexer.ConnectAsync(options);
        Assert.Equal(RedisProtocol.Resp3, mux.GetServer(server.EndPoint).Protocol);
        var db = mux.GetDatabase();
        await db.StringSetAsync("se", "value");
        Assert.Equal("value", (string?)await db.StringGetAsync("se"));
        // The library named its connections and sent its lib-name through HELLO SETNAME / CLIENT SETINFO.
        using var c = server.Connect();
        c.Call("AUTH", "s3cret");
        string list = c.Call("CLIENT", "LIST");
        Assert.Contains("resp=3", list);
        Assert.Contains("lib-name=SE.Redis", list);
    }

    [Fact]
    public async Task StackExchangeRedisConnectsWithPasswordInItsDefaultProtocol()
    {
        using var server = new TestServer("--requirepass", "s3cret");
        await using var mux = await ConnectionMultiplexer.ConnectAsync($"{server.EndPoint},password=s3cret,connectTimeout=5000");
        var db = mux.GetDatabase();
        Assert.True(await db.StringSetAsync("k", "v"));
        Assert.Equal("v", (string?)await db.StringGetAsync("k"));
        // PING reaches the server: its counter of PING calls grows by one.
        using var c = server.Connect();
        c.Call("AUTH", "s3cret");
        long Pings() => long.Parse(System.Text.RegularExpressions.Regex.Match(c.Call("INFO", "commandstats"), @"cmdstat_ping:calls=(\d+)") is { Success: true } m ? m.Groups[1].Value : "0");
        long before = Pings();
        await db.PingAsync();
        Assert.Equal(before + 1, Pings());
    }

    [Fact]
    public async Task StackExchangeRedisWithWrongPasswordFails()
    {
        using var server = new TestServer("--requirepass", "s3cret");
        var options = ConfigurationOptions.Parse(server.EndPoint);
        options.Password = "wrong";
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 3000;
        await Assert.ThrowsAnyAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync(options));
    }
}
