namespace Cinnabar.Tests.Integration;

/// <summary>
/// Which string commands count keyspace_hits / keyspace_misses (reads do, writes do not): the deltas
/// redis-server 7.0.15 showed in INFO stats for each command of this sequence.
/// </summary>
public class StringKeyspaceStatsTests
{
    [Fact]
    public void HitsAndMissesMatchRedis()
    {
        using var kit = new StringTestKit();
        var stats = kit.Server.Server.Stats;
        (string[] Command, long Hits, long Misses)[] steps =
        [
            (new[] { "set", "k", "v" }, 0, 0),
            (new[] { "get", "k" }, 1, 0),
            (new[] { "get", "nokey" }, 0, 1),
            (new[] { "set", "k", "v", "get" }, 1, 0),
            (new[] { "set", "k", "v", "nx" }, 0, 0),
            (new[] { "set", "k", "v", "xx" }, 0, 0),
            (new[] { "set", "nk", "v", "nx", "get" }, 0, 1),
            (new[] { "getex", "k" }, 1, 0),
            (new[] { "getex", "nokey" }, 0, 1),
            (new[] { "getdel", "k" }, 1, 0),
            (new[] { "getdel", "nokey" }, 0, 1),
            (new[] { "getset", "k", "v" }, 0, 1),
            (new[] { "getset", "nk2", "v" }, 0, 1),
            (new[] { "mget", "k", "nokey", "nk2" }, 2, 1),
            (new[] { "strlen", "k" }, 1, 0),
            (new[] { "strlen", "nokey" }, 0, 1),
            (new[] { "getrange", "k", "0", "1" }, 1, 0),
            (new[] { "getrange", "nokey", "0", "1" }, 0, 1),
            (new[] { "append", "k", "x" }, 0, 0),
            (new[] { "setrange", "k", "0", "x" }, 0, 0),
            (new[] { "incr", "n" }, 0, 0),
            (new[] { "incrbyfloat", "n", "1" }, 0, 0),
            (new[] { "getbit", "k", "0" }, 1, 0),
            (new[] { "getbit", "nokey", "0" }, 0, 1),
            (new[] { "setbit", "k", "0", "1" }, 0, 0),
            (new[] { "bitcount", "k" }, 1, 0),
            (new[] { "bitcount", "nokey" }, 0, 1),
            (new[] { "bitpos", "k", "1" }, 1, 0),
            (new[] { "bitpos", "nokey", "1" }, 0, 1),
            (new[] { "bitop", "and", "d", "k", "nokey" }, 1, 1),
            (new[] { "bitfield", "k", "get", "u8", "0" }, 1, 0),
            (new[] { "bitfield", "nokey", "get", "u8", "0" }, 0, 1),
            (new[] { "bitfield", "k", "set", "u8", "0", "1" }, 0, 0),
            (new[] { "bitfield_ro", "k", "get", "u8", "0" }, 1, 0),
            (new[] { "lcs", "k", "nokey" }, 1, 1),
            (new[] { "msetnx", "k", "v" }, 0, 0),
            (new[] { "setnx", "k", "v" }, 0, 0),
        ];
        foreach (var (command, hits, misses) in steps)
        {
            long h0 = stats.KeyspaceHits, m0 = stats.KeyspaceMisses;
            kit.Client.Call(command);
            Assert.Equal((string.Join(' ', command), hits, misses), (string.Join(' ', command), stats.KeyspaceHits - h0, stats.KeyspaceMisses - m0));
        }
    }
}
