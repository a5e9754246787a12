using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>CONFIG GET/SET/RESETSTAT/REWRITE/HELP; replies and error texts checked against redis-server 7.0.15.</summary>
public class ConfigTests
{
    private static string Failed(string name, string reason) => $"-ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}\r\n";

    [Fact]
    public void GetExactNamesPatternsAndSeveralAtOnce()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", c.Call("CONFIG", "GET", "maxmemory"));
        // An exact name is echoed as written and reported once.
        Assert.Equal("*2\r\n$9\r\nMAXMEMORY\r\n$1\r\n0\r\n", c.Call("CONFIG", "GET", "MAXMEMORY", "maxmemory"));
        Assert.Equal("*4\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$2\r\nhz\r\n$2\r\n10\r\n", c.Call("CONFIG", "GET", "maxmemory", "hz", "nosuch"));
        Assert.Equal("*0\r\n", c.Call("CONFIG", "GET", "nosuch*"));
        Assert.Equal("-ERR wrong number of arguments for 'config|get' command\r\n", c.Call("CONFIG", "GET"));
        string hash = c.Call("CONFIG", "GET", "hash-max-*");
        Assert.StartsWith("*8\r\n", hash);
        foreach (var (name, value) in new[] { ("hash-max-listpack-entries", "512"), ("hash-max-ziplist-entries", "512"), ("hash-max-listpack-value", "64"), ("hash-max-ziplist-value", "64") })
            Assert.Contains($"${name.Length}\r\n{name}\r\n${value.Length}\r\n{value}\r\n", hash);
        string all = c.Call("CONFIG", "GET", "*");
        // 192 names on redis-server 7.0.15 plus set-max-listpack-entries/value from 7.2.
        Assert.StartsWith("*388\r\n", all);
    }

    [Theory]
    [InlineData("save", "")] // test servers run with --save "" (the default is checked in ConfigLoaderTests)
    [InlineData("appendonly", "no")]
    [InlineData("appendfsync", "everysec")]
    [InlineData("maxmemory-policy", "noeviction")]
    [InlineData("maxmemory-samples", "5")]
    [InlineData("list-max-listpack-size", "-2")]
    [InlineData("list-max-ziplist-size", "-2")]
    [InlineData("set-max-intset-entries", "512")]
    [InlineData("zset-max-listpack-entries", "128")]
    [InlineData("lua-time-limit", "5000")]
    [InlineData("busy-reply-threshold", "5000")]
    [InlineData("slowlog-log-slower-than", "10000")]
    [InlineData("slowlog-max-len", "128")]
    [InlineData("latency-monitor-threshold", "0")]
    [InlineData("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60")]
    [InlineData("dbfilename", "dump.rdb")]
    [InlineData("appendfilename", "appendonly.aof")]
    [InlineData("appenddirname", "appendonlydir")]
    [InlineData("loglevel", "notice")]
    [InlineData("logfile", "")]
    [InlineData("protected-mode", "yes")]
    [InlineData("daemonize", "no")]
    [InlineData("supervised", "no")]
    [InlineData("pidfile", "")]
    [InlineData("activerehashing", "yes")]
    [InlineData("lazyfree-lazy-user-del", "no")]
    [InlineData("io-threads", "1")]
    [InlineData("repl-backlog-size", "1048576")]
    [InlineData("replica-read-only", "yes")]
    [InlineData("slave-read-only", "yes")]
    [InlineData("cluster-enabled", "no")]
    [InlineData("notify-keyspace-events", "")]
    [InlineData("proto-max-bulk-len", "536870912")]
    [InlineData("latency-tracking-info-percentiles", "50 99 99.9")]
    [InlineData("oom-score-adj-values", "0 200 800")]
    [InlineData("shutdown-on-sigterm", "default")]
    [InlineData("unixsocketperm", "0")]
    public void DefaultsMatchRedis(string name, string value)
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal($"*2\r\n${name.Length}\r\n{name}\r\n${value.Length}\r\n{value}\r\n", c.Call("CONFIG", "GET", name));
    }

    [Fact]
    public void DirIsReportedAsAnAbsolutePath()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        string reply = c.Call("CONFIG", "GET", "dir");
        Assert.Contains($"\r\n{Directory.GetCurrentDirectory()}\r\n", reply);
        Assert.Equal(Failed("dir", "can't set protected config"), c.Call("CONFIG", "SET", "dir", "/tmp"));
        Assert.Equal(Failed("dbfilename", "can't set protected config"), c.Call("CONFIG", "SET", "dbfilename", "a"));
    }

    [Fact]
    public void SetErrors()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n", c.Call("CONFIG", "SET", "foo", "bar"));
        Assert.Equal(Failed("databases", "can't set immutable config"), c.Call("CONFIG", "SET", "databases", "3"));
        Assert.Equal(Failed("appendfilename", "can't set immutable config"), c.Call("CONFIG", "SET", "appendfilename", "x"));
        Assert.Equal(Failed("maxmemory", "argument must be a memory value"), c.Call("CONFIG", "SET", "maxmemory", "abc"));
        Assert.Equal(Failed("maxmemory", "argument must be a memory value"), c.Call("CONFIG", "SET", "maxmemory", "-1"));
        Assert.Equal(Failed("maxmemory", "duplicate parameter"), c.Call("CONFIG", "SET", "maxmemory", "1mb", "maxmemory", "2mb"));
        Assert.Equal(Failed("hz", "duplicate parameter"), c.Call("CONFIG", "SET", "HZ", "5", "hz", "6"));
        Assert.Equal("-ERR wrong number of arguments for 'config|set' command\r\n", c.Call("CONFIG", "SET", "maxmemory"));
        Assert.Equal("-ERR syntax error\r\n", c.Call("CONFIG", "SET", "maxmemory", "1mb", "hz"));
        Assert.Equal(Failed("hz", "argument couldn't be parsed into an integer"), c.Call("CONFIG", "SET", "hz", "abc"));
        Assert.Equal(Failed("hz", "argument couldn't be parsed into an integer"), c.Call("CONFIG", "SET", "hz", "01"));
        Assert.Equal(Failed("hz", "argument must be between 0 and 2147483647 inclusive"), c.Call("CONFIG", "SET", "hz", "-1"));
        Assert.Equal(Failed("maxclients", "argument must be between 1 and 4294967295 inclusive"), c.Call("CONFIG", "SET", "maxclients", "0"));
        Assert.Equal(Failed("appendfsync", "argument(s) must be one of the following: everysec, always, no"), c.Call("CONFIG", "SET", "appendfsync", "bad"));
        Assert.Equal(Failed("maxmemory-policy", "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction"),
            c.Call("CONFIG", "SET", "maxmemory-policy", "foo"));
        Assert.Equal(Failed("activerehashing", "argument must be 'yes' or 'no'"), c.Call("CONFIG", "SET", "activerehashing", "maybe"));
        Assert.Equal(Failed("save", "Invalid save parameters"), c.Call("CONFIG", "SET", "save", "abc"));
        Assert.Equal(Failed("save", "Invalid save parameters"), c.Call("CONFIG", "SET", "save", "0 1"));
        Assert.Equal(Failed("notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."), c.Call("CONFIG", "SET", "notify-keyspace-events", "Q"));
        Assert.Equal(Failed("client-output-buffer-limit", "Invalid client class specified in buffer limit configuration."), c.Call("CONFIG", "SET", "client-output-buffer-limit", "foo 1 2 3"));
        Assert.Equal(Failed("client-output-buffer-limit", "Wrong number of arguments in buffer limit configuration."), c.Call("CONFIG", "SET", "client-output-buffer-limit", "normal 1 2"));
        Assert.Equal(Failed("client-output-buffer-limit", "Error in hard, soft or soft_seconds setting in buffer limit configuration."), c.Call("CONFIG", "SET", "client-output-buffer-limit", "normal 1x 0 0"));
        Assert.Equal(Failed("maxmemory-clients", "percentage argument must be less or equal to 100"), c.Call("CONFIG", "SET", "maxmemory-clients", "101%"));
        Assert.Equal(Failed("maxmemory-clients", "argument must be a memory or percent value"), c.Call("CONFIG", "SET", "maxmemory-clients", "10%%"));
        Assert.Equal(Failed("oom-score-adj-values", "wrong number of arguments"), c.Call("CONFIG", "SET", "oom-score-adj-values", "1 2"));
        Assert.Equal(Failed("oom-score-adj-values", "Invalid oom-score-adj-values, elements must be between -2000 and 2000."), c.Call("CONFIG", "SET", "oom-score-adj-values", "1 2 x"));
        Assert.Equal(Failed("latency-tracking-info-percentiles", "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"), c.Call("CONFIG", "SET", "latency-tracking-info-percentiles", "50 200"));
        Assert.Equal(Failed("latency-tracking-info-percentiles", "Invalid latency-tracking-info-percentiles parameters"), c.Call("CONFIG", "SET", "latency-tracking-info-percentiles", "50 abc"));
        Assert.Equal(Failed("shutdown-on-sigint", "argument(s) must be one of the following: default, save, nosave, now, force"), c.Call("CONFIG", "SET", "shutdown-on-sigint", "foo"));
        Assert.Equal(Failed("replicaof", "can't set immutable config"), c.Call("CONFIG", "SET", "replicaof", "a b"));
        Assert.Equal(Failed("unixsocketperm", "can't set immutable config"), c.Call("CONFIG", "SET", "unixsocketperm", "700"));
    }

    [Fact]
    public void SetIsAllOrNothing()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n", c.Call("CONFIG", "SET", "timeout", "100", "hz", "5", "foo", "1"));
        Assert.Equal(Failed("loglevel", "argument(s) must be one of the following: debug, verbose, notice, warning"),
            c.Call("CONFIG", "SET", "timeout", "100", "hz", "5", "loglevel", "bad"));
        Assert.Equal("*4\r\n$7\r\ntimeout\r\n$1\r\n0\r\n$2\r\nhz\r\n$2\r\n10\r\n", c.Call("CONFIG", "GET", "timeout", "hz"));
        // A value refused for a missing feature also stops the whole call.
        Assert.StartsWith("-ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients')", c.Call("CONFIG", "SET", "timeout", "100", "maxmemory-clients", "1mb"));
        Assert.Equal("*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n", c.Call("CONFIG", "GET", "timeout"));
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "timeout", "100", "hz", "5", "loglevel", "warning"));
        Assert.Equal("*6\r\n$7\r\ntimeout\r\n$3\r\n100\r\n$2\r\nhz\r\n$1\r\n5\r\n$8\r\nloglevel\r\n$7\r\nwarning\r\n",
            c.Call("CONFIG", "GET", "timeout", "hz", "loglevel"));
        Assert.Equal(100, server.Server.Config.TimeoutSeconds);
        Assert.Equal(5, server.Server.Config.Hz);
    }

    [Theory]
    [InlineData("maxmemory", "1gb", "1073741824")]
    [InlineData("maxmemory", "100k", "100000")]
    [InlineData("maxmemory", "100KB", "102400")]
    [InlineData("maxmemory", "", "0")]
    [InlineData("maxmemory", "01", "1")]
    [InlineData("hz", "1000", "500")]
    [InlineData("hz", "0", "1")]
    [InlineData("save", "3600 1 300 100", "3600 1 300 100")]
    [InlineData("save", "", "")]
    [InlineData("notify-keyspace-events", "KEA", "AKE")]
    [InlineData("notify-keyspace-events", "Exg", "gxE")]
    [InlineData("notify-keyspace-events", "g$lshzxetdKEmn", "AKEm")]
    [InlineData("loglevel", "WARNING", "warning")]
    [InlineData("maxmemory-policy", "ALLKEYS-LRU", "allkeys-lru")]
    [InlineData("maxmemory-clients", "10%", "10%")]
    [InlineData("client-output-buffer-limit", "normal 1mb 2mb 60", "normal 1048576 2097152 60 slave 268435456 67108864 60 pubsub 33554432 8388608 60")]
    [InlineData("client-output-buffer-limit", "replica 1 2 3 pubsub 0 0 0", "normal 0 0 0 slave 1 2 3 pubsub 0 0 0")]
    [InlineData("shutdown-on-sigint", "now save", "save now")]
    [InlineData("latency-tracking-info-percentiles", "50 99.90 100", "50 99.9 100")]
    [InlineData("latency-tracking-info-percentiles", "", "")]
    [InlineData("activerehashing", "NO", "no")]
    [InlineData("appendfsync", "ALWAYS", "always")]
    public void SetNormalizesValuesAsRedis(string name, string value, string shown)
    {
        using var server = new TestServer();
        using var c = server.Connect();
        var entry = server.Server.Config.Find(name)!;
        if (entry.Refusal(shown) != null)
        {
            // A value whose feature Cinnabar lacks is still parsed as Redis parses it: the refusal shows it normalized.
            Assert.Equal(Failed(name, $"'{entry.Name} {shown}' needs {entry.MissingFeature}, which Cinnabar does not support yet"), c.Call("CONFIG", "SET", name, value));
            return;
        }
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", name, value));
        Assert.Equal($"*2\r\n${name.Length}\r\n{name}\r\n${shown.Length}\r\n{shown}\r\n", c.Call("CONFIG", "GET", name));
    }

    [Fact]
    public void AliasesShareTheirDirectivesValue()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "hash-max-ziplist-entries", "100"));
        Assert.Equal("*2\r\n$25\r\nhash-max-listpack-entries\r\n$3\r\n100\r\n", c.Call("CONFIG", "GET", "hash-max-listpack-entries"));
        Assert.Equal(100, server.Server.Config.HashMaxListpackEntries);
        // A name and its alias in one call are not duplicates (Redis treats them as two parameters).
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "hash-max-ziplist-entries", "5", "hash-max-listpack-entries", "6"));
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "lua-time-limit", "100"));
        Assert.Equal("*2\r\n$20\r\nbusy-reply-threshold\r\n$3\r\n100\r\n", c.Call("CONFIG", "GET", "busy-reply-threshold"));
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "lua-time-limit", "5000"));
        Assert.Equal("*2\r\n$20\r\nbusy-reply-threshold\r\n$4\r\n5000\r\n", c.Call("CONFIG", "GET", "busy-reply-threshold"));
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "list-max-listpack-size", "-3"));
        Assert.Equal("*2\r\n$21\r\nlist-max-ziplist-size\r\n$2\r\n-3\r\n", c.Call("CONFIG", "GET", "list-max-ziplist-size"));
    }

    [Fact]
    public void RequirepassTakesEffectForNewConnections()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "requirepass", "pw"));
        Assert.Equal("+PONG\r\n", c.Call("PING"));
        using var d = server.Connect();
        Assert.Equal("-NOAUTH Authentication required.\r\n", d.Call("PING"));
        Assert.Equal("+OK\r\n", d.Call("AUTH", "pw"));
        Assert.Equal("+OK\r\n", d.Call("CONFIG", "SET", "requirepass", ""));
        using var e = server.Connect();
        Assert.Equal("+PONG\r\n", e.Call("PING"));
    }

    [Fact]
    public void RewriteWithoutConfigFile()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("-ERR The server is running without a config file\r\n", c.Call("CONFIG", "REWRITE"));
    }

    [Fact]
    public void RewriteUpdatesTheConfigFileLikeRedis()
    {
        string dir = Directory.CreateTempSubdirectory("cinnabar-rewrite").FullName;
        string path = Path.Combine(dir, "r.conf");
        File.WriteAllText(path, "# my conf\nport 0\nbind 127.0.0.1\nclient-query-buffer-limit 100mb\nhash-max-ziplist-entries 100\nloglevel notice\nloglevel warning\n# end\n");
        try
        {
            var config = Cinnabar.Config.ConfigLoader.FromArgs([path], out var error) ?? throw new InvalidOperationException(error);
            using var server = new CinnabarServer(config).Start();
            using var c = new RespClient(server.Port);
            Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "client-query-buffer-limit", "1gb", "notify-keyspace-events", "KEA", "timeout", "30",
                "client-output-buffer-limit", "pubsub 64mb 16mb 90"));
            Assert.Equal("+OK\r\n", c.Call("CONFIG", "REWRITE"));
            string cwd = Directory.GetCurrentDirectory();
            // Lines reused in place (aliases renamed, duplicates blanked), the rest appended after the signature.
            Assert.Equal(
                "# my conf\nport 0\nbind 127.0.0.1\nclient-query-buffer-limit 1gb\nhash-max-listpack-entries 100\nloglevel warning\n\n# end\n\n" +
                "# Generated by CONFIG REWRITE\ntimeout 30\nlatency-tracking-info-percentiles 50 99 99.9\n" +
                // Redis always writes the save points, its defaults included (redis-server 7.0.15, conf without save).
                "client-output-buffer-limit pubsub 64mb 16mb 90\nnotify-keyspace-events \"AKE\"\nsave 3600 1\nsave 300 100\nsave 60 10000\n" +
                $"dir \"{cwd}\"\n",
                File.ReadAllText(path));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void HelpText()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GET <pattern>\r\n" +
            "+    Return parameters matching the glob-like <pattern> and their values.\r\n+SET <directive> <value>\r\n" +
            "+    Set the configuration <directive> to <value>.\r\n+RESETSTAT\r\n+    Reset statistics reported by the INFO command.\r\n" +
            "+REWRITE\r\n+    Rewrite the configuration file.\r\n+HELP\r\n+    Prints this help.\r\n", c.Call("CONFIG", "HELP"));
        Assert.Equal("-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n", c.Call("CONFIG", "FOO"));
    }
    [Fact]
    public void SetPortAndBindMoveTheListener()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(Failed("bind", "Failed to bind to specified addresses."), c.Call("CONFIG", "SET", "bind", "1.2.3.4"));
        Assert.Equal(Failed("port", "argument must be between 0 and 65535 inclusive"), c.Call("CONFIG", "SET", "port", "99999"));
        using (var still = server.Connect()) Assert.Equal("+PONG\r\n", still.Call("PING"));

        // A port taken by another listener is refused and the old one keeps working.
        using var other = new TestServer();
        Assert.Equal(Failed("port", "Unable to listen on this port. Check server logs."), c.Call("CONFIG", "SET", "port", other.Port.ToString()));
        using (var still = server.Connect()) Assert.Equal("+PONG\r\n", still.Call("PING"));

        int oldPort = server.Port;
        // CONFIG SET port names a port (0 would mean "no TCP"): one the kernel just handed out, and should
        // another process take it first (refused as above, old listener kept), another one.
        int newPort = 0;
        for (int attempt = 0; attempt < 10 && newPort == 0; attempt++)
        {
            var candidate = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            candidate.Start();
            int port = ((System.Net.IPEndPoint)candidate.LocalEndpoint).Port;
            candidate.Stop();
            var reply = c.Call("CONFIG", "SET", "port", port.ToString());
            if (reply == "+OK\r\n") newPort = port;
            else Assert.Equal(Failed("port", "Unable to listen on this port. Check server logs."), reply);
        }
        Assert.Equal(newPort, server.Port);
        Assert.Equal($"*2\r\n$4\r\nport\r\n${newPort.ToString().Length}\r\n{newPort}\r\n", c.Call("CONFIG", "GET", "port"));
        // Existing connections stay; new ones go to the new port only.
        Assert.Equal("+PONG\r\n", c.Call("PING"));
        using (var moved = new RespClient(newPort)) Assert.Equal("+PONG\r\n", moved.Call("PING"));
        // Nothing reaches this server on the old port (another process may listen there by now).
        long accepted = server.Server.Stats.TotalConnectionsReceived;
        try { using var stale = new RespClient(oldPort); } catch (System.Net.Sockets.SocketException) { }
        using (var check = new RespClient(newPort)) Assert.Equal("+PONG\r\n", check.Call("PING"));
        Assert.Equal(accepted + 1, server.Server.Stats.TotalConnectionsReceived);
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "bind", "127.0.0.1 -::1"));
        using (var again = new RespClient(newPort)) Assert.Equal("+PONG\r\n", again.Call("PING"));
    }
}

