using System.Diagnostics;
using System.Text.RegularExpressions;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>CLIENT subcommands; replies and error texts checked against redis-server 7.0.15 (SETINFO, NO-TOUCH, lib-* fields: 7.2).</summary>
public class ClientTests
{
    private static long Id(RespClient c) => long.Parse(c.Call("CLIENT", "ID").AsSpan(1).TrimEnd("\r\n"));

    /// <summary>The text of a RESP2 bulk reply.</summary>
    private static string Bulk(string reply) => reply[(reply.IndexOf("\r\n", StringComparison.Ordinal) + 2)..^2];

    private static string Field(string line, string name) => Regex.Match(line, $@"(?:^| ){Regex.Escape(name)}=(\S*)").Groups[1].Value;

    [Fact]
    public void NamesAndIds()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        Assert.True(Id(b) > Id(a));
        Assert.Equal("$-1\r\n", a.Call("CLIENT", "GETNAME"));
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", a.Call("CLIENT", "SETNAME", "a b"));
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", a.Call("CLIENT", "SETNAME", "a\nb"));
        Assert.Equal("+OK\r\n", a.Call("CLIENT", "SETNAME", "ok"));
        Assert.Equal("$2\r\nok\r\n", a.Call("CLIENT", "GETNAME"));
        Assert.Equal("+OK\r\n", a.Call("CLIENT", "SETNAME", ""));
        Assert.Equal("$-1\r\n", a.Call("CLIENT", "GETNAME"));
        Assert.Equal("-ERR wrong number of arguments for 'client|setname' command\r\n", a.Call("CLIENT", "SETNAME"));
        Assert.Equal("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n", a.Call("CLIENT", "FOO"));
        Assert.Equal("-ERR wrong number of arguments for 'client' command\r\n", a.Call("CLIENT"));
    }

    [Fact]
    public void SetInfoStoresLibraryNameAndVersion()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("CLIENT", "SETINFO", "LIB-NAME", "mylib"));
        Assert.Equal("+OK\r\n", c.Call("CLIENT", "SETINFO", "lib-ver", "1.2.3"));
        Assert.Equal("-ERR Unrecognized option 'foo'\r\n", c.Call("CLIENT", "SETINFO", "foo", "x"));
        Assert.Equal("-ERR lib-name cannot contain spaces, newlines or special characters.\r\n", c.Call("CLIENT", "SETINFO", "lib-name", "a b"));
        string info = Bulk(c.Call("CLIENT", "INFO"));
        Assert.Equal("mylib", Field(info, "lib-name"));
        Assert.Equal("1.2.3", Field(info, "lib-ver"));
    }

    [Fact]
    public void InfoAndListUseRedisFieldLayout()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SELECT", "0");
        string info = Bulk(c.Call("CLIENT", "INFO"));
        Assert.EndsWith("\n", info);
        var names = Regex.Matches(info.TrimEnd('\n'), @"(?:^| )([a-z-]+)=").Select(m => m.Groups[1].Value);
        Assert.Equal("id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp lib-name lib-ver",
            string.Join(' ', names));
        Assert.Equal(Id(c).ToString(), Field(info, "id"));
        Assert.Equal("N", Field(info, "flags"));
        Assert.Equal("client|info", Field(info, "cmd"));
        Assert.Equal("default", Field(info, "user"));
        Assert.Equal("-1", Field(info, "multi"));
        Assert.Equal("2", Field(info, "resp"));
        Assert.Equal("10", Field(info, "argv-mem")); // "client" + "info"
        Assert.Equal($"127.0.0.1:{server.Port}", Field(info, "laddr"));

        using var other = server.Connect();
        other.Call("HELLO", "3");
        string list = Bulk(c.Call("CLIENT", "LIST"));
        var lines = list.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal("3", Field(lines[1], "resp"));
        Assert.Equal("hello", Field(lines[1], "cmd"));
        // RESP3 clients get a verbatim string.
        Assert.StartsWith("=", other.Call("CLIENT", "INFO"));
    }

    [Fact]
    public void ListFilters()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        long idB = Id(b);
        string one = Bulk(a.Call("CLIENT", "LIST", "ID", idB.ToString(), "99999"));
        Assert.Single(one.TrimEnd('\n').Split('\n'));
        Assert.Equal(idB.ToString(), Field(one, "id"));
        Assert.Equal("$0\r\n\r\n", a.Call("CLIENT", "LIST", "ID", "99999"));
        Assert.Equal("$0\r\n\r\n", a.Call("CLIENT", "LIST", "TYPE", "pubsub"));
        Assert.Equal(2, Bulk(a.Call("CLIENT", "LIST", "TYPE", "normal")).TrimEnd('\n').Split('\n').Length);
        Assert.Equal("-ERR Unknown client type 'foo'\r\n", a.Call("CLIENT", "LIST", "TYPE", "foo"));
        Assert.Equal("-ERR Invalid client ID\r\n", a.Call("CLIENT", "LIST", "ID", "abc"));
        Assert.Equal("-ERR syntax error\r\n", a.Call("CLIENT", "LIST", "ID"));
        Assert.Equal("-ERR syntax error\r\n", a.Call("CLIENT", "LIST", "foo"));
        b.Call("SUBSCRIBE", "ch");
        string pubsub = Bulk(a.Call("CLIENT", "LIST", "TYPE", "pubsub"));
        Assert.Equal(idB.ToString(), Field(pubsub, "id"));
        Assert.Equal("P", Field(pubsub, "flags"));
        Assert.Equal("1", Field(pubsub, "sub"));
    }

    [Fact]
    public void KillByIdAddressAndSelf()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        using var c = server.Connect();
        Assert.Equal(":1\r\n", a.Call("CLIENT", "KILL", "ID", Id(b).ToString()));
        Assert.True(b.IsClosedByServer());
        string addrC = Field(Bulk(c.Call("CLIENT", "INFO")), "addr");
        Assert.Equal("+OK\r\n", a.Call("CLIENT", "KILL", addrC));
        Assert.True(c.IsClosedByServer());
        Assert.Equal("-ERR No such client\r\n", a.Call("CLIENT", "KILL", addrC));
        // SKIPME defaults to yes: a filter matching only the caller kills nobody.
        Assert.Equal(":0\r\n", a.Call("CLIENT", "KILL", "ID", Id(a).ToString()));
        Assert.Equal(":1\r\n", a.Call("CLIENT", "KILL", "ID", Id(a).ToString(), "SKIPME", "no"));
        Assert.True(a.IsClosedByServer());
    }

    [Fact]
    public void KillFiltersAndErrors()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        using var c = server.Connect();
        // A reply proves the server registered each connection before KILL counts them.
        Assert.Equal("+PONG\r\n", b.Call("PING"));
        Assert.Equal("+PONG\r\n", c.Call("PING"));
        Assert.Equal("-ERR No such client\r\n", a.Call("CLIENT", "KILL", "1.2.3.4:5"));
        Assert.Equal(":0\r\n", a.Call("CLIENT", "KILL", "ID", "9999"));
        Assert.Equal("-ERR syntax error\r\n", a.Call("CLIENT", "KILL", "foo", "bar"));
        Assert.Equal("-ERR client-id should be greater than 0\r\n", a.Call("CLIENT", "KILL", "ID", "abc"));
        Assert.Equal("-ERR client-id should be greater than 0\r\n", a.Call("CLIENT", "KILL", "ID", "0"));
        Assert.Equal("-ERR Unknown client type 'foo'\r\n", a.Call("CLIENT", "KILL", "TYPE", "foo"));
        Assert.Equal("-ERR syntax error\r\n", a.Call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "maybe"));
        Assert.Equal("-ERR No such user 'nobody'\r\n", a.Call("CLIENT", "KILL", "USER", "nobody"));
        Assert.Equal("-ERR syntax error\r\n", a.Call("CLIENT", "KILL", "ID", "1", "foo"));
        Assert.Equal(":0\r\n", a.Call("CLIENT", "KILL", "ADDR", "1.1.1.1:1", "TYPE", "pubsub"));
        Assert.Equal(":0\r\n", a.Call("CLIENT", "KILL", "LADDR", "1.1.1.1:1"));
        // TYPE normal with SKIPME yes kills the two others; LADDR matches the listening address.
        Assert.Equal(":2\r\n", a.Call("CLIENT", "KILL", "TYPE", "normal", "LADDR", $"127.0.0.1:{server.Port}"));
        Assert.True(b.IsClosedByServer());
        Assert.True(c.IsClosedByServer());
        using var d = server.Connect();
        // A reply proves the server registered the new connection before it is counted.
        Assert.Equal("+PONG\r\n", d.Call("PING"));
        Assert.Equal(":1\r\n", a.Call("CLIENT", "KILL", "USER", "default"));
        Assert.True(d.IsClosedByServer());
    }

    [Fact]
    public void ReplyOffSkipOn()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("-ERR syntax error\r\n", c.Call("CLIENT", "REPLY", "foo"));
        c.SendRaw(RespClient.Encode("CLIENT", "REPLY", "OFF"));
        c.SendRaw(RespClient.Encode("SET", "k", "v"));
        c.SendRaw(RespClient.Encode("PING"));
        Assert.Equal("+OK\r\n", c.Call("CLIENT", "REPLY", "ON"));
        c.SendRaw(RespClient.Encode("CLIENT", "REPLY", "SKIP"));
        c.SendRaw(RespClient.Encode("PING", "skipped"));
        Assert.Equal("$4\r\nseen\r\n", c.Call("PING", "seen"));
        Assert.Equal("$1\r\nv\r\n", c.Call("GET", "k"));
    }

    [Fact]
    public void NoEvictAndNoTouch()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("CLIENT", "NO-EVICT", "on"));
        Assert.Equal("+OK\r\n", c.Call("CLIENT", "NO-TOUCH", "ON"));
        Assert.Equal("eT", Field(Bulk(c.Call("CLIENT", "INFO")), "flags"));
        Assert.Equal("+OK\r\n", c.Call("CLIENT", "NO-EVICT", "OFF"));
        Assert.Equal("+OK\r\n", c.Call("CLIENT", "NO-TOUCH", "off"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("CLIENT", "NO-EVICT", "x"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("CLIENT", "NO-TOUCH", "x"));
        Assert.Equal("N", Field(Bulk(c.Call("CLIENT", "INFO")), "flags"));
    }

    [Fact]
    public void PauseArgumentErrors()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("-ERR timeout is not an integer or out of range\r\n", c.Call("CLIENT", "PAUSE", "abc"));
        Assert.Equal("-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n", c.Call("CLIENT", "PAUSE", "10", "foo"));
        Assert.Equal("-ERR timeout is negative\r\n", c.Call("CLIENT", "PAUSE", "-1"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.\r\n", c.Call("CLIENT", "PAUSE", "10", "all", "x"));
        Assert.Equal("+OK\r\n", c.Call("CLIENT", "UNPAUSE"));
    }

    [Fact]
    public async Task PauseWriteHoldsWritesUntilUnpause()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        Assert.Equal("+OK\r\n", b.Call("SET", "k", "old"));
        Assert.Equal("+OK\r\n", a.Call("CLIENT", "PAUSE", "10000", "WRITE"));
        // Reads go through; the write and everything pipelined after it wait, in order.
        Assert.Equal("$3\r\nold\r\n", b.Call("GET", "k"));
        b.SendRaw(RespClient.Encode("SET", "k", "new"));
        b.SendRaw(RespClient.Encode("GET", "k"));
        var pending = Task.Run(() => b.ReadReply() + b.ReadReply());
        Assert.NotSame(pending, await Task.WhenAny(pending, Task.Delay(300)));
        Assert.Equal("$3\r\nold\r\n", a.Call("GET", "k"));
        Assert.Equal("+OK\r\n", a.Call("CLIENT", "UNPAUSE"));
        Assert.Same(pending, await Task.WhenAny(pending, Task.Delay(5000)));
        Assert.Equal("+OK\r\n$3\r\nnew\r\n", await pending);
    }

    [Fact]
    public void PauseAllHoldsEveryCommandUntilTheTimeout()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        var watch = Stopwatch.StartNew();
        Assert.Equal("+OK\r\n", a.Call("CLIENT", "PAUSE", "400", "ALL"));
        Assert.Equal("+PONG\r\n", b.Call("PING"));
        Assert.True(watch.ElapsedMilliseconds >= 300, $"PING answered after {watch.ElapsedMilliseconds} ms");
        Assert.Equal("+PONG\r\n", a.Call("PING"));
    }

    [Fact]
    public void PausedClientsAreNotClosedAsIdle()
    {
        using var server = new TestServer("--timeout", "1");
        using var a = server.Connect();
        using var b = server.Connect();
        Assert.Equal("+OK\r\n", a.Call("CLIENT", "PAUSE", "2500", "ALL"));
        // B waits longer than the idle timeout for its PING, and still gets the answer.
        Assert.Equal("+PONG\r\n", b.Call("PING"));
    }

    [Fact]
    public void HelpListsSubcommands()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string help = c.Call("CLIENT", "HELP");
        Assert.StartsWith("*54\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CACHING (YES|NO)\r\n", help);
        Assert.EndsWith("+NO-EVICT (ON|OFF)\r\n+    Protect current client connection from eviction.\r\n+NO-TOUCH (ON|OFF)\r\n+    Will not touch LRU/LFU stats when this mode is on.\r\n+HELP\r\n+    Prints this help.\r\n", help);
    }
}
