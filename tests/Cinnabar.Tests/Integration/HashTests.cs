using Cinnabar.Tests.Support;
using Cinnabar.Types;

namespace Cinnabar.Tests.Integration;

public class HashTests
{
    [Fact]
    public void RepliesMatchRedisResp2() { using var server = new TestServer(); ReplyScript.Run(server, HashScript, 2); }

    [Fact]
    public void RepliesMatchRedisResp3() { using var server = new TestServer(); ReplyScript.Run(server, HashScript, 3); }

    private static object? Value(TestServer server, string key)
    {
        lock (server.Server.Gate) return server.Server.Databases[0].Get(System.Text.Encoding.UTF8.GetBytes(key));
    }

    private static string Encoding(TestServer server, string key) => ((RedisHash)Value(server, key)!).EncodingName;

    [Fact]
    public void EncodingConvertsAtRedisThresholds()
    {
        // Sequences and results checked with OBJECT ENCODING on redis-server 7.0.15 started with the
        // thresholds of the redis.conf it ships (its built-in hash default is 512 entries).
        using var server = new TestServer("--hash-max-listpack-entries", "128");
        using var c = server.Connect();
        c.Call("HSET", "h1", "f", new string('a', 64));
        Assert.Equal("listpack", Encoding(server, "h1"));
        c.Call("HSET", "h2", "f", new string('a', 65));
        Assert.Equal("hashtable", Encoding(server, "h2"));
        c.Call("HSET", "h3", new string('a', 65), "v");
        Assert.Equal("hashtable", Encoding(server, "h3"));
        var args = new List<object> { "HSET", "h4" };
        for (int i = 1; i <= 128; i++) { args.Add("f" + i); args.Add("v"); }
        Assert.Equal(":128\r\n", c.Call(args.ToArray()));
        Assert.Equal("listpack", Encoding(server, "h4"));
        c.Call("HSET", "h4", "f129", "v");
        Assert.Equal("hashtable", Encoding(server, "h4"));
        c.Call("HDEL", "h4", "f129", "f1", "f2");
        Assert.Equal("hashtable", Encoding(server, "h4")); // one-way, as Redis

        // Duplicate fields do not count: 7.0 has no pre-sizing by argument count.
        args = ["HSET", "h5"];
        for (int i = 0; i < 130; i++) { args.Add("f"); args.Add(i.ToString()); }
        Assert.Equal(":1\r\n", c.Call(args.ToArray()));
        Assert.Equal("listpack", Encoding(server, "h5"));

        // HSETNX and HINCRBYFLOAT results longer than the limit convert too.
        c.Call("HSET", "h6", "f", "1");
        c.Call("HSETNX", "h6", "g", new string('a', 70));
        Assert.Equal("hashtable", Encoding(server, "h6"));
        c.Call("HSET", "h7", "f", "1");
        c.Call("HINCRBYFLOAT", "h7", "f", "1e300");
        Assert.Equal("hashtable", Encoding(server, "h7"));
        c.Call("HSET", "h8", "f", "1");
        c.Call("HINCRBY", "h8", "f", "9223372036854775806");
        Assert.Equal("listpack", Encoding(server, "h8"));
    }

    [Fact]
    public void ThresholdsComeFromConfig()
    {
        using var server = new TestServer();
        server.Server.Config.HashMaxListpackEntries = 2;
        using var c = server.Connect();
        c.Call("HSET", "h", "a", "1", "b", "2");
        Assert.Equal("listpack", Encoding(server, "h"));
        c.Call("HSET", "h", "c", "3");
        Assert.Equal("hashtable", Encoding(server, "h"));
    }

