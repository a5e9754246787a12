using System.Text;
using Cinnabar.Storage;
using Cinnabar.Tests.Support;
using Cinnabar.Types;

namespace Cinnabar.Tests.Storage;

/// <summary>
/// A packed value handed out as an object to code that changes objects (Storage/KeyTable.Packed.cs, loans): the
/// object is lent until the end of the command, every reader of the key meanwhile gets that same object, and it is
/// stored back (packed again while compact) when the command ends; a write that replaces, removes or edits the
/// value in place cancels the loan.
/// </summary>
public class PackedLoanTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static RedisSet SmallSet(params string[] members)
    {
        var set = new RedisSet();
        foreach (var m in members) set.Add(B(m), SetLimits.Default);
        return set;
    }

    [Fact]
    public void ALentObjectIsWhatReadersSeeAndIsStoredBackPacked()
    {
        var table = new KeyTable();
        int slot = table.Insert(B("s"), SmallSet("a", "b"));
        Assert.Same(KeyTable.PackedSetListpack, table.BoxedAt(slot));
        long packedBytes = table.RecordBytes;

        var copy = Assert.IsType<RedisSet>(table.ValueAt(slot));
        Assert.NotSame(copy, table.ValueAt(slot)); // not lent: a new copy each time
        table.Lend(slot, copy);
        Assert.Same(copy, table.ValueAt(slot));
        Assert.Same(copy, table.LoanOf(slot));
        copy.Add(B("c"), SetLimits.Default);
        Assert.Equal(packedBytes, table.RecordBytes); // nothing stored before the loan comes back

        table.ReturnLoans();
        Assert.Null(table.LoanOf(slot));
        Assert.Same(KeyTable.PackedSetListpack, table.BoxedAt(slot));
        Assert.True(StoredSet.TryOpen(table, slot, out var stored));
        Assert.Equal(3, stored.Count);
        Assert.True(stored.Contains(B("c")));
        Assert.Equal(table.WalkRecordBytes(), table.RecordBytes);
    }

    [Fact]
    public void ALoanThatOutgrowsItsCompactEncodingComesBackAsTheObject()
    {
        var table = new KeyTable();
        var hash = new RedisHash();
        hash.Set(B("f"), B("v"), 128, 64);
        int slot = table.Insert(B("h"), hash);
        var copy = (RedisHash)table.ValueAt(slot);
        table.Lend(slot, copy);
        copy.Set(B("long"), B(new string('x', 100)), 128, 64);
        Assert.Equal("hashtable", copy.EncodingName);
        table.ReturnLoans();
        Assert.Same(copy, table.BoxedAt(slot));
        Assert.Equal(copy.MemoryBytes, table.ValueBytes);
        Assert.Equal(table.WalkValueBytes(), table.ValueBytes);
    }

    [Fact]
    public void WritesToTheSlotCancelTheLoan()
    {
        var table = new KeyTable();
        int slot = table.Insert(B("s"), SmallSet("1"));

        var stale = (RedisSet)table.ValueAt(slot);
        table.Lend(slot, stale);
        table.SetString(slot, B("now a string"));
        table.ReturnLoans();
        Assert.True(table.TryGetString(slot, out var s));
        Assert.Equal("now a string", Encoding.ASCII.GetString(s));

        table.SetValue(slot, SmallSet("x"));
        stale = (RedisSet)table.ValueAt(slot);
        table.Lend(slot, stale);
        stale.Add(B("lost"), SetLimits.Default);
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
    public void CommandsThatLookUpForWritingLeaveNoLoanBehind()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(":3\r\n", c.Call("SADD", "a", "1", "2", "3"));
        Assert.Equal(":2\r\n", c.Call("SADD", "b", "2", "3"));
        // The STORE forms look up their sources for writing, as Redis does; the sources come back unchanged.
        Assert.Equal(":2\r\n", c.Call("SINTERSTORE", "d", "a", "b"));
        Assert.Equal("*2\r\n$1\r\n2\r\n$1\r\n3\r\n", c.Call("SMEMBERS", "d"));
        Assert.Equal(":3\r\n", c.Call("SCARD", "a"));
        Assert.Equal("$6\r\nintset\r\n", c.Call("OBJECT", "ENCODING", "a"));
        // In a transaction and in a script each command sees the one before it.
        c.Call("MULTI");
        c.Call("SADD", "a", "4");
        c.Call("SUNIONSTORE", "u", "a", "b");
        Assert.Equal("*2\r\n:1\r\n:4\r\n", c.Call("EXEC"));
        Assert.Equal(":5\r\n", c.Call("EVAL", "redis.call('SADD', KEYS[1], 5) return redis.call('SCARD', KEYS[1])", "1", "a"));
        var db = server.Server.Databases[0];
        foreach (var key in new[] { "a", "b", "d", "u" })
        {
            int slot = db.PeekSlot(Encoding.ASCII.GetBytes(key));
            Assert.Null(db.Table.LoanOf(slot));
            Assert.Same(KeyTable.PackedIntSet, db.Table.BoxedAt(slot));
        }
        Assert.Equal(db.Table.WalkRecordBytes(), db.Table.RecordBytes);
        Assert.Equal(0, db.Table.ValueBytes);
    }
}
