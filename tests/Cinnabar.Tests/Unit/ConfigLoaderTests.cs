using Cinnabar.Config;

namespace Cinnabar.Tests.Unit;

/// <summary>The conf-file / command-line loader: fatal error layout compared with redis-server 7.0.15's output.</summary>
public class ConfigLoaderTests
{
    private static string Fatal(int line, string text, string message) =>
        $"\n*** FATAL CONFIG FILE ERROR (Redis {ServerInfo.RedisVersion}) ***\nReading the configuration file, at line {line}\n>>> '{text}'\n{message}";

    private static string? Error(params string[] args)
    {
        var config = ConfigLoader.FromArgs(args, out var error);
        Assert.True(config == null == (error != null));
        return error;
    }

    [Theory]
    [InlineData(new[] { "--foo", "bar" }, 2, "foo \"bar\"", "Bad directive or wrong number of arguments")]
    [InlineData(new[] { "--port", "abc" }, 2, "port \"abc\"", "argument couldn't be parsed into an integer")]
    [InlineData(new[] { "--port", "" }, 2, "port \"\"", "argument couldn't be parsed into an integer")]
    [InlineData(new[] { "--maxmemory", "1x" }, 2, "maxmemory \"1x\"", "argument must be a memory value")]
    [InlineData(new[] { "--appendfsync", "x" }, 2, "appendfsync \"x\"", "argument(s) must be one of the following: everysec, always, no")]
    [InlineData(new[] { "--port" }, 2, "port", "wrong number of arguments")]
    [InlineData(new[] { "--requirepass" }, 2, "requirepass", "wrong number of arguments")]
    [InlineData(new[] { "--maxmemory-policy" }, 2, "maxmemory-policy", "wrong number of arguments")]
    [InlineData(new[] { "--hz", "1", "2" }, 2, "hz \"1\" \"2\"", "wrong number of arguments")]
    [InlineData(new[] { "--save", "1", "2", "3" }, 2, "save \"1\" \"2\" \"3\"", "Invalid save parameters")]
    [InlineData(new[] { "--port", "1", "--foo", "a b" }, 3, "foo \"a b\"", "Bad directive or wrong number of arguments")]
    [InlineData(new[] { "--port", "1", "--port", "2", "--foo" }, 4, "foo", "Bad directive or wrong number of arguments")]
    public void CommandLineErrorsUseRedisLayout(string[] args, int line, string text, string message)
    {
        Assert.Equal(Fatal(line, text, message), Error(args));
    }

    [Fact]
    public void CommandLineValuesAreQuotedLikeSdscatrepr()
    {
        Assert.Equal("requirepass \"a\\\"b\\\\c\\n\" \nsave \"\" ", ConfigLoader.CommandLineOptions(["--requirepass", "a\"b\\c\n", "--save"]));
        var config = ConfigLoader.FromArgs(["--requirepass", "a\"b c\n", "--save", "--client-query-buffer-limit", "2mb"], out var error)!;
        Assert.Null(error);
        Assert.Equal("a\"b c\n", config.RequirePass);
        Assert.Equal("", config.Find("save")!.Value);
        Assert.Equal(2 * 1024 * 1024, config.ClientQueryBufferLimit);
    }

