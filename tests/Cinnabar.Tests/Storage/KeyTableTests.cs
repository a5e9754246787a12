using System.Text;
using Cinnabar.Storage;

namespace Cinnabar.Tests.Storage;

public class KeyTableTests
{
    private static byte[] K(int i) => Encoding.ASCII.GetBytes("key:" + i);

    /// <summary>Checks every structural promise: each live key is found in its own slot, counts agree.</summary>
    private static void AssertConsistent(KeyTable table, IReadOnlyCollection<int> live)
    {
        Assert.Equal(live.Count, table.Count);
        foreach (int i in live)
        {
            int slot = table.Find(K(i));
            Assert.True(slot >= 0, $"key:{i} not found");
            Assert.Equal(K(i), table.KeyArray(slot));
            Assert.Equal(i, (int)table.ValueAt(slot));
        }
        Assert.Equal(live.Count, table.Slots().Count());
    }

    /// <summary>
    /// The insert that starts a doubling gets its new bucket array outside the managed heap: as a zeroed int[]
    /// of 16M buckets it cost that one command 240 ms at 8M keys (the runtime zeroes and faults in the pages,
    /// a full collection may run first). The table still counts the arrays' bytes as its overhead.
    /// </summary>
    [Fact]
    public void ADoublingAllocatesNoManagedBucketArray()
    {
        var table = new KeyTable();
        int i = 0;
        void InsertNext()
        {
            table.Insert(K(i), i);
            i++;
        }
        while (table.BucketCount < 1 << 20 || table.IsRehashing) InsertNext();
        int buckets = table.BucketCount;
        while (table.Count < buckets) InsertNext();
        Assert.False(table.IsRehashing);
        var key = K(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        table.Insert(key, i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(table.IsRehashing, "the insert past one key per bucket starts the doubling");
        // The key's slot may open a new entry chunk here (native, its object array managed: 128 KB); an int[] of
        // the new buckets would add 8 MB.
        Assert.True(allocated < 2L * buckets * sizeof(int) / 8, $"the doubling to {2 * buckets} buckets allocated {allocated} managed bytes");
        Assert.Equal(3L * buckets * sizeof(int), table.BucketBytes);
        while (table.RehashStep(1000)) { }
        Assert.Equal(2L * buckets * sizeof(int), table.BucketBytes);
        AssertConsistent(table, Enumerable.Range(0, i + 1).ToList());
    }

    /// <summary>
    /// The volatile-key index grows and shrinks in place: as managed arrays, the SET ... EX that doubled it at 8M
    /// keys with a TTL waited 367 ms for the copy into arrays twice as large. Its bytes are still counted, and
    /// every key keeps its expire time through the resizes.
    /// </summary>
    [Fact]
    public void TheVolatileIndexResizesWithoutManagedArrays()
    {
        var table = new KeyTable();
        const int keys = 1 << 20;
        for (int i = 0; i < keys; i++) table.Insert(K(i), i);
        for (int i = 0; i < keys - 1; i++) table.SetExpire(table.Find(K(i)), 1_000_000L + i);
        Assert.Equal(keys, table.VolatileCapacity);
        int last = table.Find(K(keys - 1));
        table.SetExpire(last, 1_000_000L + keys - 1);
        Assert.Equal(keys, table.VolatileCapacity);
        table.Insert(K(keys), keys);
        long before = GC.GetAllocatedBytesForCurrentThread();
        table.SetExpire(table.Find(K(keys)), 1_000_000L + keys);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2 * keys, table.VolatileCapacity);
        Assert.True(allocated < 1024, $"doubling the volatile index allocated {allocated} managed bytes");
        Assert.Equal(2L * keys * (sizeof(int) + sizeof(long)), table.ExpiresOverheadBytes);
        for (int i = 0; i <= keys; i++) Assert.Equal(1_000_000L + i, table.GetExpire(table.Find(K(i))));
        // Down to a quarter: the index halves, in place too.
        for (int i = 0; i < keys / 2 + 2; i++) table.ClearExpire(table.Find(K(i)));
        Assert.Equal(keys, table.VolatileCapacity);
        for (int i = keys / 2 + 2; i <= keys; i++) Assert.Equal(1_000_000L + i, table.GetExpire(table.Find(K(i))));
        Assert.Equal(-1, table.GetExpire(table.Find(K(1))));
    }

    [Fact]
    public void InsertFindRemoveAcrossGrowthAndShrink()
    {
        var table = new KeyTable();
        var live = new HashSet<int>();
        for (int i = 0; i < 50_000; i++)
        {
            table.Insert(K(i), i);
            live.Add(i);
        }
        AssertConsistent(table, live);
        Assert.Equal(-1, table.Find("absent"u8));
        int bucketsAtPeak = table.BucketCount;

        for (int i = 0; i < 50_000; i++)
        {
            if (i % 100 == 0) continue;
            Assert.True(table.Remove(K(i)));
            live.Remove(i);
        }
        Assert.False(table.Remove(K(1)));
        while (table.RehashStep(1000)) { }
        AssertConsistent(table, live);
        Assert.True(table.BucketCount < bucketsAtPeak / 10, $"table did not shrink: {table.BucketCount} buckets for {table.Count} keys");

        foreach (int i in live.ToList())
        {
            Assert.True(table.Remove(K(i)));
            live.Remove(i);
        }
        AssertConsistent(table, live);
        table.Insert(K(7), 7);
        live.Add(7);
        AssertConsistent(table, live);
    }

    [Fact]
    public void OperationsDuringIncrementalRehash()
    {
        var table = new KeyTable();
        var live = new HashSet<int>();
        int next = 0;
        // Grow until a resize starts, then keep working while it is in progress.
        while (!table.IsRehashing || table.Count < 1000)
        {
            table.Insert(K(next), next);
            live.Add(next++);
        }
        Assert.True(table.IsRehashing);
        AssertConsistent(table, live);

        var random = new Random(1);
        for (int round = 0; round < 5000; round++)
        {
            if (random.Next(3) == 0 && live.Count > 0)
            {
                int victim = live.ElementAt(random.Next(live.Count));
                Assert.True(table.Remove(K(victim)));
                live.Remove(victim);
            }
            else
            {
                table.Insert(K(next), next);
                live.Add(next++);
            }
            if (round % 500 == 0) AssertConsistent(table, live);
        }
        while (table.RehashStep(100)) { }
        Assert.False(table.IsRehashing);
        AssertConsistent(table, live);
    }

    [Fact]
    public void FreedSlotsAreReusedAndSlotsNeverMove()
    {
        var table = new KeyTable();
        var slots = new Dictionary<int, int>();
        for (int i = 0; i < 20_000; i++) slots[i] = table.Insert(K(i), i);
        // Resizes must not move entries between slots.
        while (table.RehashStep(1000)) { }
        foreach (var (i, slot) in slots) Assert.Equal(slot, table.Find(K(i)));

        int freed = slots[123];
        table.RemoveSlot(freed);
        int reused = table.Insert(K(-1), -1);
        Assert.Equal(freed, reused);
        Assert.Equal(0, table.At(reused).ExpirePos);
    }

    [Fact]
    public void VolatileIndexFollowsExpireChangesAndRemovals()
    {
        var table = new KeyTable();
        var expires = new Dictionary<int, long>();
        var slotOf = new Dictionary<int, int>();
        for (int i = 0; i < 2000; i++) slotOf[i] = table.Insert(K(i), i);
        var random = new Random(2);
        for (int round = 0; round < 20_000; round++)
        {
            int i = random.Next(2000);
            if (!slotOf.TryGetValue(i, out int slot))
            {
                slotOf[i] = table.Insert(K(i), i);
                continue;
            }
            switch (random.Next(4))
            {
                case 0:
                case 1:
                    long when = random.NextInt64(1, long.MaxValue);
                    table.SetExpire(slot, when);
                    expires[i] = when;
                    break;
                case 2:
                    Assert.Equal(expires.Remove(i), table.ClearExpire(slot));
                    break;
                default:
                    table.RemoveSlot(slot);
                    slotOf.Remove(i);
                    expires.Remove(i);
                    break;
            }
        }
        Assert.Equal(expires.Count, table.VolatileCount);
        foreach (var (i, slot) in slotOf)
            Assert.Equal(expires.TryGetValue(i, out long when) ? when : -1, table.GetExpire(slot));
        for (int n = 0; n < 1000; n++)
        {
            var (slot, when) = table.RandomVolatile(random);
            int i = (int)table.ValueAt(slot);
            Assert.Equal(expires[i], when);
        }
    }

    [Fact]
    public void RandomSlotReturnsLiveKeysAlsoWhileRehashing()
    {
        var table = new KeyTable();
        var random = new Random(3);
        Assert.Equal(-1, table.RandomSlot(random));
        for (int i = 0; i < 3000; i++) table.Insert(K(i), i);
        for (int i = 0; i < 3000; i += 2) table.Remove(K(i));
        var seen = new HashSet<int>();
        for (int n = 0; n < 20_000; n++)
        {
            int slot = table.RandomSlot(random);
            Assert.True(table.IsOccupied(slot));
            seen.Add((int)table.ValueAt(slot));
        }
        Assert.All(seen, i => Assert.Equal(1, i % 2));
        Assert.True(seen.Count > 1400, $"only {seen.Count} of 1500 keys ever sampled");
    }

    [Fact]
    public void ScanOfStaticTableReturnsEveryKeyOnce()
    {
        var table = new KeyTable();
        for (int i = 0; i < 10_000; i++) table.Insert(K(i), i);
        var seen = new List<int>();
        var output = new List<int>();
        ulong cursor = 0;
        do
        {
            output.Clear();
            cursor = table.Scan(cursor, output);
            seen.AddRange(output.Select(s => (int)table.ValueAt(s)));
        } while (cursor != 0);
        Assert.Equal(10_000, seen.Count);
        Assert.Equal(10_000, seen.Distinct().Count());
    }

    /// <summary>
    /// SCAN's guarantee: a key present for the whole scan is returned, however the table grows, shrinks or
    /// rehashes between calls. Keys 0..N-1 stay; other keys come and go in waves large enough to force
    /// several resizes in both directions during one scan.
    /// </summary>
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void ScanReturnsEveryStableKeyDespiteResizes(int seed)
    {
        var random = new Random(seed);
        var table = new KeyTable();
        int stable = random.Next(200, 3000);
        for (int i = 0; i < stable; i++) table.Insert(K(i), i);
        var transient = new List<int>();
        int nextTransient = 1_000_000;

        var seen = new HashSet<int>();
        var output = new List<int>();
        ulong cursor = 0;
        int calls = 0, resizesSeen = 0;
        bool wasRehashing = false;
        do
        {
            output.Clear();
            cursor = table.Scan(cursor, output);
            foreach (int s in output) seen.Add((int)table.ValueAt(s));
            calls++;

            // Alternate waves: grow by many keys, then drop most transient keys to force a shrink.
            bool growing = (calls / 40) % 2 == 0;
            int changes = random.Next(0, 400);
            for (int n = 0; n < changes; n++)
            {
                if (growing || transient.Count == 0)
                {
                    table.Insert(K(nextTransient), nextTransient);
                    transient.Add(nextTransient++);
                }
                else
                {
                    int at = random.Next(transient.Count);
                    Assert.True(table.Remove(K(transient[at])));
                    transient[at] = transient[^1];
                    transient.RemoveAt(transient.Count - 1);
                }
            }
            if (random.Next(4) == 0) table.RehashStep(random.Next(1, 50));
            if (table.IsRehashing && !wasRehashing) resizesSeen++;
            wasRehashing = table.IsRehashing;
            Assert.True(calls < 10_000_000);
        } while (cursor != 0);

        var missing = Enumerable.Range(0, stable).Where(i => !seen.Contains(i)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} stable keys missed, e.g. {string.Join(",", missing.Take(5))}");
        Assert.True(resizesSeen >= 2, $"only {resizesSeen} resizes happened during the scan");
    }
}
