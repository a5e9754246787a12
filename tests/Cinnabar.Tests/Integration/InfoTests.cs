using System.Text.RegularExpressions;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>INFO: sections, their order and fields, checked against redis-cli -p PORT info everything of Redis 7.0.15.</summary>
public class InfoTests
{
    private static string Body(string reply)
    {
        Assert.StartsWith("$", reply);
        int headerEnd = reply.IndexOf("\r\n", StringComparison.Ordinal);
        int length = int.Parse(reply[1..headerEnd]);
        string body = reply.Substring(headerEnd + 2, length);
        Assert.Equal("\r\n", reply[(headerEnd + 2 + length)..]);
        return body;
    }

    private static List<string> Headers(string body) =>
        body.Split("\r\n").Where(l => l.StartsWith("# ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();

    private static Dictionary<string, string> Fields(string body) =>
        body.Split("\r\n").Where(l => l.Length > 0 && l[0] != '#')
            .ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 1)..]);

    [Fact]
    public void DefaultSectionsInRedisOrder()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string body = Body(c.Call("INFO"));
        Assert.Equal(["Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules", "Errorstats", "Cluster", "Keyspace"], Headers(body));
        Assert.Equal(Headers(body), Headers(Body(c.Call("INFO", "default"))));
        // Every line ends in CRLF and sections are separated by an empty line.
        Assert.EndsWith("\r\n", body);
        Assert.DoesNotContain("\n", body.Replace("\r\n", ""));
        Assert.Contains("\r\n\r\n# Clients\r\n", body);
    }

    [Theory]
    [InlineData("everything")]
    [InlineData("all")]
    [InlineData("ALL")]
    public void AllAndEverythingAddCommandAndLatencyStats(string section)
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(
            ["Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules", "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace"],
            Headers(Body(c.Call("INFO", section))));
    }

    [Fact]
    public void SeveralSectionsCaseInsensitiveInFixedOrder()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(["Server", "Keyspace"], Headers(Body(c.Call("INFO", "keyspace", "SERVER"))));
        Assert.Equal("$0\r\n\r\n", c.Call("INFO", "nosuch"));
        Assert.Equal("$12\r\n# Keyspace\r\n\r\n", c.Call("INFO", "keyspace"));
        Assert.Equal("$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n", c.Call("INFO", "cluster"));
    }

    [Fact]
    public void ServerFieldsAsRedisLaysThemOut()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string body = Body(c.Call("INFO", "server"));
        var names = Fields(body).Keys.ToList();
        Assert.Equal(
            ["redis_version", "redis_git_sha1", "redis_git_dirty", "redis_build_id", "redis_mode", "os", "arch_bits",
             "monotonic_clock", "multiplexing_api", "atomicvar_api", "gcc_version", "process_id", "process_supervised",
             "run_id", "tcp_port", "server_time_usec", "uptime_in_seconds", "uptime_in_days", "hz", "configured_hz",
             "lru_clock", "executable", "config_file", "io_threads_active"], names);
        var f = Fields(body);
        Assert.Equal(ServerInfo.RedisVersion, f["redis_version"]);
        Assert.Equal("standalone", f["redis_mode"]);
        Assert.Equal(server.Port.ToString(), f["tcp_port"]);
        Assert.Equal(Environment.ProcessId.ToString(), f["process_id"]);
        Assert.Matches("^[0-9a-f]{40}$", f["run_id"]);
        Assert.Equal("64", f["arch_bits"]);
        Assert.Equal("10", f["hz"]);
        long usec = long.Parse(f["server_time_usec"]);
        Assert.InRange(usec / 1_000_000, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
    }

    [Fact]
    public void StatsCountCommandsHitsMissesAndChanges()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SET", "k", "v");
        c.Call("GET", "k");
        c.Call("GET", "nokey");
        var stats = Fields(Body(c.Call("INFO", "stats")));
        Assert.Equal("1", stats["keyspace_hits"]);
        Assert.Equal("1", stats["keyspace_misses"]);
        Assert.Equal("3", stats["total_commands_processed"]);
        Assert.Equal("1", stats["total_connections_received"]);
        Assert.True(long.Parse(stats["total_net_input_bytes"]) > 0);
        var persistence = Fields(Body(c.Call("INFO", "persistence")));
        Assert.Equal("1", persistence["rdb_changes_since_last_save"]);
        Assert.Equal("0", persistence["loading"]);
        Assert.Equal("0", persistence["aof_enabled"]);
        var clients = Fields(Body(c.Call("INFO", "clients")));
        Assert.Equal("1", clients["connected_clients"]);
        Assert.Equal("10000", clients["maxclients"]);
        Assert.Equal("0", clients["blocked_clients"]);
    }

    [Fact]
    public void KeyspaceLinePerNonEmptyDatabase()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        Assert.Equal("$44\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n\r\n", c.Call("INFO", "keyspace"));
    }

    [Fact]
    public void CommandStatsAndErrorStats()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("DEBUG"); // arity error: a rejected call
        c.Call("nosuchcommand");
        c.Call("SET", "a", "1");
        Assert.Matches(@"^# Commandstats\r\ncmdstat_debug:calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0\r\n" +
            @"cmdstat_set:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n$", Body(c.Call("INFO", "commandstats")));
        Assert.Equal("$37\r\n# Errorstats\r\nerrorstat_ERR:count=2\r\n\r\n", c.Call("INFO", "errorstats"));
        Assert.Equal("2", Fields(Body(c.Call("INFO", "stats")))["total_error_replies"]);
        Assert.Matches(@"^# Latencystats\r\nlatency_percentiles_usec_info:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n" +
            @"latency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n$", Body(c.Call("INFO", "latencystats")));
    }

    [Fact]
    public void MemoryReplicationAndCpu()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        var memory = Fields(Body(c.Call("INFO", "memory")));
        Assert.True(long.Parse(memory["used_memory"]) > 0);
        Assert.True(long.Parse(memory["used_memory_rss"]) > 0);
        Assert.Matches(@"^\d+(\.\d\d[KMGTP]|B)$", memory["used_memory_human"]);
        Assert.Equal("0", memory["maxmemory"]);
        Assert.Equal("0B", memory["maxmemory_human"]);
        Assert.Equal("noeviction", memory["maxmemory_policy"]);
        Assert.Matches(@"^\d+\.\d\d$", memory["mem_fragmentation_ratio"]);
        var replication = Fields(Body(c.Call("INFO", "replication")));
        Assert.Equal("master", replication["role"]);
        Assert.Equal("0", replication["connected_slaves"]);
        Assert.Matches("^[0-9a-f]{40}$", replication["master_replid"]);
        Assert.Equal(new string('0', 40), replication["master_replid2"]);
        var cpu = Fields(Body(c.Call("INFO", "cpu")));
        Assert.Matches(@"^\d+\.\d{6}$", cpu["used_cpu_sys"]);
        Assert.Matches(@"^\d+\.\d{6}$", cpu["used_cpu_user"]);
    }

    [Fact]
    public void BytesToHumanAsRedis()
    {
        // Redis 7.0.15: used_memory:916240 -> used_memory_human:894.77K; total_system_memory:25276502016 -> 23.54G
        Assert.Equal("894.77K", Commands.Families.InfoMemory.BytesToHuman(916240));
        Assert.Equal("23.54G", Commands.Families.InfoMemory.BytesToHuman(25276502016));
        Assert.Equal("0B", Commands.Families.InfoMemory.BytesToHuman(0));
        Assert.Equal("11.64M", Commands.Families.InfoMemory.BytesToHuman(12201984));
    }
}
