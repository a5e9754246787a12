using System.Diagnostics;
using Cinnabar.Config;
using Cinnabar.Differential.Support;
using Cinnabar.Persistence;
using Xunit.Abstractions;

namespace Cinnabar.Differential;

/// <summary>
/// RDB files move between Redis and Cinnabar both ways: a file written by redis-server (every type in its small
/// and large encodings, TTLs, several databases, streams with groups and pending entries, a function library)
/// loads in Cinnabar with the same DEBUG DIGEST; the file Cinnabar writes of the same data passes
/// redis-check-rdb and loads in redis-server with the same digest again.
/// </summary>
[Collection(DiffCollection.Name)]
public sealed class RdbInteropTests(DiffEnvironment env, ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cinnabar-rdb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static readonly string[][] Fill =
    [
        ["SET", "s:int", "123"], ["SET", "s:bigint", "12345678901"], ["SET", "s:neg", "-70000"], ["SET", "s:text", "hello"],
        ["SET", "s:long", new string('a', 1000)], ["SET", "s:mixed", string.Concat(Enumerable.Range(0, 300).Select(i => (char)('a' + i * 7 % 26)))],
        ["SET", "s:ttl", "v", "PX", "99999000"], ["SET", "s:empty", ""], ["SET", "s:float", "1.5"],
        ["RPUSH", "l:small", "a", "b", "1", "-5", "300000", "12345678901234", "c"],
        ["HSET", "h:small", "f1", "v1", "f2", "2", "n", "-3"],
        ["SADD", "set:ints", "1", "2", "3", "-40000", "5000000000"], ["SADD", "set:strs", "x", "y", "z"],
        ["ZADD", "z:small", "1.5", "a", "-inf", "b", "inf", "c", "0.1", "d", "3", "e"],
        ["FUNCTION", "LOAD", "#!lua name=rdblib\nredis.register_function('rdbf', function(keys, args) return 1 end)"],
        ["XADD", "x:s", "1-1", "a", "1", "b", "2"], ["XADD", "x:s", "1-2", "a", "3", "b", "4"], ["XADD", "x:s", "2-0", "c", "5"],
        ["XADD", "x:s", "3-0", "a", "x", "b", "y"], ["XDEL", "x:s", "1-2"],
        ["XGROUP", "CREATE", "x:s", "g1", "0"], ["XGROUP", "CREATE", "x:s", "g2", "$"],
        ["XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "x:s", ">"],
        ["XREADGROUP", "GROUP", "g1", "bob", "COUNT", "1", "STREAMS", "x:s", ">"], ["XACK", "x:s", "g1", "1-1"],
        ["XGROUP", "CREATECONSUMER", "x:s", "g1", "carol"],
        ["XADD", "x:empty", "5-5", "f", "v"], ["XDEL", "x:empty", "5-5"], ["XGROUP", "CREATE", "x:empty", "g", "$"],
        ["EXPIRE", "h:small", "100000"],
        ["SELECT", "1"], ["SET", "db1:key", "one"], ["RPUSH", "db1:list", "x"],
        ["SELECT", "15"], ["SET", "db15:key", "fifteen"], ["PEXPIREAT", "db15:key", "99999999999999"],
        ["SELECT", "0"],
    ];

    /// <summary>Large encodings: a multi-node list, a hashtable set and hash, a skiplist, a big stream.</summary>
    internal static IEnumerable<string[]> FillLarge()
    {
        for (int i = 0; i < 2000; i++)
        {
            yield return ["RPUSH", "l:big", i % 3 == 0 ? i.ToString() : "element-" + i];
            if (i < 700) yield return ["SADD", "set:bigints", (i * 37).ToString()];
            if (i < 300) yield return ["SADD", "set:bigstrs", "m" + i];
            if (i < 300) yield return ["HSET", "h:big", "field" + i, i % 2 == 0 ? i.ToString() : "value" + i];
            if (i < 300) yield return ["ZADD", "z:big", (i / 7.0).ToString("R"), "member" + i];
            yield return ["XADD", "x:big", "*", "n", i.ToString(), "text", "entry " + i];
        }
        yield return ["HSET", "h:longvalue", "f", new string('q', 100)];
        yield return ["RPUSH", "l:bigelement", new string('z', 10000), "small"];
        yield return ["ZADD", "z:longmember", "1", new string('m', 100)];
        yield return ["XTRIM", "x:big", "MAXLEN", "1500"];
        yield return ["XGROUP", "CREATE", "x:big", "readers", "0"];
        yield return ["XREADGROUP", "GROUP", "readers", "r1", "COUNT", "50", "STREAMS", "x:big", ">"];
    }

    private static void FillServer(RespConnection c)
    {
        foreach (var command in Fill.Concat(FillLarge()))
        {
            var reply = c.Call(command);
            Assert.False(reply.IsError, $"{string.Join(' ', command.Take(3))}: {reply.Text}");
        }
    }

    private static string Digest(int port)
    {
        using var c = new RespConnection(port);
        return c.Call("DEBUG", "DIGEST").Text;
    }

    /// <summary>What the groups hold, without times (which differ between the two runs).</summary>
    private static string Groups(int port)
    {
        using var c = new RespConnection(port);
        var parts = new List<string>();
        foreach (var (key, group) in new[] { ("x:s", "g1"), ("x:s", "g2"), ("x:big", "readers"), ("x:empty", "g") })
        {
            parts.Add(c.Call("XPENDING", key, group).ToString());
            foreach (var consumer in c.Call("XINFO", "CONSUMERS", key, group).Children)
                parts.Add(consumer.Children[1].Text + ":" + consumer.Children[3].ToString());
            var pending = c.Call("XPENDING", key, group, "-", "+", "1000").Children;
            parts.AddRange(pending.Select(p => p.Children[0].Text + "/" + p.Children[1].Text + "/" + p.Children[3].ToString()));
            var info = c.Call("XINFO", "GROUPS", key).Children.Select(g => string.Join(",", g.Children.Where((_, i) => i % 2 == 1 && i != 3).Select(v => v.ToString())));
            parts.AddRange(info);
        }
        parts.Add(c.Call("FUNCTION", "LIST").ToString());
        return string.Join("\n", parts);
    }

    private static string? CheckRdbExecutable()
    {
        var server = OracleServer.FindExecutable();
        if (server == null) return null;
        var check = Path.Combine(Path.GetDirectoryName(server)!, "redis-check-rdb");
        return File.Exists(check) ? check : null;
    }

    [SkippableFact]
    public void RedisRdbLoadsInCinnabarAndCinnabarRdbLoadsInRedis()
    {
        env.RequireOracle();
        var exe = OracleServer.FindExecutable()!;
        string redisDigest, redisGroups;
        using (var redis = OracleServer.Start(exe, "--dir", _dir, "--dbfilename", "redis.rdb"))
        {
            using var c = new RespConnection(redis.Port);
            FillServer(c);
            Assert.Equal("OK", c.Call("SAVE").Text);
            redisDigest = Digest(redis.Port);
            redisGroups = Groups(redis.Port);
        }
        Assert.NotEqual(new string('0', 40), redisDigest);

        var config = ConfigLoader.FromArgs(["--port", "0", "--bind", "127.0.0.1", "--enable-debug-command", "yes"], out var error)
            ?? throw new InvalidOperationException(error);
        using var cinnabar = new CinnabarServer(config).Start();
        using (cinnabar.Gate.EnterScope())
        using (var file = File.OpenRead(Path.Combine(_dir, "redis.rdb")))
        {
            var result = new RdbLoading(cinnabar).Load(file, skipExpired: true);
            output.WriteLine($"loaded {result.Keys} keys from Redis's RDB version {result.Version}");
        }
        Assert.Equal(redisDigest, Digest(cinnabar.Port));
        Assert.Equal(redisGroups, Groups(cinnabar.Port));

        var ours = Path.Combine(_dir, "cinnabar.rdb");
        using (cinnabar.Gate.EnterScope())
        using (var file = File.Create(ours))
            new RdbSnapshot(cinnabar, file).WriteAll();

        var check = CheckRdbExecutable();
        if (check != null)
        {
            var psi = new ProcessStartInfo(check, ours) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            output.WriteLine(text);
            Assert.True(p.ExitCode == 0, "redis-check-rdb failed:\n" + text);
        }
        using (var redis = OracleServer.Start(exe, "--dir", _dir, "--dbfilename", "cinnabar.rdb"))
        {
            Assert.Equal(redisDigest, Digest(redis.Port));
            Assert.Equal(redisGroups, Groups(redis.Port));
        }
    }
}
