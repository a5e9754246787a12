using Cinnabar.Storage;
using System.Text;
using Cinnabar.Types;

namespace Cinnabar.Tests.Unit;

public class RedisHashTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static Dictionary<string, string> All(RedisHash h)
    {
        var d = new Dictionary<string, string>();
        Span<byte> a = stackalloc byte[Listpack.ScratchSize], b = stackalloc byte[Listpack.ScratchSize];
        for (int pos = h.First(); pos >= 0; pos = h.Next(pos))
            d.Add(Encoding.UTF8.GetString(h.FieldAt(pos, a)), Encoding.UTF8.GetString(h.ValueAt(pos, b)));
        return d;
    }

    [Fact]
    public void ConvertsPastEntryLimitAndKeepsContents()
    {
        var h = new RedisHash();
        for (int i = 0; i < 128; i++) Assert.True(h.Set(B("f" + i), B(i.ToString()), 128, 64));
        Assert.Equal("listpack", h.EncodingName);
        Assert.False(h.Set(B("f5"), B("five"), 128, 64));
        Assert.Equal("listpack", h.EncodingName);
        Assert.True(h.Set(B("f128"), B("x"), 128, 64));
        Assert.Equal("hashtable", h.EncodingName);
        var all = All(h);
        Assert.Equal(129, all.Count);
        Assert.Equal("five", all["f5"]);
        Assert.Equal("127", all["f127"]);
        for (int i = 0; i < 129; i++) h.Remove(B("f" + i));
        Assert.Equal(0, h.Count);
        Assert.Equal("hashtable", h.EncodingName); // one-way
    }

    [Theory]
    [InlineData(64, 1, "listpack")]
    [InlineData(65, 1, "hashtable")]
    [InlineData(1, 65, "hashtable")]
    public void ConvertsOnLongFieldOrValue(int fieldLength, int valueLength, string encoding)
    {
        var h = new RedisHash();
        h.Set(B(new string('f', fieldLength)), B(new string('v', valueLength)), 128, 64);
        Assert.Equal(encoding, h.EncodingName);
        Assert.Equal(1, h.Count);
    }

    [Fact]
    public void KeepsInsertionOrderAndUpdatesInPlace()
    {
        var h = new RedisHash();
        h.Set(B("b"), B("1"), 128, 64);
        h.Set(B("a"), B("2"), 128, 64);
        h.Set(B("c"), B("3"), 128, 64);
        h.Set(B("a"), B("twenty"), 128, 64);
        Assert.True(h.Remove(B("b")));
        Assert.False(h.Remove(B("b")));
        Assert.Equal(["a", "c"], All(h).Keys);
        Assert.Equal("twenty", All(h)["a"]);
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        Assert.Equal("3", Encoding.UTF8.GetString(h.ValueAt(h.Find(B("c")), scratch)));
        Assert.Equal(-1, h.Find(B("zz")));
    }
}

