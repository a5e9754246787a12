using Cinnabar.Storage;

namespace Cinnabar.Tests.Storage;

/// <summary>
/// A dropped native block is freed only once its delay has passed: a command may still hold a span into the
/// page its own delete emptied, and freeing it at once would leave that span pointing at unmapped memory.
/// </summary>
public class DeferredFreesTests
{
    [Fact]
    public void ABlockIsFreedOnlyOnceItsDelayHasPassed()
    {
        var freed = new List<(nint, long)>();
        var frees = new DeferredFrees(1000, (block, bytes) => freed.Add((block, bytes)));
        frees.Add(1, 4096, nowMs: 5000);
        Assert.Equal(6000, frees.NextDue);
        Assert.Equal(0, frees.FreeDue(5999));
        Assert.Empty(freed);
        Assert.Equal(1, frees.Count);
        Assert.Equal(1, frees.FreeDue(6000));
        Assert.Equal([(1, 4096)], freed);
        Assert.Equal(0, frees.Count);
        Assert.Equal(-1, frees.NextDue);
    }

    [Fact]
    public void BlocksAreFreedOldestFirstAndTheYoungerWait()
    {
        var freed = new List<nint>();
        var frees = new DeferredFrees(1000, (block, _) => freed.Add(block));
        frees.Add(10, 1, nowMs: 0);
        frees.Add(20, 1, nowMs: 300);
        frees.Add(30, 1, nowMs: 900);
        Assert.Equal(2, frees.FreeDue(1300));
        Assert.Equal([10, 20], freed);
        Assert.Equal(1900, frees.NextDue);
        Assert.Equal(1, frees.FreeDue(5000));
        Assert.Equal([10, 20, 30], freed);
    }

    [Fact]
    public void BlocksAddedFromManyThreadsAreEachFreedOnce()
    {
        var freed = new System.Collections.Concurrent.ConcurrentBag<nint>();
        var frees = new DeferredFrees(0, (block, _) => freed.Add(block));
        Parallel.For(1, 10_001, i => frees.Add(i, 8, nowMs: 0));
        Assert.Equal(10_000, frees.FreeDue(0));
        Assert.Equal(Enumerable.Range(1, 10_000).Select(i => (nint)i).Order(), freed.Order());
    }
}
