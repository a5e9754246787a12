using System.Text;
using Cinnabar.Tests.Support;
using Cinnabar.Types;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// Sorted set commands. The exact-reply cases (SortedSetTests.Generated.cs) were captured from redis-server
/// 7.0.15; the tests here check what a script of replies cannot: encodings, notifications, randomness.
/// </summary>
public partial class SortedSetTests
{
    /// <summary>Runs command/reply pairs on a fresh server, in RESP3 when asked.</summary>
    internal static void Run(bool resp3, params (object[] Args, string Expected)[] steps)
    {
        using var server = new TestServer();
        using var c = server.Connect();
        if (resp3) UseResp3(server, c);
        foreach (var (args, expected) in steps)
        {
            var got = c.Call(args);
            Assert.True(expected == got, $"{string.Join(' ', args)}: expected {Escape(expected)}, got {Escape(got)}");
        }
    }

    /// <summary>Switches the connection to RESP3 (as HELLO 3 does) without depending on HELLO.</summary>
    internal static void UseResp3(TestServer server, RespClient c)
    {
        c.Call("PING");
        server.Server.ClientsSnapshot().Last().Connection!.Writer.Protocol = 3;
    }

    private static string Escape(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n");

    private static ZSet GetZSet(TestServer server, string key) => (ZSet)server.Server.Databases[0].Peek(Encoding.UTF8.GetBytes(key))!;

    [Fact]
    public void EncodingTurnsIntoSkiplistPastTheLimitsAndStaysThere()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("ZADD", "z", "1", "a");
        Assert.Equal("listpack", GetZSet(server, "z").EncodingName);
        c.Call("ZADD", "z", "2", new string('x', 64));
        Assert.Equal("listpack", GetZSet(server, "z").EncodingName);
        c.Call("ZADD", "z", "3", new string('y', 65));
        Assert.Equal("skiplist", GetZSet(server, "z").EncodingName);
        c.Call("ZREM", "z", new string('y', 65));
        Assert.Equal("skiplist", GetZSet(server, "z").EncodingName);
        // A freshly built destination is compact again when it fits.
        Assert.Equal(":2\r\n", c.Call("ZUNIONSTORE", "u", "1", "z"));
        Assert.Equal("listpack", GetZSet(server, "u").EncodingName);
        Assert.Equal(":2\r\n", c.Call("ZRANGESTORE", "r", "z", "0", "-1"));
        Assert.Equal("listpack", GetZSet(server, "r").EncodingName);

        var args = new List<object> { "ZADD", "big" };
        for (int i = 0; i < 128; i++) { args.Add(i); args.Add("m" + i); }
        c.Call(args.ToArray());
        Assert.Equal("listpack", GetZSet(server, "big").EncodingName);
        c.Call("ZADD", "big", "1000", "one-more");
        Assert.Equal("skiplist", GetZSet(server, "big").EncodingName);
        Assert.Equal(":129\r\n", c.Call("ZCARD", "big"));
    }

    [Fact]
    public void ConfiguredLimitsDecideTheEncoding()
    {
        using var server = new TestServer();
        server.Server.Config.ZsetMaxListpackEntries = 2;
        using var c = server.Connect();
        c.Call("ZADD", "z", "1", "a", "2", "b");
        Assert.Equal("listpack", GetZSet(server, "z").EncodingName);
        c.Call("ZADD", "z", "3", "c");
        Assert.Equal("skiplist", GetZSet(server, "z").EncodingName);
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", c.Call("ZRANGE", "z", "0", "-1"));
    }

    [Fact]
    public void SkiplistAndListpackGiveTheSameRepliesForTheSameCommands()
    {
        // The same script against a compact set and against one forced into the skiplist encoding.
        string[][] script =
        [
            ["ZADD", "z", "5", "e", "1", "a", "3", "c", "2", "b", "4", "d", "3", "cc"],
            ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
            ["ZRANGE", "z", "(2", "4", "BYSCORE", "REV", "LIMIT", "1", "2"],
            ["ZRANK", "z", "cc"], ["ZREVRANK", "z", "cc"],
            ["ZCOUNT", "z", "(1", "3"],
            ["ZINCRBY", "z", "10", "a"],
            ["ZRANGE", "z", "-2", "-1", "WITHSCORES"],
            ["ZREMRANGEBYSCORE", "z", "3", "3"],
            ["ZPOPMAX", "z", "2"],
            ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        ];
        List<string> RunScript(int maxEntries)
        {
            using var server = new TestServer();
            server.Server.Config.ZsetMaxListpackEntries = maxEntries;
            using var c = server.Connect();
            return script.Select(cmd => c.Call(cmd)).ToList();
        }
        Assert.Equal(RunScript(128), RunScript(0));
    }