public class RedisSetTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static List<string> All(RedisSet s)
    {
        var list = new List<string>();
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        for (int pos = s.First(); pos >= 0; pos = s.Next(pos)) list.Add(Encoding.UTF8.GetString(s.MemberAt(pos, scratch)));
        return list;
    }

    [Fact]
    public void IntsetUntilLimitThenTable()
    {
        var s = new RedisSet();
        for (int i = 512; i >= 1; i--) s.Add(B(i.ToString()), SetLimits.Default);
        Assert.Equal("intset", s.EncodingName);
        Assert.Equal(Enumerable.Range(1, 512).Select(i => i.ToString()), All(s)); // sorted
        s.Add(B("513"), SetLimits.Default);
        Assert.Equal("hashtable", s.EncodingName);
        Assert.False(s.IsCompact);
        Assert.Equal(513, s.Count);
    }

    [Fact]
    public void NonIntegerMemberLeavesIntset()
    {
        var s = new RedisSet();
        s.Add(B("1"), SetLimits.Default);
        s.Add(B("2"), SetLimits.Default);
        s.Add(B("a"), SetLimits.Default);
        // Internally a listpack (as Redis 7.2); reported as Redis 7.0 names it.
        Assert.Equal("hashtable", s.EncodingName);
        Assert.True(s.IsCompact);
        Assert.Equal(["1", "2", "a"], All(s));
        Assert.True(s.Contains(B("1")));
        Assert.False(s.Contains(B("01")));
        Assert.True(s.Remove(B("a")));
        Assert.Equal("hashtable", s.EncodingName); // never back to intset
        Assert.Equal(2, s.Count);
    }

    [Fact]
    public void CompactListpackConvertsPastItsLimits()
    {
        var limits = new SetLimits(512, 4, 8);
        var s = new RedisSet();
        foreach (var m in new[] { "a", "b", "c", "d" }) s.Add(B(m), limits);
        Assert.True(s.IsCompact);
        s.Add(B("e"), limits);
        Assert.False(s.IsCompact);
        var t = new RedisSet();
        t.Add(B("a"), limits);
        t.Add(B("123456789"), limits); // 9 bytes > 8: the length limit counts integers as text too
        Assert.False(t.IsCompact);
        Assert.Equal(2, t.Count);
        // Many integers then a string: straight to the table when the listpack could not hold them.
        var u = new RedisSet();
        for (int i = 0; i < 10; i++) u.Add(B(i.ToString()), limits);
        u.Add(B("x"), limits);
        Assert.False(u.IsCompact);
        Assert.Equal(11, u.Count);
    }

    [Fact]
    public void RandomPositionsCoverAllEncodings()
    {
        foreach (var members in new[] { new[] { "1", "2", "3" }, new[] { "a", "b", "c" } })
        {
            var s = new RedisSet();
            foreach (var m in members) s.Add(B(m), SetLimits.Default);
            var seen = new HashSet<string>();
            var random = new Random(1);
            for (int i = 0; i < 200; i++) seen.Add(Encoding.UTF8.GetString(s.MemberBytesAt(s.RandomPosition(random))));
            Assert.Equal(members.ToHashSet(), seen);
        }
    }
}

