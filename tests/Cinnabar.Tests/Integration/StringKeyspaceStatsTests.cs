namespace Cinnabar.Tests.Integration;

/// <summary>
/// Which string commands count keyspace_hits / keyspace_misses (reads do, writes do not) and changes: the deltas
/// redis-server 7.0.15 showed in INFO stats / persistence for each command of these sequences.
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

    /// <summary>Changes counted for persistence (rdb_changes_since_last_save deltas on Redis): no-op writes count nothing.</summary>
    [Fact]
    public void DirtyCountsMatchRedis()
    {
        using var kit = new StringTestKit();
        var server = kit.Server.Server;
        (string[] Command, long Changes)[] steps =
        [
            (new[] { "set", "k", "v" }, 1),
            (new[] { "set", "k", "v", "nx" }, 0),
            (new[] { "set", "k", "v", "ex", "100" }, 1),
            (new[] { "set", "k", "v", "get" }, 1),
            (new[] { "setnx", "k", "v" }, 0),
            (new[] { "setnx", "k2", "v" }, 1),
            (new[] { "setex", "k3", "10", "v" }, 1),
            (new[] { "getex", "k", "ex", "100" }, 1),
            (new[] { "getex", "k", "persist" }, 1),
            (new[] { "getex", "k", "persist" }, 0),
            (new[] { "getex", "k" }, 0),
            (new[] { "set", "k", "v" }, 1),
            (new[] { "getex", "k", "pxat", "1" }, 1),
            (new[] { "set", "k", "v" }, 1),
            (new[] { "getdel", "k" }, 1),
            (new[] { "getdel", "k" }, 0),
            (new[] { "getset", "k", "v" }, 1),
            (new[] { "mset", "a", "1", "b", "2", "c", "3" }, 3),
            (new[] { "msetnx", "a", "1", "d", "2" }, 0),
            (new[] { "msetnx", "e", "1", "f", "2" }, 2),
            (new[] { "append", "a", "x" }, 1),
            (new[] { "setrange", "a", "0", "y" }, 1),
            (new[] { "setrange", "a", "0", "" }, 0),
            (new[] { "incr", "b" }, 1),
            (new[] { "incrbyfloat", "b", "1.5" }, 1),
            (new[] { "setbit", "a", "0", "1" }, 1),
            (new[] { "setbit", "a", "0", "1" }, 0),
            (new[] { "setbit", "a", "100", "0" }, 1),
            (new[] { "bitfield", "a", "set", "u8", "0", "1", "set", "u8", "8", "2" }, 2),
            (new[] { "bitfield", "a", "get", "u8", "0" }, 0),
            (new[] { "bitop", "and", "dest", "a", "b" }, 1),
            (new[] { "bitop", "and", "dest", "nokey" }, 1),
            (new[] { "bitop", "and", "dest", "nokey" }, 0),
            (new[] { "lcs", "a", "b" }, 0),
            (new[] { "set", "k3", "abc" }, 1),
            (new[] { "bitfield", "k3", "set", "u8", "0", "97", "set", "u8", "8", "1", "overflow", "fail", "incrby", "u8", "0", "1000" }, 1),
            (new[] { "bitfield", "k3", "set", "u8", "0", "97", "set", "u8", "8", "1" }, 0),
            (new[] { "bitfield", "k3", "set", "u8", "0", "97", "overflow", "fail", "incrby", "u8", "0", "1000" }, 0),
            (new[] { "bitfield", "k3", "overflow", "fail", "incrby", "u8", "0", "1000" }, 0),
            (new[] { "bitfield", "k3", "incrby", "u8", "0", "1", "incrby", "u8", "0", "1", "incrby", "u8", "0", "1" }, 3),
        ];
        foreach (var (command, changes) in steps)
        {
            long before = server.Dirty;
            kit.Client.Call(command);
            Assert.Equal((string.Join(' ', command), changes), (string.Join(' ', command), server.Dirty - before));
        }
    }
}
