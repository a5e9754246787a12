using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>Generated from the real redis-server 7.0.15: every expected reply below is what it answered.</summary>
public partial class SortTests
{
    [Fact]
    public void SortSetsNumericAndAlpha()
    {
        Run(false,
            (new object[] { "SADD", "nums", "3", "1", "2", "10", "-5", "2.5" }, ":6\r\n"),
            (new object[] { "SORT", "nums" }, "*6\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n2\r\n$3\r\n2.5\r\n$1\r\n3\r\n$2\r\n10\r\n"),
            (new object[] { "SORT", "nums", "DESC" }, "*6\r\n$2\r\n10\r\n$1\r\n3\r\n$3\r\n2.5\r\n$1\r\n2\r\n$1\r\n1\r\n$2\r\n-5\r\n"),
            (new object[] { "SORT", "nums", "LIMIT", "1", "2" }, "*2\r\n$1\r\n1\r\n$1\r\n2\r\n"),
            (new object[] { "SORT", "nums", "LIMIT", "-5", "2" }, "*2\r\n$2\r\n-5\r\n$1\r\n1\r\n"),
            (new object[] { "SORT", "nums", "LIMIT", "10", "2" }, "*0\r\n"),
            (new object[] { "SORT", "nums", "LIMIT", "0", "0" }, "*0\r\n"),
            (new object[] { "SORT", "nums", "ALPHA" }, "*6\r\n$2\r\n-5\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$3\r\n2.5\r\n$1\r\n3\r\n"),
            (new object[] { "SORT", "nums", "ALPHA", "DESC", "LIMIT", "0", "3" }, "*3\r\n$1\r\n3\r\n$3\r\n2.5\r\n$1\r\n2\r\n"),
            (new object[] { "SADD", "words", "banana", "apple", "cherry" }, ":3\r\n"),
            (new object[] { "SORT", "words" }, "-ERR One or more scores can't be converted into double\r\n"),
            (new object[] { "SORT", "words", "ALPHA" }, "*3\r\n$5\r\napple\r\n$6\r\nbanana\r\n$6\r\ncherry\r\n"),
            (new object[] { "SORT_RO", "words", "ALPHA", "DESC" }, "*3\r\n$6\r\ncherry\r\n$6\r\nbanana\r\n$5\r\napple\r\n"),
            (new object[] { "SORT", "nokey" }, "*0\r\n"));
    }

