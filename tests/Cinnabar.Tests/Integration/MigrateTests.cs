using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cinnabar.Commands;
using Cinnabar.Propagation;
using Cinnabar.Tests.Support;
using Xunit;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// MIGRATE between two in-process Cinnabar servers: keys move with their values and times to live, the source
/// deletes them (a DEL in its effects stream, "del" events) unless COPY, REPLACE, KEYS, AUTH/AUTH2, the target
/// database, the cached link, and Redis's error replies (texts checked against redis-server 7.0.15).
/// </summary>
public sealed class MigrateTests : IDisposable
{
    private readonly TestServer _source = new("--enable-debug-command", "yes");
    private readonly TestServer _target = new("--enable-debug-command", "yes");

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }

    private string Migrate(RespClient c, string key, int db, params string[] options) =>
        c.Call(["MIGRATE", "127.0.0.1", _target.Port.ToString(), key, db.ToString(), "5000", .. options]);

    private EffectsStream Effects(TestServer server)
    {
        var stream = new EffectsStream();
        lock (server.Server.Gate) server.Server.Propagator.Attach(stream);
        return stream;
    }

    private static void FillEveryType(RespClient c)
    {
        string[][] commands =
        [
            ["SET", "s", "hello"], ["SET", "n", "12345"], ["RPUSH", "l", "a", "b", "1"], ["SADD", "set", "1", "2", "x"],
            ["ZADD", "z", "1.5", "a", "-2", "b"], ["HSET", "h", "f", "v", "g", "2"], ["XADD", "x", "1-1", "a", "1"],
            ["XGROUP", "CREATE", "x", "g", "0"], ["PFADD", "hll", "a", "b", "c"],
        ];
        foreach (var command in commands) Assert.DoesNotContain("-ERR", c.Call(command));
        for (int i = 0; i < 300; i++) c.Call("HSET", "bighash", "field" + i, "value" + i);
    }

    private static readonly string[] EveryTypeKeys = ["s", "n", "l", "set", "z", "h", "x", "hll", "bighash"];

    [Fact]
    public void MovesAKeyWithItsTimeToLiveAndDeletesItAtTheSource()
    {
        using var src = _source.Connect();
        using var dst = _target.Connect();
        var events = _source.RecordNotifications();
        var effects = Effects(_source);
        src.Call("SET", "k", "value", "PX", "100000");
        string digest = src.Call("DEBUG", "DIGEST-VALUE", "k");
        Assert.Equal("+OK\r\n", Migrate(src, "k", 0));
        Assert.Equal(":0\r\n", src.Call("EXISTS", "k"));
        Assert.Equal("$5\r\nvalue\r\n", dst.Call("GET", "k"));
        Assert.Equal(digest, dst.Call("DEBUG", "DIGEST-VALUE", "k"));
        long pttl = long.Parse(dst.Call("PTTL", "k")[1..^2]);
        Assert.InRange(pttl, 90_000, 100_000);
        lock (events) Assert.Contains("g:del:k", events);
        Assert.EndsWith("*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n", Encoding.Latin1.GetString(effects.Written.Span));
        Assert.Equal("+NOKEY\r\n", Migrate(src, "k", 0));
        Assert.Contains("migrate_cached_sockets:1", src.Call("INFO", "stats"));
    }

    [Fact]
    public void EveryTypeMovesWithTheKeysOptionAndMissingKeysAreSkipped()
    {
        using var src = _source.Connect();
        using var dst = _target.Connect();
        FillEveryType(src);
        string digests = src.Call(["DEBUG", "DIGEST-VALUE", .. EveryTypeKeys]);
        Assert.Equal("+OK\r\n", Migrate(src, "", 0, ["KEYS", "missing", .. EveryTypeKeys]));
        Assert.Equal(digests, dst.Call(["DEBUG", "DIGEST-VALUE", .. EveryTypeKeys]));
        Assert.Equal(":0\r\n", src.Call("DBSIZE"));
        Assert.Equal("+NOKEY\r\n", Migrate(src, "", 0, "KEYS", "missing", "gone"));
        Assert.Equal("-ERR When using MIGRATE KEYS option, the key argument must be set to the empty string\r\n", Migrate(src, "s", 0, "KEYS", "s"));
    }

    [Fact]
    public void CopyKeepsTheSourceAndReplaceOverwritesTheTarget()
    {
        using var src = _source.Connect();
        using var dst = _target.Connect();
        var effects = Effects(_source);
        src.Call("SET", "k", "one");
        Assert.Equal("+OK\r\n", Migrate(src, "k", 0, "COPY"));
        Assert.Equal("$3\r\none\r\n", src.Call("GET", "k"));
        Assert.Equal("-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n", Migrate(src, "k", 0, "COPY"));
        Assert.Equal("-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n", Migrate(src, "k", 0));
        Assert.Equal("$3\r\none\r\n", src.Call("GET", "k"));
        src.Call("SET", "k", "two");
        Assert.Equal("+OK\r\n", Migrate(src, "k", 0, "COPY", "REPLACE"));
        Assert.Equal("$3\r\ntwo\r\n", dst.Call("GET", "k"));
        // Only the SETs reached the source's stream: a COPY deletes nothing.
        Assert.DoesNotContain("DEL", Encoding.Latin1.GetString(effects.Written.Span));
        src.Call("SET", "k", "three");
        Assert.Equal("+OK\r\n", Migrate(src, "k", 0, "REPLACE"));
        Assert.Equal("$5\r\nthree\r\n", dst.Call("GET", "k"));
        Assert.Equal(":0\r\n", src.Call("EXISTS", "k"));
    }

    [Fact]
    public void AKeyTheTargetRefusesStaysWhileTheOthersMove()
    {
        using var src = _source.Connect();
        using var dst = _target.Connect();
        src.Call("SET", "a", "1");
        src.Call("SET", "b", "2");
        dst.Call("SET", "b", "old");
        var effects = Effects(_source);
        Assert.Equal("-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n", Migrate(src, "", 0, "KEYS", "a", "b"));
        Assert.Equal(":0\r\n", src.Call("EXISTS", "a"));
        Assert.Equal("$1\r\n2\r\n", src.Call("GET", "b"));
        Assert.Equal("$1\r\n1\r\n", dst.Call("GET", "a"));
        Assert.EndsWith("*2\r\n$3\r\nDEL\r\n$1\r\na\r\n", Encoding.Latin1.GetString(effects.Written.Span));
    }

    [Fact]
    public void TheTargetDatabaseIsSelectedOncePerCachedLink()
    {
        using var src = _source.Connect();
        using var dst = _target.Connect();
        src.Call("SELECT", "2");
        src.Call("SET", "a", "1");
        src.Call("SET", "b", "2");
        src.Call("SET", "c", "3");
        Assert.Equal("+OK\r\n", Migrate(src, "a", 5));
        Assert.Equal("+OK\r\n", Migrate(src, "b", 5));
        Assert.Equal("+OK\r\n", Migrate(src, "c", 0));
        // SELECT 5 for the first key, nothing for the second, SELECT 0 for the third.
        Assert.Contains("cmdstat_select:calls=2,", dst.Call("INFO", "commandstats"));
        dst.Call("SELECT", "5");
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", KeysSorted(dst));
        dst.Call("SELECT", "0");
        Assert.Equal("$1\r\n3\r\n", dst.Call("GET", "c"));
        src.Call("SET", "d", "4");
        Assert.Equal("-ERR Target instance replied with error: ERR DB index is out of range\r\n", Migrate(src, "d", 99));
        Assert.Equal("$1\r\n4\r\n", src.Call("GET", "d"));
    }

    private static string KeysSorted(RespClient c)
    {
        var reply = c.Call("KEYS", "*");
        var lines = reply.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var names = new List<string>();
        for (int i = 2; i < lines.Length; i += 2) names.Add(lines[i]);
        names.Sort(StringComparer.Ordinal);
        var sb = new StringBuilder($"*{names.Count}\r\n");
        foreach (var n in names) sb.Append($"${n.Length}\r\n{n}\r\n");
        return sb.ToString();
    }

    [Fact]
    public void AuthAndAuth2ReachATargetWithAPassword()
    {
        using var target = new TestServer("--requirepass", "sec");
        using var src = _source.Connect();
        string To(params string[] options) => src.Call(["MIGRATE", "127.0.0.1", target.Port.ToString(), "k", "0", "5000", .. options]);
        src.Call("SET", "k", "v");
        Assert.Equal("-ERR Target instance replied with error: NOAUTH Authentication required.\r\n", To("COPY"));
        Assert.Equal("-ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.\r\n", To("COPY", "AUTH", "bad"));
        Assert.Equal("-ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.\r\n", To("COPY", "AUTH2", "default", "bad"));
        Assert.Equal("+OK\r\n", To("COPY", "AUTH", "sec"));
        Assert.Equal("+OK\r\n", To("REPLACE", "AUTH2", "default", "sec"));
        Assert.Equal(":0\r\n", src.Call("EXISTS", "k"));
        using var dst = target.Connect();
        dst.Call("AUTH", "sec");
        Assert.Equal("$1\r\nv\r\n", dst.Call("GET", "k"));
        // The user name and password never show in SLOWLOG.
        src.Call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        src.Call("MIGRATE", "127.0.0.1", target.Port.ToString(), "k", "0", "5000", "AUTH2", "default", "sec");
        string entry = src.Call("SLOWLOG", "GET", "1");
        Assert.DoesNotContain("sec", entry);
        Assert.Equal(2, entry.Split("(redacted)").Length - 1);
    }

    [Fact]
    public void ArgumentErrorsAreRedisOnes()
    {
        using var src = _source.Connect();
        src.Call("SET", "k", "v");
        Assert.Equal("-ERR syntax error\r\n", Migrate(src, "k", 0, "FOO"));
        Assert.Equal("-ERR syntax error\r\n", Migrate(src, "k", 0, "AUTH"));
        Assert.Equal("-ERR syntax error\r\n", Migrate(src, "k", 0, "AUTH2", "user"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", src.Call("MIGRATE", "127.0.0.1", "1", "k", "x", "1000"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", src.Call("MIGRATE", "127.0.0.1", "1", "k", "0", "x"));
        Assert.Equal("-ERR wrong number of arguments for 'migrate' command\r\n", src.Call("MIGRATE", "127.0.0.1", "1", "k", "0"));
        // A refused connection fails at the first write, as Redis's non-blocking connect does.
        Assert.Equal("-IOERR error or timeout writing to target instance\r\n", src.Call("MIGRATE", "127.0.0.1", FreePort().ToString(), "k", "0", "1000"));
        Assert.Equal("-IOERR error or timeout connecting to the client\r\n", src.Call("MIGRATE", "", "1", "k", "0", "1000"));
        Assert.Equal("$1\r\nv\r\n", src.Call("GET", "k"));
    }

    [Fact]
    public void ATargetThatNeverAnswersTimesOut()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        silent.Listen(1); // connections complete in the backlog, nothing is ever read or answered
        int port = ((IPEndPoint)silent.LocalEndPoint!).Port;
        using var src = _source.Connect();
        src.Call("SET", "k", "v");
        var watch = Stopwatch.StartNew();
        Assert.Equal("-IOERR error or timeout reading to target instance\r\n", src.Call("MIGRATE", "127.0.0.1", port.ToString(), "k", "0", "300"));
        Assert.InRange(watch.ElapsedMilliseconds, 290, 5000);
        Assert.Equal("$1\r\nv\r\n", src.Call("GET", "k"));
        // The failed link is not kept.
        Assert.Contains("migrate_cached_sockets:0", src.Call("INFO", "stats"));
    }

    [Fact]
    public void ALinkClosedByTheTargetIsReplacedAndIdleLinksCloseAfterTenSeconds()
    {
        using var src = _source.Connect();
        using var dst = _target.Connect();
        src.Call("SET", "a", "1");
        src.Call("SET", "b", "2");
        Assert.Equal("+OK\r\n", Migrate(src, "a", 0));
        Assert.Contains("migrate_cached_sockets:1", src.Call("INFO", "stats"));
        // The target drops the cached link (as its idle timeout would): the next MIGRATE retries on a new one.
        Assert.Equal(":1\r\n", dst.Call("CLIENT", "KILL", "SKIPME", "yes"));
        // The link's last use falls between these two readings of the server's clock (a second may tick between them).
        long before = _source.Server.NowMs / 1000;
        Assert.Equal("+OK\r\n", Migrate(src, "b", 0));
        long after = _source.Server.NowMs / 1000;
        Assert.Equal("$1\r\n2\r\n", dst.Call("GET", "b"));
        var links = _source.Server.MigrateLinks;
        lock (_source.Server.Gate)
        {
            links.CloseIdle(before + 10);
            Assert.Equal(1, links.Count);
            links.CloseIdle(after + 11);
            Assert.Equal(0, links.Count);
        }
    }

    [Fact]
    public void MigrateRunsInsideATransaction()
    {
        using var src = _source.Connect();
        using var dst = _target.Connect();
        src.Call("SET", "k", "v");
        src.Call("MULTI");
        Assert.Equal("+QUEUED\r\n", Migrate(src, "k", 0));
        src.Call("SET", "after", "1");
        Assert.Equal("*2\r\n+OK\r\n+OK\r\n", src.Call("EXEC"));
        Assert.Equal("$1\r\nv\r\n", dst.Call("GET", "k"));
        Assert.Equal(":0\r\n", src.Call("EXISTS", "k"));
    }

    [Fact]
    public void ScriptsCanMigrate()
    {
        // redis-server 7.0.15 gave these replies to the same scripts.
        using var src = _source.Connect();
        string port = _target.Port.ToString();
        // The same 5 s timeout as Migrate(): a target in this process accepts on the thread pool, which a loaded
        // test run can hold up past 1 s (the timeout changes no reply here).
        const string Call = "return redis.call('MIGRATE', ARGV[1], ARGV[2], KEYS[1], 0, 5000)";
        const string PCall = "return redis.pcall('MIGRATE', ARGV[1], ARGV[2], KEYS[1], 0, 5000)";
        src.Call("SET", "k", "v");
        Assert.Equal("+OK\r\n", src.Call("EVAL", Call, "1", "k", "127.0.0.1", port));
        Assert.Equal("+NOKEY\r\n", src.Call("EVAL", PCall, "1", "k", "127.0.0.1", port));
        src.Call("SET", "k", "v");
        Assert.Equal("-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n", src.Call("EVAL", PCall, "1", "k", "127.0.0.1", port));
    }

    [Fact]
    public void RestoreAskingIsRestoreOutsideACluster()
    {
        using var c = _target.Connect();
        c.Call("SET", "k", "hello");
        var payload = DumpBytes(_target, "k");
        Assert.Equal("+OK\r\n", c.Call("RESTORE-ASKING", "copy", "0", payload));
        Assert.Equal("$5\r\nhello\r\n", c.Call("GET", "copy"));
        Assert.Equal("-BUSYKEY Target key name already exists.\r\n", c.Call("RESTORE-ASKING", "copy", "0", payload));
        Assert.Equal("+OK\r\n", c.Call("RESTORE-ASKING", "copy", "0", payload, "REPLACE"));
    }

    private static byte[] DumpBytes(TestServer server, string key)
    {
        lock (server.Server.Gate)
            return Cinnabar.Persistence.RdbWriter.DumpPayload(server.Server.Databases[0].Peek(Encoding.UTF8.GetBytes(key))!);
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
