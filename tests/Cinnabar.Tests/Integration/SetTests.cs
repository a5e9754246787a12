using Cinnabar.Tests.Support;
using Cinnabar.Types;

namespace Cinnabar.Tests.Integration;

public class SetTests
{
    [Fact]
    public void RepliesMatchRedisResp2() { using var server = new TestServer(); ReplyScript.Run(server, SetScript, 2); }

    [Fact]
    public void RepliesMatchRedisResp3() { using var server = new TestServer(); ReplyScript.Run(server, SetScript, 3); }

    private static object? Value(TestServer server, string key)
    {
        lock (server.Server.Gate) return server.Server.Databases[0].Get(System.Text.Encoding.UTF8.GetBytes(key));
    }

    private static string Encoding(TestServer server, string key) => ((RedisSet)Value(server, key)!).EncodingName;

    private static object[] Cmd(string name, string key, IEnumerable<int> members) =>
        new object[] { name, key }.Concat(members.Select(m => (object)m.ToString())).ToArray();

    [Fact]
    public void EncodingsFollowRedis70()
    {
        // Every sequence below was run on redis-server 7.0.15 with OBJECT ENCODING.
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call(Cmd("SADD", "s1", Enumerable.Range(1, 512)));
        Assert.Equal("intset", Encoding(server, "s1"));
        c.Call("SADD", "s1", "513");
        Assert.Equal("hashtable", Encoding(server, "s1"));
        c.Call("SADD", "s2", "1", "2");
        Assert.Equal("intset", Encoding(server, "s2"));
        c.Call("SADD", "s2", "a");
        Assert.Equal("hashtable", Encoding(server, "s2"));
        c.Call("SREM", "s2", "a");
        Assert.Equal("hashtable", Encoding(server, "s2"));
        c.Call("SADD", "s3", "a");
        Assert.Equal("hashtable", Encoding(server, "s3"));
        c.Call("SADD", "s4", "1", "-9223372036854775808");
        Assert.Equal("intset", Encoding(server, "s4"));
        c.Call("SADD", "t1", "1", "2", "3");
        c.Call("SADD", "t2", "2", "3", "4");
        Assert.Equal(":2\r\n", c.Call("SINTERSTORE", "t3", "t1", "t2"));
        Assert.Equal("intset", Encoding(server, "t3"));
        c.Call(Cmd("SADD", "t4", Enumerable.Range(1, 400)));
        c.Call(Cmd("SADD", "t5", Enumerable.Range(300, 401)));
        Assert.Equal(":700\r\n", c.Call("SUNIONSTORE", "t6", "t4", "t5"));
        Assert.Equal("hashtable", Encoding(server, "t6"));
        c.Call("SADD", "m1", "x", "1");
        c.Call("SMOVE", "m1", "m2", "1");
        Assert.Equal("intset", Encoding(server, "m2"));
        c.Call("SMOVE", "m1", "m3", "x");
        Assert.Equal("hashtable", Encoding(server, "m3"));
        c.Call(Cmd("SADD", "n1", Enumerable.Range(1, 20)));
        c.Call("SPOP", "n1", "18");
        Assert.Equal("intset", Encoding(server, "n1"));
        // Duplicates do not count toward the intset limit.
        c.Call(Cmd("SADD", "d1", Enumerable.Repeat(7, 600)));
        Assert.Equal("intset", Encoding(server, "d1"));
    }

    [Fact]
    public void IntsetLimitComesFromConfig()
    {
        using var server = new TestServer();
        server.Server.Config.SetMaxIntsetEntries = 4;
        using var c = server.Connect();
        c.Call("SADD", "s", "1", "2", "3", "4");
        Assert.Equal("intset", Encoding(server, "s"));
        c.Call("SADD", "s", "5");
        Assert.Equal("hashtable", Encoding(server, "s"));
    }

