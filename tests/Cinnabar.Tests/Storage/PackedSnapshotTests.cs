using System.Text;
using Cinnabar.Persistence;
using Cinnabar.Storage;
using Cinnabar.Types;

namespace Cinnabar.Tests.Storage;

/// <summary>
/// Snapshots write a small hash, set, sorted set or list from its key's record (no object made for it): the bytes of the RDB entry
/// and of the AOF commands are the same as those written from the value as an object (the form the RDB and AOF
/// tests check against redis-server and redis-check-rdb).
/// </summary>
public class PackedSnapshotTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static KeyTable Table()
    {
        var table = new KeyTable();
        var hash = new RedisHash();
        hash.Set(B("name"), B("cinnabar"), 128, 64);
        hash.Set(B("count"), B("12345"), 128, 64);
        table.Insert(B("h"), hash);
        var ints = new RedisSet();
        foreach (var m in new[] { "300", "-7", "70000" }) ints.Add(B(m), SetLimits.Default);
        table.Insert(B("ints"), ints);
        var words = new RedisSet();
        foreach (var m in new[] { "alpha", "beta", "42" }) words.Add(B(m), SetLimits.Default);
        table.Insert(B("words"), words);
        var zset = new ZSet();
        foreach (var (score, member) in new[] { (2.5, "b"), (-1.0, "a"), (7.0, "c") }) zset.Insert(B(member), score, 128, 64);
        table.Insert(B("z"), zset);
        var list = new RedisList();
        foreach (var e in new[] { "first", "-12", "1234567890123", "", "last" }) list.PushTail(B(e));
        table.Insert(B("l"), list);
        return table;
    }

    [Theory]
    [InlineData("h")]
    [InlineData("ints")]
    [InlineData("words")]
    [InlineData("z")]
    [InlineData("l")]
    public void RdbEntriesMatchTheObjectForm(string key)
    {
        var table = Table();
        int slot = table.Find(B(key));
        Assert.NotNull(KeyTable.PackedType(table.BoxedAt(slot)));

        var packed = new MemoryStream();
        var writer = new RdbWriter(packed, compress: true, checksum: false);
        Assert.True(writer.TryWritePackedKey(table, slot, expireMs: 1_700_000_000_000, idleSeconds: 5));
        writer.Flush();

        var viaObject = new MemoryStream();
        var reference = new RdbWriter(viaObject, compress: true, checksum: false);
        reference.WriteKey(B(key), table.ValueAt(slot), expireMs: 1_700_000_000_000, idleSeconds: 5);
        reference.Flush();

        Assert.True(viaObject.Length > 0);
        Assert.Equal(viaObject.ToArray(), packed.ToArray());
    }

    [Theory]
    [InlineData("h")]
    [InlineData("ints")]
    [InlineData("words")]
    [InlineData("z")]
    [InlineData("l")]
    public void AofCommandsMatchTheObjectForm(string key)
    {
        var table = Table();
        int slot = table.Find(B(key));

        var packed = new MemoryStream();
        var writer = new AofCommandWriter(packed);
        Assert.True(writer.TryWritePackedKey(table, slot, expireMs: 1_700_000_000_000));
        writer.Drain();

        var viaObject = new MemoryStream();
        var reference = new AofCommandWriter(viaObject);
        reference.WriteKey(B(key), table.ValueAt(slot), expireMs: 1_700_000_000_000);
        reference.Drain();

        Assert.Contains("PEXPIREAT", Encoding.ASCII.GetString(viaObject.ToArray()));
        Assert.Equal(viaObject.ToArray(), packed.ToArray());
    }

    [Fact]
    public void OtherValuesAreNotWrittenAsPacked()
    {
        var table = new KeyTable();
        int s = table.InsertString(B("s"), B("v"));
        var big = new RedisHash();
        big.Set(B("f"), B(new string('x', 100)), 128, 64);
        int h = table.Insert(B("big"), big);
        var stream = new MemoryStream();
        var writer = new RdbWriter(stream, compress: false, checksum: false);
        Assert.False(writer.TryWritePackedKey(table, s, -1));
        Assert.False(writer.TryWritePackedKey(table, h, -1));
        Assert.False(new AofCommandWriter(stream).TryWritePackedKey(table, h, -1));
        writer.Flush();
        Assert.Equal(0, stream.Length);
    }
}