    [Fact]
    public void SortSortedSets()
    {
        Run(false,
            (new object[] { "ZADD", "zs", "3", "c", "1", "a", "2", "b", "0", "d" }, ":4\r\n"),
            (new object[] { "SORT", "zs", "ALPHA" }, "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
            (new object[] { "SORT", "zs", "BY", "nosort" }, "*4\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"),
            (new object[] { "SORT", "zs", "BY", "nosort", "DESC" }, "*4\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nd\r\n"),
            (new object[] { "SORT", "zs", "BY", "nosort", "LIMIT", "1", "2" }, "*2\r\n$1\r\na\r\n$1\r\nb\r\n"),
            (new object[] { "SORT", "zs", "BY", "nosort", "DESC", "LIMIT", "1", "2" }, "*2\r\n$1\r\nb\r\n$1\r\na\r\n"),
            (new object[] { "SORT", "zs" }, "-ERR One or more scores can't be converted into double\r\n"),
            (new object[] { "ZADD", "znum", "1", "30", "2", "20", "3", "10" }, ":3\r\n"),
            (new object[] { "SORT", "znum" }, "*3\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n"),
            (new object[] { "SORT", "znum", "DESC", "LIMIT", "1", "1" }, "*1\r\n$2\r\n20\r\n"));
    }

    [Fact]
    public void SortByPatternsAndGet()
    {
        Run(false,
            (new object[] { "SET", "weight_a", "3" }, "+OK\r\n"),
            (new object[] { "SET", "weight_b", "1" }, "+OK\r\n"),
            (new object[] { "SET", "weight_c", "2" }, "+OK\r\n"),
            (new object[] { "SADD", "items", "a", "b", "c", "d" }, ":4\r\n"),
            (new object[] { "SORT", "items", "BY", "weight_*" }, "*4\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n"),
            (new object[] { "SORT", "items", "BY", "weight_*", "DESC" }, "*4\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\nd\r\n"),
            (new object[] { "SORT", "items", "BY", "weight_*", "GET", "#", "GET", "weight_*" }, "*8\r\n$1\r\nd\r\n$-1\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n3\r\n"),
            (new object[] { "SORT", "items", "BY", "weight_*", "ALPHA" }, "*4\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n"),
            (new object[] { "HSET", "obj_a", "f", "30", "name", "Alice" }, ":2\r\n"),
            (new object[] { "HSET", "obj_b", "f", "10", "name", "Bob" }, ":2\r\n"),
            (new object[] { "HSET", "obj_c", "f", "20", "name", "Carol" }, ":2\r\n"),
            (new object[] { "SORT", "items", "BY", "obj_*->f", "GET", "obj_*->name" }, "*4\r\n$-1\r\n$3\r\nBob\r\n$5\r\nCarol\r\n$5\r\nAlice\r\n"),
            (new object[] { "SORT", "items", "BY", "obj_*->f", "DESC", "GET", "#", "GET", "obj_*->name", "GET", "obj_*->nosuch" }, "*12\r\n$1\r\na\r\n$5\r\nAlice\r\n$-1\r\n$1\r\nc\r\n$5\r\nCarol\r\n$-1\r\n$1\r\nb\r\n$3\r\nBob\r\n$-1\r\n$1\r\nd\r\n$-1\r\n$-1\r\n"),
            (new object[] { "SORT", "items", "BY", "obj_*->name", "ALPHA", "GET", "obj_*->name" }, "*4\r\n$-1\r\n$5\r\nAlice\r\n$3\r\nBob\r\n$5\r\nCarol\r\n"),
            (new object[] { "SORT", "items", "BY", "weight_*->f" }, "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
            (new object[] { "SORT", "items", "BY", "obj_*->f", "GET", "obj_*" }, "*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n"),
            (new object[] { "SORT", "items", "ALPHA", "GET", "#", "GET", "weight_*", "LIMIT", "1", "2" }, "*4\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n2\r\n"),
            (new object[] { "SORT", "items", "BY", "nosort", "GET", "nofield", "ALPHA", "LIMIT", "0", "1" }, "*1\r\n$-1\r\n"));
    }

    [Fact]
    public void SortErrors()
    {
        Run(false,
            (new object[] { "SET", "str", "hello" }, "+OK\r\n"),
            (new object[] { "SORT", "str" }, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
            (new object[] { "SORT_RO", "str" }, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
            (new object[] { "SADD", "nums", "1", "2" }, ":2\r\n"),
            (new object[] { "SORT", "nums", "LIMIT" }, "-ERR syntax error\r\n"),
            (new object[] { "SORT", "nums", "LIMIT", "1" }, "-ERR syntax error\r\n"),
            (new object[] { "SORT", "nums", "LIMIT", "x", "1" }, "-ERR value is not an integer or out of range\r\n"),
            (new object[] { "SORT", "nums", "FOO" }, "-ERR syntax error\r\n"),
            (new object[] { "SORT", "nums", "BY" }, "-ERR syntax error\r\n"),
            (new object[] { "SORT", "nums", "GET" }, "-ERR syntax error\r\n"),
            (new object[] { "SORT", "nums", "STORE" }, "-ERR syntax error\r\n"),
            (new object[] { "SORT_RO", "nums", "STORE", "dst" }, "-ERR syntax error\r\n"),
            (new object[] { "SADD", "mixed", "1", "two", "3" }, ":3\r\n"),
            (new object[] { "SORT", "mixed" }, "-ERR One or more scores can't be converted into double\r\n"),
            (new object[] { "SORT", "mixed", "ALPHA" }, "*3\r\n$1\r\n1\r\n$1\r\n3\r\n$3\r\ntwo\r\n"),
            (new object[] { "SADD", "withnan", "1", "nan" }, ":2\r\n"),
            (new object[] { "SORT", "withnan" }, "-ERR One or more scores can't be converted into double\r\n"));
    }

    [Fact]
    public void SortLists()
    {
        Run(false,
            (new object[] { "@list", "lst", "3", "1", "2", "10" }, ""),
            (new object[] { "SORT", "lst" }, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"),
            (new object[] { "SORT", "lst", "DESC" }, "*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"),
            (new object[] { "SORT", "lst", "ALPHA" }, "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n"),
            (new object[] { "SORT", "lst", "BY", "nosort" }, "*4\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n"),
            (new object[] { "SORT", "lst", "BY", "nosort", "DESC" }, "*4\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n1\r\n$1\r\n3\r\n"),
            (new object[] { "SORT", "lst", "BY", "nosort", "LIMIT", "1", "2" }, "*2\r\n$1\r\n1\r\n$1\r\n2\r\n"),
            (new object[] { "SORT", "lst", "BY", "nosort", "DESC", "LIMIT", "1", "2" }, "*2\r\n$1\r\n2\r\n$1\r\n1\r\n"),
            (new object[] { "SORT", "lst", "BY", "nosort", "LIMIT", "5", "2" }, "*0\r\n"),
            (new object[] { "@list", "lst2", "b", "a", "c" }, ""),
            (new object[] { "SORT", "lst2", "ALPHA", "DESC", "GET", "#" }, "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"),
            (new object[] { "SORT_RO", "lst2", "BY", "nosort" }, "*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n"));
    }

    [Fact]
    public void SortStore()
    {
        Run(false,
            (new object[] { "SADD", "nums", "3", "1", "2" }, ":3\r\n"),
            (new object[] { "SORT", "nums", "STORE", "dst" }, ":3\r\n"),
            (new object[] { "SORT", "nums", "BY", "nosort", "STORE", "dst" }, ":3\r\n"),
            (new object[] { "SORT", "nums", "LIMIT", "0", "1", "GET", "#", "GET", "nosuch_*", "STORE", "dst" }, ":2\r\n"),
            (new object[] { "SORT", "nokey", "STORE", "dst" }, ":0\r\n"),
            (new object[] { "SORT", "nums", "DESC", "STORE", "dst" }, ":3\r\n"));
    }

    [Fact]
    public void SortResp3()
    {
        Run(true,
            (new object[] { "SADD", "nums", "3", "1", "2" }, ":3\r\n"),
            (new object[] { "SET", "weight_1", "x" }, "+OK\r\n"),
            (new object[] { "SORT", "nums", "GET", "#", "GET", "weight_*" }, "*6\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n2\r\n_\r\n$1\r\n3\r\n_\r\n"),
            (new object[] { "SORT", "nums", "STORE", "dst" }, ":3\r\n"),
            (new object[] { "SORT", "nums", "LIMIT", "0", "0" }, "*0\r\n"));
    }

}
