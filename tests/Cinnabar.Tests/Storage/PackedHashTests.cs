using System.Text;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Tests.Storage;

/// <summary>
/// Small hashes packed in their key's record (Storage/KeyTable.Packed.cs, Types/StoredHash.cs): the same random
/// edits applied to a packed hash and to a plain dictionary give the same fields, values and order of insertion,
/// through growth and shrinking across size classes, the conversion to a hashtable, and the record's bytes
/// counted exactly all along.
/// </summary>
public class PackedHashTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static Dictionary<string, string> Contents(StoredHash hash)
    {
        var result = new Dictionary<string, string>();
        Span<byte> a = stackalloc byte[Listpack.ScratchSize], b = stackalloc byte[Listpack.ScratchSize];
        for (int pos = hash.First(); pos >= 0; pos = hash.Next(pos))
            result.Add(Encoding.ASCII.GetString(hash.FieldAt(pos, a)), Encoding.ASCII.GetString(hash.ValueAt(pos, b)));
        return result;
    }

    [Fact]
    public void AnInsertedListpackHashIsPackedAndReadsBackAsACopy()
    {
        var table = new KeyTable();
        var source = new RedisHash();
        source.Set(B("f"), B("v"), 128, 64);
        source.Set(B("n"), B("12345"), 128, 64);
        int slot = table.Insert(B("user:1"), source);

        Assert.Same(KeyTable.PackedHash, table.BoxedAt(slot));
        Assert.Equal("hash", table.TypeNameAt(slot));
        Assert.False(table.IsString(slot));
        Assert.False(table.TryGetString(slot, out _));
        Assert.Equal(0, table.ValueBytes); // nothing outside the record
        Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);

        var copy = Assert.IsType<RedisHash>(table.ValueAt(slot));
        Assert.Equal("listpack", copy.EncodingName);
        Assert.Equal(2, copy.Count);
        copy.Set(B("f"), B("changed"), 128, 64);
        Assert.True(StoredHash.TryOpen(table, slot, out var stored));
        Span<byte> scratch = stackalloc byte[Listpack.ScratchSize];
        Assert.Equal("v", Encoding.ASCII.GetString(stored.ValueAt(stored.Find(B("f")), scratch)));
        Assert.Equal("12345", Encoding.ASCII.GetString(stored.ValueAt(stored.Find(B("n")), scratch)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomEditsMatchADictionary(int seed)
    {
        var random = new Random(seed);
        var table = new KeyTable();
        // Neighbours in the same pages, so a record that moves or shifts must not touch theirs.
        for (int i = 0; i < 50; i++) table.InsertString(B("pad:" + i), B(new string((char)('a' + i % 26), i % 40)));
        int slot = table.Insert(B("h"), new RedisHash());
        var model = new Dictionary<string, string>();
        var order = new List<string>();
        Assert.True(StoredHash.TryOpen(table, slot, out var hash));
        for (int step = 0; step < 3000; step++)
        {
            string field = "f" + random.Next(40);
            if (random.Next(3) == 0)
            {
                Assert.Equal(model.Remove(field), hash.Remove(B(field)));
                order.Remove(field);
            }
            else
            {
                // Values of every width: integers of 1 to 8 bytes, short and longer strings.
                string value = random.Next(4) switch
                {
                    0 => random.Next(-100, 100).ToString(),
                    1 => random.NextInt64(long.MinValue / 2, long.MaxValue / 2).ToString(),
                    2 => new string('x', random.Next(0, 30)),
                    _ => new string('y', random.Next(100, 300)),
                };
                bool added = !model.ContainsKey(field);
                Assert.Equal(added, hash.Set(B(field), B(value), maxListpackEntries: 1000, maxListpackValue: 1000));
                model[field] = value;
                if (added) order.Add(field);
            }
            Assert.True(hash.IsListpack);
            Assert.Equal(model.Count, hash.Count);
            Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);
        }
        Assert.Equal(model, Contents(hash));
        Assert.Equal(order, Contents(hash).Keys.ToList()); // a listpack keeps insertion order
        Assert.Equal(B("h"), table.KeyArray(table.Find(B("h"))));
        for (int i = 0; i < 50; i++)
        {
            Assert.True(table.TryGetString(table.Find(B("pad:" + i)), out var pad));
            Assert.Equal(new string((char)('a' + i % 26), i % 40), Encoding.ASCII.GetString(pad));
        }
    }

    [Fact]
    public void APackedHashPastItsLimitsBecomesAHashtableObjectAndTheHandleFollows()
    {
        var ledger = new SizeLedger();
        var table = new KeyTable { Ledger = ledger };
        int slot = table.Insert(B("h"), new RedisHash());
        Assert.True(StoredHash.TryOpen(table, slot, out var hash));
        for (int i = 0; i < 5; i++) hash.Set(B("f" + i), B("v" + i), maxListpackEntries: 4, maxListpackValue: 64);
        var converted = Assert.IsType<RedisHash>(table.BoxedAt(slot));
        Assert.Equal("hashtable", converted.EncodingName);
        Assert.False(hash.IsListpack);
        // Writes after the conversion reach the object in the key, and its size is counted as it grows (when the
        // command ends: the ledger settles).
        hash.Set(B("late"), B("value"), maxListpackEntries: 4, maxListpackValue: 64);
        ledger.Settle();
        Assert.Equal(6, converted.Count);
        Assert.Equal(converted.MemoryBytes, table.ValueBytes);
        Assert.Equal(table.WalkValueBytes(), table.ValueBytes);

        // A value longer than the limit converts before it is written.
        int other = table.Insert(B("long"), new RedisHash());
        Assert.True(StoredHash.TryOpen(table, other, out var second));
        second.Set(B("f"), B(new string('z', 65)), maxListpackEntries: 4, maxListpackValue: 64);
        Assert.Equal("hashtable", Assert.IsType<RedisHash>(table.BoxedAt(other)).EncodingName);
        ledger.Settle();
        Assert.Equal(table.WalkValueBytes(), table.ValueBytes);
    }

    [Fact]
    public void OverwritingAPackedHashWithAStringOrAnObjectReleasesItsBytes()
    {
        var table = new KeyTable();
        var source = new RedisHash();
        for (int i = 0; i < 20; i++) source.Set(B("field" + i), B(new string('v', 20)), 128, 64);
        int slot = table.Insert(B("h"), source);
        long packed = table.RecordBytes;
        Assert.True(packed > 20 * 20);

        table.SetString(slot, B("s"));
        Assert.Null(table.BoxedAt(slot));
        Assert.True(table.TryGetString(slot, out var s));
        Assert.Equal("s", Encoding.ASCII.GetString(s));
        Assert.True(table.RecordBytes < 32);

        table.SetValue(slot, source);
        Assert.Same(KeyTable.PackedHash, table.BoxedAt(slot));
        Assert.Equal(packed, table.RecordBytes);
        var list = new RedisList();
        table.SetValue(slot, list);
        Assert.Same(list, table.BoxedAt(slot));
        Assert.True(table.RecordBytes < 32);
        Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);
        Assert.Equal(table.WalkValueBytes(), table.ValueBytes);
        table.RemoveSlot(slot);
        Assert.Equal(0, table.RecordBytes);
        Assert.Equal(0, table.ValueBytes);
    }
}
