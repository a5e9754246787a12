using Cinnabar.Config;
using Cinnabar.Tests.Support;
using Xunit;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// No directive is stored and ignored: a value whose feature Cinnabar lacks is refused at start and by CONFIG
/// SET with an error naming the feature, while the values that work without it are accepted.
/// </summary>
public class DirectiveSupportTests
{
    private static string Failed(string name, string reason) => $"-ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}\r\n";

    [Theory]
    [InlineData("rdb-del-sync-files", "yes", "'rdb-del-sync-files yes' needs replication, which Cinnabar does not support yet")]
    [InlineData("maxmemory-clients", "1mb", "'maxmemory-clients 1048576' needs client eviction, which Cinnabar does not support yet")]
    [InlineData("activedefrag", "yes", "'activedefrag yes' needs active defragmentation (a jemalloc feature), which Cinnabar does not support yet")]
    public void ConfigSetRefusesWhatItCannotHonour(string name, string value, string error)
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(Failed(name, error), c.Call("CONFIG", "SET", name, value));
        var entry = server.Server.Config.Find(name)!;
        Assert.Equal(entry.NormalizedDefault, entry.Value);
    }

    [Theory]
    [InlineData("appendonly", "no")]
    [InlineData("save", "")]
    [InlineData("save", "900 1")]
    [InlineData("shutdown-on-sigterm", "save")]
    [InlineData("maxmemory", "0")]
    [InlineData("shutdown-on-sigterm", "nosave now")]
    [InlineData("client-output-buffer-limit", "pubsub 1mb 512kb 5")]
    [InlineData("client-output-buffer-limit", "normal 1mb 512kb 5")]
    [InlineData("active-defrag-cycle-max", "50")] // not applicable: accepted, as by a Redis built without jemalloc
    [InlineData("jemalloc-bg-thread", "no")]
    public void ValuesThatWorkWithoutTheFeatureAreAccepted(string name, string value)
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", name, value));
    }

    [Fact]
    public void StartupRefusalIsAFatalConfigError()
    {
        Assert.Null(ConfigLoader.FromArgs(["--activedefrag", "yes"], out var error));
        Assert.Equal($"\n{ConfigLoader.FatalHeader}\nReading the configuration file, at line 2\n>>> 'activedefrag \"yes\"'\n'activedefrag yes' needs active defragmentation (a jemalloc feature), which Cinnabar does not support yet", error);
    }

    [Fact]
    public void EveryDirectiveIsClassifiedAndItsDefaultAccepted()
    {
        var config = new ServerConfig();
        foreach (var e in config.Entries)
        {
            Assert.Null(e.Refusal(e.NormalizedDefault));
            if (e.Support == DirectiveSupport.Refused) Assert.False(string.IsNullOrEmpty(e.MissingFeature), e.Name);
            if (e.Support == DirectiveSupport.NotApplicable) Assert.False(string.IsNullOrEmpty(e.Note), e.Name);
        }
        // Features planned in this wave carry their issue.
        Assert.Equal(12, config.Find("maxmemory-clients")!.Issue);
        // The AOF landed: writing, fsync policies, timestamps, truncated-tail loading and rewriting are honoured.
        foreach (var name in new[] { "appendonly", "appendfilename", "appenddirname", "appendfsync", "aof-load-truncated", "aof-timestamp-enabled", "no-appendfsync-on-rewrite", "aof-use-rdb-preamble",
            "auto-aof-rewrite-percentage", "auto-aof-rewrite-min-size", "aof-rewrite-incremental-fsync", "aof-disable-auto-gc" })
            Assert.Equal(DirectiveSupport.Honoured, config.Find(name)!.Support);
        // Eviction landed: maxmemory and its tunables are honoured.
        foreach (var name in new[] { "maxmemory", "maxmemory-policy", "maxmemory-samples", "maxmemory-eviction-tenacity", "lfu-log-factor", "lfu-decay-time" })
            Assert.Equal(DirectiveSupport.Honoured, config.Find(name)!.Support);
        // Scripting landed: the busy-script threshold is honoured.
        Assert.Equal(DirectiveSupport.Honoured, config.Find("busy-reply-threshold")!.Support);
        // Streams landed: their node limits are honoured.
        Assert.Equal(DirectiveSupport.Honoured, config.Find("stream-node-max-bytes")!.Support);
        Assert.Equal(DirectiveSupport.Honoured, config.Find("stream-node-max-entries")!.Support);
    }
}