    [Fact]
    public void ConfFileErrorsShowTheLineAsWritten()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "port 1\nfoo bar\n");
            Assert.Equal(Fatal(2, "foo bar", "Bad directive or wrong number of arguments"), Error(path));
            File.WriteAllText(path, "port 1\n  maxmemory   \"1x\" \n");
            Assert.Equal(Fatal(2, "maxmemory   \"1x\"", "argument must be a memory value"), Error(path));
            File.WriteAllText(path, "requirepass \"abc\n");
            Assert.Equal(Fatal(1, "requirepass \"abc", "Unbalanced quotes in configuration line"), Error(path));
            // Command-line options come after the file's lines and one empty line.
            File.WriteAllText(path, "port 1\n");
            Assert.Equal(Fatal(3, "foo \"x\"", "Bad directive or wrong number of arguments"), Error(path, "--foo", "x"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingConfFile()
    {
        string error = Error("/nonexistent/dir/x.conf")!;
        Assert.Matches(@"^\d+:C \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} # Fatal error, can't open config file '/nonexistent/dir/x\.conf': No such file or directory$", error);
    }

    [Fact]
    public void ConfFileValuesAliasesSaveLinesAndIncludes()
    {
        string dir = Directory.CreateTempSubdirectory("cinnabar-conf").FullName;
        try
        {
            string included = Path.Combine(dir, "inc.conf");
            File.WriteAllText(included, "maxmemory-policy allkeys-lru\n");
            string path = Path.Combine(dir, "main.conf");
            File.WriteAllText(path, $"# comment\n\nsave \"\"\nHASH-MAX-ZIPLIST-ENTRIES 7\nrequirepass \"p w\"\ninclude {included}\nappendonly no\nnotify-keyspace-events Kx\n");
            var config = ConfigLoader.FromArgs([path, "--maxmemory", "0", "--timeout", "30"], out var error)!;
            Assert.Null(error);
            Assert.Equal(Path.GetFullPath(path), config.ConfigFile);
            Assert.Equal("", config.Find("save")!.Value);
            Assert.Empty(config.SavePoints);
            Assert.Equal(7, config.HashMaxListpackEntries);
            Assert.Equal("p w", config.RequirePass);
            Assert.Equal("allkeys-lru", config.MaxMemoryPolicy);
            Assert.False(config.AppendOnly);
            Assert.Equal("xK", config.Find("notify-keyspace-events")!.Value);
            Assert.Equal(30, config.TimeoutSeconds);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void DefaultsOfTheRegistry()
    {
        var config = new ServerConfig();
        Assert.Equal("127.0.0.1 -::1", config.Find("bind")!.Value);
        Assert.Equal(["127.0.0.1", "-::1"], config.Bind);
        Assert.Equal("3600 1 300 100 60 10000", config.Find("save")!.Value); // redis-server 7.0.15 with no config file
        Assert.Equal([(3600L, 1L), (300L, 100L), (60L, 10000L)], config.SavePoints);
        Assert.Equal(Directory.GetCurrentDirectory(), config.Find("dir")!.Value);
        Assert.Equal(512, config.HashMaxListpackEntries);
        Assert.Equal(-2, config.ListMaxListpackSize);
        Assert.Null(config.RequirePass);
        Assert.Same(config.Find("slave-read-only"), config.Find("replica-read-only"));
        Assert.Same(config.Find("lua-time-limit"), config.Find("busy-reply-threshold"));
        // Every directive's default passes its own validation.
        foreach (var e in config.Entries) Assert.Null(ServerConfig.Validate(e, e.Default).Error);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("", 0L)]
    [InlineData("1b", 1L)]
    [InlineData("1k", 1000L)]
    [InlineData("1KB", 1024L)]
    [InlineData("2m", 2000000L)]
    [InlineData("2mb", 2097152L)]
    [InlineData("1g", 1000000000L)]
    [InlineData("1gb", 1073741824L)]
    public void MemoryUnits(string text, long bytes)
    {
        Assert.True(ConfigValueParsers.TryParseMemory(text, out long parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1x")]
    [InlineData("1.5mb")]
    [InlineData("mb1")]
    public void InvalidMemoryValues(string text) => Assert.False(ConfigValueParsers.TryParseMemory(text, out _));

    [Fact]
    public void RewriteFormatsBytesWithTheLargestExactUnit()
    {
        Assert.Equal("1gb", ConfigRewriter.Bytes(1L << 30));
        Assert.Equal("64mb", ConfigRewriter.Bytes(64L << 20));
        Assert.Equal("100kb", ConfigRewriter.Bytes(102400));
        Assert.Equal("1000", ConfigRewriter.Bytes(1000));
        Assert.Equal("0", ConfigRewriter.Bytes(0));
    }
}
