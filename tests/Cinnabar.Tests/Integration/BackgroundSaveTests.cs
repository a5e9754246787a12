using System.Text;
using Cinnabar.Commands;
using Cinnabar.Persistence;
using Cinnabar.Tests.Support;
using Xunit;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// BGSAVE without fork: the file is the dataset as it was when the save started, whatever clients write while
/// the walk goes on (overwrites, deletes, new keys, expiry, FLUSHDB, SWAPDB); BGSAVE's replies and INFO fields;
/// a failed background save turns on -MISCONF as stop-writes-on-bgsave-error says.
/// </summary>
public sealed class BackgroundSaveTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cinnabar-bgsave-").FullName;

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>An in-process server (no listener) that answers DEBUG DIGEST.</summary>
    internal static CinnabarServer NewServer() =>
        new(Cinnabar.Config.ConfigLoader.FromArgs(["--enable-debug-command", "yes"], out var error) ?? throw new InvalidOperationException(error));

    private static byte[][] A(params string[] args) => args.Select(Encoding.UTF8.GetBytes).ToArray();

    internal static string Run(LocalClient c, params string[] args) => Encoding.UTF8.GetString(c.Run(A(args)));

    private static void Fill(LocalClient c)
    {
        for (int i = 0; i < 2000; i++) Run(c, "SET", "s" + i, "value" + i);
        for (int i = 0; i < 200; i++) Run(c, "RPUSH", "list", "e" + i);
        for (int i = 0; i < 300; i++) Run(c, "HSET", "hash", "f" + i, "v" + i);
        Run(c, "SET", "ttl", "v", "PX", "99999000");
        Run(c, "SELECT", "1");
        for (int i = 0; i < 500; i++) Run(c, "SET", "one" + i, "x");
        Run(c, "SELECT", "2");
        for (int i = 0; i < 500; i++) Run(c, "SADD", "two", "m" + i);
        Run(c, "SELECT", "0");
    }

    [Fact]
    public void WritesDuringTheWalkDoNotReachTheFile()
    {
        var server = NewServer();
        var c = new LocalClient(server);
        Fill(c);
        string digestAtStart = Run(c, "DEBUG", "DIGEST");
        Assert.StartsWith("+", digestAtStart);
        var file = new MemoryStream();
        RdbSnapshot snapshot;
        lock (server.Gate)
        {
            snapshot = new RdbSnapshot(server, file);
            snapshot.Attach();
            Assert.False(snapshot.WriteSome(700));
        }
        // Keys behind and ahead of the walk change, go, come; whole databases are emptied and exchanged.
        for (int i = 0; i < 2000; i += 3) Run(c, "SET", "s" + i, "changed");
        for (int i = 1; i < 2000; i += 7) Run(c, "DEL", "s" + i);
        for (int i = 0; i < 300; i++) Run(c, "SET", "new" + i, "n");
        Run(c, "RPUSH", "list", "late");
        Run(c, "HDEL", "hash", "f1", "f2");
        Run(c, "PEXPIRE", "ttl", "1");
        Run(c, "SELECT", "1");
        Run(c, "FLUSHDB");
        Run(c, "SET", "after-flush", "1");
        Run(c, "SWAPDB", "2", "3");
        Run(c, "SELECT", "3");
        Run(c, "SADD", "two", "late-member");
        Run(c, "SELECT", "0");
        lock (server.Gate)
        {
            Assert.True(snapshot.PendingBytes > 0);
            snapshot.WriteAll();
        }
        Assert.NotEqual(digestAtStart, Run(c, "DEBUG", "DIGEST"));
        foreach (var db in server.Databases) Assert.Null(db.WriteObserver);

        var restored = NewServer();
        lock (restored.Gate) new RdbLoading(restored).Load(new MemoryStream(file.ToArray()), skipExpired: false);
        Assert.Equal(digestAtStart, Run(new LocalClient(restored), "DEBUG", "DIGEST"));
    }

    [Fact]
    public void AnUntouchedDatasetIsWrittenWhole()
    {
        var server = NewServer();
        var c = new LocalClient(server);
        Fill(c);
        var file = new MemoryStream();
        lock (server.Gate)
        {
            var snapshot = new RdbSnapshot(server, file);
            snapshot.Attach();
            snapshot.WriteAll();
            Assert.Equal(snapshot.KeysTotal, snapshot.KeysWritten);
        }
        var restored = NewServer();
        lock (restored.Gate) new RdbLoading(restored).Load(new MemoryStream(file.ToArray()), skipExpired: false);
        Assert.Equal(Run(c, "DEBUG", "DIGEST"), Run(new LocalClient(restored), "DEBUG", "DIGEST"));
    }

    private static string Info(RespClient c, string field) => RdbPersistenceTests.Info(c, field);

    private static void WaitUntilNoBackgroundSave(RespClient c)
    {
        Wait.Until(() => Info(c, "rdb_bgsave_in_progress") == "0", 20_000);
    }

    [Fact]
    public void BgsaveWritesTheFileInTheBackground()
    {
        var log = new ServerLogCapture();
        using (var server = new TestServer(log.Log, "--dir", _dir, "--enable-debug-command", "yes"))
        using (var c = server.Connect())
        {
            Fill(new LocalClient(server.Server));
            string digest = c.Call("DEBUG", "DIGEST");
            Assert.Equal("+Background saving started\r\n", c.Call("BGSAVE"));
            WaitUntilNoBackgroundSave(c);
            Assert.Equal("1", Info(c, "rdb_saves"));
            Assert.Equal("ok", Info(c, "rdb_last_bgsave_status"));
            Assert.Equal("0", Info(c, "rdb_changes_since_last_save"));
            Assert.Equal("-ERR syntax error\r\n", c.Call("BGSAVE", "NOW"));
            Assert.Equal("-ERR syntax error\r\n", c.Call("BGSAVE", "SCHEDULE", "x"));
            Assert.Equal("+Background saving started\r\n", c.Call("BGSAVE", "SCHEDULE"));
            WaitUntilNoBackgroundSave(c);
            c.Call("MULTI");
            c.Call("BGSAVE");
            Assert.Equal("*1\r\n+Background saving scheduled\r\n", c.Call("EXEC"));
            Wait.Until(() => Info(c, "rdb_saves") == "3", 20_000);
            Assert.Empty(Directory.GetFiles(_dir, "temp-*"));
            using var restored = new TestServer("--dir", _dir, "--enable-debug-command", "yes");
            Assert.True(restored.Server.Rdb.LoadAtStartup());
            using var r = restored.Connect();
            Assert.Equal(digest, r.Call("DEBUG", "DIGEST"));
        }
        Assert.Contains("Background saving terminated with success", log.Text);
    }

    [Fact]
    public void FailedBackgroundSaveStopsWritesWithMisconf()
    {
        var log = new ServerLogCapture();
        using var server = new TestServer(log.Log, "--dir", _dir, "--save", "3600 1");
        using var c = server.Connect();
        c.Call("SET", "k", "v");
        Directory.Delete(_dir, recursive: true);
        Assert.Equal("-ERR\r\n", c.Call("BGSAVE"));
        Assert.Equal("err", Info(c, "rdb_last_bgsave_status"));
        Assert.StartsWith("-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk.", c.Call("SET", "k", "w"));
        Assert.StartsWith("-MISCONF ", c.Call("PING"));
        Assert.Equal("$1\r\nv\r\n", c.Call("GET", "k"));
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no"));
        Assert.Equal("+OK\r\n", c.Call("SET", "k", "w"));
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"));
        Directory.CreateDirectory(_dir);
        Assert.Equal("+Background saving started\r\n", c.Call("BGSAVE"));
        WaitUntilNoBackgroundSave(c);
        Assert.Equal("+OK\r\n", c.Call("SET", "k", "x"));
        Assert.Contains("Background saving error", log.Text);
    }
}
