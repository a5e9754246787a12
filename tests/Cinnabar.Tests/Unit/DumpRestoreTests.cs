using System.Text;

namespace Cinnabar.Tests.Unit;

/// <summary>
/// DUMP and RESTORE in process: a payload round-trips, and RESTORE reaches the effects stream as a Redis 7.0.15
/// replica receives it (a relative TTL as the absolute time it resolved to with ABSTTL appended; a replaced key
/// whose TTL is already past as DEL; nothing for a new key born expired).
/// </summary>
public class DumpRestoreTests
{
    private static byte[][] A(params string[] args) => args.Select(Encoding.Latin1.GetBytes).ToArray();

    /// <summary>redis-server 7.0.15's DUMP of the string "hello".</summary>
    private static readonly string Hello = Encoding.Latin1.GetString(Convert.FromHexString("000568656c6c6f0a006372df766534200a"));

    [Fact]
    public void RestoreReachesTheEffectsStreamAsRedisPropagatesIt()
    {
        var (server, stream, c) = EffectsStreamTests.Start();
        c.Run(A("RESTORE", "a", "100000", Hello));
        long at = server.NowMs + 100_000;
        c.Run(A("RESTORE", "b", "99999999999999", Hello, "ABSTTL"));
        c.Run(A("RESTORE", "c", "0", Hello));
        c.Run(A("RESTORE", "a", "1", Hello, "ABSTTL", "REPLACE"));
        c.Run(A("RESTORE", "d", "1", Hello, "ABSTTL"));
        c.Run(A("RESTORE", "c", "0", Hello));
        Assert.Equal(["SELECT 0", $"RESTORE a {at} {Hello} ABSTTL", $"RESTORE b 99999999999999 {Hello} ABSTTL", $"RESTORE c 0 {Hello}", "DEL a"],
            EffectsStreamTests.Commands(stream));
    }

    [Fact]
    public void DumpOfARestoredValueIsTheSamePayload()
    {
        var (_, _, c) = EffectsStreamTests.Start();
        Assert.Equal("+OK\r\n", Encoding.Latin1.GetString(c.Run(A("RESTORE", "k", "0", Hello))));
        Assert.Equal($"${Hello.Length}\r\n{Hello}\r\n", Encoding.Latin1.GetString(c.Run(A("DUMP", "k"))));
        Assert.Equal("$-1\r\n", Encoding.Latin1.GetString(c.Run(A("DUMP", "missing"))));
    }
}
