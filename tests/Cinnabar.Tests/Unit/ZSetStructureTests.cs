using System.Text;
using Cinnabar.Types;

namespace Cinnabar.Tests.Unit;

/// <summary>The sorted set structures without sockets: skiplist spans and ranks, the compact encoding, and both behind ZSet.</summary>
public class ZSetStructureTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void SkipListKeepsScoreThenMemberOrderAndRanks()
    {
        var list = new SkipList(new Random(7));
        var model = new SortedSet<(double, string)>(Comparer<(double S, string M)>.Create((a, b) =>
            SkipList.Compare(a.S, B(a.M), b.S, B(b.M))));
        var rnd = new Random(42);
        var scores = new Dictionary<string, double>();
        var nodes = new Dictionary<string, long>();
        for (int i = 0; i < 6000; i++)
        {
            string m = "m" + rnd.Next(800) + new string('x', rnd.Next(3) * 70); // members across the varint edge
            double s = rnd.Next(50);
            long node = list.Find(B(m));
            Assert.Equal(scores.ContainsKey(m), node != 0);
            if (node != 0)
            {
                Assert.Equal(nodes[m], node); // a node keeps its record while it lives
                Assert.Equal(scores[m], list.ScoreOf(node));
                int choice = rnd.Next(3);
                if (choice == 0)
                {
                    Assert.True(list.Delete(B(m)));
                    Assert.False(list.Delete(B(m)));
                }
                else if (choice == 1) list.Delete(node);
                else
                {
                    model.Remove((scores[m], m));
                    list.UpdateScore(node, s);
                    scores[m] = s;
                    model.Add((s, m));
                    continue;
                }
                model.Remove((scores[m], m));
                scores.Remove(m);
                nodes.Remove(m);
            }
            else
            {
                nodes[m] = list.Insert(s, B(m));
                scores[m] = s;
                model.Add((s, m));
            }
        }
        Assert.Equal(model.Count, list.Count);
        long rank = 1;
        long n = list.First, prev = 0;
        foreach (var (s, m) in model)
        {
            Assert.NotEqual(0, n);
            Assert.Equal(m, Encoding.UTF8.GetString(list.MemberOf(n)));
            Assert.Equal(s, list.ScoreOf(n));
            Assert.Equal(prev, list.Previous(n));
            Assert.Equal(rank, list.GetRank(s, B(m)));
            Assert.Equal(n, list.GetByRank(rank));
            prev = n;
            n = list.Next(n);
            rank++;
        }
        Assert.Equal(0, n);
        Assert.Equal(prev, list.Last);
        Assert.Equal(0, list.GetRank(1000, B("absent")));
        Assert.Equal(0, list.GetByRank(0));
        Assert.Equal(0, list.GetByRank(list.Count + 1));
        foreach (var m in scores.Keys.ToList()) Assert.True(list.Delete(B(m)));
        Assert.Equal((0L, 0L, 0L), (list.Count, list.First, list.Last));
    }

    [Fact]
    public void CountWhileTurnsScoreBoundsIntoRanks()
    {
        var list = new SkipList();
        for (int i = 0; i < 100; i++) list.Insert(i / 2, B("m" + i.ToString("D3")));
        Assert.Equal(20, list.CountWhile(new ScoreRange.BelowMin(new ScoreBound(10, false))));
        Assert.Equal(22, list.CountWhile(new ScoreRange.BelowMin(new ScoreBound(10, true))));
        Assert.Equal(22, list.CountWhile(new ScoreRange.NotAboveMax(new ScoreBound(10, false))));
        Assert.Equal(20, list.CountWhile(new ScoreRange.NotAboveMax(new ScoreBound(10, true))));
        Assert.Equal(100, list.CountWhile(new ScoreRange.NotAboveMax(new ScoreBound(double.PositiveInfinity, false))));
    }

    [Fact]
    public void ListpackInsertsInOrderAndRemovesRanges()
    {
        var lp = new ZSetListpack();
        lp.Insert(B("c"), 3);
        lp.Insert(B("a"), 1);
        lp.Insert(B("b"), 1);
        lp.Insert(B(new string('x', 300)), 2); // a multi-byte length prefix
        lp.Insert(B("z"), -0.0);
        var seen = new List<(string, double)>();
        for (int o = 0; o < lp.End;)
        {
            o = lp.Read(o, out var m, out var s);
            seen.Add((Encoding.UTF8.GetString(m), s));
        }
        Assert.Equal(new[] { ("z", 0.0), ("a", 1.0), ("b", 1.0), (new string('x', 300), 2.0), ("c", 3.0) }, seen);
        Assert.False(double.IsNegative(seen[0].Item2)); // "-0" reads back as 0, as in Redis's listpack
        Assert.True(lp.TryFind(B("c"), out int index, out int offset, out double score));
        Assert.Equal((4, 3.0), (index, score));
        lp.UpdateScore(offset, -1);
        Assert.True(lp.TryFind(B("c"), out index, out _, out _));
        Assert.Equal(0, index);
        lp.RemoveAt(lp.OffsetOf(1), 3);
        Assert.Equal(2, lp.Count);
        lp.Read(lp.OffsetOf(1), out var last, out _);
        Assert.Equal("x", Encoding.UTF8.GetString(last[..1]));
        Assert.False(lp.TryFind(B("a"), out _, out _, out _));
    }

    [Theory]
    [InlineData(128)]
    [InlineData(0)]
    public void ZSetBehavesTheSameInBothEncodings(int maxEntries)
    {
        var z = new ZSet();
        for (int i = 0; i < 50; i++) z.Insert(B("m" + i), i % 7, maxEntries, 64);
        Assert.Equal(maxEntries == 0 ? "skiplist" : "listpack", z.EncodingName);
        Assert.Equal(50, z.Count);
        Assert.True(z.TryGetScore(B("m10"), out double s10));
        Assert.Equal(3, s10);
        z.SetScore(B("m10"), 100);
        Assert.Equal(49, z.RankOf(B("m10"), out _));
        var (start, end) = z.RankRange(new ScoreRange(new ScoreBound(2, false), new ScoreBound(3, true)));
        Assert.Equal(7, end - start); // scores of exactly 2
        var back = z.Iterate(49, reverse: true);
        Assert.True(back.MoveNext());
        Assert.Equal("m10", Encoding.UTF8.GetString(back.Member));
        Assert.True(back.MoveNext());
        Assert.Equal(6, back.Score);
        z.RemoveRankRange(0, 10);
        Assert.Equal(40, z.Count);
        Assert.True(z.Remove(B("m10")));
        Assert.False(z.Remove(B("m10")));
        Assert.Equal(-1, z.RankOf(B("m10"), out _));
    }

    [Fact]
    public void ZSetConvertsPastTheMemberLengthLimit()
    {
        var z = new ZSet();
        z.Insert(B("short"), 1, 128, 5);
        Assert.Equal("listpack", z.EncodingName);
        z.Insert(B("longer"), 2, 128, 5);
        Assert.Equal("skiplist", z.EncodingName);
        Assert.Equal(1, z.RankOf(B("longer"), out double s));
        Assert.Equal(2, s);
    }

    [Theory]
    [InlineData("1.5", 1.5, false)]
    [InlineData("(1.5", 1.5, true)]
    [InlineData("-inf", double.NegativeInfinity, false)]
    [InlineData("(+inf", double.PositiveInfinity, true)]
    [InlineData("", 0, false)]
    [InlineData(" 2", 2, false)]
    [InlineData("1e400", double.PositiveInfinity, false)]
    public void ScoreBoundsParseAsRedis(string text, double value, bool exclusive)
    {
        Assert.True(ScoreBound.TryParse(B(text), out var bound));
        Assert.Equal(new ScoreBound(value, exclusive), bound);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("abc")]
    [InlineData("1 ")]
    [InlineData("(x")]
    public void BadScoreBoundsAreRefused(string text) => Assert.False(ScoreBound.TryParse(B(text), out _));

    [Theory]
    [InlineData("-", true)]
    [InlineData("+", true)]
    [InlineData("[a", true)]
    [InlineData("(a", true)]
    [InlineData("[", true)]
    [InlineData("a", false)]
    [InlineData("", false)]
    [InlineData("-a", false)]
    public void LexBoundsParseAsRedis(string text, bool ok) => Assert.Equal(ok, LexBound.TryParse(B(text), out _));
}

