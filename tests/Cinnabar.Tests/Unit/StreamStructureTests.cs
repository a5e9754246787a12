using Cinnabar.Types;

namespace Cinnabar.Tests.Unit;

/// <summary>The stream's pieces: listpack entries, the ordered ID map, nodes and the stream against simple models.</summary>
public class StreamStructureTests
{
    private readonly struct Fields(params string[] pairs) : IStreamFieldSource
    {
        public int PairCount => pairs.Length / 2;
        public ReadOnlySpan<byte> Field(int i) => System.Text.Encoding.UTF8.GetBytes(pairs[2 * i]);
        public ReadOnlySpan<byte> Value(int i) => System.Text.Encoding.UTF8.GetBytes(pairs[2 * i + 1]);
    }

    [Theory]
    [InlineData(0L, 2)]
    [InlineData(127L, 2)]
    [InlineData(128L, 3)]
    [InlineData(-1L, 3)]
    [InlineData(-4096L, 3)]
    [InlineData(4095L, 3)]
    [InlineData(4096L, 4)]
    [InlineData(-32768L, 4)]
    [InlineData(32768L, 5)]
    [InlineData(-8388608L, 5)]
    [InlineData(8388608L, 6)]
    [InlineData(int.MinValue, 6)]
    [InlineData(long.MaxValue, 10)]
    [InlineData(long.MinValue, 10)]
    public void IntegersRoundTripWithListpackSizes(long value, int size)
    {
        var buf = new byte[32];
        Assert.Equal(size, StreamListpack.WriteInteger(buf, value));
        Assert.Equal(size, StreamListpack.IntegerSize(value));
        Assert.Equal(value, StreamListpack.ReadInteger(buf, 0));
        Assert.Equal(size, StreamListpack.Next(buf, 0));
        Assert.Equal(0, StreamListpack.Prev(buf, size));
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(63, 65)]
    [InlineData(64, 67)]
    [InlineData(125, 128)]
    [InlineData(126, 130)]
    [InlineData(4095, 4099)]
    [InlineData(4096, 4103)]
    [InlineData(20000, 20008)]
    public void StringsRoundTripWithListpackSizes(int length, int size)
    {
        var s = new byte[length];
        Array.Fill(s, (byte)'x');
        var buf = new byte[length + 16];
        Assert.Equal(size, StreamListpack.WriteString(buf, s));
        Assert.Equal(size, StreamListpack.StringSize(s));
        Span<byte> scratch = stackalloc byte[StreamListpack.ScratchSize];
        Assert.True(StreamListpack.Read(buf, 0, scratch).SequenceEqual(s));
        Assert.Equal(0, StreamListpack.Prev(buf, size));
    }

    [Fact]
    public void CanonicalIntegerTextIsStoredAsAnInteger()
    {
        var buf = new byte[32];
        Assert.Equal(2, StreamListpack.WriteString(buf, "12"u8));
        Span<byte> scratch = stackalloc byte[StreamListpack.ScratchSize];
        Assert.Equal("12", System.Text.Encoding.ASCII.GetString(StreamListpack.Read(buf, 0, scratch)));
        // Not canonical: stored as strings (header, text, backlen).
        Assert.Equal(5, StreamListpack.WriteString(buf, "012"u8));
        Assert.Equal(4, StreamListpack.WriteString(buf, "-0"u8));
    }

    [Fact]
    public void IdMapMatchesASortedModel()
    {
        var random = new Random(7);
        var map = new StreamIdMap<int>();
        var model = new SortedDictionary<StreamId, int>();
        for (int step = 0; step < 40000; step++)
        {
            var id = new StreamId((ulong)random.Next(0, 300), (ulong)random.Next(0, 30));
            if (random.Next(3) == 0)
            {
                Assert.Equal(model.Remove(id), map.Remove(id));
            }
            else
            {
                bool added = model.TryAdd(id, step);
                Assert.Equal(added, map.TryAdd(id, step));
            }
        }
        Assert.Equal(model.Count, map.Count);
        Assert.Equal(model.Select(p => (p.Key, p.Value)), map.Pairs());
        var keys = model.Keys.ToList();
        for (int i = 0; i < 500; i++)
        {
            var probe = new StreamId((ulong)random.Next(0, 301), (ulong)random.Next(0, 31));
            var lower = map.LowerBound(probe);
            var expected = keys.FirstOrDefault(k => k >= probe, StreamId.Max);
            Assert.Equal(expected, lower.IsValid ? map.KeyAt(lower) : StreamId.Max);
            var floor = map.Floor(probe);
            var expectedFloor = keys.LastOrDefault(k => k <= probe, StreamId.Max);
            Assert.Equal(expectedFloor, floor.IsValid ? map.KeyAt(floor) : StreamId.Max);
        }
        // Walking backwards from the end visits every key.
        int n = 0;
        for (var p = map.Last; p.IsValid; p = map.Prev(p)) n++;
        Assert.Equal(model.Count, n);
    }

    private static RedisStream Build(int count, long maxEntries, out List<StreamId> ids)
    {
        var stream = new RedisStream();
        ids = [];
        for (int i = 0; i < count; i++)
        {
            var id = new StreamId((ulong)(1000 + i / 3), (ulong)(i % 3));
            // Every seventh entry has other fields than its node's master entry.
            var fields = i % 7 == 0 ? new Fields("other", i.ToString()) : new Fields("a", "x", "n", i.ToString(), "c", "-5");
            stream.Append(id, fields, 4096, maxEntries);
            ids.Add(id);
        }
        return stream;
    }