    [Fact]
    public void LastFieldRemovedDeletesKey()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("HSET", "h", "a", "1", "b", "2");
        Assert.Equal(":2\r\n", c.Call("HDEL", "h", "a", "b", "c"));
        Assert.Null(Value(server, "h"));
        Assert.Equal("*0\r\n", c.Call("HGETALL", "h"));
    }

    [Fact]
    public void LargeHashReadsAndScansEveryField()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        var args = new List<object> { "HSET", "big" };
        for (int i = 0; i < 1000; i++) { args.Add("field:" + i); args.Add("value:" + i); }
        Assert.Equal(":1000\r\n", c.Call(args.ToArray()));
        Assert.Equal("hashtable", Encoding(server, "big"));
        Assert.Equal(":1000\r\n", c.Call("HLEN", "big"));
        Assert.Equal("$9\r\nvalue:777\r\n", c.Call("HGET", "big", "field:777"));
        Assert.Equal(":1\r\n", c.Call("HDEL", "big", "field:5"));

        // A full HSCAN returns each remaining field exactly once, in pages of about COUNT.
        var seen = new Dictionary<string, string>();
        string cursor = "0";
        int calls = 0;
        do
        {
            var reply = c.Call("HSCAN", "big", cursor, "COUNT", "50");
            var lines = reply.Split("\r\n");
            cursor = lines[2];
            int n = int.Parse(lines[3][1..]) / 2;
            Assert.InRange(n, 0, 50);
            for (int i = 0; i < n; i++) Assert.True(seen.TryAdd(lines[5 + i * 4], lines[7 + i * 4]));
            calls++;
        } while (cursor != "0");
        Assert.Equal(999, seen.Count);
        Assert.True(calls > 10);
        Assert.Equal("value:10", seen["field:10"]);

        var matched = c.Call("HSCAN", "big", "0", "MATCH", "field:99*", "COUNT", "100000");
        Assert.StartsWith("*2\r\n$1\r\n0\r\n*22\r\n", matched); // field:99 and field:990..999
    }

    [Fact]
    public void RandomFieldsHaveRedisProperties()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
        var all = new HashSet<string> { "a", "b", "c", "d", "e" };
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < 500; i++)
        {
            var f = c.Call("HRANDFIELD", "h").Split("\r\n")[1];
            Assert.Contains(f, all);
            counts[f] = counts.GetValueOrDefault(f) + 1;
        }
        Assert.Equal(5, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 50, 150));

        // Positive count: distinct fields; negative: exactly |count|, repeats allowed.
        var distinct = c.Call("HRANDFIELD", "h", "3").Split("\r\n");
        Assert.Equal("*3", distinct[0]);
        Assert.Equal(3, new[] { distinct[2], distinct[4], distinct[6] }.Distinct().Count());
        var repeated = c.Call("HRANDFIELD", "h", "-20").Split("\r\n");
        Assert.Equal("*20", repeated[0]);
        var pairs = c.Call("HRANDFIELD", "h", "-4", "WITHVALUES").Split("\r\n");
        Assert.Equal("*8", pairs[0]);
        for (int i = 0; i < 4; i++) Assert.Equal((pairs[2 + i * 4][0] - 'a' + 1).ToString(), pairs[4 + i * 4]);

        ReplyScript.UseResp3(server, c);
        var resp3 = c.Call("HRANDFIELD", "h", "2", "WITHVALUES").Split("\r\n");
        Assert.Equal("*2", resp3[0]);
        Assert.Equal("*2", resp3[1]);
        Assert.Equal("*2", resp3[6]);
    }

    [Fact]
    public void NotificationsAndModifiedKeys()
    {
        using var server = new TestServer();
        var events = new List<string>();
        server.Server.Notification += (type, name, db, key) => events.Add($"{type}:{name}:{System.Text.Encoding.UTF8.GetString(key)}");
        using var c = server.Connect();
        c.Call("HSET", "h", "a", "1");
        c.Call("HSETNX", "h", "a", "2");
        c.Call("HINCRBY", "h", "n", "1");
        c.Call("HINCRBYFLOAT", "h", "n", "1.5");
        c.Call("HDEL", "h", "zz");
        c.Call("HDEL", "h", "a", "n");
        Assert.Equal(["h:hset:h", "h:hincrby:h", "h:hincrbyfloat:h", "h:hdel:h", "g:del:h"], events);
    }

    // Generated from redis-server 7.0.15 (RESP2 and RESP3 replies of the same script run from an empty database).
    internal static readonly (string Command, string Resp2, string Resp3)[] HashScript =
    [
        ("SET str v", "+OK\r\n", "+OK\r\n"),
        ("HSET h", "-ERR wrong number of arguments for 'hset' command\r\n", "-ERR wrong number of arguments for 'hset' command\r\n"),
        ("HSET h f", "-ERR wrong number of arguments for 'hset' command\r\n", "-ERR wrong number of arguments for 'hset' command\r\n"),
        ("HSET h f v g", "-ERR wrong number of arguments for 'hset' command\r\n", "-ERR wrong number of arguments for 'hset' command\r\n"),
        ("HMSET h f v g", "-ERR wrong number of arguments for 'hmset' command\r\n", "-ERR wrong number of arguments for 'hmset' command\r\n"),
        ("HSETNX str f v", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HSET str f v", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HGET str f", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HGETALL str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HLEN str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HDEL str f", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HINCRBY str f 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HRANDFIELD str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HSCAN str 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HEXISTS str f", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HSTRLEN str f", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HMGET str f", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HKEYS str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HVALS str", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("HSET h f v n 10 big 9223372036854775807 fl 1.5", ":4\r\n", ":4\r\n"),
        ("HSET h f v2 new x", ":1\r\n", ":1\r\n"),
        ("HGET h f", "$2\r\nv2\r\n", "$2\r\nv2\r\n"),
        ("HGET h nofield", "$-1\r\n", "_\r\n"),
        ("HGET nokey f", "$-1\r\n", "_\r\n"),
        ("HMGET h f n zz", "*3\r\n$2\r\nv2\r\n$2\r\n10\r\n$-1\r\n", "*3\r\n$2\r\nv2\r\n$2\r\n10\r\n_\r\n"),
        ("HMGET nokey a b", "*2\r\n$-1\r\n$-1\r\n", "*2\r\n_\r\n_\r\n"),
        ("HGETALL h", "*10\r\n$1\r\nf\r\n$2\r\nv2\r\n$1\r\nn\r\n$2\r\n10\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$2\r\nfl\r\n$3\r\n1.5\r\n$3\r\nnew\r\n$1\r\nx\r\n", "%5\r\n$1\r\nf\r\n$2\r\nv2\r\n$1\r\nn\r\n$2\r\n10\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$2\r\nfl\r\n$3\r\n1.5\r\n$3\r\nnew\r\n$1\r\nx\r\n"),
        ("HGETALL nokey", "*0\r\n", "%0\r\n"),
        ("HKEYS h", "*5\r\n$1\r\nf\r\n$1\r\nn\r\n$3\r\nbig\r\n$2\r\nfl\r\n$3\r\nnew\r\n", "*5\r\n$1\r\nf\r\n$1\r\nn\r\n$3\r\nbig\r\n$2\r\nfl\r\n$3\r\nnew\r\n"),
        ("HVALS h", "*5\r\n$2\r\nv2\r\n$2\r\n10\r\n$19\r\n9223372036854775807\r\n$3\r\n1.5\r\n$1\r\nx\r\n", "*5\r\n$2\r\nv2\r\n$2\r\n10\r\n$19\r\n9223372036854775807\r\n$3\r\n1.5\r\n$1\r\nx\r\n"),
        ("HKEYS nokey", "*0\r\n", "*0\r\n"),
        ("HLEN h", ":5\r\n", ":5\r\n"),
        ("HLEN nokey", ":0\r\n", ":0\r\n"),
        ("HEXISTS h f", ":1\r\n", ":1\r\n"),
        ("HEXISTS h zz", ":0\r\n", ":0\r\n"),
        ("HEXISTS nokey zz", ":0\r\n", ":0\r\n"),
        ("HSTRLEN h n", ":2\r\n", ":2\r\n"),
        ("HSTRLEN h big", ":19\r\n", ":19\r\n"),
        ("HSTRLEN h zz", ":0\r\n", ":0\r\n"),
        ("HSTRLEN nokey f", ":0\r\n", ":0\r\n"),
        ("HSETNX h f other", ":0\r\n", ":0\r\n"),
        ("HSETNX h g other", ":1\r\n", ":1\r\n"),
        ("HMSET h a b c d", "+OK\r\n", "+OK\r\n"),
        ("HGETALL h", "*16\r\n$1\r\nf\r\n$2\r\nv2\r\n$1\r\nn\r\n$2\r\n10\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$2\r\nfl\r\n$3\r\n1.5\r\n$3\r\nnew\r\n$1\r\nx\r\n$1\r\ng\r\n$5\r\nother\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", "%8\r\n$1\r\nf\r\n$2\r\nv2\r\n$1\r\nn\r\n$2\r\n10\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$2\r\nfl\r\n$3\r\n1.5\r\n$3\r\nnew\r\n$1\r\nx\r\n$1\r\ng\r\n$5\r\nother\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
        ("HSET ints 1 2 -5 -6 007 8 +1 x 0 -0 9223372036854775808 -9223372036854775808 a 127 b 128 c 32768 d -2147483649", ":10\r\n", ":10\r\n"),
        ("HGETALL ints", "*20\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n-5\r\n$2\r\n-6\r\n$3\r\n007\r\n$1\r\n8\r\n$2\r\n+1\r\n$1\r\nx\r\n$1\r\n0\r\n$2\r\n-0\r\n$19\r\n9223372036854775808\r\n$20\r\n-9223372036854775808\r\n$1\r\na\r\n$3\r\n127\r\n$1\r\nb\r\n$3\r\n128\r\n$1\r\nc\r\n$5\r\n32768\r\n$1\r\nd\r\n$11\r\n-2147483649\r\n", "%10\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n-5\r\n$2\r\n-6\r\n$3\r\n007\r\n$1\r\n8\r\n$2\r\n+1\r\n$1\r\nx\r\n$1\r\n0\r\n$2\r\n-0\r\n$19\r\n9223372036854775808\r\n$20\r\n-9223372036854775808\r\n$1\r\na\r\n$3\r\n127\r\n$1\r\nb\r\n$3\r\n128\r\n$1\r\nc\r\n$5\r\n32768\r\n$1\r\nd\r\n$11\r\n-2147483649\r\n"),
        ("HGET ints 007", "$1\r\n8\r\n", "$1\r\n8\r\n"),
        ("HGET ints 1", "$1\r\n2\r\n", "$1\r\n2\r\n"),
        ("HSTRLEN ints -0", ":0\r\n", ":0\r\n"),
        ("HINCRBY h f x", "-ERR value is not an integer or out of range\r\n", "-ERR value is not an integer or out of range\r\n"),
        ("HINCRBY h f 1.5", "-ERR value is not an integer or out of range\r\n", "-ERR value is not an integer or out of range\r\n"),
        ("HINCRBY h f 1", "-ERR hash value is not an integer\r\n", "-ERR hash value is not an integer\r\n"),
        ("HINCRBY h big 1", "-ERR increment or decrement would overflow\r\n", "-ERR increment or decrement would overflow\r\n"),
        ("HINCRBY h n -15", ":-5\r\n", ":-5\r\n"),
        ("HINCRBY h fresh 7", ":7\r\n", ":7\r\n"),
        ("HINCRBY h fl 1", "-ERR hash value is not an integer\r\n", "-ERR hash value is not an integer\r\n"),
        ("HINCRBY ints -9223372036854775808 -1", ":-1\r\n", ":-1\r\n"),
        ("HINCRBY ints -5 9223372036854775807", ":9223372036854775801\r\n", ":9223372036854775801\r\n"),
        ("HINCRBY ints 007 1", ":9\r\n", ":9\r\n"),
        ("HINCRBY nokeyi f -3", ":-3\r\n", ":-3\r\n"),
        ("HGETALL nokeyi", "*2\r\n$1\r\nf\r\n$2\r\n-3\r\n", "%1\r\n$1\r\nf\r\n$2\r\n-3\r\n"),
        ("HINCRBYFLOAT h f abc", "-ERR value is not a valid float\r\n", "-ERR value is not a valid float\r\n"),
        ("HINCRBYFLOAT h f nan", "-ERR value is not a valid float\r\n", "-ERR value is not a valid float\r\n"),
        ("HINCRBYFLOAT h f inf", "-ERR value is NaN or Infinity\r\n", "-ERR value is NaN or Infinity\r\n"),
        ("HINCRBYFLOAT h f -inf", "-ERR value is NaN or Infinity\r\n", "-ERR value is NaN or Infinity\r\n"),
        ("HINCRBYFLOAT h f 1", "-ERR hash value is not a float\r\n", "-ERR hash value is not a float\r\n"),
        ("HINCRBYFLOAT h fl 1", "$3\r\n2.5\r\n", "$3\r\n2.5\r\n"),
        ("HINCRBYFLOAT h fl 0.1", "$3\r\n2.6\r\n", "$3\r\n2.6\r\n"),
        ("HINCRBYFLOAT h n 1.1", "$4\r\n-3.9\r\n", "$4\r\n-3.9\r\n"),
        ("HINCRBYFLOAT h x 3.0", "$1\r\n3\r\n", "$1\r\n3\r\n"),
        ("HINCRBYFLOAT h x 0.1", "$3\r\n3.1\r\n", "$3\r\n3.1\r\n"),
        ("HINCRBYFLOAT h x -3.2", "$4\r\n-0.1\r\n", "$4\r\n-0.1\r\n"),
        ("HINCRBYFLOAT h y 10.5", "$4\r\n10.5\r\n", "$4\r\n10.5\r\n"),
        ("HINCRBYFLOAT h y -10.5", "$1\r\n0\r\n", "$1\r\n0\r\n"),
        ("HINCRBYFLOAT h z 1e-20", "$1\r\n0\r\n", "$1\r\n0\r\n"),
        ("HINCRBYFLOAT h z -1e-20", "$1\r\n0\r\n", "$1\r\n0\r\n"),
        ("HINCRBYFLOAT h w 5.0e3", "$4\r\n5000\r\n", "$4\r\n5000\r\n"),
        ("HINCRBYFLOAT h w 2.5e-3", "$22\r\n5000.00249999999999995\r\n", "$22\r\n5000.00249999999999995\r\n"),
        ("HINCRBYFLOAT h v 1.23456789012345678", "$19\r\n1.23456789012345678\r\n", "$19\r\n1.23456789012345678\r\n"),
        ("HINCRBYFLOAT h u 0.1", "$3\r\n0.1\r\n", "$3\r\n0.1\r\n"),
        ("HINCRBYFLOAT h u 0.2", "$3\r\n0.3\r\n", "$3\r\n0.3\r\n"),
        ("HINCRBYFLOAT h t 9223372036854775807", "$19\r\n9223372036854775807\r\n", "$19\r\n9223372036854775807\r\n"),
        ("HINCRBYFLOAT h t 1", "$19\r\n9223372036854775808\r\n", "$19\r\n9223372036854775808\r\n"),
        ("HINCRBYFLOAT h s .5", "$3\r\n0.5\r\n", "$3\r\n0.5\r\n"),
        ("HINCRBYFLOAT h s 5.", "$3\r\n5.5\r\n", "$3\r\n5.5\r\n"),
        ("HINCRBYFLOAT h r 1e5", "$6\r\n100000\r\n", "$6\r\n100000\r\n"),
        ("HINCRBYFLOAT h r \" 1\"", "-ERR value is not a valid float\r\n", "-ERR value is not a valid float\r\n"),
        ("HINCRBYFLOAT h r \"1 \"", "-ERR value is not a valid float\r\n", "-ERR value is not a valid float\r\n"),
        ("HINCRBYFLOAT h q -0.0", "$1\r\n0\r\n", "$1\r\n0\r\n"),
        ("HINCRBYFLOAT h p 123456789.123456789", "$27\r\n123456789.12345678899873747\r\n", "$27\r\n123456789.12345678899873747\r\n"),
        ("HINCRBYFLOAT h o 1e30", "$31\r\n1000000000000000000024696061952\r\n", "$31\r\n1000000000000000000024696061952\r\n"),
        ("HINCRBYFLOAT hbig m 3.33333333333333333333", "$19\r\n3.33333333333333333\r\n", "$19\r\n3.33333333333333333\r\n"),
        ("HINCRBYFLOAT hbig m 1e400", "$401\r\n10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880\r\n", "$401\r\n10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880\r\n"),
        ("HINCRBYFLOAT h l 7e-17", "$19\r\n0.00000000000000007\r\n", "$19\r\n0.00000000000000007\r\n"),
        ("HINCRBYFLOAT h k 1.5E+2", "$3\r\n150\r\n", "$3\r\n150\r\n"),
        ("HGETALL hbig", "*2\r\n$1\r\nm\r\n$401\r\n10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880\r\n", "%1\r\n$1\r\nm\r\n$401\r\n10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880\r\n"),
        ("HGETALL h", "*46\r\n$1\r\nf\r\n$2\r\nv2\r\n$1\r\nn\r\n$4\r\n-3.9\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$2\r\nfl\r\n$3\r\n2.6\r\n$3\r\nnew\r\n$1\r\nx\r\n$1\r\ng\r\n$5\r\nother\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$5\r\nfresh\r\n$1\r\n7\r\n$1\r\nx\r\n$4\r\n-0.1\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\nw\r\n$22\r\n5000.00249999999999995\r\n$1\r\nv\r\n$19\r\n1.23456789012345678\r\n$1\r\nu\r\n$3\r\n0.3\r\n$1\r\nt\r\n$19\r\n9223372036854775808\r\n$1\r\ns\r\n$3\r\n5.5\r\n$1\r\nr\r\n$6\r\n100000\r\n$1\r\nq\r\n$1\r\n0\r\n$1\r\np\r\n$27\r\n123456789.12345678899873747\r\n$1\r\no\r\n$31\r\n1000000000000000000024696061952\r\n$1\r\nl\r\n$19\r\n0.00000000000000007\r\n$1\r\nk\r\n$3\r\n150\r\n", "%23\r\n$1\r\nf\r\n$2\r\nv2\r\n$1\r\nn\r\n$4\r\n-3.9\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$2\r\nfl\r\n$3\r\n2.6\r\n$3\r\nnew\r\n$1\r\nx\r\n$1\r\ng\r\n$5\r\nother\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$5\r\nfresh\r\n$1\r\n7\r\n$1\r\nx\r\n$4\r\n-0.1\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\nw\r\n$22\r\n5000.00249999999999995\r\n$1\r\nv\r\n$19\r\n1.23456789012345678\r\n$1\r\nu\r\n$3\r\n0.3\r\n$1\r\nt\r\n$19\r\n9223372036854775808\r\n$1\r\ns\r\n$3\r\n5.5\r\n$1\r\nr\r\n$6\r\n100000\r\n$1\r\nq\r\n$1\r\n0\r\n$1\r\np\r\n$27\r\n123456789.12345678899873747\r\n$1\r\no\r\n$31\r\n1000000000000000000024696061952\r\n$1\r\nl\r\n$19\r\n0.00000000000000007\r\n$1\r\nk\r\n$3\r\n150\r\n"),
        ("HDEL h f n zz", ":2\r\n", ":2\r\n"),
        ("HDEL h f", ":0\r\n", ":0\r\n"),
        ("HDEL nokey a", ":0\r\n", ":0\r\n"),
        ("HLEN h", ":21\r\n", ":21\r\n"),
        ("HDEL ints 1 -5 007 +1 0 -0 9223372036854775808 -9223372036854775808 a b c d", ":11\r\n", ":11\r\n"),
        ("HLEN ints", ":0\r\n", ":0\r\n"),
        ("HGETALL ints", "*0\r\n", "%0\r\n"),
        ("HEXISTS ints 1", ":0\r\n", ":0\r\n"),
        ("HRANDFIELD h x", "-ERR value is not an integer or out of range\r\n", "-ERR value is not an integer or out of range\r\n"),
        ("HRANDFIELD h 1 withvalue", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("HRANDFIELD h 1 withvalues x", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("HRANDFIELD nokey", "$-1\r\n", "_\r\n"),
        ("HRANDFIELD nokey 3", "*0\r\n", "*0\r\n"),
        ("HRANDFIELD nokey -3 withvalues", "*0\r\n", "*0\r\n"),
        ("HRANDFIELD nokey x", "-ERR value is not an integer or out of range\r\n", "-ERR value is not an integer or out of range\r\n"),
        ("HRANDFIELD h 0", "*0\r\n", "*0\r\n"),
        ("HRANDFIELD h 0 withvalues", "*0\r\n", "*0\r\n"),
        ("HRANDFIELD h -9223372036854775808", "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n", "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"),
        ("HRANDFIELD h -4611686018427387904 withvalues", "-ERR value is out of range\r\n", "-ERR value is out of range\r\n"),
        ("HRANDFIELD h 4611686018427387904 withvalues", "-ERR value is out of range\r\n", "-ERR value is out of range\r\n"),
        ("HSET one a 1", ":1\r\n", ":1\r\n"),
        ("HRANDFIELD one", "$1\r\na\r\n", "$1\r\na\r\n"),
        ("HRANDFIELD one 1", "*1\r\n$1\r\na\r\n", "*1\r\n$1\r\na\r\n"),
        ("HRANDFIELD one 5", "*1\r\n$1\r\na\r\n", "*1\r\n$1\r\na\r\n"),
        ("HRANDFIELD one -3", "*3\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n", "*3\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n"),
        ("HRANDFIELD one 1 withvalues", "*2\r\n$1\r\na\r\n$1\r\n1\r\n", "*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
        ("HRANDFIELD one 5 WITHVALUES", "*2\r\n$1\r\na\r\n$1\r\n1\r\n", "*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
        ("HRANDFIELD one -2 withvalues", "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n", "*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
        ("HSCAN h x", "-ERR invalid cursor\r\n", "-ERR invalid cursor\r\n"),
        ("HSCAN h 0 count 0", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("HSCAN h 0 count -1", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("HSCAN h 0 count x", "-ERR value is not an integer or out of range\r\n", "-ERR value is not an integer or out of range\r\n"),
        ("HSCAN h 0 match", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("HSCAN h 0 foo 1", "-ERR syntax error\r\n", "-ERR syntax error\r\n"),
        ("HSCAN nokey 0", "*2\r\n$1\r\n0\r\n*0\r\n", "*2\r\n$1\r\n0\r\n*0\r\n"),
        ("HSCAN nokey 0 count 0", "*2\r\n$1\r\n0\r\n*0\r\n", "*2\r\n$1\r\n0\r\n*0\r\n"),
        ("HSCAN one 0", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
        ("HSCAN one 18446744073709551615", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
        ("HSCAN one 18446744073709551616", "-ERR invalid cursor\r\n", "-ERR invalid cursor\r\n"),
        ("HSCAN one -1", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
        ("HSCAN one \"\"", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
        ("HSCAN one +0", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
        ("HSCAN one \" 0\"", "-ERR invalid cursor\r\n", "-ERR invalid cursor\r\n"),
        ("HSCAN one 0 MATCH a COUNT 5 match b", "*2\r\n$1\r\n0\r\n*0\r\n", "*2\r\n$1\r\n0\r\n*0\r\n"),
        ("HSCAN h 0 match [a-c]*", "*2\r\n$1\r\n0\r\n*6\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", "*2\r\n$1\r\n0\r\n*6\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
        ("HSCAN h 0 match *", "*2\r\n$1\r\n0\r\n*42\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$2\r\nfl\r\n$3\r\n2.6\r\n$3\r\nnew\r\n$1\r\nx\r\n$1\r\ng\r\n$5\r\nother\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$5\r\nfresh\r\n$1\r\n7\r\n$1\r\nx\r\n$4\r\n-0.1\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\nw\r\n$22\r\n5000.00249999999999995\r\n$1\r\nv\r\n$19\r\n1.23456789012345678\r\n$1\r\nu\r\n$3\r\n0.3\r\n$1\r\nt\r\n$19\r\n9223372036854775808\r\n$1\r\ns\r\n$3\r\n5.5\r\n$1\r\nr\r\n$6\r\n100000\r\n$1\r\nq\r\n$1\r\n0\r\n$1\r\np\r\n$27\r\n123456789.12345678899873747\r\n$1\r\no\r\n$31\r\n1000000000000000000024696061952\r\n$1\r\nl\r\n$19\r\n0.00000000000000007\r\n$1\r\nk\r\n$3\r\n150\r\n", "*2\r\n$1\r\n0\r\n*42\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$2\r\nfl\r\n$3\r\n2.6\r\n$3\r\nnew\r\n$1\r\nx\r\n$1\r\ng\r\n$5\r\nother\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$5\r\nfresh\r\n$1\r\n7\r\n$1\r\nx\r\n$4\r\n-0.1\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\nw\r\n$22\r\n5000.00249999999999995\r\n$1\r\nv\r\n$19\r\n1.23456789012345678\r\n$1\r\nu\r\n$3\r\n0.3\r\n$1\r\nt\r\n$19\r\n9223372036854775808\r\n$1\r\ns\r\n$3\r\n5.5\r\n$1\r\nr\r\n$6\r\n100000\r\n$1\r\nq\r\n$1\r\n0\r\n$1\r\np\r\n$27\r\n123456789.12345678899873747\r\n$1\r\no\r\n$31\r\n1000000000000000000024696061952\r\n$1\r\nl\r\n$19\r\n0.00000000000000007\r\n$1\r\nk\r\n$3\r\n150\r\n"),
        ("HSCAN h 0 match ?", "*2\r\n$1\r\n0\r\n*34\r\n$1\r\ng\r\n$5\r\nother\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\nx\r\n$4\r\n-0.1\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\nw\r\n$22\r\n5000.00249999999999995\r\n$1\r\nv\r\n$19\r\n1.23456789012345678\r\n$1\r\nu\r\n$3\r\n0.3\r\n$1\r\nt\r\n$19\r\n9223372036854775808\r\n$1\r\ns\r\n$3\r\n5.5\r\n$1\r\nr\r\n$6\r\n100000\r\n$1\r\nq\r\n$1\r\n0\r\n$1\r\np\r\n$27\r\n123456789.12345678899873747\r\n$1\r\no\r\n$31\r\n1000000000000000000024696061952\r\n$1\r\nl\r\n$19\r\n0.00000000000000007\r\n$1\r\nk\r\n$3\r\n150\r\n", "*2\r\n$1\r\n0\r\n*34\r\n$1\r\ng\r\n$5\r\nother\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\nx\r\n$4\r\n-0.1\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\nw\r\n$22\r\n5000.00249999999999995\r\n$1\r\nv\r\n$19\r\n1.23456789012345678\r\n$1\r\nu\r\n$3\r\n0.3\r\n$1\r\nt\r\n$19\r\n9223372036854775808\r\n$1\r\ns\r\n$3\r\n5.5\r\n$1\r\nr\r\n$6\r\n100000\r\n$1\r\nq\r\n$1\r\n0\r\n$1\r\np\r\n$27\r\n123456789.12345678899873747\r\n$1\r\no\r\n$31\r\n1000000000000000000024696061952\r\n$1\r\nl\r\n$19\r\n0.00000000000000007\r\n$1\r\nk\r\n$3\r\n150\r\n"),
        ("HSCAN h 0 COUNT 1", "*2\r\n$1\r\n0\r\n*42\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$2\r\nfl\r\n$3\r\n2.6\r\n$3\r\nnew\r\n$1\r\nx\r\n$1\r\ng\r\n$5\r\nother\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$5\r\nfresh\r\n$1\r\n7\r\n$1\r\nx\r\n$4\r\n-0.1\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\nw\r\n$22\r\n5000.00249999999999995\r\n$1\r\nv\r\n$19\r\n1.23456789012345678\r\n$1\r\nu\r\n$3\r\n0.3\r\n$1\r\nt\r\n$19\r\n9223372036854775808\r\n$1\r\ns\r\n$3\r\n5.5\r\n$1\r\nr\r\n$6\r\n100000\r\n$1\r\nq\r\n$1\r\n0\r\n$1\r\np\r\n$27\r\n123456789.12345678899873747\r\n$1\r\no\r\n$31\r\n1000000000000000000024696061952\r\n$1\r\nl\r\n$19\r\n0.00000000000000007\r\n$1\r\nk\r\n$3\r\n150\r\n", "*2\r\n$1\r\n0\r\n*42\r\n$3\r\nbig\r\n$19\r\n9223372036854775807\r\n$2\r\nfl\r\n$3\r\n2.6\r\n$3\r\nnew\r\n$1\r\nx\r\n$1\r\ng\r\n$5\r\nother\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$5\r\nfresh\r\n$1\r\n7\r\n$1\r\nx\r\n$4\r\n-0.1\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\nw\r\n$22\r\n5000.00249999999999995\r\n$1\r\nv\r\n$19\r\n1.23456789012345678\r\n$1\r\nu\r\n$3\r\n0.3\r\n$1\r\nt\r\n$19\r\n9223372036854775808\r\n$1\r\ns\r\n$3\r\n5.5\r\n$1\r\nr\r\n$6\r\n100000\r\n$1\r\nq\r\n$1\r\n0\r\n$1\r\np\r\n$27\r\n123456789.12345678899873747\r\n$1\r\no\r\n$31\r\n1000000000000000000024696061952\r\n$1\r\nl\r\n$19\r\n0.00000000000000007\r\n$1\r\nk\r\n$3\r\n150\r\n"),
    ];
}
