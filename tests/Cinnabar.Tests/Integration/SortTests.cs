using System.Text;
using Cinnabar.Tests.Support;
using Cinnabar.Types;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// SORT and SORT_RO. Exact replies (SortTests.Generated.cs) were captured from redis-server 7.0.15; an
/// "@list" step creates a list directly in the database (the list commands live in another branch).
/// </summary>
public partial class SortTests
{
    internal static void Run(bool resp3, params (object[] Args, string Expected)[] steps)
    {
        using var server = new TestServer();
        using var c = server.Connect();
        if (resp3) SortedSetTests.UseResp3(server, c);
        foreach (var (args, expected) in steps)
        {
            if (args[0] is "@list")
            {
                var list = new RedisList();
                foreach (var item in args.Skip(2)) list.PushTail(Encoding.UTF8.GetBytes((string)item));
                lock (server.Server.Gate) server.Server.Databases[0].Set(Encoding.UTF8.GetBytes((string)args[1]), list);
                continue;
            }
            var got = c.Call(args);
            Assert.True(expected == got, $"{string.Join(' ', args)}: expected {Esc(expected)}, got {Esc(got)}");
        }
    }

    private static string Esc(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n");

    private static List<string> StoredList(TestServer server, string key)
    {
        var list = (RedisList)server.Server.Databases[0].Peek(Encoding.UTF8.GetBytes(key))!;
        return list.ToList().Select(b => Encoding.UTF8.GetString(b)).ToList();
    }

    [Fact]
    public void StoreWritesAListWithEmptyStringsForMissingGets()
    {
        // Checked on redis 7.0.15 with LRANGE: "1", "", "2", "" and, for BY nosort on a set, alphabetical order.
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SADD", "nums", "3", "1", "2");
        Assert.Equal(":4\r\n", c.Call("SORT", "nums", "LIMIT", "0", "2", "GET", "#", "GET", "nosuch_*", "STORE", "dst"));
        Assert.Equal(new[] { "1", "", "2", "" }, StoredList(server, "dst"));
        c.Call("SADD", "words", "b", "c", "a");
        Assert.Equal(":3\r\n", c.Call("SORT", "words", "BY", "nosort", "STORE", "dst"));
        Assert.Equal(new[] { "a", "b", "c" }, StoredList(server, "dst"));
        Assert.Equal("quicklist", server.Server.Databases[0].Peek("dst"u8) is Cinnabar.Storage.IRedisValue v ? v.EncodingName : "");
        Assert.Equal(":0\r\n", c.Call("SORT", "nokey", "STORE", "dst"));
        Assert.Null(server.Server.Databases[0].Peek("dst"u8));
    }

    [Fact]
    public void SortConvertsASortedSetToSkiplistAsRedisDoes()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("ZADD", "zz", "1", "a");
        Assert.Equal("-ERR One or more scores can't be converted into double\r\n", c.Call("SORT", "zz"));
        Assert.Equal("skiplist", ((ZSet)server.Server.Databases[0].Peek("zz"u8)!).EncodingName);
    }

    [Fact]
    public void StoreRaisesSortstoreAndDel()
    {
        using var server = new TestServer();
        var events = new List<string>();
        server.Server.Notification += (type, name, _, key) => { lock (events) events.Add($"{type}:{name}:{Encoding.UTF8.GetString(key)}"); };
        using var c = server.Connect();
        c.Call("SADD", "s", "1");
        c.Call("SORT", "s", "STORE", "d");
        c.Call("SORT", "nokey", "STORE", "d");
        Assert.Equal(new[] { "l:sortstore:d", "g:del:d" }, events.Where(e => e.EndsWith(":d")));
    }
}
