using System.Text;
using Cinnabar.Persistence;
using Cinnabar.Tests.Support;
using Xunit;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// The append-only file as redis-server 7.0.15 writes it (file names, manifest lines, commands as received with
/// SELECT and MULTI/EXEC, #TS annotations: all checked against a redis-server started with appendonly yes), and
/// loading it back at start: restarts, torn tails per aof-load-truncated, corrupt middles, unfinished MULTI.
/// </summary>
public sealed class AofTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cinnabar-aof-").FullName;
    private string AofDir => Path.Combine(_dir, "appendonlydir");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TestServer Start(params string[] directives) => Start(null, directives);

    private TestServer Start(ServerLogCapture? log, params string[] directives) =>
        new(log?.Log, ["--dir", _dir, "--appendonly", "yes", .. directives]);

    private string Read(string name) => Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(AofDir, name)));

    private const string Incr1 = "appendonly.aof.1.incr.aof";

    [Fact]
    public void AFreshStartCreatesTheFilesRedisCreates()
    {
        using (var server = Start())
        {
            // aof-use-rdb-preamble yes (the default): the base is an RDB file, marked as an AOF base.
            Assert.Equal("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n", Read("appendonly.aof.manifest"));
            Assert.StartsWith("REDIS0010", Read("appendonly.aof.1.base.rdb"));
            Assert.Contains("\u0008aof-base\u00c0\u0001", Read("appendonly.aof.1.base.rdb"));
            using var c = server.Connect();
            Assert.Equal("+OK\r\n", c.Call("set", "a", "b"));
            // Written before the reply left: the file holds it now.
            Assert.Equal("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\nb\r\n", Read(Incr1));
        }
        Assert.Equal(["appendonly.aof.1.base.rdb", Incr1, "appendonly.aof.manifest"],
            Directory.GetFiles(AofDir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void WritesFollowTheEffectsStream()
    {
        using (var server = Start())
        {
            using var c = server.Connect();
            c.Call("SELECT", "3");
            c.Call("SET", "x", "1", "PXAT", "4102444800000");
            c.Call("MULTI");
            c.Call("SET", "m", "1");
            c.Call("INCR", "m");
            c.Call("EXEC");
            c.Call("GET", "m"); // reads are not written
        }
        Assert.Equal(
            "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*5\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\n1\r\n$4\r\nPXAT\r\n$13\r\n4102444800000\r\n"
            + "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nm\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\nm\r\n*1\r\n$4\r\nEXEC\r\n",
            Read(Incr1));
    }

    [Fact]
    public void TimestampAnnotationsComeFirstWhenEnabled()
    {
        using (var server = Start("--aof-timestamp-enabled", "yes", "--aof-use-rdb-preamble", "no"))
        {
            using var c = server.Connect();
            c.Call("SET", "a", "1");
        }
        Assert.Matches(@"^#TS:\d{10}\r\n$", Read("appendonly.aof.1.base.aof"));
        Assert.Matches(@"^#TS:\d{10}\r\n\*2\r\n\$6\r\nSELECT\r\n", Read(Incr1));
    }

    [Fact]
    public void ARestartLoadsEverythingBack()
    {
        string digest;
        using (var server = Start("--enable-debug-command", "yes"))
        {
            using var c = server.Connect();
            c.Call("RPUSH", "l", "a", "b", "c");
            c.Call("HSET", "h", "f", "v");
            c.Call("SELECT", "5");
            c.Call("ZADD", "z", "1", "m");
            c.Call("SET", "t", "v", "EX", "1000");
            c.Call("XADD", "s", "1-1", "f", "v");
            c.Call("XGROUP", "CREATE", "s", "g", "0");
            c.Call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">");
            c.Call("EVAL", "redis.call('incr','n') redis.call('incr','n')", "0");
            digest = c.Call("DEBUG", "DIGEST");
        }
        var log = new ServerLogCapture();
        using (var server = Start(log, "--enable-debug-command", "yes"))
        {
            using var c = server.Connect();
            Assert.Equal(digest, c.Call("DEBUG", "DIGEST"));
            c.Call("SELECT", "5");
            Assert.Equal("$1\r\n2\r\n", c.Call("GET", "n"));
            // Replayed commands are not counted as clients' commands (Redis's loader runs them outside call()).
            Assert.DoesNotContain("cmdstat_rpush", c.Call("INFO", "commandstats"));
            c.Call("SET", "after", "1");
        }
        Assert.Contains("DB loaded from incr file appendonly.aof.1.incr.aof", log.Text);
        Assert.Contains("Opening AOF incr file appendonly.aof.1.incr.aof on server start", log.Text);
        // The restart appended to the same file, beginning with a SELECT again.
        Assert.EndsWith("*2\r\n$6\r\nSELECT\r\n$1\r\n5\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n1\r\n", Read(Incr1));
    }

    private void WriteDir(string incr, string manifest = "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n")
    {
        Directory.CreateDirectory(AofDir);
        File.WriteAllText(Path.Combine(AofDir, "appendonly.aof.manifest"), manifest);
        File.WriteAllText(Path.Combine(AofDir, "appendonly.aof.1.base.aof"), "");
        File.WriteAllBytes(Path.Combine(AofDir, Incr1), Encoding.Latin1.GetBytes(incr));
    }

    private const string SetA = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n";

    [Fact]
    public void ATornTailIsCutWhenAofLoadTruncatedIsYes()
    {
        WriteDir(SetA + "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$5\r\n12");
        var log = new ServerLogCapture();
        using (var server = Start(log))
        {
            using var c = server.Connect();
            Assert.Equal("$1\r\n1\r\n", c.Call("GET", "a"));
            Assert.Equal("$-1\r\n", c.Call("GET", "b"));
        }
        Assert.Contains($"!!! Warning: short read while loading the AOF file {Incr1}!!!", log.Text);
        Assert.Contains($"!!! Truncating the AOF {Incr1} at offset {SetA.Length} !!!", log.Text);
        Assert.Contains($"AOF {Incr1} loaded anyway because aof-load-truncated is enabled", log.Text);
        Assert.Equal(SetA, Read(Incr1));
    }

    [Fact]
    public void ATornTailRefusesTheStartWhenAofLoadTruncatedIsNo()
    {
        string torn = SetA + "*3\r\n$3\r\nSET\r\n$1\r\nb";
        WriteDir(torn);
        var log = new ServerLogCapture();
        Assert.Throws<AofFatalException>(() => Start(log, "--aof-load-truncated", "no"));
        Assert.Contains($"Unexpected end of file reading the append only file {Incr1} at offset {SetA.Length}. You can: 1) Make a backup", log.Text);
        Assert.Equal(torn, Read(Incr1)); // left as it was
    }

    [Fact]
    public void ACorruptMiddleRefusesTheStartNamingFileAndOffset()
    {
        WriteDir(SetA + "garbage\r\n" + SetA);
        var log = new ServerLogCapture();
        Assert.Throws<AofFatalException>(() => Start(log));
        Assert.Contains($"Bad file format reading the append only file {Incr1} at offset {SetA.Length}", log.Text);

        WriteDir(SetA + "*2\r\n$3\r\nGET\r\n:1\r\n" + SetA);
        log = new ServerLogCapture();
        Assert.Throws<AofFatalException>(() => Start(log));
        Assert.Contains($"Bad file format reading the append only file {Incr1} at offset {SetA.Length}", log.Text);
    }

    [Fact]
    public void AnUnknownCommandRefusesTheStart()
    {
        WriteDir("*1\r\n$6\r\nNOSUCH\r\n");
        var log = new ServerLogCapture();
        Assert.Throws<AofFatalException>(() => Start(log));
        Assert.Contains($"Unknown command 'NOSUCH' reading the append only file {Incr1}", log.Text);
    }

    [Fact]
    public void ATransactionWithoutItsExecIsDroppedWhole()
    {
        WriteDir(SetA + "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n");
        var log = new ServerLogCapture();
        using (var server = Start(log))
        {
            using var c = server.Connect();
            Assert.Equal("$1\r\n1\r\n", c.Call("GET", "a"));
            Assert.Equal("$-1\r\n", c.Call("GET", "b"));
        }
        Assert.Contains($"Revert incomplete MULTI/EXEC transaction in AOF file {Incr1}", log.Text);
        Assert.Equal(SetA, Read(Incr1));
    }

    [Fact]
    public void AFileTheManifestNamesMustExist()
    {
        WriteDir(SetA, "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        var log = new ServerLogCapture();
        Assert.Throws<AofFatalException>(() => Start(log));
        Assert.Contains("Unable to obtain the AOF file appendonly.aof.2.incr.aof length. stat: No such file or directory", log.Text);
    }

    [Fact]
    public void AnnotationsAreSkippedAndSeveralIncrFilesLoadInOrder()
    {
        WriteDir("#TS:1700000000\r\n" + SetA,
            "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        File.WriteAllText(Path.Combine(AofDir, "appendonly.aof.2.incr.aof"), "*2\r\n$4\r\nINCR\r\n$1\r\na\r\n");
        using (var server = Start())
        {
            using var c = server.Connect();
            Assert.Equal("$1\r\n2\r\n", c.Call("GET", "a"));
            c.Call("SET", "c", "3");
        }
        // Appending continues in the last incremental file.
        Assert.Contains("$1\r\nc\r\n", Read("appendonly.aof.2.incr.aof"));
        Assert.DoesNotContain("$1\r\nc\r\n", Read(Incr1));
    }

    [Fact]
    public void ExpiredKeysAreNotDroppedWhileLoading()
    {
        // An expiry long past, then an APPEND: while loading, the stream's own DELs decide, so APPEND finds the
        // key with its TTL (were it expired, APPEND would make a new key "w" without one); afterwards it expires.
        WriteDir("*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$4\r\nPXAT\r\n$1\r\n1\r\n*3\r\n$6\r\nAPPEND\r\n$1\r\nk\r\n$1\r\nw\r\n");
        using var server = Start("--enable-debug-command", "yes");
        using var c = server.Connect();
        Assert.Equal("$-1\r\n", c.Call("GET", "k"));
        Assert.Contains("expired_keys:1\r\n", c.Call("INFO", "stats"));
    }

    [Fact]
    public void ConfigSetAppendonlyNoStopsWritingAndYesRewritesABaseFirst()
    {
        string digest;
        using (var server = Start("--enable-debug-command", "yes"))
        {
            using var c = server.Connect();
            c.Call("SET", "a", "1");
            Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "appendonly", "no"));
            Assert.Contains("aof_enabled:0", c.Call("INFO", "persistence"));
            c.Call("SET", "b", "1");
            c.Call("RPUSH", "l", "x", "y");
            Assert.DoesNotContain("$1\r\nb\r\n", Read(Incr1));
            // Turned on again: a rewrite writes the whole data set as a new base, then appending resumes.
            Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "appendonly", "yes"));
            Wait.Until(() => c.Call("INFO", "persistence").Contains("aof_rewrite_in_progress:0"));
            c.Call("RPUSH", "l", "z");
            digest = c.Call("DEBUG", "DIGEST");
            Assert.Contains("aof_enabled:1", c.Call("INFO", "persistence"));
        }
        Assert.Equal("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n", Read("appendonly.aof.manifest"));
        Assert.False(File.Exists(Path.Combine(AofDir, Incr1))); // history, deleted
        Assert.False(File.Exists(Path.Combine(AofDir, "appendonly.aof.1.base.rdb")));
        using (var server = Start("--enable-debug-command", "yes"))
        {
            using var c = server.Connect();
            Assert.Equal(digest, c.Call("DEBUG", "DIGEST"));
            Assert.Equal(":3\r\n", c.Call("LLEN", "l"));
        }
    }

    [Fact]
    public void BgRewriteAofMakesANewBaseAndIncrementalFile()
    {
        string digest;
        var log = new ServerLogCapture();
        using (var server = Start(log, "--enable-debug-command", "yes"))
        {
            using var c = server.Connect();
            for (int i = 0; i < 3000; i++) c.Call("SET", $"k{i}", i.ToString());
            c.Call("HSET", "h", "f", "v");
            Assert.Equal("+Background append only file rewriting started\r\n", c.Call("BGREWRITEAOF"));
            Wait.Until(() => c.Call("INFO", "persistence").Contains("aof_rewrite_in_progress:0"));
            string info = c.Call("INFO", "persistence");
            Assert.Contains("aof_rewrites:1\r\n", info);
            Assert.Contains("aof_last_bgrewrite_status:ok\r\n", info);
            c.Call("INCR", "k1");
            digest = c.Call("DEBUG", "DIGEST");
            // Inside MULTI it is scheduled, and the cron runs it.
            c.Call("MULTI");
            c.Call("BGREWRITEAOF");
            Assert.Equal("*1\r\n+Background append only file rewriting scheduled\r\n", c.Call("EXEC"));
            Wait.Until(() => c.Call("INFO", "persistence").Contains("aof_rewrites:2\r\n"));
        }
        Assert.Equal("file appendonly.aof.3.base.rdb seq 3 type b\nfile appendonly.aof.3.incr.aof seq 3 type i\n", Read("appendonly.aof.manifest"));
        Assert.Equal(["appendonly.aof.3.base.rdb", "appendonly.aof.3.incr.aof", "appendonly.aof.manifest"],
            Directory.GetFiles(AofDir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite", log.Text);
        Assert.Contains("Removing the history file appendonly.aof.1.incr.aof in the background", log.Text);
        using (var server = Start("--enable-debug-command", "yes"))
        {
            using var c = server.Connect();
            Assert.Equal(digest, c.Call("DEBUG", "DIGEST"));
        }
    }

    /// <summary>Sends <paramref name="commands"/> in one write and checks that none failed.</summary>
    private static void Pipeline(RespClient c, IEnumerable<object[]> commands)
    {
        var bytes = new MemoryStream();
        int count = 0;
        foreach (var command in commands)
        {
            bytes.Write(RespClient.Encode(command));
            count++;
        }
        c.SendRaw(bytes.ToArray());
        for (int i = 0; i < count; i++) Assert.NotEqual('-', c.ReadReply()[0]);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("no")]
    public void ARewriteUnderWritesNeverLosesOrDoublesThem(string rdbPreamble)
    {
        string digest;
        var log = new ServerLogCapture();
        using (var server = Start(log, "--enable-debug-command", "yes", "--aof-use-rdb-preamble", rdbPreamble))
        {
            using var c = server.Connect();
            using var writer = server.Connect();
            // 40,000 keys of every type, 60,000 strings and a stream, 5,000 keys in another database: a hundred
            // slices of the walk, with clients' writes between them.
            Pipeline(c, Enumerable.Range(0, 40_000).Select(i => (i % 5) switch
            {
                0 => new object[] { "RPUSH", $"k{i}", i, "x" },
                1 => ["HSET", $"k{i}", "f", i],
                2 => ["SADD", $"k{i}", i, "m"],
                3 => ["ZADD", $"k{i}", i, "m"],
                _ => ["SET", $"k{i}", i, "PX", "100000000"],
            }));
            Assert.Equal("+OK\r\n", c.Call("DEBUG", "POPULATE", "60000", "filler"));
            Pipeline(c, Enumerable.Range(0, 2000).Select(i => new object[] { "XADD", "stream", $"{i + 1}-0", "f", i }));
            c.Call("XGROUP", "CREATE", "stream", "g", "0");
            c.Call("SELECT", "5");
            Pipeline(c, Enumerable.Range(0, 5000).Select(i => new object[] { "SET", $"five{i}", i }));
            c.Call("SELECT", "0");
            Assert.Equal("+Background append only file rewriting started\r\n", c.Call("BGREWRITEAOF"));
            // Writes while the walk runs in slices: keys it has not reached are serialized before they change,
            // so the base is the data set at the cut and the new incremental file holds every write after it.
            // Replayed twice, RPUSH, ZINCRBY, APPEND and XREADGROUP would show in the digest.
            int n = 0;
            while (c.Call("INFO", "persistence").Contains("aof_rewrite_in_progress:1"))
            {
                var batch = new List<object[]>();
                for (int j = 0; j < 20; j++, n++)
                {
                    int k = n * 7919 % 40_000 / 5 * 5;
                    batch.Add(["SELECT", "0"]);
                    batch.Add((n % 3) switch { 0 => ["RPUSH", $"k{k}", "during"], 1 => ["LPOP", $"k{k}"], _ => ["DEL", $"k{k}"] });
                    batch.Add(["HSET", $"k{k + 1}", "g", n]);
                    batch.Add(["SADD", $"k{k + 2}", n]);
                    batch.Add(["ZINCRBY", $"k{k + 3}", "1", "m"]);
                    batch.Add(["PEXPIRE", $"k{k + 4}", "50000000"]);
                    batch.Add(["APPEND", $"filler:{n * 104729 % 60_000}", "+"]);
                    batch.Add(["SET", $"new{n}", "x"]);
                    batch.Add(["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "stream", ">"]);
                    batch.Add(["SELECT", "5"]);
                    batch.Add(["APPEND", $"five{n * 31 % 5000}", "+"]);
                }
                Pipeline(writer, batch);
            }
            Assert.True(n > 0, "no write happened during the rewrite");
            string info = c.Call("INFO", "persistence");
            Assert.Contains("aof_rewrites:1\r\n", info);
            Assert.Contains("aof_last_bgrewrite_status:ok\r\n", info);
            writer.Call("SELECT", "0");
            writer.Call("RPUSH", "k0", "after");
            digest = c.Call("DEBUG", "DIGEST");
        }
        Assert.Contains($"appendonly.aof.2.base.{(rdbPreamble == "yes" ? "rdb" : "aof")}", Read("appendonly.aof.manifest"));
        using (var server = Start("--enable-debug-command", "yes"))
        {
            using var c = server.Connect();
            Assert.Equal(digest, c.Call("DEBUG", "DIGEST"));
        }
    }

    [Fact]
    public void WithoutTheRdbPreambleTheBaseIsTheCommandsThatRebuildEachKey()
    {
        string digest;
        using (var server = Start("--aof-use-rdb-preamble", "no", "--enable-debug-command", "yes"))
        {
            using var c = server.Connect();
            c.Call("RPUSH", "l", "a", "b");
            c.Call("SET", "s", "v", "PXAT", "4102444800000");
            c.Call("ZADD", "z", "1.5", "m");
            c.Call("XADD", "x", "1-1", "f", "v");
            c.Call("XGROUP", "CREATE", "x", "g", "0");
            c.Call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "x", ">");
            Assert.Equal("+Background append only file rewriting started\r\n", c.Call("BGREWRITEAOF"));
            Wait.Until(() => c.Call("INFO", "persistence").Contains("aof_rewrites:1\r\n"));
            digest = c.Call("DEBUG", "DIGEST");
        }
        // Key order follows the key table's slots, as Redis's follows its dict: each key's commands are Redis's.
        string rewritten = Read("appendonly.aof.2.base.aof");
        Assert.StartsWith("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n", rewritten);
        Assert.Contains("*4\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\na\r\n$1\r\nb\r\n", rewritten);
        Assert.Contains("*3\r\n$3\r\nSET\r\n$1\r\ns\r\n$1\r\nv\r\n*3\r\n$9\r\nPEXPIREAT\r\n$1\r\ns\r\n$13\r\n4102444800000\r\n", rewritten);
        Assert.Contains("*4\r\n$4\r\nZADD\r\n$1\r\nz\r\n$3\r\n1.5\r\n$1\r\nm\r\n", rewritten);
        Assert.Contains("*5\r\n$4\r\nXADD\r\n$1\r\nx\r\n$3\r\n1-1\r\n$1\r\nf\r\n$1\r\nv\r\n"
            + "*7\r\n$6\r\nXSETID\r\n$1\r\nx\r\n$3\r\n1-1\r\n$12\r\nENTRIESADDED\r\n$1\r\n1\r\n$12\r\nMAXDELETEDID\r\n$3\r\n0-0\r\n"
            + "*7\r\n$6\r\nXGROUP\r\n$6\r\nCREATE\r\n$1\r\nx\r\n$1\r\ng\r\n$3\r\n1-1\r\n$11\r\nENTRIESREAD\r\n$1\r\n1\r\n"
            + "*12\r\n$6\r\nXCLAIM\r\n$1\r\nx\r\n$1\r\ng\r\n$1\r\nc\r\n$1\r\n0\r\n$3\r\n1-1\r\n$4\r\nTIME\r\n", rewritten);
        using (var server = Start("--enable-debug-command", "yes"))
        {
            using var c = server.Connect();
            Assert.Equal(digest, c.Call("DEBUG", "DIGEST"));
        }
    }

    [Fact]
    public void TheAofRewritesItselfWhenItGrowsPastThePercentage()
    {
        var log = new ServerLogCapture();
        using var server = Start(log, "--auto-aof-rewrite-min-size", "20kb", "--auto-aof-rewrite-percentage", "100");
        using var c = server.Connect();
        for (int i = 0; i < 500; i++) c.Call("SET", "same", new string('v', 100));
        Wait.Until(() => c.Call("INFO", "persistence").Contains("aof_rewrites:1\r\n"));
        Assert.Contains("% growth", log.Text);
        Assert.Contains("Starting automatic rewriting of AOF on ", log.Text);
        // The base now holds one key: the AOF is small again.
        Assert.True(new FileInfo(Path.Combine(AofDir, "appendonly.aof.2.base.rdb")).Length < 1000);
    }

    [Fact]
    public void HistoryFilesStayWithAofDisableAutoGc()
    {
        using var server = Start("--aof-disable-auto-gc", "yes");
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        c.Call("BGREWRITEAOF");
        Wait.Until(() => c.Call("INFO", "persistence").Contains("aof_rewrites:1\r\n"));
        Assert.Equal("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\n"
            + "file appendonly.aof.1.base.rdb seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n", Read("appendonly.aof.manifest"));
        Assert.True(File.Exists(Path.Combine(AofDir, Incr1)));
    }

    [Fact]
    public void InfoPersistenceShowsTheAofFields()
    {
        using var server = Start("--appendfsync", "always");
        using var c = server.Connect();
        c.Call("SET", "a", "1");
        string info = c.Call("INFO", "persistence");
        Assert.Contains("aof_enabled:1\r\n", info);
        Assert.Contains("aof_last_write_status:ok\r\n", info);
        long size = new FileInfo(Path.Combine(AofDir, Incr1)).Length + new FileInfo(Path.Combine(AofDir, "appendonly.aof.1.base.rdb")).Length;
        Assert.Contains($"aof_current_size:{size}\r\n", info);
        Assert.Contains($"aof_base_size:{new FileInfo(Path.Combine(AofDir, "appendonly.aof.1.base.rdb")).Length}\r\n", info);
        Assert.Contains("aof_buffer_length:0\r\n", info);
        Assert.Contains("aof_pending_bio_fsync:0\r\n", info);
        Assert.Contains("aof_delayed_fsync:0\r\n", info);
    }

    [Fact]
    public void CommandsAcrossTheLoadersReadChunksAndLargeValuesLoad()
    {
        // Several megabytes: commands straddle every 1 MiB read, and one value is larger than a read.
        var text = new StringBuilder();
        for (int i = 0; i < 60_000; i++) text.Append($"*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n${i.ToString().Length + 4}\r\nitem{i}\r\n");
        string big = new('v', 3 << 20);
        text.Append($"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n${big.Length}\r\n{big}\r\n");
        WriteDir(text.ToString());
        var log = new ServerLogCapture();
        using var server = Start(log);
        using var c = server.Connect();
        Assert.Equal(":60000\r\n", c.Call("LLEN", "l"));
        Assert.Equal("$9\r\nitem59999\r\n", c.Call("LINDEX", "l", "-1"));
        Assert.Equal($":{big.Length}\r\n", c.Call("STRLEN", "big"));
        Assert.DoesNotContain("short read", log.Text);
    }

    [Fact]
    public void AFailedWriteRefusesWritesWithMisconfUntilItSucceeds()
    {
        // The incremental file is /dev/full: every write fails with ENOSPC.
        WriteDir("");
        File.Delete(Path.Combine(AofDir, Incr1));
        File.CreateSymbolicLink(Path.Combine(AofDir, Incr1), "/dev/full");
        var log = new ServerLogCapture();
        using var server = Start(log);
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("SET", "a", "1")); // as in Redis, the failed write's own reply goes out
        string refused = c.Call("SET", "b", "1");
        Assert.Equal("-MISCONF Errors writing to the AOF file: No space left on device\r\n", refused);
        Assert.StartsWith("-MISCONF", c.Call("PING"));
        Assert.Equal("$1\r\n1\r\n", c.Call("GET", "a"));
        Assert.Contains("aof_last_write_status:err", c.Call("INFO", "persistence"));
        Assert.Contains("Error writing to the AOF file: ", log.Text);
    }

    [Fact]
    public void AnOldSingleFileAofMovesIntoTheDirectoryAsItsBase()
    {
        // Redis 6's layout: appendonly.aof in dir, no appendonlydir.
        File.WriteAllText(Path.Combine(_dir, "appendonly.aof"), SetA + "*2\r\n$4\r\nINCR\r\n$1\r\na\r\n");
        var log = new ServerLogCapture();
        using (var server = Start(log))
        {
            using var c = server.Connect();
            Assert.Equal("$1\r\n2\r\n", c.Call("GET", "a"));
        }
        Assert.Contains("Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).", log.Text);
        Assert.False(File.Exists(Path.Combine(_dir, "appendonly.aof")));
        Assert.Equal("file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n", Read("appendonly.aof.manifest"));
    }

    /// <summary>Bytes allocated on this thread by <paramref name="count"/> INCRs run through the gate and the end of batch.</summary>
    private static long AllocatedByIncrs(CinnabarServer server, int count)
    {
        var client = new Client(server.NextClientId(), server.Databases[0]) { Authenticated = true };
        var ctx = new Cinnabar.Commands.CommandContext(server, client, new Cinnabar.Protocol.RespWriter(4096));
        client.Context = ctx;
        byte[][] incr = ["INCR"u8.ToArray(), "counter"u8.ToArray()];
        long Run(int n)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            lock (server.Gate)
            {
                for (int i = 0; i < n; i++)
                {
                    ctx.Args.Load(incr);
                    Cinnabar.Commands.Dispatcher.Process(ctx);
                    server.EndOfBatch(null);
                    ctx.Reply.Clear();
                }
            }
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Run(count); // warm-up: buffers grow to their size
        // The least of three runs: an allocation per command shows in every run, while a one-off (a buffer of the
        // file writer growing once, seen as 7 KB in one run of the 20-run loop) does not repeat.
        return Math.Min(Run(count), Math.Min(Run(count), Run(count)));
    }

    [Fact]
    public void AppendingToTheAofAllocatesNothingPerCommand()
    {
        long withAof, without;
        using (var server = Start("--appendfsync", "no"))
            withAof = AllocatedByIncrs(server.Server, 5000);
        using (var server = new TestServer())
            without = AllocatedByIncrs(server.Server, 5000);
        // The same commands with and without the AOF: whatever INCR itself allocates, the AOF adds nothing.
        Assert.True(withAof - without < 5000, $"with the AOF {withAof} bytes, without {without}");
    }

    [Fact]
    public void NoAppendfsyncOnRewriteHoldsFsyncsWhileABackgroundSaveRuns()
    {
        // Redis skips the AOF's fsync while any child runs (BGSAVE included), even with appendfsync always.
        using var server = Start("--appendfsync", "always", "--no-appendfsync-on-rewrite", "yes", "--enable-debug-command", "yes");
        var cinnabar = server.Server;
        var local = new Cinnabar.Commands.LocalClient(cinnabar);
        string Run(params string[] args) => Encoding.UTF8.GetString(local.Run(args.Select(Encoding.UTF8.GetBytes).ToArray()));
        Run("DEBUG", "POPULATE", "10000");
        Run("SET", "before", "1");
        lock (cinnabar.Gate) Assert.True(cinnabar.Aof.HasFsynced(local.Client));
        // Holding the store lock keeps the save's pool thread from finishing it (each batch steps only 32 keys).
        lock (cinnabar.Gate)
        {
            Assert.Equal("+Background saving started\r\n", Run("BGSAVE"));
            Run("SET", "during", "1");
            Assert.True(cinnabar.Rdb.BackgroundInProgress);
            Assert.False(cinnabar.Aof.HasFsynced(local.Client));
        }
        Wait.Until(() => !cinnabar.Rdb.BackgroundInProgress, 60_000);
        Run("SET", "after", "1");
        lock (cinnabar.Gate) Assert.True(cinnabar.Aof.HasFsynced(local.Client));
    }

    [Theory]
    [InlineData("always")]
    [InlineData("everysec")]
    public void WaitAofAcknowledgesOnceTheClientsWritesAreFsynced(string policy)
    {
        using var server = Start("--appendfsync", policy);
        using var c = server.Connect();
        Assert.Equal("*2\r\n:1\r\n:0\r\n", c.Call("WAITAOF", "1", "0", "0")); // nothing written yet
        c.Call("SET", "a", "1");
        // always: fsynced before the reply to SET; everysec: WAITAOF waits for the background fsync.
        Assert.Equal("*2\r\n:1\r\n:0\r\n", c.Call("WAITAOF", "1", "0", "0"));
        // No replica ever acknowledges: the timeout answers, with the local fsync counted.
        Assert.Equal("*2\r\n:1\r\n:0\r\n", c.Call("WAITAOF", "0", "1", "50"));
        c.Call("CONFIG", "SET", "appendonly", "no");
        Assert.Equal("-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.\r\n", c.Call("WAITAOF", "1", "0", "0"));
    }
}
