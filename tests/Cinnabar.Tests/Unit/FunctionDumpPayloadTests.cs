using System.Text;
using Cinnabar.Scripting;
using Cinnabar.Types;

namespace Cinnabar.Tests.Unit;

/// <summary>The pieces of FUNCTION DUMP's format: Redis's CRC-64 and LZF, and a payload Redis 7.0.15 produced.</summary>
public class FunctionDumpPayloadTests
{
    [Fact]
    public void Crc64IsRedisJonesVariant() =>
        // The check value in Redis's crc64.c self-test.
        Assert.Equal(0xe9c6d914c4b8d9caUL, Crc64.Compute("123456789"u8));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void LzfRoundTripsWhatItCompresses(int seed)
    {
        var random = new Random(seed);
        var input = new byte[5000];
        // Repetitive data with noise: matches of every length and offset, and literal runs.
        for (int i = 0; i < input.Length; i++) input[i] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)"abcabcabd"[i % 9];
        var compressed = new byte[input.Length];
        int n = Lzf.Compress(input, compressed);
        Assert.InRange(n, 1, input.Length - 1);
        var output = new byte[input.Length];
        Assert.True(Lzf.TryDecompress(compressed.AsSpan(0, n), output));
        Assert.Equal(input, output);
    }

    [Fact]
    public void EncodesALibraryAsRedisDoes()
    {
        // FUNCTION DUMP of this one library on Redis 7.0.15.
        const string code = "#!lua name=short\nredis.register_function('s', function() return 1 end)";
        var expected = Convert.FromHexString("F540462321" + Convert.ToHexString(Encoding.ASCII.GetBytes(code[2..])) + "0A00E61A092F68C6F641");
        var library = new FunctionLibrary("short", Encoding.ASCII.GetBytes(code));
        Assert.Equal(expected, FunctionDumpPayload.Encode([library]));
        Assert.True(FunctionDumpPayload.Verify(expected));
        var codes = FunctionDumpPayload.Decode(expected, out var error);
        Assert.Null(error);
        Assert.Equal(code, Encoding.ASCII.GetString(Assert.Single(codes!)));
    }
}
