using System.Text;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Tests.Storage;

/// <summary>
/// Small lists packed in their key's record (Storage/KeyTable.Packed.cs, Types/StoredList.cs): the same random
/// operations applied to a packed list and to a plain List give the same elements, through growth and shrinking
/// across size classes and the conversion to a quicklist object when a second node is needed, with the record's
/// bytes counted exactly all along.
/// </summary>
public class PackedListTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static List<string> Contents(in StoredList list)
    {
        var result = new List<string>();
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        for (var cursor = list.Iterate(0); cursor.Valid; cursor.MoveNext()) result.Add(Encoding.ASCII.GetString(cursor.Read(scratch)));
        return result;
    }

    private static List<string> ContentsBackwards(in StoredList list)
    {
        var result = new List<string>();
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        for (var cursor = list.Iterate(list.Count - 1, reverse: true); cursor.Valid; cursor.MoveNext())
            result.Insert(0, Encoding.ASCII.GetString(cursor.Read(scratch)));
        return result;
    }

    [Fact]
    public void AnInsertedOneNodeListIsPackedAndReadsBackAsACopy()
    {
        var table = new KeyTable();
        var source = new RedisList(4);
        foreach (var s in new[] { "a", "12345", "hello" }) source.PushTail(B(s));
        int slot = table.Insert(B("queue"), source);

        Assert.Same(KeyTable.PackedList(4), table.BoxedAt(slot));
        Assert.Equal(typeof(RedisList), KeyTable.PackedType(table.BoxedAt(slot)));
        Assert.Equal("list", table.TypeNameAt(slot));
        Assert.Equal(0, table.ValueBytes);
        Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);

        var copy = Assert.IsType<RedisList>(table.ValueAt(slot));
        Assert.Equal(4, copy.Fill);
        Assert.Equal(["a", "12345", "hello"], copy.ToList().Select(Encoding.ASCII.GetString));
        copy.PushTail(B("not stored"));
        Assert.True(StoredList.TryOpen(table, slot, out var stored));
        Assert.True(stored.IsPacked);
        Assert.Equal(["a", "12345", "hello"], Contents(stored));
    }

    [Fact]
    public void AListOfTwoNodesStaysAnObject()
    {
        var table = new KeyTable();
        var source = new RedisList(2);
        foreach (var s in new[] { "a", "b", "c" }) source.PushTail(B(s));
        int slot = table.Insert(B("l"), source);
        Assert.Same(source, table.BoxedAt(slot));
    }

    [Fact]
    public void APushBeyondTheFillConvertsForGood()
    {
        var table = new KeyTable();
        int slot = table.InsertPacked(B("l"), KeyTable.PackedList(3), new byte[KeyTable.PackedListCountSize]);
        Assert.True(StoredList.TryOpen(table, slot, out var list));
        for (int i = 0; i < 3; i++) list.Push(head: false, B("e" + i));
        Assert.True(list.IsPacked);
        list.Push(head: false, B("e3"));
        Assert.False(list.IsPacked);
        var quicklist = Assert.IsType<RedisList>(table.BoxedAt(slot));
        Assert.Equal(2, quicklist.NodeCount);
        list.DropEnd(head: false);
        Assert.Same(quicklist, table.BoxedAt(slot)); // one node again, still the object
        Assert.Equal(["e0", "e1", "e2"], Contents(list));
    }

    [Theory]
    [InlineData(1, -2)]
    [InlineData(2, -2)]
    [InlineData(3, 5)]
    [InlineData(4, 1)]
    [InlineData(5, -1)]
    public void RandomOperationsMatchAList(int seed, int fill)
    {
        var random = new Random(seed);
        var table = new KeyTable();
        // Neighbours in the same pages, so a record that moves or shifts must not touch theirs.
        for (int i = 0; i < 50; i++) table.InsertString(B("pad:" + i), B(new string((char)('a' + i % 26), i % 40)));
        int slot = table.InsertPacked(B("l"), KeyTable.PackedList(fill), new byte[KeyTable.PackedListCountSize]);
        var model = new List<string>();
        Assert.True(StoredList.TryOpen(table, slot, out var list));
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        bool converted = false, everConverted = false;
        for (int step = 0; step < 4000; step++)
        {
            // Values of every width: integers of 1 to 8 bytes, short and longer strings.
            string value = random.Next(5) switch
            {
                0 => random.Next(-100, 100).ToString(),
                1 => random.NextInt64(long.MinValue / 2, long.MaxValue / 2).ToString(),
                2 => new string('x', random.Next(0, 600)),
                _ => "v" + random.Next(1000),
            };
            // Growing only up to a length past the node's edge, then anything: the list crosses the edge both ways.
            int op = random.Next(model.Count > (fill < 0 ? 120 : 20) ? 9 : 4);
            switch (op)
            {
                case 0:
                case 1:
                    list.Push(op == 0, B(value));
                    if (op == 0) model.Insert(0, value);
                    else model.Add(value);
                    break;
                case 2:
                {
                    if (model.Count == 0) break;
                    int index = random.Next(model.Count);
                    list.Set(index, B(value));
                    model[index] = value;
                    break;
                }
                case 3:
                {
                    int index = random.Next(model.Count + 1);
                    list.Insert(index, B(value));
                    model.Insert(index, value);
                    break;
                }
                case 4:
                {
                    if (model.Count == 0) break;
                    int start = random.Next(model.Count), end = random.Next(-1, model.Count);
                    list.Trim(start, end);
                    model = start > end ? [] : model.GetRange(start, end - start + 1);
                    break;
                }
                case 5:
                {
                    var positions = Enumerable.Range(0, model.Count).Where(_ => random.Next(4) == 0).ToList();
                    list.RemoveAt(positions);
                    for (int i = positions.Count - 1; i >= 0; i--) model.RemoveAt(positions[i]);
                    break;
                }
                default:
                {
                    if (model.Count == 0) break;
                    bool head = random.Next(2) == 0;
                    string expected = head ? model[0] : model[^1];
                    Assert.Equal(expected, Encoding.ASCII.GetString(list.PeekEnd(head, scratch)));
                    list.DropEnd(head);
                    model.RemoveAt(head ? 0 : model.Count - 1);
                    break;
                }
            }
            converted |= !list.IsPacked;
            everConverted |= converted;
            Assert.Equal(model.Count, list.Count);
            if (model.Count > 0)
            {
                int index = random.Next(model.Count);
                Assert.Equal(model[index], Encoding.ASCII.GetString(list.Get(index, scratch)));
            }
            if (step % 50 == 0)
            {
                Assert.Equal(model, Contents(list));
                Assert.Equal(model, ContentsBackwards(list));
            }
            Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);
            if (converted && model.Count == 0)
            {
                // The key would be deleted here; a new packed list starts over.
                table.RemoveSlot(slot);
                slot = table.InsertPacked(B("l"), KeyTable.PackedList(fill), new byte[KeyTable.PackedListCountSize]);
                Assert.True(StoredList.TryOpen(table, slot, out list));
                converted = false;
            }
        }
        Assert.Equal(model, Contents(list));
        Assert.True(everConverted, "the list never needed a second node");
    }
}
