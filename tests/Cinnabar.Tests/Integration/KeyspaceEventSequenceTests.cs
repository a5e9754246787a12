using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// The __keyevent@db__ messages each command sequence publishes, in order, as Redis 7.0.15 published them
/// for the same sequences (notify-keyspace-events KEA). "event key" is on db 0; other dbs name the channel.
/// </summary>
public class KeyspaceEventSequenceTests
{
    public static TheoryData<string, string[], string[]> Sequences => new()
    {
        { "ks_strings", ["SET k v", "SETRANGE k 1 xx", "APPEND k z", "INCR n", "INCRBYFLOAT n 1.5", "DECRBY n 2", "GETDEL k", "SET k v EX 100", "GETEX k PERSIST", "GETEX k PX 5000", "MSET a 1 b 2", "MSETNX c 1 d 2", "SETNX a 1", "GETSET a 9", "SETEX e 10 x", "PSETEX f 10000 x"], ["set k", "setrange k", "append k", "incrby n", "incrbyfloat n", "del k", "set k", "expire k", "persist k", "expire k", "set a", "set b", "set c", "set d", "set a", "set e", "expire e", "set f", "expire f"] },
        { "ks_keys", ["SET k v", "RENAME k k2", "RENAMENX k2 k3", "EXPIRE k3 100", "PERSIST k3", "PEXPIREAT k3 99999999999999", "COPY k3 k4", "MOVE k4 1", "DEL k3 nope", "SET x 1", "EXPIRE x -1", "SET y 1", "UNLINK y", "SET z 1"], ["set k", "rename_from k", "rename_to k2", "rename_from k2", "rename_to k3", "expire k3", "persist k3", "expire k3", "copy_to k4", "move_from k4", "__keyevent@1__:move_to k4", "del k3", "set x", "del x", "set y", "del y", "set z"] },
        { "ks_rename_same", ["SET k v", "RENAME k k", "SET d 1", "RENAME k d", "COPY d e REPLACE", "COPY d e REPLACE", "COPY d e DB 2"], ["set k", "set d", "rename_from k", "rename_to d", "copy_to e", "copy_to e", "__keyevent@2__:copy_to e"] },
        { "ks_lists", ["RPUSH l a b c", "LPUSH l z", "LPUSHX l q", "RPUSHX nol q", "LSET l 0 y", "LINSERT l BEFORE a w", "LREM l 1 w", "LTRIM l 0 1", "LPOP l", "RPOP l", "RPUSH l 1 2", "LMOVE l m LEFT RIGHT", "RPOPLPUSH l m", "LMPOP 1 m LEFT COUNT 5"], ["rpush l", "lpush l", "lpush l", "lset l", "linsert l", "lrem l", "ltrim l", "lpop l", "rpop l", "del l", "rpush l", "rpush m", "lpop l", "lpush m", "rpop l", "del l", "lpop m", "del m"] },
        { "ks_expired_lazy", ["DEBUG SET-ACTIVE-EXPIRE 0", "SET k v PX 50", "sleep 200", "GET k", "DEBUG SET-ACTIVE-EXPIRE 1"], ["set k", "expire k", "expired k"] },
        { "ks_expired_active", ["SET k v PX 50", "sleep 600", "PING"], ["set k", "expire k", "expired k"] },
        { "ks_flush", ["SET k v", "FLUSHDB", "SET k v", "SWAPDB 0 1", "FLUSHALL"], ["set k", "set k"] },
        { "ks_multi", ["MULTI", "SET k v", "DEL k", "EXEC"], ["set k", "del k"] },
        { "ks_db", ["SELECT 3", "SET k v", "SETBIT b 3 1", "BITOP OR c b", "BITFIELD bf SET u8 0 1"], ["__keyevent@3__:set k", "__keyevent@3__:setbit b", "__keyevent@3__:set c", "__keyevent@3__:setbit bf"] },
        { "ks_noexist_ops", ["DEL none", "EXPIRE none 10", "PERSIST none", "LPOP none", "SET k v NX", "SET k v NX", "SET k v XX KEEPTTL", "SET k v GET"], ["set k", "set k", "set k"] },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void EventsMatchRedis(string name, string[] commands, string[] events)
    {
        using var server = new TestServer("--notify-keyspace-events", "KEA", "--enable-debug-command", "yes");
        using var sub = server.Connect();
        using var c = server.Connect();
        sub.Call("PSUBSCRIBE", "__keyevent@*__:*");
        foreach (var command in commands)
        {
            if (command.StartsWith("sleep ", StringComparison.Ordinal)) Thread.Sleep(int.Parse(command[6..]));
            else c.Call(ListTests.Split(command)); // some fail on purpose (DECRBY of "2.5"), as on Redis
        }
        foreach (var e in events)
        {
            int space = e.IndexOf(' ');
            string channel = e.StartsWith("__", StringComparison.Ordinal) ? e[..space] : "__keyevent@0__:" + e[..space];
            string key = e[(space + 1)..];
            Assert.Equal((name, e, $"*4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@*__:*\r\n${channel.Length}\r\n{channel}\r\n${key.Length}\r\n{key}\r\n"),
                (name, e, sub.ReadReply()));
        }
        // Nothing more was published: the next thing the subscriber reads is its PING reply.
        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", sub.Call("PING"));
    }
}
