using System.Text;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Tests.Storage;

/// <summary>
/// The dataset's byte arrays are born old (pinned object heap), so young collections neither copy them nor
/// scan the tables that hold them: checked right after each kind of store, before any collection could
/// have promoted them.
/// </summary>
public class StoredBytesTests
{
    private static void AssertOld(byte[] array) => Assert.Equal(GC.MaxGeneration, GC.GetGeneration(array));

    [Fact]
    public void ASmallKeyTableKeepsOrdinaryArrays()
    {
        var table = new KeyTable();
        var value = Encoding.ASCII.GetBytes("value");
        int slot = table.Insert(Encoding.ASCII.GetBytes("key:1"), value);
        Assert.Same(value, table.At(slot).Value);
        Assert.Equal(0, GC.GetGeneration(table.At(slot).Key!));
    }

    [Fact]
    public void ALargeKeyTableSettlesYoungKeysAndStringValues()
    {
        var table = new KeyTable();
        for (int i = 0; i < StoredBytes.PinnedFromKeys; i++) table.Insert(Encoding.ASCII.GetBytes("filler:" + i), i);
        var key = Encoding.ASCII.GetBytes("key:1");
        var value = Encoding.ASCII.GetBytes("value");
        Assert.Equal(0, GC.GetGeneration(key));
        int slot = table.Insert(key, value);
        AssertOld(table.At(slot).Key!);
        Assert.Equal("value"u8.ToArray(), (byte[])table.At(slot).Value!);
        AssertOld((byte[])table.At(slot).Value!);

        table.SetValue(slot, Encoding.ASCII.GetBytes("other"));
        Assert.Equal("other"u8.ToArray(), (byte[])table.At(slot).Value!);
        AssertOld((byte[])table.At(slot).Value!);

        var stored = StoredBytes.Copy("kept"u8);
        table.SetValue(slot, stored);
        Assert.Same(stored, table.At(slot).Value); // an old array is taken as it is, not copied again
    }

    /// <summary>
    /// A hash table's fields and values are stored once and kept; a listpack is rebuilt on every change, so it
    /// stays on the ordinary heap, where the arrays it replaces die young instead of leaving holes among the
    /// stored ones (100k hashes of 10 fields: RSS 400 bytes a hash when listpacks were pinned, 343 now).
    /// </summary>
    [Fact]
    public void HashTableFieldsAndValuesAreOld()
    {
        var hash = new RedisHash();
        for (int i = 0; i < 200; i++) hash.Set(Encoding.ASCII.GetBytes("field:" + i), "v"u8, 128, 64);
        var table = hash.Table!;
        Assert.NotNull(table);
        for (int slot = table.NextOccupied(0); slot >= 0; slot = table.NextOccupied(slot + 1))
        {
            AssertOld(table.KeyAt(slot));
            AssertOld(table.ValueAt(slot)!);
        }
    }

    [Fact]
    public void SkipListMembersAreOld()
    {
        var zset = new ZSet();
        for (int i = 0; i < 200; i++) zset.Insert(Encoding.ASCII.GetBytes("member:" + i), i, 128, 64);
        Assert.False(zset.IsListpack);
        var cursor = zset.Iterate(0);
        int seen = 0;
        while (cursor.MoveNext())
        {
            AssertOld(cursor.MemberArray);
            seen++;
        }
        Assert.Equal(200, seen);
    }

    [Fact]
    public void ResizeKeepsThePrefixAndZeroesTheRest()
    {
        var array = StoredBytes.Copy("abc"u8);
        StoredBytes.Resize(ref array, 5);
        Assert.Equal(new byte[] { (byte)'a', (byte)'b', (byte)'c', 0, 0 }, array);
        AssertOld(array);
        StoredBytes.Resize(ref array, 2);
        Assert.Equal("ab"u8.ToArray(), array);
        Assert.Empty(StoredBytes.Copy(ReadOnlySpan<byte>.Empty));
    }
}
