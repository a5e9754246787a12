using System.Text;
using Cinnabar.Storage;

namespace Cinnabar.Tests.Storage;

/// <summary>
/// The key table's records: keys and string values packed in pages of size classes, found by handle. What must
/// hold: a record's bytes are its own until freed, a freed slot is reused by its class, an emptied page goes,
/// the counts equal the slots, and a string write on a large table allocates nothing on the managed heap.
/// </summary>
public class RecordSlabTests
{
    [Theory]
    [InlineData(0, 8)]
    [InlineData(16, 16)]
    [InlineData(17, 24)]
    [InlineData(34, 40)]
    [InlineData(129, 144)]
    [InlineData(256, 256)]
    [InlineData(257, 288)]
    [InlineData(1025, 1152)]
    [InlineData(65536, 65536)]
    [InlineData(65537, 65537)]
    public void SizesRoundUpToTheirClass(int size, int slot) => Assert.Equal(slot, RecordSlab.SlotSizeFor(size));

    [Fact]
    public void RoundingWastesAtMostAnEighthAbove256Bytes()
    {
        for (int size = 257; size <= RecordSlab.MaxClassSize; size += 7)
            Assert.True(RecordSlab.SlotSizeFor(size) - size <= size / 8, $"size {size}: slot {RecordSlab.SlotSizeFor(size)}");
    }

    [Fact]
    public void RecordsKeepTheirBytesAndFreedSlotsAreReused()
    {
        var slab = new RecordSlab();
        var random = new Random(5);
        var live = new Dictionary<long, byte[]>();
        var freed = new HashSet<long>();
        var classes = new HashSet<int>();
        for (int step = 0; step < 20_000; step++)
        {
            if (live.Count > 0 && random.Next(3) == 0)
            {
                var handle = live.Keys.ElementAt(random.Next(live.Count));
                Assert.Equal(live[handle], slab.Slot(handle)[..live[handle].Length].ToArray());
                slab.Free(handle);
                live.Remove(handle);
                freed.Add(handle);
                continue;
            }
            int size = random.Next(8) == 0 ? random.Next(1, 100_000) : random.Next(1, 300);
            long h = slab.Allocate(size);
            if (size <= RecordSlab.MaxClassSize) classes.Add(RecordSlab.SlotSizeFor(size));
            Assert.False(live.ContainsKey(h));
            var bytes = new byte[size];
            random.NextBytes(bytes);
            bytes.CopyTo(slab.Slot(h));
            live[h] = bytes;
        }
        foreach (var (handle, bytes) in live) Assert.Equal(bytes, slab.Slot(handle)[..bytes.Length].ToArray());
        Assert.Equal(live.Count, slab.RecordCount);
        Assert.Equal(live.Keys.Sum(h => (long)slab.SlotSize(h)), slab.LiveBytes);
        Assert.True(live.Keys.Count(freed.Contains) > 100, "freed slots were not reused");
        foreach (var handle in live.Keys) slab.Free(handle);
        Assert.Equal(0, slab.LiveBytes);
        // Only the page each class allocates from may stay, and no large record's page.
        Assert.True(slab.PageCount <= classes.Count, $"{slab.PageCount} pages left for {classes.Count} classes");
    }

    [Fact]
    public void DeletingMostKeysGivesThePagesBack()
    {
        var table = new KeyTable();
        for (int i = 0; i < 200_000; i++) table.InsertString(Encoding.ASCII.GetBytes("key:" + i), "some value of 24 bytes.."u8);
        long full = table.RecordPageBytes;
        for (int i = 0; i < 200_000; i++) table.Remove(Encoding.ASCII.GetBytes("key:" + i));
        Assert.Equal(0, table.RecordBytes);
        Assert.True(table.RecordPageBytes < full / 20, $"{table.RecordPageBytes} of {full} bytes of pages kept");
    }

