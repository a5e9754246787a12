using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>DEL, UNLINK, EXISTS, TYPE, RENAME, RENAMENX, COPY, MOVE, TOUCH, RANDOMKEY. Expected replies were recorded from redis-server 7.0.15.</summary>
public class KeyTests
{
    [Fact]
    public void DelAndUnlinkCountOnlyExistingKeys()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal("+OK\r\n", c.Call("set", "b", "2"));
        Assert.Equal("+OK\r\n", c.Call("set", "c", "3"));
        Assert.Equal(":2\r\n", c.Call("del", "a", "nokey", "b", "a"));
        Assert.Equal(":1\r\n", c.Call("unlink", "c", "c", "nokey"));
        Assert.Equal(":0\r\n", c.Call("del", "nokey"));
        Assert.Equal(":0\r\n", c.Call("exists", "a", "b", "c"));
        Assert.Equal(":0\r\n", c.Call("dbsize"));
    }

    [Fact]
    public void ExistsCountsDuplicates()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal(":3\r\n", c.Call("exists", "a", "a", "a", "nokey"));
        Assert.Equal(":0\r\n", c.Call("exists", "nokey"));
    }

    [Fact]
    public void TypeNamesAndNoneForMissing()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "s", "v"));
        Assert.Equal("+string\r\n", c.Call("type", "s"));
        Assert.Equal("+none\r\n", c.Call("type", "nokey"));
    }

    [Fact]
    public void RenameMovesValueAndKeepsTtl()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal("-ERR no such key\r\n", c.Call("rename", "nokey", "x"));
        Assert.Equal("-ERR no such key\r\n", c.Call("renamenx", "nokey", "x"));
        Assert.Equal("+OK\r\n", c.Call("rename", "a", "a"));
        Assert.Equal(":0\r\n", c.Call("renamenx", "a", "a"));
        Assert.Equal(":1\r\n", c.Call("pexpireat", "a", "33177117420123"));
        Assert.Equal("+OK\r\n", c.Call("rename", "a", "b"));
        Assert.Equal(":0\r\n", c.Call("exists", "a"));
        Assert.Equal("$1\r\n1\r\n", c.Call("get", "b"));
        Assert.Equal(":33177117420123\r\n", c.Call("pexpiretime", "b"));
        Assert.Equal("+OK\r\n", c.Call("set", "c", "x"));
        Assert.Equal(":0\r\n", c.Call("renamenx", "b", "c"));
        Assert.Equal(":1\r\n", c.Call("renamenx", "b", "d"));
        Assert.Equal(":33177117420123\r\n", c.Call("pexpiretime", "d"));
        Assert.Equal("+OK\r\n", c.Call("rename", "d", "c"));
        Assert.Equal("$1\r\n1\r\n", c.Call("get", "c"));
        Assert.Equal(":33177117420123\r\n", c.Call("pexpiretime", "c"));
        Assert.Equal("+OK\r\n", c.Call("set", "e", "y"));
        Assert.Equal("+OK\r\n", c.Call("rename", "e", "c"));
        Assert.Equal(":-1\r\n", c.Call("pttl", "c"));
    }

    [Fact]
    public void RenameOntoExpiredKeyIsAllowed()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal("+OK\r\n", c.Call("set", "b", "2"));
        Assert.Equal(":1\r\n", c.Call("pexpire", "b", "1"));
        Thread.Sleep(20);
        Assert.Equal(":1\r\n", c.Call("renamenx", "a", "b"));
        Assert.Equal("$1\r\n1\r\n", c.Call("get", "b"));
    }

    [Fact]
    public void CopyWithDbAndReplace()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "c", "x"));
        Assert.Equal(":1\r\n", c.Call("pexpireat", "c", "33177117420123"));
        Assert.Equal("-ERR source and destination objects are the same\r\n", c.Call("copy", "c", "c"));
        Assert.Equal("-ERR DB index is out of range\r\n", c.Call("copy", "c", "e", "db", "16"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("copy", "c", "e", "db", "x"));
        Assert.Equal("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n", c.Call("copy", "c", "e", "db", "99999999999"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("copy", "c", "e", "foo"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("copy", "c", "e", "db"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("copy", "c", "e", "replace", "db"));
        Assert.Equal(":0\r\n", c.Call("copy", "nokey", "e"));
        Assert.Equal(":1\r\n", c.Call("copy", "c", "e"));
        Assert.Equal("$1\r\nx\r\n", c.Call("get", "e"));
        Assert.Equal(":33177117420123\r\n", c.Call("pexpiretime", "e"));
        Assert.Equal("+OK\r\n", c.Call("set", "f", "1"));
        Assert.Equal(":0\r\n", c.Call("copy", "c", "f"));
        Assert.Equal(":1\r\n", c.Call("copy", "c", "f", "replace"));
        Assert.Equal("$1\r\nx\r\n", c.Call("get", "f"));
        Assert.Equal(":1\r\n", c.Call("copy", "c", "c", "db", "1"));
        Assert.Equal(":0\r\n", c.Call("copy", "c", "c", "DB", "1"));
        Assert.Equal(":1\r\n", c.Call("copy", "c", "c", "db", "1", "replace"));
        Assert.Equal("+OK\r\n", c.Call("select", "1"));
        Assert.Equal("$1\r\nx\r\n", c.Call("get", "c"));
        Assert.Equal(":33177117420123\r\n", c.Call("pexpiretime", "c"));
    }

    [Fact]
    public void CopyThenOverwriteLeavesSource()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "hello"));
        Assert.Equal(":1\r\n", c.Call("copy", "a", "b"));
        Assert.Equal("+OK\r\n", c.Call("set", "b", "world"));
        Assert.Equal("$5\r\nhello\r\n", c.Call("get", "a"));
        Assert.Equal("$5\r\nworld\r\n", c.Call("get", "b"));
    }

    [Fact]
    public void MoveBetweenDatabases()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "c", "1"));
        Assert.Equal(":1\r\n", c.Call("pexpireat", "c", "33177117420123"));
        Assert.Equal("-ERR source and destination objects are the same\r\n", c.Call("move", "c", "0"));
        Assert.Equal("-ERR DB index is out of range\r\n", c.Call("move", "c", "16"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("move", "c", "x"));
        Assert.Equal("-ERR DB index is out of range\r\n", c.Call("move", "c", "-1"));
        Assert.Equal(":0\r\n", c.Call("move", "nokey", "1"));
        Assert.Equal(":1\r\n", c.Call("move", "c", "1"));
        Assert.Equal(":0\r\n", c.Call("exists", "c"));
        Assert.Equal("+OK\r\n", c.Call("select", "1"));
        Assert.Equal(":1\r\n", c.Call("exists", "c"));
        Assert.Equal("$1\r\n1\r\n", c.Call("get", "c"));
        Assert.Equal(":33177117420123\r\n", c.Call("pexpiretime", "c"));
        Assert.Equal("+OK\r\n", c.Call("select", "0"));
        Assert.Equal("+OK\r\n", c.Call("set", "c", "2"));
        Assert.Equal("+OK\r\n", c.Call("select", "1"));
        Assert.Equal(":0\r\n", c.Call("move", "c", "0"));
        Assert.Equal("$1\r\n1\r\n", c.Call("get", "c"));
    }

    [Fact]
    public void TouchCountsExistingKeys()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("set", "a", "1"));
        Assert.Equal("+OK\r\n", c.Call("set", "b", "2"));
        Assert.Equal(":3\r\n", c.Call("touch", "a", "b", "b", "nokey"));
        Assert.Equal(":0\r\n", c.Call("touch", "nokey"));
    }

    [Fact]
    public void RandomKeyOnEmptyAndSingleKeyDatabase()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("$-1\r\n", c.Call("randomkey"));
        Assert.Equal("+OK\r\n", c.Call("set", "only", "1"));
        Assert.Equal("$4\r\nonly\r\n", c.Call("randomkey"));
    }
}
