using Cinnabar.Tests.Support;
using Xunit;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// The RDB file of a running server: SAVE then a load at start gives the same dataset (every type, times to
/// live, several databases, functions), a damaged file is refused with its offset, save points save by
/// themselves, SHUTDOWN saves first (and stays up when it cannot, unless FORCE), DEBUG RELOAD round-trips,
/// and while a dataset loads clients get -LOADING and INFO shows it.
/// </summary>
public sealed class RdbPersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cinnabar-save-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TestServer Start(ServerLogCapture? log = null, params string[] directives) =>
        new(log?.Log, ["--dir", _dir, "--dbfilename", "data.rdb", "--enable-debug-command", "yes", .. directives]);

    private static void Fill(RespClient c)
    {
        string[][] commands =
        [
            ["SET", "s", "hello"], ["SET", "n", "12345"], ["SET", "ttl", "v", "PX", "99999000"], ["RPUSH", "l", "a", "b", "1"],
            ["SADD", "set", "1", "2", "x"], ["ZADD", "z", "1.5", "a", "-2", "b"], ["HSET", "h", "f", "v", "g", "2"],
            ["XADD", "x", "1-1", "a", "1"], ["XGROUP", "CREATE", "x", "g", "0"], ["PFADD", "hll", "a", "b", "c"],
            ["FUNCTION", "LOAD", "#!lua name=savelib\nredis.register_function('savef', function() return 1 end)"],
            ["SELECT", "3"], ["SET", "db3", "three"], ["EXPIRE", "db3", "5000"], ["SELECT", "15"], ["RPUSH", "db15", "x"], ["SELECT", "0"],
        ];
        foreach (var command in commands) Assert.DoesNotContain("-ERR", c.Call(command));
        for (int i = 0; i < 300; i++) c.Call("HSET", "bighash", "field" + i, "value" + i);
    }

    /// <summary>One field of INFO persistence.</summary>
    internal static string Info(RespClient c, string field)
    {
        var text = c.Call("INFO", "persistence");
        int at = text.IndexOf("\r\n" + field + ":", StringComparison.Ordinal);
        Assert.True(at >= 0, field + " missing from INFO");
        int start = at + field.Length + 3;
        return text[start..text.IndexOf("\r\n", start, StringComparison.Ordinal)];
    }

    [Fact]
    public void SavedDatasetLoadsAtStartWithTheSameDigest()
    {
        string digest, functions;
        using (var server = Start())
        using (var c = server.Connect())
        {
            Fill(c);
            digest = c.Call("DEBUG", "DIGEST");
            functions = c.Call("FUNCTION", "LIST");
            Assert.NotEqual("0", Info(c, "rdb_changes_since_last_save"));
            Assert.Equal("+OK\r\n", c.Call("SAVE"));
            Assert.Equal("0", Info(c, "rdb_changes_since_last_save"));
            Assert.Equal("1", Info(c, "rdb_saves"));
            Assert.Equal("ok", Info(c, "rdb_last_bgsave_status"));
            Assert.Equal($":{Info(c, "rdb_last_save_time")}\r\n", c.Call("LASTSAVE"));
        }
        Assert.True(File.Exists(Path.Combine(_dir, "data.rdb")));
        Assert.Empty(Directory.GetFiles(_dir, "temp-*.rdb"));

        var log = new ServerLogCapture();
        using (var server = Start(log))
        {
            Assert.True(server.Server.Rdb.LoadAtStartup());
            using var c = server.Connect();
            Assert.Equal(digest, c.Call("DEBUG", "DIGEST"));
            Assert.Equal(functions, c.Call("FUNCTION", "LIST"));
            Assert.Equal("12", Info(c, "rdb_last_load_keys_loaded"));
            Assert.Equal("0", Info(c, "rdb_last_load_keys_expired"));
        }
        Assert.Contains("Done loading RDB, keys loaded: 12, keys expired: 0.", log.Text);
        Assert.Contains("DB loaded from disk: ", log.Text);
    }

    [Fact]
    public void DamagedFileIsRefusedWithItsOffset()
    {
        using (var server = Start())
        using (var c = server.Connect())
        {
            Fill(c);
            Assert.Equal("+OK\r\n", c.Call("SAVE"));
        }
        string path = Path.Combine(_dir, "data.rdb");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var log = new ServerLogCapture();
        using (var server = Start(log))
        {
            Assert.False(server.Server.Rdb.LoadAtStartup());
            Assert.False(server.Server.LoadingState.Active);
        }
        Assert.Matches(@"# Internal error in RDB reading offset \d+ -> ", log.Text);
        Assert.Contains("# Terminating server after rdb file reading failure.", log.Text);

        // A flipped byte in the middle is damage too, caught by the value's structure or the checksum.
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        var log2 = new ServerLogCapture();
        using (var server = Start(log2))
            Assert.False(server.Server.Rdb.LoadAtStartup());
        Assert.Matches(@"Internal error in RDB reading offset -?\d+ -> ", log2.Text);
    }

    [Fact]
    public void NoFileMeansAnEmptyStart()
    {
        using var server = Start();
        Assert.True(server.Server.Rdb.LoadAtStartup());
        using var c = server.Connect();
        Assert.Equal(":0\r\n", c.Call("DBSIZE"));
    }

    [Fact]
    public void SavePointSavesOnItsOwn()
    {
        var log = new ServerLogCapture();
        using var server = Start(log, "--save", "1 2");
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        c.Call("SET", "b", "2");
        Wait.Until(() => Info(c, "rdb_saves") != "0");
        Assert.Equal("1", Info(c, "rdb_saves"));
        Assert.Equal("0", Info(c, "rdb_changes_since_last_save"));
        Assert.Contains("2 changes in 1 seconds. Saving...", log.Text);
        Assert.True(File.Exists(Path.Combine(_dir, "data.rdb")));
    }

    [Fact]
    public void ShutdownSavesFirstAndStaysUpWhenItCannot()
    {
        using (var server = Start(null, "--save", "3600 1"))
        {
            bool stopped = false;
            server.Server.ShutdownRequested += () => stopped = true;
            using var c = server.Connect();
            c.Call("SET", "k", "v");
            Directory.Delete(_dir, recursive: true);
            Assert.Equal("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", c.Call("SHUTDOWN"));
            Assert.False(stopped);
            Assert.Equal("ok", Info(c, "rdb_last_bgsave_status")); // a failed SAVE is no failed background save
            Directory.CreateDirectory(_dir);
            c.SendRaw(RespClient.Encode("SHUTDOWN"));
            Assert.True(c.IsClosedByServer());
            Assert.True(stopped);
        }
        using (var server = Start())
        {
            Assert.True(server.Server.Rdb.LoadAtStartup());
            using var c = server.Connect();
            Assert.Equal("$1\r\nv\r\n", c.Call("GET", "k"));
        }
        File.Delete(Path.Combine(_dir, "data.rdb"));
        using (var server = Start(null, "--save", "3600 1"))
        {
            using var c = server.Connect();
            c.Call("SET", "k", "v");
            c.SendRaw(RespClient.Encode("SHUTDOWN", "NOSAVE"));
            Assert.True(c.IsClosedByServer());
            Assert.False(File.Exists(Path.Combine(_dir, "data.rdb")));
        }
        using (var server = Start())
        {
            using var c = server.Connect();
            c.Call("SET", "k", "v");
            c.SendRaw(RespClient.Encode("SHUTDOWN", "SAVE"));
            Assert.True(c.IsClosedByServer());
            Assert.True(File.Exists(Path.Combine(_dir, "data.rdb")));
        }
    }

    [Fact]
    public void FlushAllWithSavePointsSavesTheEmptyDataset()
    {
        using var server = Start(null, "--save", "3600 1");
        using var c = server.Connect();
        Fill(c);
        Assert.Equal("+OK\r\n", c.Call("FLUSHALL"));
        Assert.Equal("0", Info(c, "rdb_changes_since_last_save"));
        Assert.Equal("0", Info(c, "rdb_saves"));
        using var restored = Start();
        Assert.True(restored.Server.Rdb.LoadAtStartup());
        using var r = restored.Connect();
        Assert.Equal(":0\r\n", r.Call("DBSIZE"));
    }

    [Fact]
    public void DebugReloadKeepsTheDataset()
    {
        using var server = Start();
        using var c = server.Connect();
        Fill(c);
        string digest = c.Call("DEBUG", "DIGEST");
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "RELOAD"));
        Assert.Equal(digest, c.Call("DEBUG", "DIGEST"));
        Assert.Equal("0", Info(c, "rdb_saves")); // as Redis: only SAVE and BGSAVE count
        Assert.Equal("0", Info(c, "rdb_changes_since_last_save"));
        c.Call("SET", "extra", "1");
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "RELOAD", "NOSAVE"));
        Assert.Equal(digest, c.Call("DEBUG", "DIGEST"));
        c.Call("SET", "extra", "1");
        Assert.Equal("-ERR Error trying to load the RDB dump\r\n", c.Call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"));
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"));
        Assert.Equal("-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n", c.Call("DEBUG", "RELOAD", "BAD"));
    }

    [Fact]
    public void WhileLoadingClientsGetLoadingAndInfoShowsProgress()
    {
        using var server = Start();
        using var c = server.Connect();
        var loading = server.Server.LoadingState;
        lock (server.Server.Gate)
        {
            loading.Begin(1000);
            loading.Progress(250);
        }
        try
        {
            Assert.Equal("-LOADING Redis is loading the dataset in memory\r\n", c.Call("GET", "k"));
            Assert.Equal("-LOADING Redis is loading the dataset in memory\r\n", c.Call("PING")); // PING has no loading flag in Redis 7
            Assert.Equal("1", Info(c, "loading"));
            Assert.Equal("1000", Info(c, "loading_total_bytes"));
            Assert.Equal("250", Info(c, "loading_loaded_bytes"));
            Assert.Equal("25.00", Info(c, "loading_loaded_perc"));
        }
        finally
        {
            lock (server.Server.Gate) loading.End();
        }
        Assert.Equal("$-1\r\n", c.Call("GET", "k"));
        Assert.Equal("0", Info(c, "loading"));
    }

    [Fact]
    public void ShutdownWhileLoadingSavesNothing()
    {
        // Redis's shutdownCommand: while a data set loads, SHUTDOWN [SAVE] turns into NOSAVE, so the file is
        // never overwritten with half of it.
        using var server = Start(null, "--save", "1 1");
        using var c = server.Connect();
        c.Call("SET", "k", "1");
        Assert.Equal("+OK\r\n", c.Call("SAVE"));
        string path = Path.Combine(_dir, "data.rdb");
        var saved = File.ReadAllBytes(path);
        c.Call("SET", "k2", "2");
        var loading = server.Server.LoadingState;
        lock (server.Server.Gate) loading.Begin(1000);
        try
        {
            c.SendRaw(RespClient.Encode("SHUTDOWN", "SAVE"));
            Assert.True(c.IsClosedByServer());
        }
        finally
        {
            lock (server.Server.Gate) loading.End();
        }
        Assert.Equal(saved, File.ReadAllBytes(path));
    }
}
