using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>COMMAND and its subcommands; expected replies are Redis 7.0.15's, byte for byte.</summary>
public class CommandTests
{
    private const string GetInfo =
        "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n" +
        "*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n" +
        "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";

    [Fact]
    public void InfoOfGetMatchesRedis()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("*1\r\n" + GetInfo, c.Call("COMMAND", "INFO", "get"));
        Assert.Equal("*2\r\n$-1\r\n" + GetInfo, c.Call("COMMAND", "INFO", "nosuch", "GET"));
    }

    [Fact]
    public void InfoOfSetHasKeySpecNotes()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(
            "*1\r\n*10\r\n$3\r\nset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@write\r\n+@string\r\n+@slow\r\n*0\r\n*1\r\n*8\r\n" +
            "$5\r\nnotes\r\n$48\r\nRW and ACCESS due to the optional `GET` argument\r\n$5\r\nflags\r\n*4\r\n+RW\r\n+access\r\n+update\r\n+variable_flags\r\n" +
            "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n" +
            "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n",
            c.Call("COMMAND", "INFO", "set"));
    }

    [Fact]
    public void InfoOfASubcommandByFullName()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(
            "*1\r\n*10\r\n$13\r\ncommand|count\r\n:2\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n",
            c.Call("COMMAND", "INFO", "command|count"));
    }

    [Fact]
    public void AllCommandsAndCount()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        int implemented = server.Server.Commands.Commands.Count();
        Assert.Equal($":{implemented}\r\n", c.Call("COMMAND", "COUNT"));
        Assert.StartsWith($"*{implemented}\r\n*10\r\n", c.Call("COMMAND"));
        Assert.StartsWith($"*{implemented}\r\n*10\r\n", c.Call("COMMAND", "INFO"));
        Assert.Equal("-ERR wrong number of arguments for 'command|count' command\r\n", c.Call("COMMAND", "COUNT", "x"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n", c.Call("COMMAND", "foo"));
    }

    [Fact]
    public void DocsOfGetMatchesRedis()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(
            "*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n" +
            "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n",
            c.Call("COMMAND", "DOCS", "get"));
        Assert.Equal("*0\r\n", c.Call("COMMAND", "DOCS", "nosuch"));
    }

    [Fact]
    public void DocsOfSetCarriesHistoryAndArgumentFlags()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string reply = c.Call("COMMAND", "DOCS", "set");
        Assert.Contains("$7\r\nhistory\r\n*4\r\n*2\r\n$6\r\n2.6.12\r\n$44\r\nAdded the `EX`, `PX`, `NX` and `XX` options.\r\n", reply);
        Assert.Contains("$4\r\nname\r\n$3\r\nget\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$3\r\nGET\r\n$5\r\nsince\r\n$5\r\n6.2.0\r\n$5\r\nflags\r\n*1\r\n+optional\r\n", reply);
    }

    [Fact]
    public void GetKeysAndFlags()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("*1\r\n$1\r\na\r\n", c.Call("COMMAND", "GETKEYS", "get", "a"));
        Assert.Equal("*1\r\n$1\r\na\r\n", c.Call("COMMAND", "GETKEYS", "SET", "a", "b"));
        Assert.Equal("*1\r\n*2\r\n$1\r\na\r\n*2\r\n+OW\r\n+update\r\n", c.Call("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"));
        Assert.Equal("*1\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+update\r\n", c.Call("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "get"));
    }

    [Fact]
    public void GetKeysErrors()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("-ERR Invalid command specified\r\n", c.Call("COMMAND", "GETKEYS", "nosuch", "a"));
        Assert.Equal("-ERR The command has no key arguments\r\n", c.Call("COMMAND", "GETKEYS", "ping", "x"));
        Assert.Equal("-ERR The command has no key arguments\r\n", c.Call("COMMAND", "GETKEYS", "command", "info"));
        Assert.Equal("-ERR Invalid number of arguments specified for command\r\n", c.Call("COMMAND", "GETKEYS", "get", "a", "b"));
        Assert.Equal("-ERR wrong number of arguments for 'command|getkeys' command\r\n", c.Call("COMMAND", "GETKEYS"));
    }

    [Fact]
    public void ListWithFilters()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string all = c.Call("COMMAND", "LIST");
        Assert.Contains("$3\r\nget\r\n", all);
        Assert.Contains("$13\r\ncommand|count\r\n", all);
        string pattern = c.Call("COMMAND", "LIST", "FILTERBY", "PATTERN", "COMMAND|C*");
        Assert.Equal("*1\r\n$13\r\ncommand|count\r\n", pattern);
        string strings = c.Call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "STRING");
        Assert.Contains("$3\r\nget\r\n", strings);
        Assert.Contains("$3\r\nset\r\n", strings);
        Assert.DoesNotContain("info", strings);
        Assert.Equal("*0\r\n", c.Call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "@read"));
        Assert.Equal("*0\r\n", c.Call("COMMAND", "LIST", "FILTERBY", "MODULE", "foo"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("COMMAND", "LIST", "FILTERBY", "foo", "bar"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("COMMAND", "LIST", "FILTERBY"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("COMMAND", "LIST", "x"));
    }

    [Fact]
    public void Help()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string help = c.Call("COMMAND", "HELP");
        Assert.StartsWith("*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+(no subcommand)\r\n", help);
        Assert.EndsWith("+HELP\r\n+    Prints this help.\r\n", help);
    }

    [Fact]
    public void Resp3ShapesUseSetsAndMaps()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("PING");
        // Switch the connection to RESP3 directly (HELLO belongs to the connection family).
        server.Server.ClientsSnapshot().Single().Connection!.Writer.Protocol = 3;
        Assert.Equal("=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n", c.Call("INFO", "cluster"));
        Assert.Equal(
            "%1\r\n$3\r\nget\r\n%5\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n" +
            "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n%3\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n",
            c.Call("COMMAND", "DOCS", "get"));
        Assert.Equal(
            "*2\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n" +
            "$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n" +
            "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n_\r\n",
            c.Call("COMMAND", "INFO", "get", "nosuch"));
        Assert.Equal("*1\r\n*2\r\n$1\r\na\r\n~2\r\n+OW\r\n+update\r\n", c.Call("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"));
    }
}