    /// <summary>
    /// Keys with plain string values take no managed memory: entries and records are native, so a collection has
    /// nothing of them to mark or move, and a flush leaves it nothing to free. With managed entry chunks and pages
    /// these keys would hold about 14 MB of the heap (200k 32-byte entries and 40-byte record slots, computed), and the compacting collection that gave back 10M keys' worth after a
    /// FLUSHALL stopped every thread for 83-121 ms.
    /// </summary>
    [Fact]
    public void StringKeysTakeNoManagedMemory()
    {
        var table = new KeyTable();
        Span<byte> key = stackalloc byte[16];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200_000; i++)
        {
            System.Buffers.Text.Utf8Formatter.TryFormat(i, key, out _, new System.Buffers.StandardFormat('D', 16));
            table.InsertString(key, "0123456789abcdef"u8);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(200_000, table.Count);
        Assert.True(table.RecordPageBytes >= 200_000L * 34, $"{table.RecordPageBytes} bytes of pages");
        // What is left is the chunk directory and the slab's page table, growing by doubling.
        Assert.True(allocated < 64 * 1024, $"200k string keys allocated {allocated} managed bytes");
        System.Buffers.Text.Utf8Formatter.TryFormat(123_456, key, out _, new System.Buffers.StandardFormat('D', 16));
        Assert.True(table.TryGetString(table.Find(key), out var value) && value.SequenceEqual("0123456789abcdef"u8));
    }

    [Fact]
    public void StringWritesOnALargeTableAllocateNothing()
    {
        var table = new KeyTable();
        var keys = new byte[100_000][];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = Encoding.ASCII.GetBytes("key:" + i);
            table.InsertString(keys[i], "0123456789abcdef"u8);
        }
        var values = new[] { "short"u8.ToArray(), "a value of 30 bytes..........."u8.ToArray(), new byte[300], "0123456789abcdef"u8.ToArray() };
        // Warm: every class used below has pages with room after the first round.
        for (int i = 0; i < keys.Length; i++) table.SetString(table.Find(keys[i]), values[i % values.Length]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 1; round < 4; round++)
            for (int i = 0; i < keys.Length; i++) table.SetString(table.Find(keys[i]), values[(i + round) % values.Length]);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.True(table.TryGetString(table.Find(keys[i]), out var bytes));
            Assert.Equal(values[(i + 3) % values.Length], bytes.ToArray());
            Assert.Equal(keys[i], table.KeyArray(table.Find(keys[i])));
        }
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated for 300k string writes");
    }

    [Fact]
    public void ValuesMoveBetweenTheRecordAndAnObject()
    {
        var table = new KeyTable();
        int slot = table.InsertString("k"u8, "v"u8);
        Assert.Null(table.BoxedAt(slot));
        Assert.Equal("string", table.TypeNameAt(slot));
        var list = new Cinnabar.Types.RedisList();
        table.SetValue(slot, list);
        Assert.Same(list, table.ValueAt(slot));
        Assert.Equal("k"u8.ToArray(), table.KeyArray(slot));
        table.SetString(slot, new string('x', 200).Select(c => (byte)c).ToArray());
        Assert.True(table.TryGetString(slot, out var bytes));
        Assert.Equal(200, bytes.Length);
        Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);
        Assert.Equal(0, table.ValueBytes);
    }

    [Fact]
    public void CopyFlagSurvivesAndAValueLengthFieldCanGrowInPlace()
    {
        var table = new KeyTable();
        int slot = table.InsertString("key"u8, "12"u8);
        Assert.False(table.IsUnshared(slot));
        table.MarkUnshared(slot);
        Assert.True(table.IsUnshared(slot));
        Assert.True(table.TryGetString(slot, out var v));
        Assert.Equal("12"u8.ToArray(), v.ToArray());
        // 63 bytes → 64: the value length field grows from one byte to two within the same 80-byte class.
        table.SetString(slot, new byte[63]);
        table.SetString(slot, Enumerable.Repeat((byte)'z', 70).ToArray());
        Assert.False(table.IsUnshared(slot));
        Assert.Equal("key"u8.ToArray(), table.KeyArray(slot));
        Assert.True(table.TryGetString(slot, out v));
        Assert.Equal(Enumerable.Repeat((byte)'z', 70).ToArray(), v.ToArray());
    }
}

