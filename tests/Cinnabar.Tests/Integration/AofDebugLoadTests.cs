using System.Text;
using Cinnabar.Tests.Support;
using Xunit;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// DEBUG LOADAOF: the AOF is written out first (writes pipelined before it included), the data set and functions
/// are emptied and the AOF directory is loaded again, with or without appendonly (the sequences and replies were
/// checked against redis-server 7.0.15); nothing it replays is appended again. And DEBUG HELP's lines for it.
/// </summary>
public sealed class AofDebugLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cinnabar-loadaof-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TestServer Start(params string[] directives) => new(["--dir", _dir, "--enable-debug-command", "yes", .. directives]);

    private static string Keys(RespClient c)
    {
        var lines = c.Call("KEYS", "*").Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var names = new List<string>();
        for (int i = 2; i < lines.Length; i += 2) names.Add(lines[i]);
        names.Sort(StringComparer.Ordinal);
        return string.Join(",", names);
    }

    private long IncrSize() => new FileInfo(Path.Combine(_dir, "appendonlydir", "appendonly.aof.1.incr.aof")).Length;

    [Fact]
    public void ReloadsTheDataSetFromTheAofWithoutAppendingItAgain()
    {
        using var server = Start("--appendonly", "yes");
        using var c = server.Connect();
        c.Call("SET", "s", "v", "PX", "99999000");
        c.Call("RPUSH", "l", "a", "b");
        c.Call("HSET", "h", "f", "1");
        c.Call("ZADD", "z", "1", "m");
        c.Call("SELECT", "3");
        c.Call("SADD", "set", "x");
        c.Call("SELECT", "0");
        c.Call("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function() return 1 end)");
        string digest = c.Call("DEBUG", "DIGEST-VALUE", "s", "l", "h", "z");
        // A write pipelined just before DEBUG LOADAOF is still in the AOF's buffer: it must be written first.
        c.SendRaw(Encoding.UTF8.GetBytes("SET late 1\r\nDEBUG LOADAOF\r\n"));
        Assert.Equal("+OK\r\n", c.ReadReply());
        Assert.Equal("+OK\r\n", c.ReadReply());
        Assert.Equal("h,l,late,s,z", Keys(c));
        Assert.Equal(digest, c.Call("DEBUG", "DIGEST-VALUE", "s", "l", "h", "z"));
        long ttl = long.Parse(c.Call("PTTL", "s")[1..^2]);
        Assert.InRange(ttl, 99_000_000, 99_999_000);
        c.Call("SELECT", "3");
        Assert.Equal(":1\r\n", c.Call("EXISTS", "set"));
        c.Call("SELECT", "0");
        Assert.Equal(":1\r\n", c.Call("FCALL", "f", "0"));
        Assert.Contains("rdb_changes_since_last_save:0\r\n", c.Call("INFO", "persistence"));
        // Loading again gives the same data set and appends nothing.
        long size = IncrSize();
        string all = c.Call("DEBUG", "DIGEST");
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "LOADAOF"));
        Assert.Equal(all, c.Call("DEBUG", "DIGEST"));
        Assert.Equal(size, IncrSize());
        // Appending goes on after it.
        Assert.Equal("+OK\r\n", c.Call("SET", "after", "1"));
        Assert.True(IncrSize() > size);
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "LOADAOF"));
        Assert.Equal("$1\r\n1\r\n", c.Call("GET", "after"));
    }

    [Fact]
    public void WithAppendonlyOffTheDirectoryLeftBehindIsLoaded()
    {
        // redis-server 7.0.15, same sequence: keys "a" after the first LOADAOF, "a,d" after the second.
        using var server = Start("--appendonly", "yes");
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "appendonly", "no"));
        c.Call("SET", "b", "2");
        c.Call("SET", "c", "3");
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "LOADAOF"));
        Assert.Equal("a", Keys(c));
        Assert.Contains("rdb_changes_since_last_save:0\r\n", c.Call("INFO", "persistence"));
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "appendonly", "yes"));
        Wait.Until(() => c.Call("INFO", "persistence").Contains("aof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0"));
        c.Call("SET", "d", "4");
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "LOADAOF"));
        Assert.Equal("a,d", Keys(c));
    }

    [Fact]
    public void WithNoAofToLoadTheDataSetIsEmptiedAndAnErrorAnswered()
    {
        // Redis 7.2's reply (debug.c): Redis 7.0 exits the process here instead.
        using var server = Start();
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        Assert.Equal("-ERR Error trying to load the AOF files, check server logs.\r\n", c.Call("DEBUG", "LOADAOF"));
        Assert.Equal(":0\r\n", c.Call("DBSIZE"));
        Assert.Equal("+PONG\r\n", c.Call("PING"));
    }

    [Fact]
    public void DebugHelpListsLoadaofAndReloadAsRedis()
    {
        using var server = Start();
        using var c = server.Connect();
        string help = c.Call("DEBUG", "HELP");
        // redis-server 7.0.15's lines, word for word.
        Assert.Contains("+LOADAOF\r\n+    Flush the AOF buffers on disk and reload the AOF in memory.\r\n", help);
        Assert.Contains("+RELOAD [option ...]\r\n"
            + "+    Save the RDB on disk and reload it back to memory. Valid <option> values:\r\n"
            + "+    * MERGE: conflicting keys will be loaded from RDB.\r\n"
            + "+    * NOFLUSH: the existing database will not be removed before load, but\r\n"
            + "+      conflicting keys will generate an exception and kill the server.\r\n"
            + "+    * NOSAVE: the database will be loaded from an existing RDB file.\r\n"
            + "+    Examples:\r\n"
            + "+    * DEBUG RELOAD: verify that the server is able to persist, flush and reload\r\n"
            + "+      the database.\r\n"
            + "+    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an\r\n"
            + "+      existing RDB file.\r\n"
            + "+    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB\r\n"
            + "+      file to the database.\r\n", help);
    }
}
