using System.Text;
using Cinnabar.Types;

namespace Cinnabar.Tests.Unit;

public class ListpackTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static List<string> All(byte[] lp)
    {
        var list = new List<string>();
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        for (int pos = 0; pos < lp.Length; pos += Listpack.EntrySize(lp, pos))
            list.Add(Encoding.UTF8.GetString(Listpack.Read(lp, pos, scratch)));
        return list;
    }

    [Theory]
    [InlineData("0", 2)]
    [InlineData("-128", 2)]
    [InlineData("127", 2)]
    [InlineData("128", 3)]
    [InlineData("-32768", 3)]
    [InlineData("32768", 5)]
    [InlineData("2147483648", 9)]
    [InlineData("-9223372036854775808", 9)]
    [InlineData("9223372036854775808", 20)]  // out of range: kept as text
    [InlineData("007", 4)]                   // not canonical: kept as text so it reads back the same
    [InlineData("-0", 3)]
    [InlineData("+1", 3)]
    [InlineData("", 1)]
    [InlineData("abc", 4)]
    public void EntriesUseTheSmallestEncodingAndReadBackExactly(string text, int size)
    {
        var lp = Listpack.Append(Listpack.Empty, B(text));
        Assert.Equal(size, lp.Length);
        Assert.Equal(size, Listpack.EncodedSize(B(text)));
        Assert.Equal([text], All(lp));
    }

    [Fact]
    public void LongStringsUseTheWideHeader()
    {
        var s = new string('x', 300);
        var lp = Listpack.Append(Listpack.Append(Listpack.Empty, B("a")), B(s));
        Assert.Equal(2 + 5 + 300, lp.Length);
        Assert.Equal(["a", s], All(lp));
        Assert.Equal(2, Listpack.Count(lp));
    }

    [Fact]
    public void FindMatchesTextAndIntegerForms()
    {
        var lp = Listpack.Empty;
        foreach (var s in new[] { "f1", "10", "f2", "007", "f3", "x" }) lp = Listpack.Append(lp, B(s));
        Assert.Equal(Listpack.Seek(lp, 1), Listpack.Find(lp, new Listpack.Probe(B("10"))));
        Assert.Equal(-1, Listpack.Find(lp, new Listpack.Probe(B("010"))));
        Assert.Equal(Listpack.Seek(lp, 3), Listpack.Find(lp, new Listpack.Probe(B("007"))));
        Assert.Equal(-1, Listpack.Find(lp, new Listpack.Probe(B("7"))));
        // step 2 only looks at fields (even entries)
        Assert.Equal(-1, Listpack.Find(lp, new Listpack.Probe(B("x")), step: 2));
        Assert.Equal(Listpack.Seek(lp, 4), Listpack.Find(lp, new Listpack.Probe(B("f3")), step: 2));
    }

    [Fact]
    public void EditsReplaceAndRemoveEntries()
    {
        var lp = Listpack.Append(Listpack.Append(Listpack.Empty, B("a"), B("1")), B("b"), B("2"));
        int valuePos = Listpack.Seek(lp, 1);
        lp = Listpack.ReplaceEntry(lp, valuePos, B("5")); // same size: in place
        Assert.Equal(["a", "5", "b", "2"], All(lp));
        lp = Listpack.ReplaceEntry(lp, valuePos, B("a longer value"));
        Assert.Equal(["a", "a longer value", "b", "2"], All(lp));
        lp = Listpack.ReplaceEntry(lp, Listpack.Seek(lp, 3), B("100000"));
        Assert.Equal(["a", "a longer value", "b", "100000"], All(lp));
        int pos = Listpack.Seek(lp, 0);
        lp = Listpack.RemoveRange(lp, pos, Listpack.EntrySize(lp, pos) + Listpack.EntrySize(lp, Listpack.Seek(lp, 1)));
        Assert.Equal(["b", "100000"], All(lp));
        lp = Listpack.RemoveRange(lp, 0, lp.Length);
        Assert.Empty(lp);
    }
}

public class IntSetTests
{
    private static List<long> All(byte[] set) => Enumerable.Range(0, IntSet.Count(set)).Select(i => IntSet.Get(set, i)).ToList();

    [Fact]
    public void KeepsSortedDistinctMembersInTheNarrowestWidth()
    {
        var set = IntSet.Create();
        Assert.True(IntSet.Add(ref set, 5));
        Assert.True(IntSet.Add(ref set, -3));
        Assert.True(IntSet.Add(ref set, 100));
        Assert.False(IntSet.Add(ref set, 5));
        Assert.Equal(2, IntSet.Width(set));
        Assert.Equal(1 + 3 * 2, set.Length);
        Assert.Equal([-3L, 5, 100], All(set));
    }

    [Theory]
    [InlineData(32767, 2)]
    [InlineData(-32768, 2)]
    [InlineData(32768, 4)]
    [InlineData(-32769, 4)]
    [InlineData(2147483647, 4)]
    [InlineData(2147483648, 8)]
    [InlineData(long.MinValue, 8)]
    public void UpgradesWidthForWiderMembers(long value, int width)
    {
        var set = IntSet.Create();
        IntSet.Add(ref set, 1);
        IntSet.Add(ref set, -1);
        IntSet.Add(ref set, value);
        Assert.Equal(width, IntSet.Width(set));
        Assert.Equal(1 + 3 * width, set.Length);
        Assert.Equal(new[] { -1L, 1, value }.Distinct().Order(), All(set));
        Assert.True(IntSet.Contains(set, value));
        // The width never shrinks, as in Redis.
        Assert.True(IntSet.Remove(ref set, value) || value == 1 || value == -1);
        Assert.Equal(width, IntSet.Width(set));
    }

    [Fact]
    public void RemoveAndContains()
    {
        var set = IntSet.Create();
        for (int i = 0; i < 100; i += 2) IntSet.Add(ref set, i);
        Assert.True(IntSet.Contains(set, 42));
        Assert.False(IntSet.Contains(set, 43));
        Assert.False(IntSet.Contains(set, 1L << 40)); // wider than the set: cannot be there
        Assert.True(IntSet.Remove(ref set, 42));
        Assert.False(IntSet.Remove(ref set, 42));
        Assert.Equal(49, IntSet.Count(set));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 2L).Where(v => v != 42), All(set));
    }
}
