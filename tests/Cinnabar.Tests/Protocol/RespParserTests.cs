using System.Text;
using Cinnabar.Protocol;

namespace Cinnabar.Tests.Protocol;

public class RespParserTests
{
    private static (ParseResult Result, string[] Args, int Consumed, string? Error) Parse(string input, bool authed = true)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var args = new CommandArgs();
        var r = RespParser.TryParse(bytes, 0, bytes.Length, args, authed, 512 * 1024 * 1024, out int consumed, out _, out var error);
        var list = new string[args.Count];
        for (int i = 0; i < args.Count; i++) list[i] = Encoding.UTF8.GetString(args[i]);
        return (r, list, consumed, error);
    }

    [Fact]
    public void ParsesMultibulk()
    {
        var (r, args, consumed, _) = Parse("*2\r\n$3\r\nGET\r\n$1\r\nk\r\nextra");
        Assert.Equal(ParseResult.Command, r);
        Assert.Equal(["GET", "k"], args);
        Assert.Equal(20, consumed);
    }

    [Fact]
    public void IncompleteUntilWholeCommand()
    {
        // A header line cut before its LF, and one cut within its digits.
        Assert.Equal(ParseResult.Incomplete, Parse("*2\r").Result);
        Assert.Equal(ParseResult.Incomplete, Parse("*2\r\n$3\r").Result);
        Assert.Equal(ParseResult.Incomplete, Parse("*2\r\n$12").Result);
        Assert.Equal(ParseResult.Incomplete, Parse("*2\r\n$3\r\nGET\r\n$1\r\n").Result);
        Assert.Equal(ParseResult.Incomplete, Parse("*2\r\n$3\r\nGE").Result);
        Assert.Equal(ParseResult.Incomplete, Parse("PING").Result);
    }

    [Theory]
    [InlineData("*abc\r\n", "invalid multibulk length")]
    [InlineData("*3000000000\r\n", "invalid multibulk length")]
    [InlineData("*1\r\n+x\r\n", "expected '$', got '+'")]
    [InlineData("*1\r\n$-5\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$abc\r\n", "invalid bulk length")]
    [InlineData("SET \"a\r\n", "unbalanced quotes in request")]
    // Headers the one-pass reader leaves to the general one (redis-server 7.0.15 gives the same errors).
    [InlineData("*03\r\n$4\r\nPING\r\n", "invalid multibulk length")]
    [InlineData("*+1\r\n$4\r\nPING\r\n", "invalid multibulk length")]
    [InlineData("*2\r\n$03\r\nGET\r\n$1\r\nk\r\n", "invalid bulk length")]
    [InlineData("*2\r\n$3\r\nGET\r\n$+1\r\nk\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$4 \r\nPING\r\n", "invalid bulk length")]
    [InlineData("*2\r\n$3\r\nGET\r\n$1000000000\r\n", "invalid bulk length")]
    [InlineData("*2\r\n$3\r\nGET\r\n$536870913\r\n", "invalid bulk length")]
    public void ProtocolErrors(string input, string error)
    {
        var (r, _, _, e) = Parse(input);
        Assert.Equal(ParseResult.Error, r);
        Assert.Equal(error, e);
    }

    [Fact]
    public void UnauthenticatedLimits()
    {
        Assert.Equal("unauthenticated multibulk length", Parse("*11\r\n", authed: false).Error);
        Assert.Equal("unauthenticated bulk length", Parse("*1\r\n$16385\r\n", authed: false).Error);
    }

    [Theory]
    [InlineData("set a b", new[] { "set", "a", "b" })]
    [InlineData("  set   \"a b\"  'c d'", new[] { "set", "a b", "c d" })]
    [InlineData("echo \"\\x41\\n\"", new[] { "echo", "A\n" })]
    [InlineData("echo 'it\\'s'", new[] { "echo", "it's" })]
    public void InlineSplitsLikeRedis(string line, string[] expected)
    {
        var (r, args, _, _) = Parse(line + "\r\n");
        Assert.Equal(ParseResult.Command, r);
        Assert.Equal(expected, args);
    }

    [Fact]
    public void EmptyLinesAndZeroCountsAreSkipped()
    {
        Assert.Equal(ParseResult.Empty, Parse("\r\n").Result);
        Assert.Equal(ParseResult.Empty, Parse("*0\r\n").Result);
        Assert.Equal(ParseResult.Empty, Parse("*-1\r\n").Result);
    }

    [Fact]
    public void BigBulkReportsBytesNeeded()
    {
        var bytes = Encoding.ASCII.GetBytes("*1\r\n$100000\r\nabc");
        var r = RespParser.TryParse(bytes, 0, bytes.Length, new CommandArgs(), true, long.MaxValue, out _, out long needed, out _);
        Assert.Equal(ParseResult.Incomplete, r);
        Assert.Equal(4 + 9 + 100000 + 2, needed);
    }

    [Fact]
    public void ArgumentListsAreMadeOnFirstUseAndReusedAfter()
    {
        // An idle connection's lists must cost nothing beyond the object; once used, a command of as many
        // arguments parses into them again without allocating.
        var args = new CommandArgs();
        Assert.Equal(0, args.Capacity);
        var multibulk = Encoding.ASCII.GetBytes("*4\r\n$4\r\nHSET\r\n$1\r\nh\r\n$1\r\nf\r\n$1\r\nv\r\n");
        var inline = Encoding.ASCII.GetBytes("SET \"a b\" c\r\n");
        Assert.Equal(ParseResult.Command, RespParser.TryParse(multibulk, 0, multibulk.Length, args, true, long.MaxValue, out _, out _, out _));
        Assert.Equal(ParseResult.Command, RespParser.TryParse(inline, 0, inline.Length, args, true, long.MaxValue, out _, out _, out _));
        int capacity = args.Capacity;
        Assert.True(capacity >= 4);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            RespParser.TryParse(multibulk, 0, multibulk.Length, args, true, long.MaxValue, out _, out _, out _);
            RespParser.TryParse(inline, 0, inline.Length, args, true, long.MaxValue, out _, out _, out _);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(capacity, args.Capacity);
        Assert.Equal("a b", Encoding.ASCII.GetString(args[1]));
    }
}
