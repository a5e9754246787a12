using System.Runtime;
using Cinnabar.Types;

namespace Cinnabar.Tests.Storage;

/// <summary>
/// The arrays of collections (list nodes, hash-table fields, members) are ordinary, young at birth, never on
/// the pinned object heap (where every array counts as old at once): the pinned heap's allocator slows down
/// with each hole that overwritten values of other sizes leave (see <see cref="StoredBytes"/>). Checked with
/// the collector held off, so a collection between the allocation and the check cannot promote the array.
/// </summary>
public class StoredBytesTests
{
    private static void WithoutCollections(Action check)
    {
        Assert.True(GC.TryStartNoGCRegion(16 * 1024 * 1024));
        try { check(); }
        finally { if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion(); }
    }

    [Fact]
    public void EveryAllocationIsYoung()
    {
        WithoutCollections(() =>
        {
            Assert.Equal(0, GC.GetGeneration(StoredBytes.Allocate(100)));
            Assert.Equal(0, GC.GetGeneration(StoredBytes.AllocateUninitialized(100)));
            Assert.Equal(0, GC.GetGeneration(StoredBytes.Copy("abc"u8)));
        });
    }

    [Fact]
    public void ResizeKeepsThePrefixAndZeroesTheRest()
    {
        var array = StoredBytes.Copy("abc"u8);
        StoredBytes.Resize(ref array, 5);
        Assert.Equal(new byte[] { (byte)'a', (byte)'b', (byte)'c', 0, 0 }, array);
        StoredBytes.Resize(ref array, 2);
        Assert.Equal("ab"u8.ToArray(), array);
        Assert.Empty(StoredBytes.Copy(ReadOnlySpan<byte>.Empty));
    }
}
