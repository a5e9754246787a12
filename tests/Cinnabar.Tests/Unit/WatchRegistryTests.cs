using Cinnabar.Transactions;

namespace Cinnabar.Tests.Unit;

/// <summary>WATCH bookkeeping: a write marks exactly the watchers of its key (and database) dirty.</summary>
public class WatchRegistryTests
{
    private static byte[] B(string s) => System.Text.Encoding.ASCII.GetBytes(s);

    [Fact]
    public void TouchMarksOnlyWatchersOfThatKeyInThatDatabase()
    {
        var server = new CinnabarServer();
        var (db0, db1) = (server.Databases[0], server.Databases[1]);
        var registry = new WatchRegistry();
        var first = new Client(1, db0);
        var second = new Client(2, db0);
        registry.Watch(first, db0, B("k"), expired: false);
        registry.Watch(second, db0, B("k"), expired: false);

        registry.Touch(db0, B("other"));
        registry.Touch(db1, B("k"));
        Assert.False(first.WatchDirty);
        Assert.False(second.WatchDirty);

        registry.UnwatchAll(first);
        registry.Touch(db0, B("k"));
        Assert.False(first.WatchDirty);
        Assert.True(second.WatchDirty);

        // The last watcher gone, the key is forgotten; watching it again works as the first time.
        registry.UnwatchAll(second);
        Assert.Equal(0, registry.WatchedKeyCount);
        registry.Touch(db0, B("k"));
        Assert.False(second.WatchDirty);
        registry.Watch(first, db0, B("k"), expired: false);
        registry.Touch(db0, B("k"));
        Assert.True(first.WatchDirty);
    }
}