/// <summary>Score arguments read with Redis's strtod rules (each case checked with ZADD on redis 7.0.15).</summary>
public class ScoreArgumentParsingTests
{
    [Theory]
    [InlineData("0x10", 16)]
    [InlineData("0x1p3", 8)]
    [InlineData("-0x1.8p1", -3)]
    [InlineData("0X1P-2", 0.25)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5)]
    [InlineData("+5", 5)]
    [InlineData("-INF", double.NegativeInfinity)]
    [InlineData("infinity", double.PositiveInfinity)]
    [InlineData("4.9e-324", 4.9e-324)]
    [InlineData("1e308", 1e308)]
    public void Accepted(string text, double expected)
    {
        Assert.True(Strtod.TryParseScoreArgument(Encoding.ASCII.GetBytes(text), out double v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("1e-400")]   // underflow to zero
    [InlineData("1.7976931348623157e309")] // overflow
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("nan")]
    [InlineData("1e")]
    [InlineData("e1")]
    [InlineData("0x")]
    [InlineData("1_0")]
    [InlineData("")]
    [InlineData(".")]
    public void Refused(string text) => Assert.False(Strtod.TryParseScoreArgument(Encoding.ASCII.GetBytes(text), out _));
}

/// <summary>COPY's deep copy of a sorted set: same encoding, independent contents.</summary>
public class ZSetCopyTests
{
    [Theory]
    [InlineData(128, "listpack")]
    [InlineData(0, "skiplist")]
    public void DeepCopyIsIndependentAndKeepsTheEncoding(int maxEntries, string encoding)
    {
        var z = new ZSet();
        for (int i = 0; i < 20; i++) z.Insert(Encoding.ASCII.GetBytes("m" + i), i, maxEntries, 64);
        var copy = (ZSet)((Cinnabar.Storage.IRedisValue)z).DeepCopy();
        Assert.Equal(encoding, copy.EncodingName);
        z.Remove("m3"u8);
        z.SetScore("m4"u8, 100);
        Assert.Equal(20, copy.Count);
        Assert.True(copy.TryGetScore("m3"u8, out _));
        Assert.True(copy.TryGetScore("m4"u8, out double s4));
        Assert.Equal(4, s4);
        Assert.Equal(19, z.RankOf("m4"u8, out _) + 1);
        Assert.Equal(4, copy.RankOf("m4"u8, out _));
    }
}
