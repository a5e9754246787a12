using System.Text;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Tests.Storage;

/// <summary>
/// Small sorted sets packed in their key's record (<see cref="KeyTable.PackedZSet"/>): commands get an object over
/// the record that edits it in place; random inserts, score updates and removals through it, or through a listpack
/// with its own array, keep the same (score, member) order as a sorted model.
/// </summary>
public class PackedZSetTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static List<(double, string)> Entries(ZSet zset)
    {
        var result = new List<(double, string)>();
        for (var c = zset.Iterate(0); c.MoveNext();) result.Add((c.Score, Encoding.ASCII.GetString(c.Member)));
        return result;
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void RandomEditsKeepOrder(int seed, bool overRecord)
    {
        var random = new Random(seed);
        var table = new KeyTable();
        for (int i = 0; i < 20; i++) table.InsertString(B("pad:" + i), B(new string('p', i * 3)));
        int slot = table.Insert(B("z"), new ZSet());
        Assert.Same(KeyTable.PackedZSet, table.BoxedAt(slot));
        var zset = overRecord ? table.ZSetViewAt(slot)! : new ZSet();
        var model = new Dictionary<string, double>();
        for (int step = 0; step < 3000; step++)
        {
            string member = "m" + random.Next(60) + new string('x', random.Next(0, 20));
            // Integer scores are stored as varints of 1 to 8 bytes, others as 8-byte doubles: every width, both
            // edges of the integers kept compact (±2^53), and changes between them.
            double score = random.Next(8) switch
            {
                0 or 1 => random.Next(-3, 3),
                2 => 1_700_000_000_000 + random.Next(1000),
                3 => random.Next(2) == 0 ? 9007199254740992.0 : -9007199254740992.0,
                4 => random.Next(2) == 0 ? 18014398509481984.0 : 1e300,
                5 => -random.Next(200_000),
                _ => Math.Round(random.NextDouble() * 100, 1),
            };
            switch (random.Next(3))
            {
                case 0:
                    Assert.Equal(model.Remove(member), zset.Remove(B(member)));
                    break;
                default:
                    if (model.ContainsKey(member)) zset.SetScore(B(member), score);
                    else zset.Insert(B(member), score, 1000, 1000);
                    model[member] = score;
                    break;
            }
            Assert.Equal(model.Count, zset.Count);
        }
        var expected = model.Select(p => (p.Value, p.Key))
            .OrderBy(e => e, Comparer<(double Score, string Member)>.Create((a, b) =>
                SkipList.Compare(a.Score, B(a.Member), b.Score, B(b.Member)))).ToList();
        Assert.Equal(expected, Entries(zset));
        if (overRecord)
        {
            Assert.True(zset.IsListpack);
            Assert.Equal(expected, Entries((ZSet)table.ValueAt(slot))); // the record holds it
            Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);
            for (int i = 0; i < 20; i++)
            {
                Assert.True(table.TryGetString(table.Find(B("pad:" + i)), out var pad));
                Assert.Equal(new string('p', i * 3), Encoding.ASCII.GetString(pad));
            }
        }
    }

    [Fact]
    public void AViewThatTurnsIntoASkiplistBecomesTheKeysValue()
    {
        var table = new KeyTable();
        int slot = table.Insert(B("z"), new ZSet());
        var view = table.ZSetViewAt(slot)!;
        for (int i = 0; i < 5; i++) view.Insert(B("m" + i), i, maxListpackEntries: 3, maxListpackValue: 64);
        Assert.Equal("skiplist", view.EncodingName);
        Assert.Same(view, table.ZSetViewAt(slot)); // lent until the command ends
        table.ReturnLoans();
        Assert.Same(view, table.BoxedAt(slot));
        Assert.Equal(5, view.Count);
        Assert.Equal(view.MemoryBytes, table.ValueBytes);
    }
}
