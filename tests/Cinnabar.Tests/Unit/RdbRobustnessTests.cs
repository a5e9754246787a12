using System.Text;
using Cinnabar.Persistence;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Unit;

/// <summary>
/// A damaged or foreign RDB file stops the load with an <see cref="RdbFormatException"/> naming the damage and
/// its offset: every truncation of a real file, every flipped byte (caught by the checksum, or with the check
/// off, by the format's own checks), and the types Cinnabar does not have. Never another exception.
/// </summary>
public sealed class RdbRobustnessTests
{
    private sealed class Collector : IRdbLoadTarget
    {
        public int Keys, Functions;
        public void AddKey(int db, byte[] key, object value, long expireMs, long idleSeconds, int lfuCounter) => Keys++;
        public void AddFunction(byte[] code) => Functions++;
    }

    private static byte[] SampleFile()
    {
        using var server = new TestServer();
        using (var c = server.Connect())
        {
            c.Call("SET", "s", "hello");
            c.Call("SET", "n", "12345");
            c.Call("SET", "long", new string('x', 200));
            c.Call("RPUSH", "l", "a", "1", "b");
            c.Call("SADD", "si", "1", "2", "3");
            c.Call("SADD", "ss", "a", "b");
            c.Call("HSET", "h", "f", "v", "g", "1");
            c.Call("ZADD", "z", "1.5", "a", "2", "b");
            c.Call("XADD", "x", "1-1", "f", "v");
            c.Call("XADD", "x", "2-1", "f", "w", "g", "z");
            c.Call("XGROUP", "CREATE", "x", "g", "0");
            c.Call("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "x", ">");
            c.Call("PEXPIRE", "s", "100000");
            c.Call("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function() return 1 end)");
        }
        var buffer = new MemoryStream();
        lock (server.Server.Gate) new RdbSnapshot(server.Server, buffer).WriteAll();
        return buffer.ToArray();
    }

    private static Exception? Load(byte[] file, bool verifyChecksum, out Collector collector)
    {
        collector = new Collector();
        try
        {
            new RdbReader(new MemoryStream(file), RdbValueLimits.Default).Load(collector, verifyChecksum, long.MinValue);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public void TheSampleLoadsWhole()
    {
        var file = SampleFile();
        Assert.Null(Load(file, true, out var collector));
        Assert.Equal(9, collector.Keys);
        Assert.Equal(1, collector.Functions);
    }

    [Fact]
    public void EveryTruncationIsRefusedWithAnOffset()
    {
        var file = SampleFile();
        for (int length = 0; length < file.Length; length++)
        {
            var e = Load(file[..length], true, out _);
            Assert.True(e is RdbFormatException, $"truncated at {length}: {e?.GetType().Name} {e?.Message}");
            Assert.Contains("offset", e!.Message);
        }
    }

    [Fact]
    public void EveryFlippedByteIsRefusedByTheChecksumOrTheFormat()
    {
        var file = SampleFile();
        for (int i = 0; i < file.Length; i++)
        {
            var damaged = (byte[])file.Clone();
            damaged[i] ^= 0x5A;
            var checkedLoad = Load(damaged, true, out _);
            Assert.True(checkedLoad is RdbFormatException, $"byte {i}: {checkedLoad?.GetType().Name} {checkedLoad?.Message}");
            var unchecked_ = Load(damaged, false, out _);
            Assert.True(unchecked_ is null or RdbFormatException, $"byte {i} without checksum: {unchecked_}");
        }
    }

    private static byte[] File(int version, params byte[] body) => [.. Encoding.ASCII.GetBytes($"REDIS{version:D4}"), .. body];

    [Theory]
    [InlineData(24, "hash-hashtable-md")]
    [InlineData(25, "hash-listpack-md")]
    [InlineData(7, "module")]
    [InlineData(60, "unknown value type 60")]
    public void TypesCinnabarDoesNotHaveAreNamed(byte type, string named)
    {
        var e = Load(File(12, 0xFE, 0x00, type, 0x01, (byte)'k', 0x00), true, out _);
        var format = Assert.IsType<RdbFormatException>(e);
        Assert.Contains(named, format.Message);
        Assert.Equal(11, format.Offset);
    }

    [Fact]
    public void ModuleAuxDataIsRefusedNamingTheModule()
    {
        // A module id: "ReJSON-RL" (9 characters of 6 bits each) and encoding version 3.
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        ulong id = 0;
        foreach (char ch in "ReJSON-RL") id = (id << 6) | (ulong)chars.IndexOf(ch);
        id = (id << 10) | 3;
        var idBytes = BitConverter.GetBytes(id);
        Array.Reverse(idBytes);
        var e = Load(File(10, [0xF7, 0x81, .. idBytes]), true, out _);
        Assert.Contains("ReJSON-RL", Assert.IsType<RdbFormatException>(e).Message);
    }

    [Fact]
    public void NewerVersionsAndOtherFilesAreRefused()
    {
        Assert.Contains("can't handle RDB format version 13", Load(File(13, 0xFF), true, out _)!.Message);
        Assert.Contains("wrong signature", Load(Encoding.ASCII.GetBytes("*1\r\n$4\r\nPING\r\n"), true, out _)!.Message);
    }
}
