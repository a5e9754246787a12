using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>Generated from the real redis-server 7.0.15: every expected reply below is what it answered.</summary>
public partial class SortedSetTests
{
    [Fact]
    public void ZAddOptionsAndReplies()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c" }, ":3\r\n"),
            (new object[] { "ZADD", "z", "CH", "10", "a", "2", "b", "5", "d" }, ":2\r\n"),
            (new object[] { "ZADD", "z", "NX", "100", "a", "6", "e" }, ":1\r\n"),
            (new object[] { "ZADD", "z", "XX", "CH", "101", "a", "7", "f" }, ":1\r\n"),
            (new object[] { "ZADD", "z", "GT", "CH", "50", "a", "200", "b" }, ":1\r\n"),
            (new object[] { "ZADD", "z", "LT", "CH", "1", "a", "300", "b" }, ":1\r\n"),
            (new object[] { "ZADD", "z", "INCR", "5", "a" }, "$1\r\n6\r\n"),
            (new object[] { "ZADD", "z", "NX", "INCR", "5", "a" }, "$-1\r\n"),
            (new object[] { "ZADD", "z", "XX", "INCR", "5", "nosuch" }, "$-1\r\n"),
            (new object[] { "ZADD", "z", "GT", "INCR", "-1", "a" }, "$-1\r\n"),
            (new object[] { "ZADD", "z", "INCR", "0", "a" }, "$1\r\n6\r\n"),
            (new object[] { "ZRANGE", "z", "0", "-1", "WITHSCORES" }, "*10\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n5\r\n$1\r\na\r\n$1\r\n6\r\n$1\r\ne\r\n$1\r\n6\r\n$1\r\nb\r\n$3\r\n200\r\n"),
            (new object[] { "ZADD", "missing", "XX", "1", "a" }, ":0\r\n"),
            (new object[] { "ZADD", "missing", "XX", "INCR", "1", "a" }, "$-1\r\n"),
            (new object[] { "ZCARD", "missing" }, ":0\r\n"));
    }

    [Fact]
    public void ZAddErrors()
    {
        Run(false,
            (new object[] { "ZADD", "z", "XX", "NX", "1", "a" }, "-ERR XX and NX options at the same time are not compatible\r\n"),
            (new object[] { "ZADD", "z", "GT", "LT", "1", "a" }, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"),
            (new object[] { "ZADD", "z", "GT", "NX", "1", "a" }, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"),
            (new object[] { "ZADD", "z", "INCR", "1", "a", "2", "b" }, "-ERR INCR option supports a single increment-element pair\r\n"),
            (new object[] { "ZADD", "z", "1" }, "-ERR wrong number of arguments for 'zadd' command\r\n"),
            (new object[] { "ZADD", "z", "1", "a", "2" }, "-ERR syntax error\r\n"),
            (new object[] { "ZADD", "z", "abc", "a" }, "-ERR value is not a valid float\r\n"),
            (new object[] { "ZADD", "z", "nan", "a" }, "-ERR value is not a valid float\r\n"),
            (new object[] { "ZADD", "z", "INCR", "abc", "a" }, "-ERR value is not a valid float\r\n"),
            (new object[] { "SET", "str", "v" }, "+OK\r\n"),
            (new object[] { "ZADD", "str", "abc", "a" }, "-ERR value is not a valid float\r\n"),
            (new object[] { "ZADD", "str", "1", "a" }, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
            (new object[] { "ZINCRBY", "str", "1", "a" }, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
            (new object[] { "ZADD", "z", "1", "a" }, ":1\r\n"),
            (new object[] { "ZINCRBY", "z", "abc", "a" }, "-ERR value is not a valid float\r\n"));
    }

    [Fact]
    public void NaNScoresAreRefused()
    {
        Run(false,
            (new object[] { "ZADD", "z", "+inf", "a" }, ":1\r\n"),
            (new object[] { "ZADD", "z", "INCR", "-inf", "a" }, "-ERR resulting score is not a number (NaN)\r\n"),
            (new object[] { "ZINCRBY", "z", "-inf", "a" }, "-ERR resulting score is not a number (NaN)\r\n"),
            (new object[] { "ZSCORE", "z", "a" }, "$3\r\ninf\r\n"),
            (new object[] { "ZUNION", "2", "z", "z", "WEIGHTS", "0", "1", "WITHSCORES" }, "*2\r\n$1\r\na\r\n$3\r\ninf\r\n"));
    }

    [Fact]
    public void ScoreFormatting()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1.1", "a", "0.1", "b", "-0", "c", "1e20", "d", "123456789.123", "e", "3.0000000000000004", "f", "1e-5", "g", "-inf", "h", "+inf", "i", "5", "j" }, ":10\r\n"),
            (new object[] { "ZRANGE", "z", "0", "-1", "WITHSCORES" }, "*20\r\n$1\r\nh\r\n$4\r\n-inf\r\n$1\r\nc\r\n$1\r\n0\r\n$1\r\ng\r\n$22\r\n1.0000000000000001e-05\r\n$1\r\nb\r\n$19\r\n0.10000000000000001\r\n$1\r\na\r\n$18\r\n1.1000000000000001\r\n$1\r\nf\r\n$18\r\n3.0000000000000004\r\n$1\r\nj\r\n$1\r\n5\r\n$1\r\ne\r\n$13\r\n123456789.123\r\n$1\r\nd\r\n$5\r\n1e+20\r\n$1\r\ni\r\n$3\r\ninf\r\n"),
            (new object[] { "ZSCORE", "z", "a" }, "$18\r\n1.1000000000000001\r\n"),
            (new object[] { "ZSCORE", "z", "c" }, "$1\r\n0\r\n"),
            (new object[] { "ZSCORE", "z", "h" }, "$4\r\n-inf\r\n"),
            (new object[] { "ZINCRBY", "z", "2.5", "j" }, "$3\r\n7.5\r\n"),
            (new object[] { "ZMSCORE", "z", "a", "nosuch", "i" }, "*3\r\n$18\r\n1.1000000000000001\r\n$-1\r\n$3\r\ninf\r\n"));
    }

    [Fact]
    public void ScoreFormattingResp3()
    {
        Run(true,
            (new object[] { "ZADD", "z", "1.1", "a", "-inf", "h", "+inf", "i", "5", "j" }, ":4\r\n"),
            (new object[] { "ZRANGE", "z", "0", "-1", "WITHSCORES" }, "*4\r\n*2\r\n$1\r\nh\r\n,-inf\r\n*2\r\n$1\r\na\r\n,1.1000000000000001\r\n*2\r\n$1\r\nj\r\n,5\r\n*2\r\n$1\r\ni\r\n,inf\r\n"),
            (new object[] { "ZSCORE", "z", "a" }, ",1.1000000000000001\r\n"),
            (new object[] { "ZSCORE", "z", "nosuch" }, "_\r\n"),
            (new object[] { "ZMSCORE", "z", "a", "nosuch", "i" }, "*3\r\n,1.1000000000000001\r\n_\r\n,inf\r\n"),
            (new object[] { "ZINCRBY", "z", "1", "j" }, ",6\r\n"),
            (new object[] { "ZADD", "z", "XX", "INCR", "1", "nosuch" }, "_\r\n"),
            (new object[] { "ZADD", "z", "INCR", "1", "j" }, ",7\r\n"));
    }

    [Fact]
    public void RemoveScoreCard()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c" }, ":3\r\n"),
            (new object[] { "ZREM", "z", "a", "x" }, ":1\r\n"),
            (new object[] { "ZREM", "z", "x" }, ":0\r\n"),
            (new object[] { "ZCARD", "z" }, ":2\r\n"),
            (new object[] { "ZREM", "z", "b", "c" }, ":2\r\n"),
            (new object[] { "ZCARD", "z" }, ":0\r\n"),
            (new object[] { "ZSCORE", "z", "b" }, "$-1\r\n"),
            (new object[] { "ZMSCORE", "nokey", "a", "b" }, "*2\r\n$-1\r\n$-1\r\n"),
            (new object[] { "ZREM", "nokey", "a" }, ":0\r\n"));
    }

    [Fact]
    public void CountAndLexCount()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e" }, ":5\r\n"),
            (new object[] { "ZCOUNT", "z", "2", "4" }, ":3\r\n"),
            (new object[] { "ZCOUNT", "z", "(2", "(4" }, ":1\r\n"),
            (new object[] { "ZCOUNT", "z", "-inf", "+inf" }, ":5\r\n"),
            (new object[] { "ZCOUNT", "z", "4", "2" }, ":0\r\n"),
            (new object[] { "ZCOUNT", "z", "(3", "(3" }, ":0\r\n"),
            (new object[] { "ZCOUNT", "z", "abc", "3" }, "-ERR min or max is not a float\r\n"),
            (new object[] { "ZCOUNT", "z", "1", "(x" }, "-ERR min or max is not a float\r\n"),
            (new object[] { "ZCOUNT", "z", "", "3" }, ":3\r\n"),
            (new object[] { "ZCOUNT", "nokey", "0", "1" }, ":0\r\n"),
            (new object[] { "ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e" }, ":5\r\n"),
            (new object[] { "ZLEXCOUNT", "l", "-", "+" }, ":5\r\n"),
            (new object[] { "ZLEXCOUNT", "l", "[b", "[d" }, ":3\r\n"),
            (new object[] { "ZLEXCOUNT", "l", "(b", "(d" }, ":1\r\n"),
            (new object[] { "ZLEXCOUNT", "l", "+", "-" }, ":0\r\n"),
            (new object[] { "ZLEXCOUNT", "l", "b", "d" }, "-ERR min or max not valid string range item\r\n"),
            (new object[] { "ZLEXCOUNT", "l", "-x", "+" }, "-ERR min or max not valid string range item\r\n"));
    }

    [Fact]
    public void RangeByRank()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e" }, ":5\r\n"),
            (new object[] { "ZRANGE", "z", "0", "-1" }, "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"),
            (new object[] { "ZRANGE", "z", "1", "2", "WITHSCORES" }, "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"),
            (new object[] { "ZRANGE", "z", "-2", "-1" }, "*2\r\n$1\r\nd\r\n$1\r\ne\r\n"),
            (new object[] { "ZRANGE", "z", "-100", "100" }, "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"),
            (new object[] { "ZRANGE", "z", "3", "1" }, "*0\r\n"),
            (new object[] { "ZRANGE", "z", "10", "20" }, "*0\r\n"),
            (new object[] { "ZRANGE", "z", "0", "1", "REV", "WITHSCORES" }, "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n"),
            (new object[] { "ZREVRANGE", "z", "0", "1", "WITHSCORES" }, "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n"),
            (new object[] { "ZRANGE", "nokey", "0", "-1" }, "*0\r\n"));
    }

    [Fact]
    public void RangeByScoreAndLex()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e" }, ":5\r\n"),
            (new object[] { "ZRANGE", "z", "(2", "4", "BYSCORE", "WITHSCORES" }, "*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n"),
            (new object[] { "ZRANGE", "z", "4", "2", "BYSCORE", "REV" }, "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n"),
            (new object[] { "ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2" }, "*2\r\n$1\r\nd\r\n$1\r\nc\r\n"),
            (new object[] { "ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1" }, "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"),
            (new object[] { "ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2" }, "*0\r\n"),
            (new object[] { "ZRANGEBYSCORE", "z", "(1", "5", "LIMIT", "1", "2" }, "*2\r\n$1\r\nc\r\n$1\r\nd\r\n"),
            (new object[] { "ZRANGEBYSCORE", "z", "5", "1" }, "*0\r\n"),
            (new object[] { "ZREVRANGEBYSCORE", "z", "4", "2", "WITHSCORES" }, "*6\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n"),
            (new object[] { "ZREVRANGEBYSCORE", "z", "(4", "(1", "LIMIT", "1", "1" }, "*1\r\n$1\r\nb\r\n"),
            (new object[] { "ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e", "0", "f" }, ":6\r\n"),
            (new object[] { "ZRANGE", "l", "[b", "[d", "BYLEX" }, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
            (new object[] { "ZRANGE", "l", "[d", "[b", "BYLEX", "REV" }, "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n"),
            (new object[] { "ZRANGE", "l", "+", "-", "BYLEX", "REV", "LIMIT", "1", "2" }, "*2\r\n$1\r\ne\r\n$1\r\nd\r\n"),
            (new object[] { "ZRANGEBYLEX", "l", "(a", "[c" }, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"),
            (new object[] { "ZREVRANGEBYLEX", "l", "[e", "(b" }, "*3\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n"),
            (new object[] { "ZRANGEBYLEX", "l", "-", "+", "LIMIT", "2", "2" }, "*2\r\n$1\r\nc\r\n$1\r\nd\r\n"));
    }

    [Fact]
    public void RangeErrors()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a" }, ":1\r\n"),
            (new object[] { "ZRANGE", "z", "a", "1" }, "-ERR value is not an integer or out of range\r\n"),
            (new object[] { "ZRANGE", "z", "0", "1", "LIMIT", "0", "1" }, "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n"),
            (new object[] { "ZRANGE", "z", "0", "1", "LIMIT", "0" }, "-ERR syntax error\r\n"),
            (new object[] { "ZRANGE", "z", "[a", "[b", "BYLEX", "WITHSCORES" }, "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"),
            (new object[] { "ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX" }, "-ERR syntax error\r\n"),
            (new object[] { "ZRANGE", "z", "x", "2", "BYSCORE" }, "-ERR min or max is not a float\r\n"),
            (new object[] { "ZRANGE", "z", "nan", "2", "BYSCORE" }, "-ERR min or max is not a float\r\n"),
            (new object[] { "ZRANGE", "z", "a", "b", "BYLEX" }, "-ERR min or max not valid string range item\r\n"),
            (new object[] { "ZREVRANGE", "z", "0", "1", "REV" }, "-ERR syntax error\r\n"),
            (new object[] { "ZRANGEBYSCORE", "z", "1", "2", "REV" }, "-ERR syntax error\r\n"),
            (new object[] { "ZRANGEBYLEX", "z", "-", "+", "WITHSCORES" }, "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"),
            (new object[] { "ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "x", "0" }, "-ERR value is not an integer or out of range\r\n"),
            (new object[] { "SET", "str", "v" }, "+OK\r\n"),
            (new object[] { "ZRANGE", "str", "0", "-1" }, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
            (new object[] { "ZRANGE", "str", "x", "1" }, "-ERR value is not an integer or out of range\r\n"));
    }

    [Fact]
    public void RangeStore()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e" }, ":5\r\n"),
            (new object[] { "ZRANGESTORE", "dst", "z", "0", "2" }, ":3\r\n"),
            (new object[] { "ZRANGE", "dst", "0", "-1", "WITHSCORES" }, "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"),
            (new object[] { "ZRANGESTORE", "dst", "z", "4", "2", "BYSCORE", "REV", "LIMIT", "0", "2" }, ":2\r\n"),
            (new object[] { "ZRANGE", "dst", "0", "-1", "WITHSCORES" }, "*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n"),
            (new object[] { "ZRANGESTORE", "dst", "z", "10", "20" }, ":0\r\n"),
            (new object[] { "ZCARD", "dst" }, ":0\r\n"),
            (new object[] { "ZRANGESTORE", "dst", "z", "0", "-1", "WITHSCORES" }, "-ERR syntax error\r\n"),
            (new object[] { "SET", "str", "v" }, "+OK\r\n"),
            (new object[] { "ZRANGESTORE", "dst", "str", "0", "-1" }, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"));
    }

    [Fact]
    public void RankAndRevRank()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c" }, ":3\r\n"),
            (new object[] { "ZRANK", "z", "a" }, ":0\r\n"),
            (new object[] { "ZRANK", "z", "c" }, ":2\r\n"),
            (new object[] { "ZRANK", "z", "nosuch" }, "$-1\r\n"),
            (new object[] { "ZREVRANK", "z", "a" }, ":2\r\n"),
            (new object[] { "ZREVRANK", "nokey", "a" }, "$-1\r\n"));
    }

    [Fact]
    public void RemoveRanges()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f" }, ":6\r\n"),
            (new object[] { "ZREMRANGEBYRANK", "z", "0", "0" }, ":1\r\n"),
            (new object[] { "ZREMRANGEBYRANK", "z", "-1", "-1" }, ":1\r\n"),
            (new object[] { "ZREMRANGEBYRANK", "z", "2", "1" }, ":0\r\n"),
            (new object[] { "ZREMRANGEBYSCORE", "z", "(2", "4" }, ":2\r\n"),
            (new object[] { "ZREMRANGEBYSCORE", "z", "abc", "4" }, "-ERR min or max is not a float\r\n"),
            (new object[] { "ZRANGE", "z", "0", "-1", "WITHSCORES" }, "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\ne\r\n$1\r\n5\r\n"),
            (new object[] { "ZADD", "z", "0", "x", "0", "y", "0", "z" }, ":3\r\n"),
            (new object[] { "ZREMRANGEBYLEX", "z", "[x", "(z" }, ":0\r\n"),
            (new object[] { "ZREMRANGEBYLEX", "z", "x", "z" }, "-ERR min or max not valid string range item\r\n"),
            (new object[] { "ZREMRANGEBYRANK", "z", "0", "-1" }, ":5\r\n"),
            (new object[] { "ZCARD", "z" }, ":0\r\n"),
            (new object[] { "ZREMRANGEBYRANK", "nokey", "0", "-1" }, ":0\r\n"));
    }

    [Fact]
    public void PopsResp2()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e" }, ":5\r\n"),
            (new object[] { "ZPOPMIN", "z" }, "*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
            (new object[] { "ZPOPMAX", "z" }, "*2\r\n$1\r\ne\r\n$1\r\n5\r\n"),
            (new object[] { "ZPOPMIN", "z", "2" }, "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"),
            (new object[] { "ZPOPMAX", "z", "0" }, "*0\r\n"),
            (new object[] { "ZPOPMIN", "z", "-1" }, "-ERR value is out of range, must be positive\r\n"),
            (new object[] { "ZPOPMIN", "z", "x" }, "-ERR value is out of range, must be positive\r\n"),
            (new object[] { "ZPOPMIN", "z", "1", "2" }, "-ERR syntax error\r\n"),
            (new object[] { "ZPOPMAX", "z", "10" }, "*2\r\n$1\r\nd\r\n$1\r\n4\r\n"),
            (new object[] { "ZPOPMIN", "z" }, "*0\r\n"),
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c" }, ":3\r\n"),
            (new object[] { "ZMPOP", "1", "z", "MAX", "COUNT", "2" }, "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"),
            (new object[] { "ZMPOP", "2", "nokey", "z", "MIN", "COUNT", "10" }, "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
            (new object[] { "ZMPOP", "1", "z", "MIN" }, "*-1\r\n"),
            (new object[] { "ZMPOP", "1", "z", "MIN", "COUNT", "0" }, "-ERR count should be greater than 0\r\n"),
            (new object[] { "ZMPOP", "0", "z", "MIN" }, "-ERR numkeys should be greater than 0\r\n"),
            (new object[] { "ZMPOP", "3", "z", "MIN" }, "-ERR syntax error\r\n"),
            (new object[] { "ZMPOP", "1", "z", "MID" }, "-ERR syntax error\r\n"));
    }

    [Fact]
    public void PopsResp3()
    {
        Run(true,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e" }, ":5\r\n"),
            (new object[] { "ZPOPMIN", "z" }, "*2\r\n$1\r\na\r\n,1\r\n"),
            (new object[] { "ZPOPMIN", "z", "1" }, "*1\r\n*2\r\n$1\r\nb\r\n,2\r\n"),
            (new object[] { "ZPOPMAX", "z", "2" }, "*2\r\n*2\r\n$1\r\ne\r\n,5\r\n*2\r\n$1\r\nd\r\n,4\r\n"),
            (new object[] { "ZPOPMIN", "nokey" }, "*0\r\n"),
            (new object[] { "ZMPOP", "1", "z", "MIN", "COUNT", "2" }, "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nc\r\n,3\r\n"),
            (new object[] { "ZMPOP", "1", "nokey", "MIN" }, "_\r\n"));
    }

    [Fact]
    public void AlgebraResp2()
    {
        Run(false,
            (new object[] { "ZADD", "za", "1", "a", "2", "b", "3", "c" }, ":3\r\n"),
            (new object[] { "ZADD", "zb", "10", "b", "20", "c", "30", "d" }, ":3\r\n"),
            (new object[] { "SADD", "sa", "a", "b", "x" }, ":3\r\n"),
            (new object[] { "ZUNION", "2", "za", "zb", "WITHSCORES" }, "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\nd\r\n$2\r\n30\r\n"),
            (new object[] { "ZUNION", "2", "za", "zb", "WEIGHTS", "2", "3", "WITHSCORES" }, "*8\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$2\r\n34\r\n$1\r\nc\r\n$2\r\n66\r\n$1\r\nd\r\n$2\r\n90\r\n"),
            (new object[] { "ZUNION", "2", "za", "zb", "AGGREGATE", "MIN", "WITHSCORES" }, "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$2\r\n30\r\n"),
            (new object[] { "ZUNION", "3", "za", "zb", "sa", "WITHSCORES" }, "*10\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$2\r\n13\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\nd\r\n$2\r\n30\r\n"),
            (new object[] { "ZINTER", "2", "za", "zb", "AGGREGATE", "MAX", "WEIGHTS", "1", "0.5", "WITHSCORES" }, "*4\r\n$1\r\nb\r\n$1\r\n5\r\n$1\r\nc\r\n$2\r\n10\r\n"),
            (new object[] { "ZINTER", "2", "za", "sa", "WITHSCORES" }, "*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n"),
            (new object[] { "ZDIFF", "2", "za", "zb", "WITHSCORES" }, "*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
            (new object[] { "ZDIFF", "2", "za", "sa" }, "*1\r\n$1\r\nc\r\n"),
            (new object[] { "ZUNIONSTORE", "out", "2", "za", "zb" }, ":4\r\n"),
            (new object[] { "ZINTERSTORE", "out", "2", "za", "zb", "WEIGHTS", "1", "-1" }, ":2\r\n"),
            (new object[] { "ZRANGE", "out", "0", "-1", "WITHSCORES" }, "*4\r\n$1\r\nc\r\n$3\r\n-17\r\n$1\r\nb\r\n$2\r\n-8\r\n"),
            (new object[] { "ZDIFFSTORE", "out", "2", "zb", "za" }, ":1\r\n"),
            (new object[] { "ZINTERSTORE", "out", "2", "za", "nokey" }, ":0\r\n"),
            (new object[] { "ZCARD", "out" }, ":0\r\n"),
            (new object[] { "ZINTERCARD", "2", "za", "zb" }, ":2\r\n"),
            (new object[] { "ZINTERCARD", "2", "za", "zb", "LIMIT", "1" }, ":1\r\n"),
            (new object[] { "ZINTERCARD", "2", "za", "zb", "LIMIT", "-1" }, "-ERR LIMIT can't be negative\r\n"));
    }

    [Fact]
    public void AlgebraErrors()
    {
        Run(false,
            (new object[] { "ZADD", "za", "1", "a" }, ":1\r\n"),
            (new object[] { "SET", "str", "v" }, "+OK\r\n"),
            (new object[] { "ZUNION", "2", "za", "za", "WEIGHTS", "1" }, "-ERR syntax error\r\n"),
            (new object[] { "ZUNION", "2", "za", "za", "WEIGHTS", "1", "x" }, "-ERR weight value is not a float\r\n"),
            (new object[] { "ZUNION", "2", "za", "za", "AGGREGATE", "AVG" }, "-ERR syntax error\r\n"),
            (new object[] { "ZUNION", "0", "za" }, "-ERR at least 1 input key is needed for 'zunion' command\r\n"),
            (new object[] { "ZUNION", "x", "za" }, "-ERR value is not an integer or out of range\r\n"),
            (new object[] { "ZUNION", "3", "za", "za" }, "-ERR syntax error\r\n"),
            (new object[] { "ZUNION", "2", "za", "str" }, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
            (new object[] { "ZDIFF", "2", "za", "za", "WEIGHTS", "1", "2" }, "-ERR syntax error\r\n"),
            (new object[] { "ZUNIONSTORE", "out", "2", "za", "za", "WITHSCORES" }, "-ERR syntax error\r\n"),
            (new object[] { "ZUNIONSTORE", "out", "0", "za" }, "-ERR at least 1 input key is needed for 'zunionstore' command\r\n"),
            (new object[] { "ZINTERCARD", "0", "za" }, "-ERR at least 1 input key is needed for 'zintercard' command\r\n"),
            (new object[] { "ZINTERCARD", "2", "za", "za", "WITHSCORES" }, "-ERR syntax error\r\n"));
    }

    [Fact]
    public void AlgebraResp3()
    {
        Run(true,
            (new object[] { "ZADD", "za", "1", "a", "2", "b", "3", "c" }, ":3\r\n"),
            (new object[] { "ZADD", "zb", "10", "b", "20", "c", "30", "d" }, ":3\r\n"),
            (new object[] { "ZUNION", "2", "za", "zb", "WITHSCORES" }, "*4\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,12\r\n*2\r\n$1\r\nc\r\n,23\r\n*2\r\n$1\r\nd\r\n,30\r\n"),
            (new object[] { "ZINTER", "2", "za", "zb" }, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"),
            (new object[] { "ZDIFF", "2", "za", "zb", "WITHSCORES" }, "*1\r\n*2\r\n$1\r\na\r\n,1\r\n"));
    }

    [Fact]
    public void RandomMemberErrorsAndEmpty()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c" }, ":3\r\n"),
            (new object[] { "ZRANDMEMBER", "z", "0" }, "*0\r\n"),
            (new object[] { "ZRANDMEMBER", "nokey" }, "$-1\r\n"),
            (new object[] { "ZRANDMEMBER", "nokey", "5" }, "*0\r\n"),
            (new object[] { "ZRANDMEMBER", "z", "x" }, "-ERR value is not an integer or out of range\r\n"),
            (new object[] { "ZRANDMEMBER", "z", "1", "WITHSCORE" }, "-ERR syntax error\r\n"),
            (new object[] { "ZRANDMEMBER", "z", "-9223372036854775808" }, "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"),
            (new object[] { "ZRANDMEMBER", "z", "9223372036854775807", "WITHSCORES" }, "-ERR value is out of range\r\n"));
    }

    [Fact]
    public void ScanReplies()
    {
        Run(false,
            (new object[] { "ZADD", "z", "1", "a", "2", "b", "3", "c", "1.5", "ab" }, ":4\r\n"),
            (new object[] { "ZSCAN", "z", "0" }, "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"),
            (new object[] { "ZSCAN", "z", "0", "MATCH", "a*" }, "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$3\r\n1.5\r\n"),
            (new object[] { "ZSCAN", "z", "0", "COUNT", "0" }, "-ERR syntax error\r\n"),
            (new object[] { "ZSCAN", "z", "x" }, "-ERR invalid cursor\r\n"),
            (new object[] { "ZSCAN", "z", "0", "TYPE", "zset" }, "-ERR syntax error\r\n"),
            (new object[] { "ZSCAN", "nokey", "0" }, "*2\r\n$1\r\n0\r\n*0\r\n"));
    }

    [Fact]
    public void ScanResp3()
    {
        Run(true,
            (new object[] { "ZADD", "z", "1.1", "a", "2", "b" }, ":2\r\n"),
            (new object[] { "ZSCAN", "z", "0" }, "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$1\r\n2\r\n"));
    }

}