public class BytesHashTableTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void SlotsAreStableAcrossGrowth()
    {
        var t = new BytesHashTable();
        int first = t.Add(B("k0"), B("v0"), hasValue: true);
        for (int i = 1; i < 1000; i++) t.Add(B("k" + i), B("v" + i), hasValue: true);
        Assert.Equal(first, t.Find(B("k0")));
        Assert.Equal(1000, t.Count);
        Assert.True(t.Remove(B("k500")));
        Assert.False(t.Contains(B("k500")));
        int reused = t.Add(B("new"), default, hasValue: false);
        Assert.Equal(999 + 1, t.Count);
        Assert.True(t.IsOccupied(reused));
        int visited = 0;
        for (int s = t.NextOccupied(0); s >= 0; s = t.NextOccupied(s + 1)) visited++;
        Assert.Equal(1000, visited);
    }

    /// <summary>
    /// Random adds, value changes (across size classes and the one-to-two-byte length at 128) and removals against a
    /// dictionary: every key and value reads back from its record, a clone stays as it was while the original changes,
    /// and the table's size is its arrays plus the slot sizes of exactly the live records.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RecordsMatchADictionary(int seed)
    {
        var random = new Random(seed);
        var t = new BytesHashTable();
        var model = new Dictionary<string, string>();
        BytesHashTable? clone = null;
        Dictionary<string, string>? cloneModel = null;
        string Text(int length) => new string((char)('a' + random.Next(26)), length);
        for (int step = 0; step < 4000; step++)
        {
            string key = "k" + random.Next(600) + (random.Next(4) == 0 ? Text(random.Next(200)) : "");
            int op = random.Next(10);
            if (op < 6)
            {
                string value = Text(random.Next(10) == 0 ? 100 + random.Next(200) : random.Next(40));
                int slot = t.Find(B(key));
                if (slot >= 0) t.SetValueAt(slot, B(value));
                else t.Add(B(key), B(value), hasValue: true);
                model[key] = value;
            }
            else if (op < 9)
            {
                Assert.Equal(model.Remove(key), t.Remove(B(key)));
            }
            else if (clone == null)
            {
                clone = t.Clone();
                cloneModel = new Dictionary<string, string>(model);
            }
        }
        Assert.Equal(model.Count, t.Count);
        foreach (var (key, value) in model)
        {
            int slot = t.Find(B(key));
            Assert.True(slot >= 0);
            Assert.Equal(key, Encoding.UTF8.GetString(t.KeyAt(slot)));
            Assert.Equal(value, Encoding.UTF8.GetString(t.ValueAt(slot)));
        }
        int visited = 0;
        for (int s = t.NextOccupied(0); s >= 0; s = t.NextOccupied(s + 1)) visited++;
        Assert.Equal(model.Count, visited);
        Assert.NotNull(clone);
        Assert.Equal(cloneModel!.Count, clone!.Count);
        foreach (var (key, value) in cloneModel)
            Assert.Equal(value, Encoding.UTF8.GetString(clone.ValueAt(clone.Find(B(key)))));
        // Each live record counts its slot: [key length][value length + 1][key][value], rounded up to its class.
        long records = model.Sum(p => (long)RecordSlab.SlotSizeFor(Varint.Size(p.Key.Length) + Varint.Size(p.Value.Length + 1) + p.Key.Length + p.Value.Length));
        long full = t.MemoryBytes;
        foreach (var key in model.Keys.ToList()) Assert.True(t.Remove(B(key)));
        Assert.Equal(0, t.Count);
        Assert.Equal(records, full - t.MemoryBytes);
        Assert.Equal(-1, t.NextOccupied(0));
    }

    /// <summary>
    /// A table past 1M elements doubles without rebuilding at once: the add that starts the growth allocates no
    /// managed array (as managed arrays rebuilt at once, that add waited 48-58 ms at 2M elements), and while the
    /// chains move a bucket per operation every element is found, removable and re-addable in either array.
    /// </summary>
    [Fact]
    public void GrowthMovesChainsABucketAtATime()
    {
        var t = new BytesHashTable();
        const int size = 1 << 20;
        for (int i = 0; i < size; i++) t.Add(B("m" + i), default, hasValue: false);
        Assert.Null(t.ChainLengths(1));
        var key = B("m" + size);
        long before = GC.GetAllocatedBytesForCurrentThread();
        t.Add(key, default, hasValue: false);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // A new record page (128 KB at most) may open here; the doubled int[] alone would be 8 MB.
        Assert.True(allocated < 2 * size * sizeof(int) / 32, $"starting the growth allocated {allocated} managed bytes");
        int[] moving = t.ChainLengths(1)!;
        Assert.Equal(2 * size, moving.Length);
        Assert.True(moving.Sum() < 100, "the growth moves chains a bucket per operation, not at once");
        // Mid-growth: remove and re-add some elements, find every one, in both arrays.
        for (int i = 0; i < 1000; i += 7)
        {
            Assert.True(t.Remove(B("m" + i)));
            t.Add(B("m" + i), default, hasValue: false);
        }
        Assert.NotNull(t.ChainLengths(1));
        long sizeWhileGrowing = t.MemoryBytes;
        for (int i = 0; i <= size; i++) Assert.True(t.Contains(B("m" + i)), "m" + i);
        // The lookups moved every chain but the last bucket's: a read never ends the growth, since that changes
        // the table's size, which the accounting settles after writes.
        Assert.Equal(size + 1 - t.ChainLengths(0)![size - 1], t.ChainLengths(1)!.Sum());
        Assert.Equal(sizeWhileGrowing, t.MemoryBytes);
        t.Add(B("one more"), default, hasValue: false);
        Assert.Null(t.ChainLengths(1));
        Assert.Equal(2 * size, t.ChainLengths(0)!.Length);
        Assert.Equal(size + 2, t.ChainLengths(0)!.Sum());
        Assert.Equal(size + 2, t.Count);
        Assert.True(t.Contains(B("m" + size)));
    }

    [Fact]
    public void SetMembersHaveNoValue()
    {
        var t = new BytesHashTable();
        Assert.True(t.TryAdd(B("m")));
        Assert.False(t.TryAdd(B("m")));
        Assert.True(t.ValueAt(t.Find(B("m"))).IsEmpty);
        Assert.Equal("m", Encoding.UTF8.GetString(t.KeyAt(t.Find(B("m")))));
    }

    [Fact]
    public void RandomSlotWorksWhenSparse()
    {
        var t = new BytesHashTable();
        for (int i = 0; i < 1000; i++) t.Add(B("k" + i), default, hasValue: false);
        for (int i = 1; i < 1000; i++) t.Remove(B("k" + i));
        var random = new Random(3);
        for (int i = 0; i < 10; i++) Assert.Equal("k0", Encoding.UTF8.GetString(t.KeyAt(t.RandomSlot(random))));
    }
}
