using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

public class ListTests
{
    // Each expected reply was recorded from Redis 7.0.15 running the same sequence.
    private static readonly (string Command, string Reply)[] Sequence =
    [
        ("rpush l a b c d", ":4\r\n"),
        ("lpop l 0", "*0\r\n"),
        ("lpop l -1", "-ERR value is out of range, must be positive\r\n"),
        ("lpop nokey 2", "*-1\r\n"),
        ("lpop nokey", "$-1\r\n"),
        ("lrange l 0 -1", "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
        ("lrange l -100 100", "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
        ("lrange l 5 1", "*0\r\n"),
        ("lindex l -1", "$1\r\nd\r\n"),
        ("lindex l 9", "$-1\r\n"),
        ("lindex l x", "-ERR value is not an integer or out of range\r\n"),
        ("lset l 9 x", "-ERR index out of range\r\n"),
        ("lset nokey 0 x", "-ERR no such key\r\n"),
        ("lset l 0 A", "+OK\r\n"),
        ("linsert l middle a x", "-ERR syntax error\r\n"),
        ("linsert l after zz x", ":-1\r\n"),
        ("linsert nokey after a x", ":0\r\n"),
        ("linsert l after A a2", ":5\r\n"),
        ("lrem l 0 zz", ":0\r\n"),
        ("rpush r x y x z x", ":5\r\n"),
        ("lrem r -2 x", ":2\r\n"),
        ("lrange r 0 -1", "*3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n"),
        ("ltrim r 1 0", "+OK\r\n"),
        ("llen r", ":0\r\n"),
        ("lpos l c rank 0", "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n"),
        ("lpos l c count -1", "-ERR COUNT can't be negative\r\n"),
        ("lpos l c maxlen -1", "-ERR MAXLEN can't be negative\r\n"),
        ("lpos l c", ":3\r\n"),
        ("lpos l c count 0", "*1\r\n:3\r\n"),
        ("lpos l zz", "$-1\r\n"),
        ("lpos l zz count 0", "*0\r\n"),
        ("lpos l c rank -1 count 2 maxlen 3", "*1\r\n:3\r\n"),
        ("lmpop 0 l left", "-ERR numkeys should be greater than 0\r\n"),
        ("lmpop 2 l left", "-ERR syntax error\r\n"),
        ("lmpop 1 l middle", "-ERR syntax error\r\n"),
        ("lmpop 1 l left count 0", "-ERR count should be greater than 0\r\n"),
        ("lmpop 1 l left count 1 count 1", "-ERR syntax error\r\n"),
        ("lmpop 1 l right count 10", "*2\r\n$1\r\nl\r\n*5\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$2\r\na2\r\n$1\r\nA\r\n"),
        ("lmpop 1 l right", "*-1\r\n"),
        ("blpop l abc", "-ERR timeout is not a float or out of range\r\n"),
        ("blpop l -1", "-ERR timeout is negative\r\n"),
        ("blpop l 1e400", "-ERR timeout is negative\r\n"),
        ("blpop l nan", "-ERR timeout is not a float or out of range\r\n"),
        ("blpop l 0.01", "*-1\r\n"),
        ("brpoplpush l m 0.01", "*-1\r\n"),
        ("blmpop 0.01 1 l left", "*-1\r\n"),
        ("set s str", "+OK\r\n"),
        ("lpush s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lrange s 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("blpop s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lmove s l left left", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lmove l s left left", "$-1\r\n"),
        ("rpush l2 1", ":1\r\n"),
        ("lmove l2 s left left", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lpushx nokey a", ":0\r\n"),
        ("rpushx l2 b c", ":3\r\n"),
        ("llen l2", ":3\r\n"),
        ("llen nokey", ":0\r\n"),
        ("llen s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("rpoplpush l2 l2", "$1\r\nc\r\n"),
        ("lrange l2 0 -1", "*3\r\n$1\r\nc\r\n$1\r\n1\r\n$1\r\nb\r\n"),
        ("lmove l2 l3 right left", "$1\r\nb\r\n"),
        ("lrange l3 0 -1", "*1\r\n$1\r\nb\r\n"),
        ("lpop l2 5", "*2\r\n$1\r\nc\r\n$1\r\n1\r\n"),
        ("llen l2", ":0\r\n"),
        ("ltrim l3 -1 -1", "+OK\r\n"),
        ("lrange l3 0 -1", "*1\r\n$1\r\nb\r\n"),
    ];

    [Fact]
    public void RepliesMatchRedisForTheListFamily()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        foreach (var (command, reply) in Sequence)
            Assert.Equal((command, reply), (command, c.Call(Split(command))));
    }

    internal static object[] Split(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Cast<object>().ToArray();
}