/// <summary>CONFIG RESETSTAT, checked against Redis 7.0.15; each server keeps its own command counters.</summary>
public class ConfigResetStatTests
{
    private static string Body(string reply) => reply[(reply.IndexOf("\r\n", StringComparison.Ordinal) + 2)..^2];

    private const string Usec = @"usec=\d+,usec_per_call=\d+\.\d\d";
    private const string Percentiles = @"p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}";

    [Fact]
    public void ResetStatClearsStatsAndCommandStats()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("SET", "k", "v");
        c.Call("GET", "k");
        c.Call("DEBUG");
        c.Call("NOSUCHCOMMAND");
        Assert.Matches($@"^# Commandstats\r\ncmdstat_debug:calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0\r\n" +
            $@"cmdstat_get:calls=1,{Usec},rejected_calls=0,failed_calls=0\r\ncmdstat_set:calls=1,{Usec},rejected_calls=0,failed_calls=0\r\n$",
            Body(c.Call("INFO", "commandstats")));
        Assert.Equal(3, server.Server.Stats.TotalCommandsProcessed);
        Assert.Equal(2, server.Server.Stats.TotalErrorReplies);

        Assert.Equal("+OK\r\n", c.Call("CONFIG", "RESETSTAT"));
        Assert.Equal(0, server.Server.Stats.TotalErrorReplies);
        Assert.Equal(1, server.Server.Stats.TotalCommandsProcessed); // RESETSTAT itself, counted after it ran
        Assert.Equal(0, server.Server.CommandStatistics[server.Server.Commands.Find("GET")!].Calls);
        Assert.Empty(server.Server.Stats.ErrorCounts);
        // As Redis: only RESETSTAT's own call survives, and the latency histograms start over too.
        Assert.Matches($@"^# Commandstats\r\ncmdstat_config\|resetstat:calls=1,{Usec},rejected_calls=0,failed_calls=0\r\n$",
            Body(c.Call("INFO", "commandstats")));
        Assert.Matches($@"^# Latencystats\r\nlatency_percentiles_usec_config\|resetstat:{Percentiles}\r\nlatency_percentiles_usec_info:{Percentiles}\r\n$",
            Body(c.Call("INFO", "latencystats")));
        Assert.Equal("-ERR wrong number of arguments for 'config|resetstat' command\r\n", c.Call("CONFIG", "RESETSTAT", "x"));
    }

    [Fact]
    public void ServersInOneProcessKeepTheirOwnCommandStats()
    {
        using var first = new TestServer();
        using var second = new TestServer();
        using var a = first.Connect();
        using var b = second.Connect();
        for (int i = 0; i < 3; i++) a.Call("SET", "k", "v");
        b.Call("GET", "k");
        Assert.Matches($@"^# Commandstats\r\ncmdstat_set:calls=3,{Usec},rejected_calls=0,failed_calls=0\r\n$", Body(a.Call("INFO", "commandstats")));
        Assert.Matches($@"^# Commandstats\r\ncmdstat_get:calls=1,{Usec},rejected_calls=0,failed_calls=0\r\n$", Body(b.Call("INFO", "commandstats")));

        Assert.Equal("+OK\r\n", b.Call("CONFIG", "RESETSTAT"));
        Assert.Matches($@"^# Commandstats\r\ncmdstat_info:calls=1,{Usec},rejected_calls=0,failed_calls=0\r\n" +
            $@"cmdstat_set:calls=3,{Usec},rejected_calls=0,failed_calls=0\r\n$", Body(a.Call("INFO", "commandstats")));
    }
}
