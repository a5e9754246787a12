using System.Text;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>The hooks each key command raises: keyspace events with Redis's names, WATCH invalidation, dirty.</summary>
public class KeyEventTests
{
    private static List<string> Record(TestServer server)
    {
        var events = new List<string>();
        server.Server.Notification += (type, name, db, key) =>
        {
            lock (events) events.Add($"{type}:{name}:{db.Index}:{Encoding.UTF8.GetString(key)}");
        };
        return events;
    }

    [Fact]
    public void GenericEventsUseRedisNames()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        var events = Record(server);
        c.Call("EXPIRE", "a", "100");
        c.Call("PERSIST", "a");
        c.Call("RENAME", "a", "b");
        c.Call("COPY", "b", "c", "DB", "2");
        c.Call("MOVE", "b", "1");
        c.Call("DEL", "c", "nokey");
        c.Call("SET", "d", "1");
        c.Call("EXPIRE", "d", "-1");
        c.Call("SELECT", "2");
        c.Call("UNLINK", "c");
        lock (events)
            Assert.Equal([
                "g:expire:0:a", "g:persist:0:a", "g:rename_from:0:a", "g:rename_to:0:b", "g:copy_to:2:c",
                "g:move_from:0:b", "g:move_to:1:b", "g:del:0:d", "g:del:2:c",
            ], events.Where(e => !e.StartsWith("$")));
    }

    [Fact]
    public void ExpiredKeysRaiseExpiredEvent()
    {
        using var server = new TestServer("--hz", "1");
        using var c = server.Connect();
        var events = Record(server);
        c.Call("SET", "a", "1");
        c.Call("PEXPIRE", "a", "1");
        Thread.Sleep(20);
        c.Call("GET", "a");
        lock (events) Assert.Contains("x:expired:0:a", events);
    }

    [Fact]
    public void WritesMarkKeysModifiedAndDirty()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        var modified = new List<string>();
        server.Server.KeyModified += (db, key) => { lock (modified) modified.Add($"{db.Index}:{Encoding.UTF8.GetString(key)}"); };
        long dirty = server.Server.Dirty;
        c.Call("RENAME", "a", "b");
        c.Call("MOVE", "b", "3");
        c.Call("EXISTS", "b");
        c.Call("TTL", "b");
        lock (modified) Assert.Equal(["0:a", "0:b", "0:b", "3:b"], modified);
        Assert.Equal(dirty + 2, server.Server.Dirty);
    }

    [Fact]
    public void FlushAndSwapDbReportWholeDatabases()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        var replaced = new List<string>();
        server.Server.DatabaseReplaced += (emptied, with) => replaced.Add($"{emptied.Index}:{with?.Index}");
        int swaps = 0;
        server.Server.DatabasesSwapped += (_, _) => swaps++;
        c.Call("SWAPDB", "0", "4");
        c.Call("SELECT", "4");
        c.Call("FLUSHDB");
        c.Call("FLUSHALL");
        Assert.Equal(["0:4", "4:0", "4:"], replaced);
        Assert.Equal(1, swaps);
    }
}
