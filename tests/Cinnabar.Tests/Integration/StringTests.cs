// Generated from scenario scripts run against real redis-server 7.0.15 (expected replies are its replies).
namespace Cinnabar.Tests.Integration;

/// <summary>GET, SET and its options, SETNX/SETEX/PSETEX, GETEX, GETDEL, GETSET, MGET, MSET, MSETNX.</summary>
public class StringTests
{
    /// <summary>Conflicting or incomplete SET options.</summary>
    [Fact]
    public void SetOptionConflictsAreSyntaxErrors()
    {
        using var kit = new StringTestKit();
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "nx", "xx");
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "ex", "10", "px", "100");
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "ex", "10", "keepttl");
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "keepttl", "ex", "10");
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "exat", "10", "pxat", "10");
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "px", "10", "ex", "10");
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "pxat", "10", "keepttl");
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "ex", "1", "nx", "xx");
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "nx", "ex");
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "ex");
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "foo");
        kit.Call("-ERR syntax error\r\n", "set", "k", "v", "ex", "abc", "foo");
        kit.Call("+OK\r\n", "set", "k", "v", "EX", "10", "EX", "20");
        kit.Call("$-1\r\n", "set", "k", "v", "NX", "NX");
        kit.Call("+OK\r\n", "set", "k", "v", "KEEPTTL", "KEEPTTL");
        kit.Exists("k", true);
    }

    /// <summary>Zero, negative, non-integer and overflowing expire times.</summary>
    [Fact]
    public void SetInvalidExpireTimes()
    {
        using var kit = new StringTestKit();
        kit.Call("-ERR invalid expire time in 'set' command\r\n", "set", "k", "v", "ex", "0");
        kit.Call("-ERR invalid expire time in 'set' command\r\n", "set", "k", "v", "ex", "-1");
        kit.Call("-ERR invalid expire time in 'set' command\r\n", "set", "k", "v", "px", "0");
        kit.Call("-ERR invalid expire time in 'set' command\r\n", "set", "k", "v", "exat", "0");
        kit.Call("-ERR invalid expire time in 'set' command\r\n", "set", "k", "v", "pxat", "0");
        kit.Call("-ERR value is not an integer or out of range\r\n", "set", "k", "v", "ex", "abc");
        kit.Call("-ERR value is not an integer or out of range\r\n", "set", "k", "v", "ex", "10.5");
        kit.Call("-ERR invalid expire time in 'set' command\r\n", "set", "k", "v", "ex", "9223372036854775807");
        kit.Call("-ERR invalid expire time in 'set' command\r\n", "set", "k", "v", "px", "9223372036854775807");
        kit.Call("-ERR invalid expire time in 'set' command\r\n", "set", "k", "v", "ex", "9223372036854775");
        kit.Call("+OK\r\n", "set", "k", "v", "ex", "9223372036854");
        kit.Exists("k", true);
        kit.Call("-ERR invalid expire time in 'set' command\r\n", "set", "nokey", "v", "xx", "ex", "0");
        kit.Call("-ERR invalid expire time in 'set' command\r\n", "set", "k", "v", "get", "ex", "0");
    }

    /// <summary>NX / XX conditions and GET's old value.</summary>
    [Fact]
    public void SetNxXxGet()
    {
        using var kit = new StringTestKit();
        kit.Call("$-1\r\n", "set", "k", "v", "get");
        kit.Call("$1\r\nv\r\n", "set", "k", "v2", "get");
        kit.Call("$2\r\nv2\r\n", "get", "k");
        kit.Call("$2\r\nv2\r\n", "set", "k", "v3", "nx", "get");
        kit.Call("$2\r\nv2\r\n", "set", "k", "v4", "xx", "get");
        kit.Call("$2\r\nv4\r\n", "get", "k");
        kit.Call("$-1\r\n", "set", "k", "v5", "nx");
        kit.Call("+OK\r\n", "set", "k", "v5", "xx");
        kit.Call("$-1\r\n", "set", "k2", "v5", "xx");
        kit.Call("$-1\r\n", "set", "k2", "v5", "xx", "get");
        kit.Exists("k2", false);
        kit.Call("$2\r\nv5\r\n", "set", "k", "v", "GET", "GET");
        kit.Call("$-1\r\n", "get", "nokey");
    }

    /// <summary>EX/EXAT/PXAT, KEEPTTL, and SET without KEEPTTL dropping the TTL.</summary>
    [Fact]
    public void SetExpireOptionsAndKeepTtl()
    {
        using var kit = new StringTestKit();
        kit.Call("+OK\r\n", "set", "k", "v", "ex", "100");
        kit.Ttl("k", 100);
        kit.Call("+OK\r\n", "set", "k", "v2", "keepttl");
        kit.Ttl("k", 100);
        kit.Call("$2\r\nv2\r\n", "get", "k");
        kit.Call("+OK\r\n", "set", "k", "v3");
        kit.Ttl("k", -1);
        kit.Call("+OK\r\n", "set", "k", "v", "px", "50000");
        kit.Ttl("k", 50);
        kit.Call("+OK\r\n", "set", "k", "v", "exat", "1");
        kit.Exists("k", false);
        kit.Call("$-1\r\n", "set", "k", "v", "pxat", "1", "get");
        kit.Exists("k", false);
    }

    /// <summary>Another type under the key: GET and SET GET fail, plain SET replaces.</summary>
    [Fact]
    public void SetAndGetOnWrongType()
    {
        using var kit = new StringTestKit();
        kit.PlantList("l");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "get", "l");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "set", "l", "v", "get");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "set", "l", "v", "nx", "get");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "set", "l", "v", "xx", "get");
        kit.Call("-ERR invalid expire time in 'set' command\r\n", "set", "l", "v", "ex", "0", "get");
        kit.Call("+OK\r\n", "set", "l", "v");
        kit.Call("$1\r\nv\r\n", "get", "l");
    }

    /// <summary>SETNX, SETEX and PSETEX replies and errors.</summary>
    [Fact]
    public void SetNxSetExPSetEx()
    {
        using var kit = new StringTestKit();
        kit.Call(":1\r\n", "setnx", "k", "v");
        kit.Call(":0\r\n", "setnx", "k", "v2");
        kit.Call("$1\r\nv\r\n", "get", "k");
        kit.Call("-ERR invalid expire time in 'setex' command\r\n", "setex", "k", "0", "v");
        kit.Call("-ERR invalid expire time in 'setex' command\r\n", "setex", "k", "-1", "v");
        kit.Call("-ERR value is not an integer or out of range\r\n", "setex", "k", "abc", "v");
        kit.Call("-ERR invalid expire time in 'setex' command\r\n", "setex", "k", "9223372036854775", "v");
        kit.Call("+OK\r\n", "setex", "k", "10", "v");
        kit.Ttl("k", 10);
        kit.Call("-ERR invalid expire time in 'psetex' command\r\n", "psetex", "k", "0", "v");
        kit.Call("+OK\r\n", "psetex", "k", "10000", "v2");
        kit.Ttl("k", 10);
        kit.Call("$2\r\nv2\r\n", "get", "k");
        kit.PlantList("l");
        kit.Call(":0\r\n", "setnx", "l", "v");
        kit.Call("+OK\r\n", "setex", "l", "10", "v");
        kit.Call("$1\r\nv\r\n", "get", "l");
    }

    /// <summary>GETEX options, their conflicts, and the order of checks.</summary>
    [Fact]
    public void GetExOptions()
    {
        using var kit = new StringTestKit();
        kit.Call("$-1\r\n", "getex", "nokey");
        kit.Call("$-1\r\n", "getex", "nokey", "ex", "10");
        kit.Call("$-1\r\n", "getex", "nokey", "ex", "0");
        kit.Call("$-1\r\n", "getex", "nokey", "ex", "abc");
        kit.Call("+OK\r\n", "set", "k", "v");
        kit.Call("$1\r\nv\r\n", "getex", "k");
        kit.Call("-ERR invalid expire time in 'getex' command\r\n", "getex", "k", "ex", "0");
        kit.Call("-ERR invalid expire time in 'getex' command\r\n", "getex", "k", "ex", "-5");
        kit.Call("-ERR value is not an integer or out of range\r\n", "getex", "k", "ex", "abc");
        kit.Call("-ERR syntax error\r\n", "getex", "k", "ex");
        kit.Call("-ERR syntax error\r\n", "getex", "k", "ex", "100", "px", "100");
        kit.Call("-ERR syntax error\r\n", "getex", "k", "persist", "ex", "10");
        kit.Call("-ERR syntax error\r\n", "getex", "k", "ex", "10", "persist");
        kit.Call("-ERR syntax error\r\n", "getex", "k", "foo");
        kit.Call("$1\r\nv\r\n", "getex", "k", "persist", "persist");
        kit.Call("$1\r\nv\r\n", "getex", "k", "ex", "10", "ex", "20");
        kit.Ttl("k", 20);
        kit.Call("$1\r\nv\r\n", "getex", "k", "persist");
        kit.Ttl("k", -1);
        kit.Call("$1\r\nv\r\n", "getex", "k", "px", "5000");
        kit.Ttl("k", 5);
        kit.Call("$1\r\nv\r\n", "getex", "k", "exat", "1");
        kit.Exists("k", false);
        kit.Call("+OK\r\n", "set", "k", "v");
        kit.Call("$1\r\nv\r\n", "getex", "k", "pxat", "1");
        kit.Exists("k", false);
        kit.PlantList("l");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "getex", "l");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "getex", "l", "ex", "0");
        kit.Call("-ERR syntax error\r\n", "getex", "l", "ex", "abc", "foo");
    }

    /// <summary>GETDEL and GETSET.</summary>
    [Fact]
    public void GetDelAndGetSet()
    {
        using var kit = new StringTestKit();
        kit.Call("$-1\r\n", "getdel", "nokey");
        kit.Call("+OK\r\n", "set", "k", "v", "ex", "100");
        kit.Call("$1\r\nv\r\n", "getdel", "k");
        kit.Exists("k", false);
        kit.Call("$-1\r\n", "getset", "k", "v");
        kit.Call("$1\r\nv\r\n", "getset", "k", "v2");
        kit.Call("$2\r\nv2\r\n", "get", "k");
        kit.Call("+OK\r\n", "set", "k", "v", "ex", "100");
        kit.Call("$1\r\nv\r\n", "getset", "k", "v3");
        kit.Ttl("k", -1);
        kit.PlantList("l");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "getdel", "l");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "getset", "l", "v");
    }

    /// <summary>Multi-key reads and writes.</summary>
    [Fact]
    public void MGetMSetMSetNx()
    {
        using var kit = new StringTestKit();
        kit.Call("+OK\r\n", "set", "k", "v");
        kit.PlantList("l");
        kit.Call("*4\r\n$-1\r\n$1\r\nv\r\n$-1\r\n$-1\r\n", "mget", "a", "k", "l", "nokey");
        kit.Call("+OK\r\n", "mset", "a", "1", "b", "2");
        kit.Call("-ERR wrong number of arguments for 'mset' command\r\n", "mset", "a", "1", "b");
        kit.Call("*2\r\n$1\r\n1\r\n$1\r\n2\r\n", "mget", "a", "b");
        kit.Call(":0\r\n", "msetnx", "a", "1", "c", "3");
        kit.Exists("c", false);
        kit.Call(":1\r\n", "msetnx", "c", "3", "d", "4");
        kit.Call(":0\r\n", "msetnx", "c", "3", "c", "4");
        kit.Call(":1\r\n", "msetnx", "e", "3", "e", "4");
        kit.Call("$1\r\n4\r\n", "get", "e");
        kit.Call("*3\r\n$1\r\n4\r\n$1\r\n4\r\n$1\r\n3\r\n", "mget", "e", "d", "c");
        kit.Call("+OK\r\n", "set", "t", "v", "ex", "100");
        kit.Call("+OK\r\n", "mset", "t", "v2");
        kit.Ttl("t", -1);
    }

    /// <summary>RESP3 clients get _ for nil bulk replies.</summary>
    [Fact]
    public void Resp3NullReplies()
    {
        using var kit = new StringTestKit();
        kit.Resp3();
        kit.Call("_\r\n", "get", "nokey");
        kit.Call("+OK\r\n", "set", "k", "v", "nx");
        kit.Call("$1\r\nv\r\n", "set", "k", "v", "xx", "get");
        kit.Call("_\r\n", "set", "nk", "v", "xx");
        kit.Call("_\r\n", "getex", "nokey");
        kit.Call("_\r\n", "getdel", "nokey");
        kit.Call("_\r\n", "getset", "nk2", "v");
        kit.Call("*2\r\n_\r\n$1\r\nv\r\n", "mget", "nokey", "k");
        kit.Call(":0\r\n", "setnx", "k", "v");
        kit.Call("$0\r\n\r\n", "getrange", "nokey", "0", "1");
        kit.Call("*2\r\n_\r\n:0\r\n", "bitfield", "nk3", "overflow", "fail", "incrby", "u8", "0", "300", "get", "u8", "0");
        kit.Call("$0\r\n\r\n", "lcs", "nokey", "nokey2");
        kit.Call("$3\r\n1.5\r\n", "incrbyfloat", "f", "1.5");
    }

    /// <summary>Which writes leave int, embstr or raw (OBJECT ENCODING).</summary>
    [Fact]
    public void ObjectEncodingOfWrites()
    {
        using var kit = new StringTestKit();
        (string Value, string Encoding)[] writes =
        [
            ("123", "int"), ("0123", "embstr"), ("-0", "embstr"), ("9223372036854775807", "int"),
            ("9223372036854775808", "embstr"), (new string('a', 44), "embstr"), (new string('a', 45), "raw"),
        ];
        foreach (var (value, encoding) in writes)
        {
            kit.Call("+OK\r\n", "set", "k", value);
            kit.EncodingIs("k", encoding);
        }
        kit.Call("+OK\r\n", "set", "k", "v");
        kit.Call(":2\r\n", "append", "k", "x");
        kit.EncodingIs("k", "raw");
        kit.Call("+OK\r\n", "set", "k", "5");
        kit.Call(":2\r\n", "append", "k", "1");
        kit.EncodingIs("k", "raw");
        kit.Call(":52\r\n", "incr", "k");
        kit.EncodingIs("k", "int");
        kit.Call(":2\r\n", "setrange", "k", "0", "9");
        kit.EncodingIs("k", "raw");
        kit.Call("+OK\r\n", "set", "k", "abc");
        kit.Call(":1\r\n", "setbit", "k", "1", "1");
        kit.EncodingIs("k", "raw");
        kit.Call("+OK\r\n", "set", "k", "abc");
        kit.Call("*1\r\n:97\r\n", "bitfield", "k", "set", "u8", "0", "97");
        kit.EncodingIs("k", "raw");
        kit.Call("+OK\r\n", "set", "k", "abc");
        kit.Call("*1\r\n:97\r\n", "bitfield", "k", "get", "u8", "0");
        kit.EncodingIs("k", "embstr");
        kit.Call(":1\r\n", "getbit", "k", "1");
        kit.EncodingIs("k", "embstr");
        kit.Call(":3\r\n", "setrange", "k", "0", "");
        kit.EncodingIs("k", "embstr");
        kit.Call("+OK\r\n", "set", "k", "10");
        kit.Call("$4\r\n11.5\r\n", "incrbyfloat", "k", "1.5");
        kit.EncodingIs("k", "embstr");
        kit.Call("$2\r\n12\r\n", "incrbyfloat", "k", "0.5");
        kit.Call("$2\r\n12\r\n", "get", "k");
        kit.EncodingIs("k", "embstr");
        kit.Call("+OK\r\n", "set", "a", "abc");
        kit.Call(":3\r\n", "bitop", "not", "dest", "a");
        kit.EncodingIs("dest", "raw");
        kit.Call("+OK\r\n", "mset", "m1", "123", "m2", "abc");
        kit.EncodingIs("m1", "int");
        kit.EncodingIs("m2", "embstr");
        kit.Call(":1\r\n", "setnx", "m3", "42");
        kit.EncodingIs("m3", "int");
        kit.Call("$2\r\n42\r\n", "getset", "m3", "43");
        kit.EncodingIs("m3", "int");
        kit.Call("+OK\r\n", "setex", "m4", "100", "7");
        kit.EncodingIs("m4", "int");
        kit.Call(":3\r\n", "append", "nk", "123");
        kit.EncodingIs("nk", "int");
        kit.Call("+OK\r\n", "set", "k", "");
        kit.Call(":0\r\n", "append", "k", "");
        kit.EncodingIs("k", "raw");
        kit.Call(":3\r\n", "setrange", "nk2", "0", "abc");
        kit.EncodingIs("nk2", "raw");
        kit.Call(":0\r\n", "setbit", "nk3", "0", "1");
        kit.EncodingIs("nk3", "raw");
        kit.Call(":1\r\n", "incr", "nk4");
        kit.EncodingIs("nk4", "int");
        kit.Call("$3\r\n1.5\r\n", "incrbyfloat", "nk5", "1.5");
        kit.EncodingIs("nk5", "embstr");
    }
}