/// <summary>
/// The key table against a dictionary, under a random mix of inserts, string and object overwrites of every
/// size (records that change class, keep it, grow their length field, and pass the largest class), removals and
/// COPY flags: every key finds its value and flag, and the counts equal what a walk finds.
/// </summary>
public class KeyTableRecordModelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TableMatchesAModel(int seed)
    {
        var random = new Random(seed);
        var table = new KeyTable();
        var model = new Dictionary<string, (object Value, bool Unshared)>();
        byte[] RandomBytes()
        {
            int length = random.Next(10) switch
            {
                0 => random.Next(200, 3000),
                1 => random.Next(0, 3) == 0 ? random.Next(65_000, 70_000) : random.Next(100, 200),
                _ => random.Next(0, 70),
            };
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }
        for (int step = 0; step < 20_000; step++)
        {
            string name = "k" + random.Next(500) + new string('x', random.Next(3) == 0 ? random.Next(100, 300) : 0);
            var key = Encoding.ASCII.GetBytes(name);
            int slot = table.Find(key);
            Assert.Equal(model.ContainsKey(name), slot >= 0);
            switch (random.Next(6))
            {
                case 0 when slot >= 0:
                    table.RemoveSlot(slot);
                    model.Remove(name);
                    break;
                case 1 when slot >= 0:
                    var list = new Cinnabar.Types.RedisList();
                    table.SetValue(slot, list);
                    model[name] = (list, false);
                    break;
                case 2 when slot >= 0:
                    table.MarkUnshared(slot);
                    if (model[name].Value is byte[]) model[name] = (model[name].Value, true);
                    break;
                default:
                    var value = RandomBytes();
                    if (slot >= 0) table.SetString(slot, value);
                    else table.InsertString(key, value);
                    model[name] = (value, false);
                    break;
            }
            if (step % 1000 != 999) continue;
            Assert.Equal(model.Count, table.Count);
            foreach (var (k, (v, unshared)) in model)
            {
                int s = table.Find(Encoding.ASCII.GetBytes(k));
                Assert.True(s >= 0, k);
                Assert.Equal(k, Encoding.ASCII.GetString(table.KeyAt(s)));
                if (v is byte[] bytes)
                {
                    Assert.True(table.TryGetString(s, out var stored));
                    Assert.True(stored.SequenceEqual(bytes), $"seed {seed} step {step}: value of {k}");
                    Assert.Equal(unshared, table.IsUnshared(s));
                }
                else Assert.Same(v, table.ValueAt(s));
            }
            Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);
        }
    }
}

public class KeyTableLongStringTests
{
    [Fact]
    public void StringsPastTheRecordLimitAreKeptAsObjects()
    {
        var table = new KeyTable { MaxRecordValueLength = 100 };
        var longValue = Enumerable.Repeat((byte)'a', 101).ToArray();
        int slot = table.InsertString("long"u8, longValue);
        Assert.IsType<Cinnabar.Types.RawString>(table.BoxedAt(slot));
        Assert.True(table.TryGetString(slot, out var bytes));
        Assert.Equal(longValue, bytes.ToArray());
        table.SetString(slot, "short"u8);
        Assert.Null(table.BoxedAt(slot));
        table.SetString(slot, longValue);
        Assert.IsType<Cinnabar.Types.RawString>(table.BoxedAt(slot));
        Assert.Equal("string", table.TypeNameAt(slot));
        Assert.Equal(table.WalkValueBytes(), table.ValueBytes);
        Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);
    }
}
