using System.Diagnostics;
using Cinnabar.Commands;
using Cinnabar.Persistence;
using Cinnabar.Tests.Support;
using Xunit;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// The driver of a background snapshot's walk: epoll loops' steps (under the store lock, a share of their turn)
/// carry the walk while the snapshot's thread only writes their sealed output to the file, never waiting for the
/// lock; with no loop stepping, the thread walks by itself; an abandoned walk stops its thread.
/// </summary>
public sealed class BackgroundWalkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cinnabar-walk-").FullName;

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static CinnabarServer NewServer() => BackgroundSaveTests.NewServer();

    private static string Run(LocalClient c, params string[] args) => BackgroundSaveTests.Run(c, args);

    /// <summary>A point-in-time RDB snapshot of <paramref name="server"/> and the driver of its walk.</summary>
    private static BackgroundWalk StartWalk(CinnabarServer server, TimeSpan? loopCarry = null)
    {
        var spool = new SnapshotSpool();
        lock (server.Gate)
        {
            var snapshot = new RdbSnapshot(server, spool.Buffer);
            snapshot.Attach();
            return new BackgroundWalk(server, snapshot, spool, loopCarry);
        }
    }

    /// <summary>About 600 KB of strings: several of the spool's 64 KB chunks.</summary>
    private static void Fill(LocalClient c)
    {
        string value = new('v', 1000);
        for (int i = 0; i < 600; i++) Run(c, "SET", "k" + i, value + i);
        for (int i = 0; i < 100; i++) Run(c, "RPUSH", "list", "e" + i);
    }

    private static string Digest(CinnabarServer server) => Run(new LocalClient(server), "DEBUG", "DIGEST");

    private static string DigestOfFile(string path)
    {
        var restored = NewServer();
        lock (restored.Gate) new RdbLoading(restored).Load(new MemoryStream(File.ReadAllBytes(path)), skipExpired: false);
        return Digest(restored);
    }

    [Fact]
    public void LoopStepsCarryTheWalkWhileTheThreadWritesWithoutTheLock()
    {
        var server = NewServer();
        var c = new LocalClient(server);
        Fill(c);
        string digestAtStart = Digest(server);
        string path = Path.Combine(_dir, "steps.rdb");
        // However slowly this test's steps come, the thread never walks on its own.
        var walk = StartWalk(server, loopCarry: TimeSpan.FromMinutes(10));
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        bool? completed = null;
        var thread = new Thread(() => completed = walk.Run(file, incrementalFsync: false));
        try
        {
            // The test is the loop: it holds the store lock from its first step until the thread has written the
            // whole file, which the thread can only do without taking the lock.
            lock (server.Gate)
            {
                long budget = Stopwatch.Frequency / 10_000;
                walk.Step(budget);
                thread.Start();
                while (!walk.Walk.Done) walk.Step(budget);
                Assert.True(thread.Join(10_000), "the thread finished while the loop held the lock");
            }
            Assert.True(completed);
        }
        finally
        {
            lock (server.Gate) walk.Abandon();
            thread.Join(10_000);
            file.Dispose();
        }
        Assert.Equal(digestAtStart, DigestOfFile(path));
    }

    [Fact]
    public void WithoutLoopStepsTheThreadWalksAlone()
    {
        var server = NewServer();
        var c = new LocalClient(server);
        Fill(c);
        string digestAtStart = Digest(server);
        string path = Path.Combine(_dir, "alone.rdb");
        var walk = StartWalk(server);
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            bool completed = false;
            var thread = new Thread(() => completed = walk.Run(file, incrementalFsync: false));
            thread.Start();
            // Writes go on meanwhile, each serializing its key first when the walk has not reached it.
            for (int i = 0; i < 600; i += 2) Run(c, "SET", "k" + i, "changed");
            Assert.True(thread.Join(10_000));
            Assert.True(completed);
        }
        Assert.NotEqual(digestAtStart, Digest(server));
        Assert.Equal(digestAtStart, DigestOfFile(path));
    }

    [Fact]
    public void AnAbandonedWalkStopsItsThread()
    {
        var server = NewServer();
        Fill(new LocalClient(server));
        var walk = StartWalk(server);
        using var file = new FileStream(Path.Combine(_dir, "abandoned.rdb"), FileMode.Create, FileAccess.Write);
        bool? completed = null;
        var thread = new Thread(() => completed = walk.Run(file, incrementalFsync: false));
        lock (server.Gate)
        {
            thread.Start();
            walk.Abandon();
        }
        Assert.True(thread.Join(10_000));
        Assert.False(completed);
        foreach (var db in server.Databases) Assert.Null(db.WriteObserver);
    }

    [Fact]
    public void UnderLoadTheEpollLoopStepsTheSave()
    {
        using var server = new TestServer("--dir", _dir, "--enable-debug-command", "yes");
        var local = new LocalClient(server.Server);
        string value = new('v', 200);
        for (int i = 0; i < 20_000; i++) Run(local, "SET", "k" + i, value);
        using var c = server.Connect();
        string digest = c.Call("DEBUG", "DIGEST");
        Assert.Equal("+Background saving started\r\n", c.Call("BGSAVE"));
        int writes = 0;
        while (RdbPersistenceTests.Info(c, "rdb_bgsave_in_progress") == "1")
        {
            Assert.Equal("+OK\r\n", c.Call("SET", "k" + (writes % 20_000), "changed"));
            writes++;
        }
        Assert.Equal("ok", RdbPersistenceTests.Info(c, "rdb_last_bgsave_status"));
        Assert.True(server.Server.LoopWalkSteps > 0, "the loop stepped the walk");
        Assert.NotEqual(digest, c.Call("DEBUG", "DIGEST"));
        using var restored = new TestServer("--dir", _dir, "--enable-debug-command", "yes");
        Assert.True(restored.Server.Rdb.LoadAtStartup());
        using var r = restored.Connect();
        Assert.Equal(digest, r.Call("DEBUG", "DIGEST"));
    }
}
