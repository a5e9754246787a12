using System.Text;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Tests.Storage;

/// <summary>
/// Small sets packed in their key's record (Storage/KeyTable.Packed.cs, Types/StoredSet.cs): random adds and
/// removes on a packed set and on a plain HashSet give the same members, through the intset's widths, the change
/// to a listpack and to a hashtable, with the record's bytes counted exactly all along; an intset keeps its
/// members sorted, as Redis's does.
/// </summary>
public class PackedSetTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);
    private static readonly SetLimits Limits = new(MaxIntsetEntries: 60, MaxListpackEntries: 40, MaxListpackValue: 20);

    private static List<string> Members(in StoredSet set)
    {
        var result = new List<string>();
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        for (int pos = set.First(); pos >= 0; pos = set.Next(pos)) result.Add(Encoding.ASCII.GetString(set.MemberAt(pos, scratch)));
        return result;
    }

    private static string Encoding_(KeyTable table, int slot) => table.BoxedAt(slot) switch
    {
        var b when ReferenceEquals(b, KeyTable.PackedIntSet) => "intset",
        var b when ReferenceEquals(b, KeyTable.PackedSetListpack) => "listpack",
        RedisSet => "table",
        var b => throw new InvalidOperationException("not a set: " + b),
    };

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void RandomEditsMatchAHashSet(int seed, bool strings)
    {
        var random = new Random(seed);
        var table = new KeyTable();
        for (int i = 0; i < 30; i++) table.InsertString(B("pad:" + i), B(new string('p', i)));
        var ledger = new SizeLedger();
        table.Ledger = ledger;
        int slot = table.Insert(B("s"), new RedisSet());
        Assert.Equal("intset", Encoding_(table, slot));
        var model = new HashSet<string>();
        var seen = new HashSet<string>();
        for (int step = 0; step < 2000; step++)
        {
            // Each step is a command: a write lookup (which notes an object value, to count it at the end) and the
            // end of the command (the ledger settles).
            Assert.True(StoredSet.TryOpen(table, slot, out var set));
            if (table.BoxedAt(slot) is IRedisValue boxed) ledger.Note(table, boxed);
            // Integers of every intset width; with strings, short and (past the listpack limit) long ones.
            string member = random.Next(5) switch
            {
                0 => random.Next(-50, 50).ToString(),
                1 => random.Next(-40000, 40000).ToString(),
                2 => random.NextInt64(-5_000_000_000, 5_000_000_000).ToString(),
                3 when strings => "m" + random.Next(30),
                4 when strings && random.Next(20) == 0 => new string('L', 25),
                _ => random.Next(-20, 20).ToString(),
            };
            if (random.Next(3) == 0)
            {
                Assert.Equal(model.Remove(member), set.Remove(B(member)));
            }
            else
            {
                Assert.Equal(model.Add(member), set.Add(B(member), Limits));
                seen.Add(member);
            }
            ledger.Settle();
            Assert.Equal(model.Count, set.Count);
            Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);
            Assert.Equal(table.WalkValueBytes(), table.ValueBytes);
            foreach (var probe in seen) Assert.Equal(model.Contains(probe), set.Contains(B(probe)));
            var members = Members(set);
            Assert.Equal(model.OrderBy(m => m), members.OrderBy(m => m));
            if (set.IsIntSet) Assert.Equal(members.Select(long.Parse).Order(), members.Select(long.Parse));
        }
        // Only integers, at most 60 of them, never 5 billion: the set may stay an intset; strings must leave it.
        if (strings) Assert.NotEqual("intset", Encoding_(table, slot));
        for (int i = 0; i < 30; i++)
        {
            Assert.True(table.TryGetString(table.Find(B("pad:" + i)), out var pad));
            Assert.Equal(new string('p', i), Encoding.ASCII.GetString(pad));
        }
    }

    [Fact]
    public void EncodingsChangeAsRedisChangesThem()
    {
        var ledger = new SizeLedger();
        var table = new KeyTable { Ledger = ledger };
        int slot = table.Insert(B("s"), new RedisSet());
        Assert.True(StoredSet.TryOpen(table, slot, out var set));
        set.Add(B("1"), Limits);
        set.Add(B("70000"), Limits); // wider: the intset upgrades to 4-byte members
        Assert.Equal("intset", Encoding_(table, slot));
        Assert.Equal(["1", "70000"], Members(set));
        set.Add(B("abc"), Limits);
        Assert.Equal("listpack", Encoding_(table, slot));
        Assert.True(set.Contains(B("70000")));
        set.Add(B(new string('x', 21)), Limits); // longer than the listpack's value limit
        Assert.Equal("table", Encoding_(table, slot));
        Assert.Equal(4, set.Count);
        Assert.False(set.IsCompact);
        Assert.Equal(table.WalkValueBytes(), table.ValueBytes);

        // 61 integers pass the intset's limit of 60: a hashtable, not a listpack.
        int ints = table.Insert(B("ints"), new RedisSet());
        Assert.True(StoredSet.TryOpen(table, ints, out var many));
        for (int i = 0; i < 60; i++) many.Add(B(i.ToString()), Limits);
        Assert.Equal("intset", Encoding_(table, ints));
        many.Add(B("60"), Limits);
        Assert.Equal("table", Encoding_(table, ints));
        // Members added after the change, in the same command, are counted when it ends.
        for (int i = 61; i < 100; i++) many.Add(B(i.ToString()), Limits);
        ledger.Settle();
        Assert.Equal(100, many.Count);
        Assert.Equal(table.WalkValueBytes(), table.ValueBytes);
    }

    [Fact]
    public void APackedSetReadsBackAsACopyOfItsEncoding()
    {
        var table = new KeyTable();
        var source = new RedisSet();
        foreach (var m in new[] { "3", "1", "2" }) source.Add(B(m), SetLimits.Default);
        int slot = table.Insert(B("s"), source);
        Assert.Equal("set", table.TypeNameAt(slot));
        var copy = Assert.IsType<RedisSet>(table.ValueAt(slot));
        Assert.Equal("intset", copy.EncodingName);
        copy.Add(B("4"), SetLimits.Default);
        Assert.True(StoredSet.TryOpen(table, slot, out var stored));
        Assert.Equal(["1", "2", "3"], Members(stored));
        Assert.False(StoredHash.TryOpen(table, slot, out _));
    }
}