    [Fact]
    public void EmptiedSetsDisappear()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        var db = server.Server.Databases[0];
        foreach (var emptying in new[] { new[] { "ZREM", "z", "a", "b" }, ["ZPOPMIN", "z", "5"], ["ZREMRANGEBYRANK", "z", "0", "-1"],
                     ["ZREMRANGEBYSCORE", "z", "-inf", "+inf"], ["ZMPOP", "1", "z", "MAX", "COUNT", "9"] })
        {
            c.Call("ZADD", "z", "0", "a", "0", "b");
            c.Call(emptying);
            Assert.Null(db.Peek("z"u8));
        }
        c.Call("ZADD", "z", "0", "a", "0", "b");
        c.Call("ZREMRANGEBYLEX", "z", "-", "+");
        Assert.Null(db.Peek("z"u8));
    }

    [Fact]
    public void ChangesRaiseNotificationsAndTouchWatchedKeys()
    {
        using var server = new TestServer();
        var events = server.RecordNotifications();
        var modified = new List<string>();
        server.Server.KeyModified += (_, key) => { lock (modified) modified.Add(Encoding.UTF8.GetString(key)); };
        using var c = server.Connect();
        c.Call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        c.Call("ZADD", "z", "1", "a");            // no change: no event
        c.Call("ZINCRBY", "z", "1", "a");
        c.Call("ZREM", "z", "nosuch");            // no change
        c.Call("ZREM", "z", "a");
        c.Call("ZUNIONSTORE", "u", "1", "z");
        c.Call("ZINTERSTORE", "u", "2", "z", "nokey");
        c.Call("ZRANGESTORE", "r", "z", "0", "0");
        c.Call("ZPOPMIN", "z");
        c.Call("ZREMRANGEBYSCORE", "z", "-inf", "+inf");
        Assert.Equal(new[]
        {
            "z:zadd:z", "z:zincr:z", "z:zrem:z", "z:zunionstore:u", "g:del:u", "z:zrangestore:r",
            "z:zpopmin:z", "z:zremrangebyscore:z", "g:del:z",
        }, events);
        Assert.Equal(new[] { "z", "z", "z", "u", "u", "r", "z", "z" }, modified);
    }

    [Fact]
    public void RandomMembersHaveRedisShapes()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        var one = c.Call("ZRANDMEMBER", "z");
        Assert.Contains(one, new[] { "$1\r\na\r\n", "$1\r\nb\r\n", "$1\r\nc\r\n" });
        // Distinct picks when positive, repeats allowed when negative, whole set when count >= size.
        var distinct = c.Call("ZRANDMEMBER", "z", "2");
        Assert.StartsWith("*2\r\n", distinct);
        Assert.Equal(2, new[] { "a", "b", "c" }.Count(m => distinct.Contains($"\r\n{m}\r\n")));
        Assert.StartsWith("*7\r\n", c.Call("ZRANDMEMBER", "z", "-7"));
        Assert.StartsWith("*14\r\n", c.Call("ZRANDMEMBER", "z", "-7", "WITHSCORES"));
        var all = c.Call("ZRANDMEMBER", "z", "10", "WITHSCORES");
        Assert.StartsWith("*6\r\n", all);
        Assert.Contains("$1\r\nb\r\n$1\r\n2\r\n", all);
        UseResp3(server, c);
        Assert.StartsWith("*3\r\n*2\r\n$1\r\n", c.Call("ZRANDMEMBER", "z", "-3", "WITHSCORES"));
    }

    [Fact]
    public void ScanOfALargeSetVisitsEveryMemberOnce()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        var args = new List<object> { "ZADD", "z" };
        for (int i = 0; i < 500; i++) { args.Add(i); args.Add("m" + i); }
        c.Call(args.ToArray());
        var seen = new HashSet<string>();
        string cursor = "0";
        int rounds = 0;
        do
        {
            var reply = c.Call("ZSCAN", "z", cursor, "COUNT", "37");
            var lines = reply.Split("\r\n");
            cursor = lines[2];
            for (int i = 4; i + 3 < lines.Length; i += 4) Assert.True(seen.Add(lines[i + 1]));
            rounds++;
        } while (cursor != "0");
        Assert.Equal(500, seen.Count);
        Assert.True(rounds > 1);
    }

    [Fact]
    public void RankWithScoreFollowsRedis72()
    {
        // WITHSCORE arrived in Redis 7.2 (7.0 answers with an arity error); the shape follows the 7.2 docs.
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("ZADD", "z", "1.5", "a", "2", "b");
        Assert.Equal("*2\r\n:1\r\n$1\r\n2\r\n", c.Call("ZRANK", "z", "b", "WITHSCORE"));
        Assert.Equal("*2\r\n:1\r\n$3\r\n1.5\r\n", c.Call("ZREVRANK", "z", "a", "withscore"));
        Assert.Equal("*-1\r\n", c.Call("ZRANK", "z", "nosuch", "WITHSCORE"));
        // Other extra arguments keep 7.0's arity error (checked on redis 7.0.15).
        Assert.Equal("-ERR wrong number of arguments for 'zrank' command\r\n", c.Call("ZRANK", "z", "a", "WITHSCORES"));
        Assert.Equal("-ERR wrong number of arguments for 'zrank' command\r\n", c.Call("ZRANK", "z", "a", "WITHSCORE", "x"));
        UseResp3(server, c);
        Assert.Equal("*2\r\n:0\r\n,1.5\r\n", c.Call("ZRANK", "z", "a", "WITHSCORE"));
        Assert.Equal("_\r\n", c.Call("ZRANK", "z", "nosuch", "WITHSCORE"));
    }

    [Fact]
    public async Task StackExchangeRedisSortedSetRoundTrip()
    {
        using var server = new TestServer();
        await using var mux = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",abortConnect=false,connectTimeout=5000");
        var db = mux.GetDatabase();
        await db.SortedSetAddAsync("board", [new("ann", 10), new("bob", 7.5), new("cy", 12)]);
        var top = await db.SortedSetRangeByRankWithScoresAsync("board", 0, -1, StackExchange.Redis.Order.Descending);
        Assert.Equal(new[] { "cy", "ann", "bob" }, top.Select(e => (string)e.Element!));
        Assert.Equal(7.5, top[2].Score);
        Assert.Equal(13.5, await db.SortedSetIncrementAsync("board", "bob", 6));
        Assert.Equal(0, await db.SortedSetRankAsync("board", "ann"));
    }
}
