using System.Text;
using Cinnabar.Config;
using Cinnabar.Tests.Support;
using Xunit;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// Loading an AOF directory at start while clients are connected, as redis-server 7.0.15 does it (checked by
/// starting it on a 135 MB appendonly directory and asking meanwhile): commands without the loading flag get
/// -LOADING, INFO shows loading:1 with the loading_* fields last in its persistence section and aof_enabled:0,
/// and once the base (RDB preamble) and the incremental file are in, the data set is whole.
/// </summary>
public sealed class AofLoadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cinnabar-aofload-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Loading = "-LOADING Redis is loading the dataset in memory\r\n";

    private string[] Directives => ["--dir", _dir, "--appendonly", "yes", "--enable-debug-command", "yes", "--auto-aof-rewrite-percentage", "0", "--save", ""];

    /// <summary>A directory with a large RDB base and a large incremental file; returns its DEBUG DIGEST.</summary>
    private string WriteLargeAof(int baseKeys, int incrCommands)
    {
        using var server = new TestServer(Directives);
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("DEBUG", "POPULATE", baseKeys.ToString(), "key", "100"));
        Assert.Equal("+Background append only file rewriting started\r\n", c.Call("BGREWRITEAOF"));
        Wait.Until(() => c.Call("INFO", "persistence").Contains("aof_rewrites:1\r\n"), 60_000);
        // Pipelined writes after the rewrite land in the incremental file: strings, a list built across many
        // slices of the load, a transaction, another database.
        var pipeline = new MemoryStream();
        string value = new('v', 1000);
        for (int i = 0; i < incrCommands; i++)
        {
            byte[] command = (i % 4) switch
            {
                0 => RespClient.Encode("SET", $"incr:{i}", value),
                1 => RespClient.Encode("RPUSH", "list", i.ToString()),
                2 => RespClient.Encode("INCRBY", "counter", i.ToString()),
                _ => RespClient.Encode("SET", $"key:{i}", "replaced"),
            };
            pipeline.Write(command);
        }
        // 30 MB through the AOF: with other processes writing, the kernel may hold a write back for seconds
        // (dirty-page throttling), which a 10 s read once did not outlast in the test loop.
        c.ReceiveTimeoutMs = 60_000;
        c.SendRaw(pipeline.ToArray());
        for (int i = 0; i < incrCommands; i++) Assert.NotEqual('-', c.ReadReply()[0]);
        c.Call("MULTI");
        c.Call("SELECT", "7");
        c.Call("SET", "in-db-7", "x");
        Assert.Equal("*2\r\n+OK\r\n+OK\r\n", c.Call("EXEC"));
        return c.Call("DEBUG", "DIGEST");
    }

    [Fact]
    public void ClientsGetLoadingWhileALargeAofLoadsAndTheDataIsWholeAfter()
    {
        string digest = WriteLargeAof(150_000, 80_000);
        string aofDir = Path.Combine(_dir, "appendonlydir");
        long total = Directory.GetFiles(aofDir).Where(f => !f.EndsWith(".manifest", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
        // Many slices: the store lock opens to clients every 2 MB read.
        Assert.True(total > 10 * Cinnabar.Persistence.LoadingState.SliceBytes, $"the AOF is {total} bytes");

        var log = new ServerLogCapture();
        var config = ConfigLoader.FromArgs(["--port", "0", "--bind", "127.0.0.1", .. Directives], out var error) ?? throw new InvalidOperationException(error);
        using var server = new CinnabarServer(config, log.Log).Listen();
        try
        {
            using var c = new RespClient(server.Port);
            Assert.Equal("+PONG\r\n", c.Call("PING"));
            var load = Task.Run(server.Aof.LoadAndOpenAtStartup);
            Wait.Until(() => server.LoadingState.Active || load.IsCompleted);

            // Ask until the load is over, four commands per write (one batch, as a client's pipeline): each batch
            // waits for the next slice's opening of the store lock.
            bool getRefused = false, pingRefused = false, dbsizeRefused = false;
            string? infoWhileLoading = null;
            byte[] batch = [.. RespClient.Encode("GET", "key:1"), .. RespClient.Encode("PING"), .. RespClient.Encode("DBSIZE"), .. RespClient.Encode("INFO", "persistence")];
            while (!load.IsCompleted)
            {
                c.SendRaw(batch);
                string get = c.ReadReply(), ping = c.ReadReply(), dbsize = c.ReadReply(), info = c.ReadReply();
                getRefused |= get == Loading;
                pingRefused |= ping == Loading; // PING has no loading flag in Redis 7
                dbsizeRefused |= dbsize == Loading;
                if (info.Contains("\r\nloading:1\r\n")) infoWhileLoading = info;
                if (get != Loading) break;
            }
            load.GetAwaiter().GetResult();
            Assert.True(getRefused && pingRefused && dbsizeRefused, $"refused during the load: GET {getRefused}, PING {pingRefused}, DBSIZE {dbsizeRefused}");
            Assert.NotNull(infoWhileLoading);
            Assert.Contains($"\r\nloading_total_bytes:{total}\r\n", infoWhileLoading);
            Assert.Contains("\r\naof_enabled:0\r\n", infoWhileLoading);
            Assert.Matches(@"\r\nloading_loaded_perc:\d+\.\d\d\r\nloading_eta_seconds:\d+\r\n\r\n$", infoWhileLoading);
            Assert.Matches(@"\r\nloading_rdb_used_mem:[1-9]\d*\r\n", infoWhileLoading);
            // The loading fields come last, after the AOF's, as in Redis.
            Assert.True(infoWhileLoading.IndexOf("aof_delayed_fsync", StringComparison.Ordinal) < infoWhileLoading.IndexOf("loading_start_time", StringComparison.Ordinal));

            // Whole after: the same digest as before the restart, the AOF open again.
            Assert.Equal(digest, c.Call("DEBUG", "DIGEST"));
            string after = c.Call("INFO", "persistence");
            Assert.Contains("\r\nloading:0\r\n", after);
            Assert.Contains("\r\naof_enabled:1\r\n", after);
            Assert.DoesNotContain("loading_start_time", after);
            Assert.Equal("+OK\r\n", c.Call("SET", "after-load", "1"));
        }
        finally
        {
            server.Stop();
        }
        Assert.Contains("Reading RDB base file on AOF loading...", log.Text);
        Assert.Contains("Done loading RDB, keys loaded: 150000, keys expired: 0.", log.Text);
        Assert.Contains("DB loaded from incr file appendonly.aof.2.incr.aof", log.Text);
        Assert.Contains("DB loaded from append only file: ", log.Text);
        Assert.EndsWith(Encoding.ASCII.GetString(RespClient.Encode("SET", "after-load", "1")),
            File.ReadAllText(Path.Combine(aofDir, "appendonly.aof.2.incr.aof"), Encoding.Latin1));
    }
}
