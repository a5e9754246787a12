using System.Text;
using System.Text.Json;
using Cinnabar.Commands;

namespace Cinnabar.Tests.Unit;

/// <summary>
/// The command table against the embedded 7.2 reference, and the metadata COMMAND INFO / GETKEYS derive from
/// it. Expected values were read from real Redis 7.0.15 (COMMAND INFO / COMMAND GETKEYS).
/// </summary>
public class CommandTableTests
{
    private static CommandDef Ref(string name) =>
        CommandTable.Shared.Reference.Single(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    [Theory]
    [InlineData("GET")]
    [InlineData("SET")]
    [InlineData("ZUNIONSTORE")]
    [InlineData("COMMAND INFO")]
    [InlineData("SHUTDOWN")]
    public void TableEntriesComeFromTheReference(string name)
    {
        using var stream = typeof(CommandTable).Assembly.GetManifestResourceStream("Cinnabar.commands.json")!;
        using var doc = JsonDocument.Parse(stream);
        var json = doc.RootElement.GetProperty(name);
        var def = Ref(name);
        Assert.Equal(json.GetProperty("arity").GetInt32(), def.Arity);
        Assert.Equal(json.GetProperty("command_flags").EnumerateArray().Select(f => f.GetString()), def.FlagNames);
        int specs = json.TryGetProperty("key_specs", out var ks) ? ks.GetArrayLength() : 0;
        Assert.Equal(specs, def.KeySpecs.Length);
    }

    [Fact]
    public void ImplementedCommandsAreListedAndOthersAreNot()
    {
        var table = CommandTable.Shared;
        Assert.NotNull(table.Find("INFO"));
        Assert.NotNull(table.Find("COMMAND")?.Subcommands?["GETKEYS"]);
        Assert.All(table.Commands, d => Assert.True(d.HasHandler));
        Assert.True(table.Reference.Count > table.Commands.Count());
    }

    [Fact]
    public void ImplementedCommandsHaveDenseDistinctIndexes()
    {
        var table = CommandTable.Shared;
        var indexed = table.Commands.Concat(table.Commands.SelectMany(d => d.Subcommands?.Values ?? Enumerable.Empty<CommandDef>()))
            .Select(d => d.Index).Order().ToList();
        Assert.Equal(Enumerable.Range(0, table.IndexCount), indexed);
        Assert.All(table.Reference.Where(d => !d.HasHandler), d => Assert.Equal(-1, d.Index));
    }

    [Theory]
    [InlineData("GET", 1, 1, 1, false)]
    [InlineData("MSET", 1, -1, 2, false)]
    [InlineData("COPY", 1, 2, 1, false)]
    [InlineData("BLPOP", 1, -2, 1, false)]
    [InlineData("ZUNIONSTORE", 1, 1, 1, true)]
    [InlineData("SORT", 1, 1, 1, true)]
    [InlineData("XREAD", 0, 0, 0, true)]
    [InlineData("EVAL", 0, 0, 0, true)]
    [InlineData("PING", 0, 0, 0, false)]
    public void LegacyKeyRangeAndMovableKeysMatchRedis(string name, int first, int last, int step, bool movable)
    {
        Assert.Equal((first, last, step, movable), CommandInfoWriter.LegacyRange(Ref(name)));
    }

    [Theory]
    [InlineData("GET", "read string fast")]
    [InlineData("SET", "write string slow")]
    [InlineData("LASTSAVE", "admin fast dangerous")]
    [InlineData("EVAL", "slow scripting")]
    [InlineData("BLPOP", "write list slow blocking")]
    [InlineData("CONFIG SET", "admin slow dangerous")]
    [InlineData("PERSIST", "keyspace write fast")]
    public void ImplicitAclCategoriesAreAddedInRedisOrder(string name, string expected)
    {
        Assert.Equal(expected.Split(' '), CommandInfoWriter.AclCategories(Ref(name)));
    }

    [Theory]
    [InlineData("MSET a b c d", "a c")]
    [InlineData("ZUNIONSTORE d 2 a b", "d a b")]
    [InlineData("XREAD STREAMS a b 0 0", "a b")]
    [InlineData("XREAD COUNT 2 STREAMS a 0", "a")]
    [InlineData("EVAL x 2 a b c", "a b")]
    [InlineData("EVAL x 0", "")]
    [InlineData("GEORADIUS k 0 0 1 km STORE d", "k d")]
    [InlineData("LMPOP 3 a b left", "a b left")]
    [InlineData("BLPOP a b 0", "a b")]
    [InlineData("SORT a BY x", "a")]
    [InlineData("SORT a BY x STORE d LIMIT 0 1 STORE e", "a e")]
    [InlineData("SORT_RO a BY x", "a")]
    [InlineData("MIGRATE h p k 0 0", "k")]
    [InlineData("MIGRATE h p  0 0 COPY AUTH keys KEYS a b", "a b")]
    [InlineData("MIGRATE h p k 0 0 KEYS a", "")]
    [InlineData("SET a b", "a")]
    [InlineData("BITFIELD k GET u8 0", "k")]
    public void KeyFinderFindsTheKeysRedisFinds(string command, string expectedKeys)
    {
        var args = command.Split(' ').Select(Encoding.UTF8.GetBytes).ToArray(); // "p  0": an empty argument
        var def = Ref(command.Split(' ')[0]);
        var keys = KeyFinder.Find(def, args.Length, i => args[i]);
        string found = keys == null ? "" : string.Join(' ', keys.Select(k => Encoding.UTF8.GetString(args[k.Pos])));
        Assert.Equal(expectedKeys, found);
    }

    [Theory]
    [InlineData("SET a b", "OW UPDATE")]
    [InlineData("SET a b NX GET", "RW ACCESS UPDATE")]
    [InlineData("BITFIELD k GET u8 0", "RO ACCESS")]
    [InlineData("BITFIELD k SET u8 0 1", "RW ACCESS UPDATE")]
    [InlineData("ZUNIONSTORE d 2 a b", "OW UPDATE")]
    public void KeyFlagsOfTheFirstKeyMatchRedis(string command, string flags)
    {
        var args = command.Split(' ').Select(Encoding.UTF8.GetBytes).ToArray();
        var keys = KeyFinder.Find(Ref(command.Split(' ')[0]), args.Length, i => args[i]);
        Assert.Equal(flags, string.Join(' ', keys![0].Flags));
    }

    [Fact]
    public void KeyFinderRejectsTooFewKeysForTheCount()
    {
        // Redis: COMMAND GETKEYS zunionstore d 3 a -> ERR Invalid arguments specified for command
        var args = "ZUNIONSTORE d 3 a".Split(' ').Select(Encoding.UTF8.GetBytes).ToArray();
        Assert.Null(KeyFinder.Find(Ref("ZUNIONSTORE"), args.Length, i => args[i]));
    }

    [Fact]
    public void LatencyHistogramReportsHdrBucketEdges()
    {
        // Redis 7.0.15 after SET calls of 10 and 11 µs: latency_percentiles_usec_set:p50=10.047,p99=11.007,p99.9=11.007
        var h = new LatencyHistogram();
        h.Record(10);
        h.Record(11);
        Assert.Equal(10047, h.ValueAtPercentile(50));
        Assert.Equal(11007, h.ValueAtPercentile(99));
        Assert.Equal(11007, h.ValueAtPercentile(99.9));
    }

    [Fact]
    public void DocsSupplementHoldsOracleDocsTipsAndNotes()
    {
        Assert.Equal("Get the value of a key", CommandDocsSupplement.Docs("get")?.GetProperty("summary").GetString());
        Assert.NotNull(CommandDocsSupplement.Docs("config|get"));
        Assert.Equal(["request_policy:all_shards", "nondeterministic_output_order"], CommandDocsSupplement.Tips("keys"));
        Assert.Equal(["RW and ACCESS due to the optional `GET` argument"], CommandDocsSupplement.KeySpecNotes("set")!);
    }
    [Fact]
    public void RawNameBytesFindEveryCommandInAnyCase()
    {
        var table = CommandTable.Shared;
        foreach (var def in table.Commands)
        {
            Assert.Same(def, table.Find(System.Text.Encoding.ASCII.GetBytes(def.Name.ToUpperInvariant())));
            Assert.Same(def, table.Find(System.Text.Encoding.ASCII.GetBytes(def.Name.ToLowerInvariant())));
        }
        Assert.Same(table.Find("get"u8), table.Find("gEt"u8));
        Assert.Null(table.Find(""u8));
        Assert.Null(table.Find("gets"u8));
        Assert.Null(table.Find("ge"u8));
        Assert.Null(table.Find("g\u00e9t"u8));
        Assert.Null(table.Find(new byte[] { (byte)'G', 0xC5, (byte)'T' }));
        Assert.Null(table.Find(new byte[100]));
    }
}
