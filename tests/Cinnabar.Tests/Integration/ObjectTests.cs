using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>OBJECT ENCODING, REFCOUNT, FREQ, IDLETIME, HELP. Expected replies were recorded from redis-server 7.0.15.</summary>
public class ObjectTests
{
    [Fact]
    public void ObjectEncodingOfStrings()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "i", "123"));
        Assert.Equal("+OK\r\n", c.Call("set", "n", "-5"));
        Assert.Equal("+OK\r\n", c.Call("set", "z", "007"));
        Assert.Equal("+OK\r\n", c.Call("set", "e", "12345678901234567890123456789012345678901234"));
        Assert.Equal("+OK\r\n", c.Call("set", "r", "123456789012345678901234567890123456789012345"));
        Assert.Equal("$3\r\nint\r\n", c.Call("object", "encoding", "i"));
        Assert.Equal("$3\r\nint\r\n", c.Call("object", "encoding", "n"));
        Assert.Equal("$6\r\nembstr\r\n", c.Call("object", "encoding", "z"));
        Assert.Equal("$6\r\nembstr\r\n", c.Call("object", "encoding", "e"));
        Assert.Equal("$3\r\nraw\r\n", c.Call("object", "encoding", "r"));
        Assert.Equal("$-1\r\n", c.Call("object", "encoding", "nokey"));
        Assert.Equal("$3\r\nint\r\n", c.Call("object", "ENCODING", "i"));
    }

    [Fact]
    public void ObjectRefCountOfSharedIntegers()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "i", "123"));
        Assert.Equal("+OK\r\n", c.Call("set", "j", "10000"));
        Assert.Equal("+OK\r\n", c.Call("set", "k", "-1"));
        Assert.Equal("+OK\r\n", c.Call("set", "s", "hello"));
        Assert.Equal(":2147483647\r\n", c.Call("object", "refcount", "i"));
        Assert.Equal(":1\r\n", c.Call("object", "refcount", "j"));
        Assert.Equal(":1\r\n", c.Call("object", "refcount", "k"));
        Assert.Equal(":1\r\n", c.Call("object", "refcount", "s"));
        Assert.Equal("$-1\r\n", c.Call("object", "refcount", "nokey"));
    }

    [Fact]
    public void ObjectFreqNeedsAnLfuPolicy()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "hello"));
        Assert.Equal("-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n", c.Call("object", "freq", "a"));
        Assert.Equal("$-1\r\n", c.Call("object", "freq", "nokey"));
    }

    [Fact]
    public void ObjectIdleTimeOfFreshKey()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "hello"));
        Assert.Matches("^:[01]\r\n$", c.Call("object", "idletime", "a")); // whole-second LRU clock
        Assert.Equal("$-1\r\n", c.Call("object", "idletime", "nokey"));
    }

    [Fact]
    public void ObjectHelpAndErrors()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING <key>\r\n+    Return the kind of internal representation used in order to store the value\r\n+    associated with a <key>.\r\n+FREQ <key>\r\n+    Return the access frequency index of the <key>. The returned integer is\r\n+    proportional to the logarithm of the recent access frequency of the key.\r\n+IDLETIME <key>\r\n+    Return the idle time of the <key>, that is the approximated number of\r\n+    seconds elapsed since the last access to the key.\r\n+REFCOUNT <key>\r\n+    Return the number of references of the value associated with the specified\r\n+    <key>.\r\n+HELP\r\n+    Prints this help.\r\n", c.Call("object", "help"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n", c.Call("object", "foo"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n", c.Call("object", "foo", "bar"));
        Assert.Equal("-ERR wrong number of arguments for 'object' command\r\n", c.Call("object"));
        Assert.Equal("-ERR wrong number of arguments for 'object|encoding' command\r\n", c.Call("object", "encoding"));
        Assert.Equal("-ERR wrong number of arguments for 'object|encoding' command\r\n", c.Call("object", "encoding", "a", "b"));
        Assert.Equal("-ERR wrong number of arguments for 'object|help' command\r\n", c.Call("object", "help", "extra"));
    }
}