    [Fact]
    public void EmptiedSetsDisappear()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SADD", "a", "1", "x");
        c.Call("SREM", "a", "1", "x");
        Assert.Null(Value(server, "a"));
        c.Call("SADD", "b", "1");
        c.Call("SPOP", "b");
        Assert.Null(Value(server, "b"));
        c.Call("SADD", "c", "1", "2");
        c.Call("SPOP", "c", "5");
        Assert.Null(Value(server, "c"));
        c.Call("SADD", "d", "y");
        c.Call("SMOVE", "d", "e", "y");
        Assert.Null(Value(server, "d"));
        Assert.Equal("*1\r\n$1\r\ny\r\n", c.Call("SMEMBERS", "e"));
    }

    private static List<string> Members(string reply)
    {
        var lines = reply.Split("\r\n");
        var list = new List<string>();
        for (int i = 2; i < lines.Length; i += 2) list.Add(lines[i]);
        return list;
    }

    [Theory]
    [InlineData("ints")]
    [InlineData("strings")]
    [InlineData("large")]
    public void PopAndRandomMemberHaveRedisProperties(string kind)
    {
        using var server = new TestServer();
        using var c = server.Connect();
        int size = kind == "large" ? 300 : 20;
        var members = Enumerable.Range(0, size).Select(i => kind == "ints" ? i.ToString() : "m" + i).ToList();
        c.Call(new object[] { "SADD", "s" }.Concat(members).ToArray());

        // SRANDMEMBER: positive count gives distinct members, negative exactly |count| with repeats.
        var distinct = Members(c.Call("SRANDMEMBER", "s", "10"));
        Assert.Equal(10, distinct.Distinct().Count());
        Assert.All(distinct, m => Assert.Contains(m, members));
        var repeated = Members(c.Call("SRANDMEMBER", "s", "-100"));
        Assert.Equal(100, repeated.Count);
        Assert.All(repeated, m => Assert.Contains(m, members));
        var hits = new Dictionary<string, int>();
        for (int i = 0; i < 40 * size; i++)
        {
            var m = c.Call("SRANDMEMBER", "s").Split("\r\n")[1];
            hits[m] = hits.GetValueOrDefault(m) + 1;
        }
        Assert.Equal(size, hits.Count); // every member is reachable

        // SPOP removes what it returns; large counts (more than a quarter) use the shuffle path.
        var popped = Members(c.Call("SPOP", "s", "3"));
        popped.AddRange(Members(c.Call("SPOP", "s", (size / 2).ToString())));
        popped.Add(c.Call("SPOP", "s").Split("\r\n")[1]);
        Assert.Equal(popped.Count, popped.Distinct().Count());
        var rest = Members(c.Call("SMEMBERS", "s"));
        Assert.Equal(size, rest.Count + popped.Count);
        Assert.Empty(rest.Intersect(popped));
        Assert.Equal(members.Order(), rest.Concat(popped).Order());
    }

    [Fact]
    public void LargeSetScanReturnsEveryMemberOnce()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call(new object[] { "SADD", "s" }.Concat(Enumerable.Range(0, 1000).Select(i => (object)("m" + i))).ToArray());
        Assert.Equal("hashtable", Encoding(server, "s"));
        var seen = new HashSet<string>();
        string cursor = "0";
        do
        {
            var lines = c.Call("SSCAN", "s", cursor).Split("\r\n");
            cursor = lines[2];
            int n = int.Parse(lines[3][1..]);
            for (int i = 0; i < n; i++) Assert.True(seen.Add(lines[5 + i * 2]));
        } while (cursor != "0");
        Assert.Equal(1000, seen.Count);
        Assert.Equal(":1000\r\n", c.Call("SCARD", "s"));
        Assert.Equal(":1\r\n", c.Call("SISMEMBER", "s", "m999"));
        Assert.Equal(":500\r\n", c.Call("SINTERCARD", "1", "s", "LIMIT", "500"));
    }

    [Fact]
    public void NotificationsAndModifiedKeys()
    {
        using var server = new TestServer();
        var events = new List<string>();
        server.Server.Notification += (type, name, db, key) => events.Add($"{type}:{name}:{System.Text.Encoding.UTF8.GetString(key)}");
        using var c = server.Connect();
        c.Call("SADD", "a", "1", "2");
        c.Call("SADD", "a", "1");
        c.Call("SREM", "a", "1");
        c.Call("SMOVE", "a", "b", "2");
        c.Call("SADD", "a", "3");
        c.Call("SINTERSTORE", "d", "a", "a");
        c.Call("SUNIONSTORE", "d", "a", "b");
        c.Call("SDIFFSTORE", "d", "a", "a");
        c.Call("SPOP", "b");
        Assert.Equal(["s:sadd:a", "s:srem:a", "s:srem:a", "g:del:a", "s:sadd:b", "s:sadd:a", "s:sinterstore:d",
            "s:sunionstore:d", "g:del:d", "s:spop:b", "g:del:b"], events);
    }

    // Generated from redis-server 7.0.15 (RESP2 and RESP3 replies of the same script run from an empty database).
    internal static readonly (string Command, string Resp2, string Resp3)[] SetScript =
    [
        ("SET str v", "+OK\r\n", "+OK\r\n"),
        ("SADD s", "-ERR wrong number of arguments for 'sadd' command\r\n", "-ERR wrong number of arguments for 'sadd' command\r\n"),
        ("SADD str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SREM str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SMEMBERS str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SISMEMBER str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SMISMEMBER str a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SCARD str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SPOP str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SPOP str 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SRANDMEMBER str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SRANDMEMBER str 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SMOVE str s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SSCAN str 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SINTER str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SUNION str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SDIFF str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SADD i 5 -3 100000 7 70000 -9000000000 5", ":6\r\n", ":6\r\n"),
        ("SADD i 5", ":0\r\n", ":0\r\n"),
        ("SMEMBERS i", "*6\r\n$11\r\n-9000000000\r\n$2\r\n-3\r\n$1\r\n5\r\n$1\r\n7\r\n$5\r\n70000\r\n$6\r\n100000\r\n", "~6\r\n$11\r\n-9000000000\r\n$2\r\n-3\r\n$1\r\n5\r\n$1\r\n7\r\n$5\r\n70000\r\n$6\r\n100000\r\n"),
        ("SCARD i", ":6\r\n", ":6\r\n"),
        ("SISMEMBER i 100000", ":1\r\n", ":1\r\n"),
        ("SISMEMBER i 100001", ":0\r\n", ":0\r\n"),
        ("SISMEMBER i abc", ":0\r\n", ":0\r\n"),
        ("SISMEMBER i 07", ":0\r\n", ":0\r\n"),
        ("SMISMEMBER i 5 6 -3 x", "*4\r\n:1\r\n:0\r\n:1\r\n:0\r\n", "*4\r\n:1\r\n:0\r\n:1\r\n:0\r\n"),
        ("SMISMEMBER nokey a b", "*2\r\n:0\r\n:0\r\n", "*2\r\n:0\r\n:0\r\n"),
        ("SISMEMBER nokey a", ":0\r\n", ":0\r\n"),
        ("SCARD nokey", ":0\r\n", ":0\r\n"),
        ("SMEMBERS nokey", "*0\r\n", "~0\r\n"),
        ("SSCAN i 0", "*2\r\n$1\r\n0\r\n*6\r\n$11\r\n-9000000000\r\n$2\r\n-3\r\n$1\r\n5\r\n$1\r\n7\r\n$5\r\n70000\r\n$6\r\n100000\r\n", "*2\r\n$1\r\n0\r\n*6\r\n$11\r\n-9000000000\r\n$2\r\n-3\r\n$1\r\n5\r\n$1\r\n7\r\n$5\r\n70000\r\n$6\r\n100000\r\n"),
        ("SSCAN i 0 match 7*", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\n7\r\n$5\r\n70000\r\n", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\n7\r\n$5\r\n70000\r\n"),
        ("SSCAN i 0 match *0* count 1", "*2\r\n$1\r\n0\r\n*3\r\n$11\r\n-9000000000\r\n$5\r\n70000\r\n$6\r\n100000\r\n", "*2\r\n$1\r\n0\r\n*3\r\n$11\r\n-9000000000\r\n$5\r\n70000\r\n$6\r\n100000\r\n"),
        ("SREM i 70000 zz 07", ":1\r\n", ":1\r\n"),
        ("SMEMBERS i", "*5\r\n$11\r\n-9000000000\r\n$2\r\n-3\r\n$1\r\n5\r\n$1\r\n7\r\n$6\r\n100000\r\n", "~5\r\n$11\r\n-9000000000\r\n$2\r\n-3\r\n$1\r\n5\r\n$1\r\n7\r\n$6\r\n100000\r\n"),
        ("SREM i 5 -3 100000 7 -9000000000", ":5\r\n", ":5\r\n"),
        ("SMEMBERS i", "*0\r\n", "~0\r\n"),
        ("SCARD i", ":0\r\n", ":0\r\n"),
        ("SREM nokey a", ":0\r\n", ":0\r\n"),
        ("SADD m a b 1", ":3\r\n", ":3\r\n"),
        ("@unordered SMEMBERS m", "*3\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\na\r\n", "~3\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\na\r\n"),
        ("SISMEMBER m 1", ":1\r\n", ":1\r\n"),
        ("SISMEMBER m a", ":1\r\n", ":1\r\n"),
        ("@unordered SSCAN m 0", "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\na\r\n", "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\na\r\n"),
        ("SSCAN m 0 match a", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"),
        ("SADD a 1 2 3 4 5", ":5\r\n", ":5\r\n"),
        ("SADD b 4 5 6 7", ":4\r\n", ":4\r\n"),
        ("SADD c 5 9", ":2\r\n", ":2\r\n"),
        ("SINTER a b", "*2\r\n$1\r\n4\r\n$1\r\n5\r\n", "~2\r\n$1\r\n4\r\n$1\r\n5\r\n"),
        ("SINTER a b c", "*1\r\n$1\r\n5\r\n", "~1\r\n$1\r\n5\r\n"),
        ("SINTER a nokey", "*0\r\n", "~0\r\n"),
        ("SINTER nokey str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SINTER str nokey", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SUNION a b c", "*8\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n9\r\n", "~8\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n9\r\n"),
        ("SUNION a nokey", "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", "~5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n"),
        ("SUNION nokey str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SDIFF a b c", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"),
        ("SDIFF b a", "*2\r\n$1\r\n6\r\n$1\r\n7\r\n", "~2\r\n$1\r\n6\r\n$1\r\n7\r\n"),
        ("SDIFF nokey a", "*0\r\n", "~0\r\n"),
        ("SDIFF a str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SDIFF a a", "*0\r\n", "~0\r\n"),
        ("SINTERSTORE d a b", ":2\r\n", ":2\r\n"),
        ("SMEMBERS d", "*2\r\n$1\r\n4\r\n$1\r\n5\r\n", "~2\r\n$1\r\n4\r\n$1\r\n5\r\n"),
        ("SUNIONSTORE d a b c", ":8\r\n", ":8\r\n"),
        ("SMEMBERS d", "*8\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n9\r\n", "~8\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n9\r\n"),
        ("SDIFFSTORE d a b", ":3\r\n", ":3\r\n"),
        ("SMEMBERS d", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"),
        ("SDIFFSTORE d a a", ":0\r\n", ":0\r\n"),
        ("SMEMBERS d", "*0\r\n", "~0\r\n"),
        ("SINTERSTORE str2 a b", ":2\r\n", ":2\r\n"),
        ("SET str3 v", "+OK\r\n", "+OK\r\n"),
        ("SINTERSTORE str3 a b", ":2\r\n", ":2\r\n"),
        ("SMEMBERS str3", "*2\r\n$1\r\n4\r\n$1\r\n5\r\n", "~2\r\n$1\r\n4\r\n$1\r\n5\r\n"),
        ("SUNIONSTORE d2 a str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SINTERSTORE d3 nokey a", ":0\r\n", ":0\r\n"),
        ("SDIFFSTORE b b b", ":0\r\n", ":0\r\n"),
        ("SMEMBERS b", "*0\r\n", "~0\r\n"),
        ("SADD b 4 5 6 7", ":4\r\n", ":4\r\n"),
        ("SINTERCARD 2 a b", ":2\r\n", ":2\r\n"),
        ("SINTERCARD 3 a b c", ":1\r\n", ":1\r\n"),
        ("SINTERCARD 2 a b limit 1", ":1\r\n", ":1\r\n"),
        ("SINTERCARD 2 a b LIMIT 0", ":2\r\n", ":2\r\n"),
        ("SINTERCARD 2 a b limit 10", ":2\r\n", ":2\r\n"),
        ("SINTERCARD 1 nokey", ":0\r\n", ":0\r\n"),
        ("SINTERCARD 0 a", "-ERR numkeys should be greater than 0\r\n", "-ERR numkeys should be greater than 0\r\n"),
        ("SINTERCARD -1 a", "-ERR numkeys should be greater than 0\r\n", "-ERR numkeys should be greater than 0\r\n"),
        ("SINTERCARD x a", "-ERR numkeys should be greater than 0\r\n", "-ERR numkeys should be greater than 0\r\n"),
        ("SINTERCARD 3 a b", "-ERR Number of keys can't be greater than number of args\r\n", "-ERR Number of keys can't be greater than number of args\r\n"),
        ("SINTERCARD 2 a b limit", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("SINTERCARD 2 a b limit -1", "-ERR LIMIT can't be negative\r\n", "-ERR LIMIT can't be negative\r\n"),
        ("SINTERCARD 2 a b limit x", "-ERR LIMIT can't be negative\r\n", "-ERR LIMIT can't be negative\r\n"),
        ("SINTERCARD 2 a b foo 1", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("SINTERCARD 2 a str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SINTERCARD 2 nokey str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SPOP a -1", "-ERR value is out of range, must be positive\r\n", "-ERR value is out of range, must be positive\r\n"),
        ("SPOP a x", "-ERR value is out of range, must be positive\r\n", "-ERR value is out of range, must be positive\r\n"),
        ("SPOP a 1 2", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("SPOP nokey", "$-1\r\n", "_\r\n"),
        ("SPOP nokey 2", "*0\r\n", "~0\r\n"),
        ("SPOP nokey x", "-ERR value is out of range, must be positive\r\n", "-ERR value is out of range, must be positive\r\n"),
        ("SPOP a 0", "*0\r\n", "~0\r\n"),
        ("SRANDMEMBER a x", "-ERR value is not an integer or out of range\r\n", "-ERR value is not an integer or out of range\r\n"),
        ("SRANDMEMBER a 1 2", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("SRANDMEMBER a -9223372036854775808", "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n", "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"),
        ("SRANDMEMBER a 0", "*0\r\n", "*0\r\n"),
        ("SRANDMEMBER nokey", "$-1\r\n", "_\r\n"),
        ("SRANDMEMBER nokey 2", "*0\r\n", "*0\r\n"),
        ("SRANDMEMBER nokey -2", "*0\r\n", "*0\r\n"),
        ("SRANDMEMBER a 5", "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n"),
        ("SRANDMEMBER a 10", "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n"),
        ("SADD one x", ":1\r\n", ":1\r\n"),
        ("SRANDMEMBER one", "$1\r\nx\r\n", "$1\r\nx\r\n"),
        ("SRANDMEMBER one -3", "*3\r\n$1\r\nx\r\n$1\r\nx\r\n$1\r\nx\r\n", "*3\r\n$1\r\nx\r\n$1\r\nx\r\n$1\r\nx\r\n"),
        ("SRANDMEMBER one 1", "*1\r\n$1\r\nx\r\n", "*1\r\n$1\r\nx\r\n"),
        ("SPOP one", "$1\r\nx\r\n", "$1\r\nx\r\n"),
        ("SCARD one", ":0\r\n", ":0\r\n"),
        ("SADD p 3 1 2", ":3\r\n", ":3\r\n"),
        ("SPOP p 3", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"),
        ("SCARD p", ":0\r\n", ":0\r\n"),
        ("SADD p 3 1 2", ":3\r\n", ":3\r\n"),
        ("SPOP p 10", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"),
        ("SMOVE a b 1", ":1\r\n", ":1\r\n"),
        ("SMOVE a b 4", ":1\r\n", ":1\r\n"),
        ("SMOVE a b zz", ":0\r\n", ":0\r\n"),
        ("SMEMBERS a", "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n", "~3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n"),
        ("SMEMBERS b", "*5\r\n$1\r\n1\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n", "~5\r\n$1\r\n1\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n"),
        ("SMOVE a a 2", ":1\r\n", ":1\r\n"),
        ("SMOVE a a zz", ":0\r\n", ":0\r\n"),
        ("SMOVE a z 2", ":1\r\n", ":1\r\n"),
        ("SMEMBERS z", "*1\r\n$1\r\n2\r\n", "~1\r\n$1\r\n2\r\n"),
        ("SMOVE nokey a zz", ":0\r\n", ":0\r\n"),
        ("SMOVE nokey str zz", ":0\r\n", ":0\r\n"),
        ("SMOVE a str 3", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SMOVE str a 3", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("SMOVE z a 2", ":1\r\n", ":1\r\n"),
        ("SCARD z", ":0\r\n", ":0\r\n"),
        ("SMEMBERS a", "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n", "~3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n"),
        ("SSCAN a x", "-ERR invalid cursor\r\n", "-ERR invalid cursor\r\n"),
        ("SSCAN a 0 count 0", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("SSCAN a 0 match", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("SSCAN a 0 foo bar", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("SSCAN nokey 0", "*2\r\n$1\r\n0\r\n*0\r\n", "*2\r\n$1\r\n0\r\n*0\r\n"),
        ("SSCAN a -1", "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n", "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n"),
    ];
}
