using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// SCAN and KEYS. Key order is the hash table's and differs from Redis, so these compare sorted key sets;
/// error texts and the cursor parsing were checked against redis-server 7.0.15.
/// </summary>
public class ScanTests
{
    /// <summary>Splits a flat RESP array of bulk strings ("*2\r\n$1\r\na\r\n...") into its elements.</summary>
    private static List<string> Bulks(string reply)
    {
        var lines = reply.Split("\r\n");
        var result = new List<string>();
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].StartsWith('$') && lines[i] != "$-1") result.Add(lines[++i]);
        return result;
    }

    /// <summary>A SCAN reply: the cursor and the keys.</summary>
    private static (string Cursor, List<string> Keys) ScanReply(string reply)
    {
        Assert.StartsWith("*2\r\n$", reply);
        var all = Bulks(reply);
        return (all[0], all.Skip(1).ToList());
    }

    private static List<string> FullScan(RespClient c, params string[] options)
    {
        var keys = new List<string>();
        string cursor = "0";
        int calls = 0;
        do
        {
            (cursor, var batch) = ScanReply(c.Call(["SCAN", cursor, .. options]));
            keys.AddRange(batch);
            Assert.True(++calls < 100_000);
        } while (cursor != "0");
        return keys;
    }

    [Fact]
    public void ScanErrors()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("-ERR invalid cursor\r\n", c.Call("SCAN", "x"));
        Assert.Equal("-ERR invalid cursor\r\n", c.Call("SCAN", "18446744073709551616"));
        Assert.Equal("-ERR invalid cursor\r\n", c.Call("SCAN", " 0"));
        Assert.Equal("-ERR invalid cursor\r\n", c.Call("SCAN", "0 "));
        Assert.Equal("-ERR invalid cursor\r\n", c.Call("SCAN", "-"));
        Assert.Equal("-ERR invalid cursor\r\n", c.Call("SCAN", "x", "COUNT", "0"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("SCAN", "0", "COUNT", "0"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("SCAN", "0", "COUNT", "-1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("SCAN", "0", "COUNT", "x"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("SCAN", "0", "COUNT", "9223372036854775808"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("SCAN", "0", "MATCH"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("SCAN", "0", "foo", "1"));
        Assert.Equal("-ERR wrong number of arguments for 'scan' command\r\n", c.Call("SCAN"));
    }

    [Fact]
    public void CursorParsingFollowsStrtoul()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        // An empty database answers cursor 0 for any valid cursor, as Redis does.
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", c.Call("SCAN", "0"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", c.Call("SCAN", ""));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", c.Call("SCAN", "+5"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", c.Call("SCAN", "-1"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", c.Call("SCAN", "18446744073709551615"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", c.Call("SCAN", "0", "TYPE", "string", "MATCH", "*", "COUNT", "5"));
    }

    [Fact]
    public void SmallDatabaseIsScannedInOneCall()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        foreach (var k in new[] { "a", "b", "c" }) c.Call("SET", k, "1");
        var (cursor, keys) = ScanReply(c.Call("SCAN", "0"));
        Assert.Equal("0", cursor);
        Assert.Equal(["a", "b", "c"], keys.Order());
    }

    [Fact]
    public void FullScanWithMatchAndType()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        for (int i = 0; i < 1000; i++) Assert.Equal("+OK\r\n", c.Call("SET", "key:" + i, "v"));
        var all = FullScan(c, "COUNT", "7");
        Assert.Equal(1000, all.Count);
        Assert.Equal(1000, all.Distinct().Count());

        var matched = FullScan(c, "MATCH", "key:1?", "COUNT", "50");
        Assert.Equal(Enumerable.Range(10, 10).Select(i => "key:" + i), matched.Order());
        Assert.Equal(1000, FullScan(c, "TYPE", "STRING", "COUNT", "100").Count);
        Assert.Empty(FullScan(c, "TYPE", "list"));
        Assert.Empty(FullScan(c, "TYPE", "nosuchtype"));
    }

    [Fact]
    public void ScanSeesEveryKeyWhileTheTableGrowsAndShrinks()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        for (int i = 0; i < 500; i++) c.Call("SET", "stable:" + i, "v");
        var seen = new HashSet<string>();
        string cursor = "0";
        int call = 0, extra = 0;
        do
        {
            (cursor, var batch) = ScanReply(c.Call("SCAN", cursor, "COUNT", "5"));
            seen.UnionWith(batch);
            // Grow by thousands of keys, then delete them all again, while the scan goes on.
            if (call++ % 20 < 10)
                for (int n = 0; n < 200; n++) c.Call("SET", "extra:" + extra++, "v");
            else
                for (int n = 0; n < 200 && extra > 0; n++) c.Call("DEL", "extra:" + --extra);
        } while (cursor != "0");
        Assert.All(Enumerable.Range(0, 500), i => Assert.Contains("stable:" + i, seen));
    }

    [Fact]
    public void ScanSkipsAndDeletesExpiredKeys()
    {
        using var server = new TestServer("--hz", "1");
        using var c = server.Connect();
        c.Call("SET", "live", "1");
        c.Call("SET", "gone", "1");
        c.Call("PEXPIRE", "gone", "1");
        Thread.Sleep(20);
        Assert.Equal(["live"], FullScan(c));
        Assert.Equal(":1\r\n", c.Call("DBSIZE"));
    }

    [Fact]
    public void KeysMatchesGlobPatterns()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        foreach (var k in new[] { "key1", "key2", "key10", "Key3", "k[x", "k\\x", "k*" }) c.Call("SET", k, "a");
        string[] Keys(string pattern) => Bulks(c.Call("KEYS", pattern)).Order().ToArray();
        // Each expectation below is what redis-server 7.0.15 answered (as a set).
        Assert.Equal(["key1", "key2"], Keys("key?"));
        Assert.Equal(["key1", "key10", "key2"], Keys("key*"));
        Assert.Equal(7, Keys("*").Length);
        Assert.Equal(["key1", "key10", "key2"], Keys("k[e]y*"));
        Assert.Equal(["k*", "k[x", "k\\x"], Keys("k[^e]*"));
        Assert.Equal(["key1"], Keys("k[a-f]y1"));
        Assert.Equal(["key1"], Keys("k[f-a]y1"));
        Assert.Equal(["k[x"], Keys("k\\[x"));
        Assert.Equal(["k\\x"], Keys("k\\\\x"));
        Assert.Equal(["k*"], Keys("k\\*"));
        Assert.Empty(Keys("k[\\]x"));
        Assert.Empty(Keys("k["));
        Assert.Equal(["key10"], Keys("*1*0"));
        Assert.Equal(["Key3"], Keys("K*"));
        Assert.Empty(Keys("nomatch"));
        Assert.Equal("*0\r\n", c.Call("KEYS", "nomatch"));
    }

    [Fact]
    public void KeysSkipsExpiredKeys()
    {
        using var server = new TestServer("--hz", "1");
        using var c = server.Connect();
        c.Call("SET", "live", "1");
        c.Call("SET", "gone", "1");
        c.Call("PEXPIRE", "gone", "1");
        Thread.Sleep(20);
        Assert.Equal("*1\r\n$4\r\nlive\r\n", c.Call("KEYS", "*"));
    }
}
