using System.Text;
using Cinnabar.Types;

namespace Cinnabar.Tests.Unit;

/// <summary>The quicklist behind lists: node boundaries, size limits and edits, checked against a plain List.</summary>
public class RedisListTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(byte[] b) => Encoding.UTF8.GetString(b);

    private static List<string> Items(RedisList list) => list.ToList().Select(S).ToList();

    private static List<string> Reversed(RedisList list)
    {
        var items = new List<string>();
        for (var c = list.Iterate(list.Count - 1, reverse: true); c.Valid; c.MoveNext()) items.Add(S(c.ReadBytes()));
        return items;
    }

    private static RedisList Filled(int fill, int n, Func<int, string>? value = null)
    {
        var list = new RedisList(fill);
        for (int i = 0; i < n; i++) list.PushTail(B(value?.Invoke(i) ?? "value-" + i));
        return list;
    }

    [Fact]
    public void PushesAndPopsCrossNodeBoundaries()
    {
        var list = new RedisList(4);
        for (int i = 0; i < 10; i++) list.PushTail(B("t" + i));
        for (int i = 0; i < 10; i++) list.PushHead(B("h" + i));
        Assert.Equal(20, list.Count);
        Assert.Equal(6, list.NodeCount);
        var expected = Enumerable.Range(0, 10).Reverse().Select(i => "h" + i).Concat(Enumerable.Range(0, 10).Select(i => "t" + i)).ToList();
        Assert.Equal(expected, Items(list));
        Assert.Equal(Enumerable.Reverse(expected).ToList(), Reversed(list));
        for (int i = 9; i >= 0; i--) Assert.Equal("h" + i, S(list.PopHead()));
        for (int i = 9; i >= 0; i--) Assert.Equal("t" + i, S(list.PopTail()));
        Assert.Equal(0, list.Count);
        Assert.Equal(0, list.NodeCount);
        list.PushHead(B("again"));
        Assert.Equal(["again"], Items(list));
    }

    [Fact]
    public void PopsFromTheOtherEndWalkIntoTheNextNode()
    {
        var list = Filled(-1, 2000);
        Assert.True(list.NodeCount > 2);
        for (int i = 0; i < 2000; i++) Assert.Equal("value-" + i, S(list.PopHead()));
        list = Filled(-1, 2000);
        for (int i = 1999; i >= 0; i--) Assert.Equal("value-" + i, S(list.PopTail()));
    }

    [Fact]
    public void IntegersReadBackAsTheSameText()
    {
        string[] values = ["0", "-1", "127", "128", "-32768", "70000", "-9223372036854775808", "9223372036854775807", "007", "-0", "1e3", " 1", "9223372036854775808"];
        var list = new RedisList(3);
        foreach (var v in values) list.PushTail(B(v));
        Assert.Equal(values, Items(list));
        for (int i = 0; i < values.Length; i++) Assert.Equal(values[i], S(list[i]));
    }

    [Fact]
    public void EmptyAndBinaryValues()
    {
        var list = new RedisList();
        var binary = new byte[] { 0, 255, 13, 10, 0xF3, 0xFE };
        list.PushTail([]);
        list.PushTail(binary);
        list.PushHead([]);
        Assert.Equal(3, list.Count);
        Assert.Empty(list[0]);
        Assert.Equal(binary, list[2]);
        Assert.Equal(binary, list.PopTail());
        Assert.Empty(list.PopTail());
    }

    [Fact]
    public void IndexGetAndSetFromBothEnds()
    {
        var list = Filled(-1, 5000);
        foreach (int i in new[] { 0, 1, 227, 228, 2499, 2500, 2501, 4998, 4999 })
        {
            Assert.Equal("value-" + i, S(list[i]));
            list[i] = B("new-" + i);
            Assert.Equal("new-" + i, S(list[i]));
        }
        Assert.Equal(5000, list.Count);
        Assert.Equal("value-2", S(list[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => list[5000]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
    }

    [Fact]
    public void SetWithALargerValueSplitsAFullNode()
    {
        var list = Filled(-1, 1000);
        int nodes = list.NodeCount;
        var big = new string('x', 3000);
        list[500] = B(big);
        list[501] = B(big);
        Assert.True(list.NodeCount > nodes);
        Assert.Equal(big, S(list[500]));
        Assert.Equal(big, S(list[501]));
        Assert.Equal("value-499", S(list[499]));
        Assert.Equal("value-502", S(list[502]));
        Assert.Equal(1000, Items(list).Count);
    }

    [Fact]
    public void InsertInTheMiddleSplitsFullNodes()
    {
        var list = Filled(8, 32);
        var model = Items(list);
        for (int k = 0; k < 40; k++)
        {
            int at = (k * 7) % (model.Count + 1);
            list.Insert(at, B("ins" + k));
            model.Insert(at, "ins" + k);
        }
        Assert.Equal(model, Items(list));
        Assert.Equal(Enumerable.Reverse(model).ToList(), Reversed(list));
        Assert.True(list.NodeCount >= model.Count / 8);
    }

    [Fact]
    public void RemoveAtInTheMiddleMergesSmallNodes()
    {
        var list = Filled(10, 100);
        Assert.Equal(10, list.NodeCount);
        var positions = Enumerable.Range(0, 100).Where(i => i % 2 == 0).ToList();
        list.RemoveAt(positions);
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i % 2 == 1).Select(i => "value-" + i).ToList(), Items(list));
        Assert.Equal(5, list.NodeCount);
        list.RemoveAt(Enumerable.Range(0, 50).ToList());
        Assert.Equal(0, list.Count);
        Assert.Equal(0, list.NodeCount);
    }

    [Theory]
    [InlineData(0, 99)]
    [InlineData(5, 94)]
    [InlineData(10, 10)]
    [InlineData(37, 62)]
    [InlineData(0, 0)]
    [InlineData(99, 99)]
    [InlineData(50, 10)]
    [InlineData(100, 120)]
    public void TrimKeepsTheRange(int start, int end)
    {
        var list = Filled(7, 100);
        list.Trim(start, Math.Min(end, 99));
        var expected = start > end || start >= 100 ? [] : Enumerable.Range(start, Math.Min(end, 99) - start + 1).Select(i => "value-" + i).ToList();
        Assert.Equal(expected, Items(list));
        Assert.Equal(expected.Count, list.Count);
        list.PushHead(B("h"));
        list.PushTail(B("t"));
        Assert.Equal(expected.Prepend("h").Append("t").ToList(), Items(list));
    }

    [Theory]
    [InlineData(-1, 4096)]
    [InlineData(-2, 8192)]
    [InlineData(-3, 16384)]
    [InlineData(-5, 65536)]
    [InlineData(-100, 65536)]
    public void NegativeFillBoundsNodeBytes(int fill, int limit)
    {
        // 16-byte values take 18 bytes each (header, text, back length).
        var list = Filled(fill, 20000, i => i.ToString("x16"));
        int perNode = (limit - 7) / 18;   // a Redis listpack's 7 bytes of header and end count
        Assert.Equal((20000 + perNode - 1) / perNode, list.NodeCount);
        Assert.True(list.AllocatedBytes() <= 20000 * 18 + limit, $"{list.AllocatedBytes()} bytes");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(128)]
    public void PositiveFillBoundsEntriesPerNode(int fill)
    {
        var list = new RedisList(fill);
        for (int i = 0; i < 1000; i++)
        {
            if (i % 2 == 0) list.PushTail(B("v" + i));
            else list.PushHead(B("v" + i));
        }
        Assert.True(list.NodeCount >= 1000 / fill && list.NodeCount <= 1000 / fill + 2, $"{list.NodeCount} nodes");
    }

    [Fact]
    public void PositiveFillStillCapsNodesAtEightKilobytes()
    {
        var list = Filled(1000, 100, _ => new string('a', 200));
        Assert.True(list.NodeCount >= 3, $"{list.NodeCount} nodes");
    }

    [Fact]
    public void ZeroFillPutsEachElementInItsOwnNode()
    {
        var list = Filled(0, 10);
        Assert.Equal(10, list.NodeCount);
        list.Insert(5, B("mid"));
        Assert.Equal(11, list.NodeCount);
        Assert.Equal("mid", S(list[5]));
    }

    [Fact]
    public void ValuesLargerThanANodeGetTheirOwnNode()
    {
        var big = new string('z', 100_000);
        var list = new RedisList(-1);
        list.PushTail(B("a"));
        list.PushTail(B(big));
        list.PushTail(B("b"));
        list.PushHead(B(big));
        Assert.Equal(4, list.NodeCount);
        Assert.Equal([big, "a", big, "b"], Items(list));
        list.Insert(2, B(big));
        Assert.Equal([big, "a", big, big, "b"], Items(list));
        list[1] = B(big);
        Assert.Equal(big, S(list[1]));
        Assert.Equal("b", S(list.PopTail()));
        Assert.Equal(big, S(list.PopTail()));
        Assert.Equal(big, S(list.PopHead()));
    }

    [Fact]
    public void DebugFieldsCountNodesAsRedisDoes()
    {
        // Recorded from Redis 7.0.15: RPUSH of 1000 16-byte values, DEBUG OBJECT.
        var list = Filled(-2, 1000, i => "v" + i.ToString("D15"));
        Assert.Equal("ql_nodes:3 ql_avg_node:333.33 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:18021", list.DebugFields());
        var small = new RedisList(2);
        foreach (var v in new[] { "a", "b", "c", "1", "2" }) small.PushTail(B(v));
        Assert.StartsWith("ql_nodes:3 ql_avg_node:1.67 ql_listpack_max:2 ql_compressed:0 ", small.DebugFields());
    }

    [Fact]
    public void DeepCopyIsIndependent()
    {
        var list = Filled(4, 20);
        var copy = (RedisList)list.DeepCopy();
        list[3] = B("changed");
        list.PopHead();
        copy.PushTail(B("extra"));
        Assert.Equal(19, list.Count);
        Assert.Equal(21, copy.Count);
        Assert.Equal("value-3", S(copy[3]));
        Assert.Equal("extra", S(copy[20]));
        Assert.Equal("quicklist", copy.EncodingName);
    }

    [Fact]
    public void CursorMatchesByText()
    {
        var list = new RedisList();
        foreach (var v in new[] { "7", "07", "x", "7" }) list.PushTail(B(v));
        var probe = new Listpack.Probe("7"u8);
        var hits = new List<int>();
        int i = 0;
        for (var c = list.Iterate(0); c.Valid; c.MoveNext(), i++) if (c.Matches(probe)) hits.Add(i);
        Assert.Equal([0, 3], hits);
        Assert.False(list.Iterate(4).Valid);
    }

    [Theory]
    [InlineData(-2, 1)]
    [InlineData(3, 2)]
    [InlineData(1, 3)]
    [InlineData(-1, 4)]
    public void RandomEditsMatchAPlainList(int fill, int seed)
    {
        var rng = new Random(seed);
        var list = new RedisList(fill);
        var model = new List<string>();
        string NewValue() => rng.Next(4) switch
        {
            0 => rng.Next(-70000, 70000).ToString(),
            1 => "",
            2 => new string('v', rng.Next(1, 600)),
            _ => "e" + rng.Next(1000),
        };
        for (int step = 0; step < 6000; step++)
        {
            int op = rng.Next(10);
            if (op < 3 || model.Count == 0)
            {
                var v = NewValue();
                if (rng.Next(2) == 0) { list.PushHead(B(v)); model.Insert(0, v); }
                else { list.PushTail(B(v)); model.Add(v); }
            }
            else if (op == 3) { Assert.Equal(model[0], S(list.PopHead())); model.RemoveAt(0); }
            else if (op == 4) { Assert.Equal(model[^1], S(list.PopTail())); model.RemoveAt(model.Count - 1); }
            else if (op == 5)
            {
                int at = rng.Next(model.Count + 1);
                var v = NewValue();
                list.Insert(at, B(v));
                model.Insert(at, v);
            }
            else if (op == 6)
            {
                int at = rng.Next(model.Count);
                var v = NewValue();
                list[at] = B(v);
                model[at] = v;
            }
            else if (op == 7)
            {
                var positions = Enumerable.Range(0, model.Count).Where(_ => rng.Next(8) == 0).ToList();
                list.RemoveAt(positions);
                for (int k = positions.Count - 1; k >= 0; k--) model.RemoveAt(positions[k]);
            }
            else if (op == 8 && rng.Next(20) == 0)
            {
                int start = rng.Next(model.Count), end = rng.Next(model.Count);
                list.Trim(start, end);
                model = start > end ? [] : model.GetRange(start, end - start + 1);
            }
            else if (model.Count > 0)
            {
                int at = rng.Next(model.Count);
                Assert.Equal(model[at], S(list[at]));
            }
            Assert.Equal(model.Count, list.Count);
        }
        Assert.Equal(model, Items(list));
        Assert.Equal(Enumerable.Reverse(model).ToList(), Reversed(list));
    }
}
