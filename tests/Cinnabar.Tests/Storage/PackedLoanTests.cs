using System.Text;
using Cinnabar.Storage;
using Cinnabar.Tests.Support;
using Cinnabar.Types;

namespace Cinnabar.Tests.Storage;

/// <summary>
/// A packed value handed out as an object to code that changes objects (Storage/KeyTable.Packed.cs, loans): the
/// object is lent until the end of the command, every reader of the key meanwhile gets that same object, and it is
/// stored back (packed again while compact) when the command ends; a write that replaces, removes or edits the
/// value in place cancels the loan. Small sorted sets are kept packed this way.
/// </summary>
public class PackedLoanTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static ZSet SmallZSet(params string[] members)
    {
        var zset = new ZSet();
        for (int i = 0; i < members.Length; i++) zset.Insert(B(members[i]), i, 128, 64);
        return zset;
    }

    [Fact]
    public void ALentObjectIsWhatReadersSeeAndIsStoredBackPacked()
    {
        var table = new KeyTable();
        int slot = table.Insert(B("z"), SmallZSet("a", "b"));
        Assert.Same(KeyTable.PackedZSet, table.BoxedAt(slot));
        Assert.Equal("zset", table.TypeNameAt(slot));
        long packedBytes = table.RecordBytes;

        var copy = Assert.IsType<ZSet>(table.ValueAt(slot));
        Assert.NotSame(copy, table.ValueAt(slot)); // not lent: a new copy each time
        table.Lend(slot, copy);
        Assert.Same(copy, table.ValueAt(slot));
        copy.Insert(B("c"), 2, 128, 64);
        Assert.Equal(packedBytes, table.RecordBytes); // nothing stored before the loan comes back

        table.ReturnLoans();
        Assert.Same(KeyTable.PackedZSet, table.BoxedAt(slot));
        var after = Assert.IsType<ZSet>(table.ValueAt(slot));
        Assert.NotSame(copy, after);
        Assert.Equal(3, after.Count);
        Assert.True(after.TryGetScore(B("c"), out double score));
        Assert.Equal(2, score);
        Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);
    }

    [Fact]
    public void ALoanThatOutgrowsTheListpackComesBackAsTheObject()
    {
        var table = new KeyTable();
        int slot = table.Insert(B("z"), SmallZSet("a"));
        var copy = (ZSet)table.ValueAt(slot);
        table.Lend(slot, copy);
        copy.ConvertToSkipList();
        table.ReturnLoans();
        Assert.Same(copy, table.BoxedAt(slot));
        Assert.Equal(copy.MemoryBytes, table.ValueBytes);
        Assert.Equal(table.WalkValueBytes(), table.ValueBytes);
    }

    [Fact]
    public void WritesToTheSlotCancelTheLoan()
    {
        var table = new KeyTable();
        int slot = table.Insert(B("z"), SmallZSet("a"));

        var stale = (ZSet)table.ValueAt(slot);
        table.Lend(slot, stale);
        table.SetString(slot, B("now a string"));
        table.ReturnLoans();
        Assert.True(table.TryGetString(slot, out var s));
        Assert.Equal("now a string", Encoding.ASCII.GetString(s));

        table.SetValue(slot, SmallZSet("x"));
        stale = (ZSet)table.ValueAt(slot);
        table.Lend(slot, stale);
        stale.Insert(B("lost"), 1, 128, 64);
        table.RemoveSlot(slot);
        table.ReturnLoans();
        Assert.Equal(0, table.Count);
        Assert.Equal(0, table.RecordBytes);

        // A hash edited in place through its handle after an object was lent for it keeps the edit.
        var hash = new RedisHash();
        int h = table.Insert(B("h"), hash);
        table.Lend(h, hash);
        Assert.True(StoredHash.TryOpen(table, h, out var stored));
        stored.Set(B("f"), B("v"), 128, 64);
        table.ReturnLoans();
        Assert.True(StoredHash.TryOpen(table, h, out stored));
        Assert.Equal(1, stored.Count);
    }

    [Fact]
    public void SortedSetCommandsSeeTheirOwnChangesAndUsedMemoryFollows()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(":3\r\n", c.Call("ZADD", "z", "1", "a", "2", "b", "3", "c"));
        Assert.Equal("$8\r\nlistpack\r\n", c.Call("OBJECT", "ENCODING", "z"));
        Assert.Same(KeyTable.PackedZSet, server.Server.Databases[0].Table.BoxedAt(server.Server.Databases[0].PeekSlot("z"u8)));
        Assert.Equal("$1\r\n5\r\n", c.Call("ZINCRBY", "z", "4", "a"));
        Assert.Equal("*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n", c.Call("ZRANGE", "z", "0", "-1"));
        // In a transaction and in a script, each command sees the one before it.
        c.Call("MULTI");
        c.Call("ZADD", "z", "0", "first");
        c.Call("ZRANGE", "z", "0", "0");
        Assert.Equal("*2\r\n:1\r\n*1\r\n$5\r\nfirst\r\n", c.Call("EXEC"));
        Assert.Equal("*1\r\n$6\r\nsecond\r\n",
            c.Call("EVAL", "redis.call('ZADD', KEYS[1], -1, 'second') return redis.call('ZRANGE', KEYS[1], 0, 0)", "1", "z"));
        // Past zset-max-listpack-entries (128) the set becomes a skiplist, held as an object.
        var args = new List<string> { "ZADD", "z" };
        for (int i = 0; i < 130; i++) { args.Add(i.ToString()); args.Add("m" + i); }
        Assert.Equal(":130\r\n", c.Call(args.ToArray()));
        Assert.Equal("$8\r\nskiplist\r\n", c.Call("OBJECT", "ENCODING", "z"));
        Assert.Equal(":135\r\n", c.Call("ZCARD", "z"));
        var table = server.Server.Databases[0].Table;
        Assert.Equal(table.WalkValueBytes(), table.ValueBytes);
        Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);
        Assert.Equal(":1\r\n", c.Call("DEL", "z"));
        Assert.Equal(0, table.ValueBytes);
    }
}
