using System.Text;
using Cinnabar.Protocol;
using Cinnabar.Tests.Integration;

namespace Cinnabar.Tests.Protocol;

/// <summary>Random mutations of valid frames: the parser must never throw and must keep its contract.</summary>
public class RespParserFuzzTests
{
    [Fact]
    public void MutatedFramesNeverThrowAndKeepTheParserContract()
    {
        var random = new Random(7);
        var args = new CommandArgs();
        for (int iteration = 0; iteration < 100_000; iteration++)
        {
            var sb = new StringBuilder();
            for (int n = random.Next(1, 4); n > 0; n--) sb.Append(FuzzFrames.Valid[random.Next(FuzzFrames.Valid.Count)]);
            var payload = FuzzFrames.Mutate(random, Encoding.ASCII.GetBytes(sb.ToString()));
            // Parse from a non-zero offset inside a larger buffer, as the connection does.
            int prefix = random.Next(0, 8);
            var buffer = new byte[prefix + payload.Length + random.Next(0, 8)];
            payload.CopyTo(buffer, prefix);
            ParseAll(buffer, prefix, prefix + payload.Length, args, authenticated: random.Next(4) != 0,
                maxBulk: random.Next(2) == 0 ? 512L * 1024 * 1024 : random.Next(1, 64));
        }
    }

    [Fact]
    public void RandomBytesNeverThrow()
    {
        var random = new Random(11);
        var args = new CommandArgs();
        for (int iteration = 0; iteration < 50_000; iteration++)
        {
            var buffer = new byte[random.Next(1, 200)];
            random.NextBytes(buffer);
            if (random.Next(2) == 0) buffer[0] = (byte)'*';
            ParseAll(buffer, 0, buffer.Length, args, authenticated: true, maxBulk: 512L * 1024 * 1024);
        }
    }

    /// <summary>Parses command after command like the connection loop, checking each result's promises.</summary>
    private static void ParseAll(byte[] buffer, int start, int end, CommandArgs args, bool authenticated, long maxBulk)
    {
        while (start < end)
        {
            var result = RespParser.TryParse(buffer, start, end, args, authenticated, maxBulk, out int consumed, out long needed, out string? error);
            switch (result)
            {
                case ParseResult.Command:
                    Assert.InRange(consumed, 1, end - start);
                    Assert.True(args.Count > 0);
                    for (int i = 0; i < args.Count; i++) _ = args[i].Length; // every argument lies inside the buffer
                    break;
                case ParseResult.Empty:
                    Assert.InRange(consumed, 1, end - start);
                    break;
                case ParseResult.Incomplete:
                    Assert.True(needed == 0 || needed > end, $"needed {needed} but the buffer already ends at {end}");
                    return;
                case ParseResult.Error:
                    Assert.False(string.IsNullOrEmpty(error));
                    return;
            }
            start += consumed;
        }
    }
}
