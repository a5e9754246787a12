using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// The keyspace events the stream commands raise, in the order redis-server 7.0.15 sent them to a
/// "__keyevent@0__:*" subscriber (notify-keyspace-events KEAn) for the same command sequence.
/// </summary>
public class StreamNotificationTests
{
    [Fact]
    public void EventsMatchRedis()
    {
        using var server = new TestServer();
        using var client = server.Connect();
        // Every class but modules: with "A" the stored text drops "n" (CONFIG GET prints Redis's "AKE").
        client.Call("CONFIG", "SET", "notify-keyspace-events", "KEg$lshzxetn");
        var events = server.RecordNotifications();
        string[][] commands =
        [
            ["XADD", "s", "1-1", "f", "v"], ["XADD", "s", "MAXLEN", "1", "2-1", "f", "v"],
            ["XADD", "s", "NOMKSTREAM", "MAXLEN", "5", "3-1", "f", "v"], ["XDEL", "s", "3-1", "9-9"], ["XDEL", "s", "9-9"],
            ["XTRIM", "s", "MAXLEN", "0"], ["XTRIM", "s", "MAXLEN", "0"], ["XSETID", "s", "10-1"],
            ["XGROUP", "CREATE", "s", "g", "$"], ["XGROUP", "CREATE", "t", "g", "$", "MKSTREAM"], ["XGROUP", "SETID", "s", "g", "0"],
            ["XGROUP", "CREATECONSUMER", "s", "g", "c"], ["XGROUP", "CREATECONSUMER", "s", "g", "c"], ["XADD", "s", "11-1", "f", "v"],
            ["XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"], ["XCLAIM", "s", "g", "c3", "0", "11-1"],
            ["XAUTOCLAIM", "s", "g", "c4", "0", "0"], ["XACK", "s", "g", "11-1"], ["XGROUP", "DELCONSUMER", "s", "g", "c"],
            ["XGROUP", "DESTROY", "s", "g"], ["XGROUP", "DESTROY", "s", "g"], ["DEL", "s"],
        ];
        foreach (var command in commands) client.Call(command);
        string[] expected =
        [
            "n:new:s", "t:xadd:s", "t:xadd:s", "t:xtrim:s", "t:xadd:s", "t:xdel:s", "t:xtrim:s", "t:xsetid:s",
            "t:xgroup-create:s", "n:new:t", "t:xgroup-create:t", "t:xgroup-setid:s", "t:xgroup-createconsumer:s", "t:xadd:s",
            "t:xgroup-createconsumer:s", "t:xgroup-createconsumer:s", "t:xgroup-createconsumer:s", "t:xgroup-delconsumer:s",
            "t:xgroup-destroy:s", "g:del:s",
        ];
        Assert.Equal(expected, events);
    }
}
