using System.Text;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// The keyspace events the string commands raise (class and name), in the order redis-server 7.0.15 sent
/// them to a "__keyevent@0__:*" subscriber for the same command sequence.
/// </summary>
public class StringNotificationTests
{
    [Fact]
    public void EventsMatchRedis()
    {
        using var kit = new StringTestKit();
        var events = kit.Server.RecordNotifications();
        string[][] commands =
        [
            ["set", "k", "v"], ["set", "k", "v", "ex", "100"], ["set", "k", "v", "get"], ["setnx", "k2", "v"],
            ["setex", "k3", "10", "v"], ["psetex", "k4", "100000", "v"], ["getex", "k", "ex", "100"], ["getex", "k", "persist"],
            ["getex", "k", "persist"], ["getex", "k", "pxat", "1"], ["set", "k", "v"], ["getdel", "k"], ["getset", "k", "v"],
            ["mset", "a", "1", "b", "2"], ["msetnx", "c", "1", "d", "2"], ["append", "a", "x"], ["setrange", "a", "0", "y"],
            ["setrange", "a", "0", ""], ["incr", "b"], ["decr", "b"], ["incrby", "b", "2"], ["decrby", "b", "2"],
            ["incrbyfloat", "b", "1.5"], ["setbit", "a", "0", "1"], ["setbit", "a", "0", "1"], ["bitfield", "a", "set", "u8", "0", "1"],
            ["bitfield", "a", "get", "u8", "0"], ["bitfield", "a", "overflow", "fail", "incrby", "u8", "0", "1000"],
            ["bitop", "and", "dest", "a", "b"], ["bitop", "and", "dest", "nokey"], ["set", "k", "v", "exat", "1"], ["get", "k"],
            ["lcs", "a", "b"],
        ];
        foreach (var command in commands) kit.Client.Call(command);
        string[] expected =
        [
            "$:set:k", "$:set:k", "g:expire:k", "$:set:k", "$:set:k2", "$:set:k3", "g:expire:k3", "$:set:k4", "g:expire:k4",
            "g:expire:k", "g:persist:k", "g:del:k", "$:set:k", "g:del:k", "$:set:k", "$:set:a", "$:set:b", "$:set:c", "$:set:d",
            "$:append:a", "$:setrange:a", "$:incrby:b", "$:incrby:b", "$:incrby:b", "$:incrby:b", "$:incrbyfloat:b",
            "$:setbit:a", "$:setbit:a", "$:set:dest", "g:del:dest", "$:set:k", "g:expire:k", "x:expired:k",
        ];
        Assert.Equal(expected, events);
    }
}