    private static List<StreamId> Read(RedisStream stream, StreamId start, StreamId end, bool reverse)
    {
        var result = new List<StreamId>();
        for (var it = stream.Range(start, end, reverse); it.MoveNext();) result.Add(it.Id);
        return result;
    }

    [Fact]
    public void RangesForwardAndBackwardMatchTheEntriesAdded()
    {
        var stream = Build(20000, 100, out var ids);
        Assert.Equal(20000, stream.Length);
        Assert.True(stream.NodeCount >= 200);
        Assert.Equal(ids, Read(stream, StreamId.Zero, StreamId.Max, false));
        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            int a = random.Next(ids.Count), b = random.Next(ids.Count);
            var (lo, hi) = (ids[Math.Min(a, b)], ids[Math.Max(a, b)]);
            var expected = ids.Where(x => x >= lo && x <= hi).ToList();
            Assert.Equal(expected, Read(stream, lo, hi, false));
            expected.Reverse();
            Assert.Equal(expected, Read(stream, lo, hi, true));
        }
    }

    [Fact]
    public void FieldsOfSameFieldAndOwnFieldEntriesReadBack()
    {
        var stream = Build(50, 100, out _);
        Span<byte> s1 = stackalloc byte[StreamListpack.ScratchSize];
        Span<byte> s2 = stackalloc byte[StreamListpack.ScratchSize];
        int i = 0;
        for (var it = stream.Range(StreamId.Zero, StreamId.Max); it.MoveNext(); i++)
        {
            var pairs = new List<string>();
            var f = it.Fields();
            while (f.MoveNext())
            {
                pairs.Add(System.Text.Encoding.UTF8.GetString(f.Field(s1)));
                pairs.Add(System.Text.Encoding.UTF8.GetString(f.Value(s2)));
            }
            string[] expected = i % 7 == 0 ? ["other", i.ToString()] : ["a", "x", "n", i.ToString(), "c", "-5"];
            Assert.Equal(expected, pairs);
        }
        Assert.Equal(50, i);
    }

    [Fact]
    public void DeletesSkipEntriesAndEmptyNodesGo()
    {
        var stream = Build(1000, 10, out var ids);
        var random = new Random(11);
        var live = new List<StreamId>(ids);
        foreach (var id in ids.OrderBy(_ => random.Next()).Take(900))
        {
            Assert.True(stream.Delete(id));
            Assert.False(stream.Delete(id));
            live.Remove(id);
        }
        Assert.Equal(100, stream.Length);
        Assert.Equal(live, Read(stream, StreamId.Zero, StreamId.Max, false));
        Assert.Equal(live[0], stream.FirstId);
        Assert.Equal(live[^1], stream.LastLiveId());
        Assert.True(stream.NodeCount <= 100);
        live.Reverse();
        Assert.Equal(live, Read(stream, StreamId.Zero, StreamId.Max, true));
    }

    [Fact]
    public void TrimsAsRedis()
    {
        var stream = Build(1000, 100, out var ids);
        // Approximate trimming removes whole nodes only, while what is left stays at or above the target.
        Assert.Equal(800, stream.Trim(true, 150, default, approximate: true, limit: 0));
        Assert.Equal(200, stream.Length);
        Assert.Equal(0, stream.Trim(true, 0, default, approximate: true, limit: 50));
        Assert.Equal(100, stream.Trim(true, 99, default, approximate: true, limit: 0));
        Assert.Equal(0, stream.Trim(true, 99, default, approximate: true, limit: 0));
        // Exact trimming marks entries inside the first node.
        Assert.Equal(1, stream.Trim(true, 99, default, approximate: false, limit: 0));
        Assert.Equal(ids.Skip(901), Read(stream, StreamId.Zero, StreamId.Max, false));
        Assert.Equal(ids[901], stream.FirstId);
        Assert.Equal(9, stream.Trim(false, 0, ids[910], approximate: false, limit: 0));
        Assert.Equal(ids[910], stream.FirstId);
    }

    [Fact]
    public void RadixTreeNodeCountsOfSimpleShapes()
    {
        // Counted by hand for Redis's rax: one key is a compressed node and a leaf; two keys that differ in
        // their last byte share a compressed prefix, then a branching node with two leaves.
        var stream = new RedisStream();
        Assert.Equal(1, stream.RadixTreeNodeCount());
        stream.Append(new StreamId(1, 1), new Fields("f", "v"), 4096, 1);
        Assert.Equal(2, stream.RadixTreeNodeCount());
        stream.Append(new StreamId(1, 2), new Fields("f", "v"), 4096, 1);
        Assert.Equal(4, stream.RadixTreeNodeCount());
    }

    [Fact]
    public void CopiesAreIndependent()
    {
        var stream = Build(300, 100, out var ids);
        var group = stream.CreateGroup("g"u8, StreamId.Zero, 0)!;
        var consumer = group.CreateConsumer("c"u8, 5)!;
        group.Deliver(ids[0], consumer, 10);
        var copy = (RedisStream)stream.DeepCopy();
        stream.Delete(ids[1]);
        group.Acknowledge(ids[0]);
        Assert.Equal(300, copy.Length);
        var copiedGroup = copy.FindGroup("g"u8)!;
        Assert.Equal(1, copiedGroup.Pending.Count);
        Assert.Same(copiedGroup.FindConsumer("c"u8), copiedGroup.Pending.ValueAt(copiedGroup.Pending.First).Owner);
        Assert.Equal(1, copiedGroup.FindConsumer("c"u8)!.Pending.Count);
    }
}
