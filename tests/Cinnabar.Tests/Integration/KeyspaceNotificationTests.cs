using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

public class KeyspaceNotificationTests
{
    private static string PMessage(string channel, string payload) =>
        $"*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n${channel.Length}\r\n{channel}\r\n${payload.Length}\r\n{payload}\r\n";

    /// <summary>Sequence and names as Redis 7.0.15 publishes them for RPUSH then an emptying LPOP.</summary>
    [Fact]
    public void ListEventsArePublishedOnBothChannels()
    {
        using var server = new TestServer("--notify-keyspace-events", "KEA");
        using var sub = server.Connect();
        using var c = server.Connect();
        sub.Call("PSUBSCRIBE", "__key*__:*");
        c.Call("RPUSH", "l1", "a");
        c.Call("LPOP", "l1");
        Assert.Equal(PMessage("__keyspace@0__:l1", "rpush"), sub.ReadReply());
        Assert.Equal(PMessage("__keyevent@0__:rpush", "l1"), sub.ReadReply());
        Assert.Equal(PMessage("__keyspace@0__:l1", "lpop"), sub.ReadReply());
        Assert.Equal(PMessage("__keyevent@0__:lpop", "l1"), sub.ReadReply());
        Assert.Equal(PMessage("__keyspace@0__:l1", "del"), sub.ReadReply());
        Assert.Equal(PMessage("__keyevent@0__:del", "l1"), sub.ReadReply());
    }

    [Theory]
    [InlineData("KEA", "AKE")]
    [InlineData("Ex", "xE")]
    [InlineData("Kgm", "gKm")]
    [InlineData("En", "nE")]
    [InlineData("KAmn", "AKm")]
    public void FlagsAreNormalizedAsRedisPrintsThem(string input, string printed)
    {
        var config = new Cinnabar.Config.ServerConfig();
        Assert.Null(config.TrySet("notify-keyspace-events", input, atStartup: false));
        Assert.Equal(printed, config.Find("notify-keyspace-events")!.Shown);
    }

    [Fact]
    public void NewKeyEventsSurviveBeingHiddenBehindA()
    {
        // redis-server 7.0.15: after CONFIG SET notify-keyspace-events KEAn, CONFIG GET prints "AKE", yet SET of a
        // missing key still publishes "new" before "set", on both channels.
        using var server = new TestServer();
        using var sub = server.Connect();
        using var c = server.Connect();
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "notify-keyspace-events", "KEAn"));
        Assert.Equal("*2\r\n$22\r\nnotify-keyspace-events\r\n$3\r\nAKE\r\n", c.Call("CONFIG", "GET", "notify-keyspace-events"));
        sub.Call("PSUBSCRIBE", "__key*__:*");
        c.Call("SET", "nk", "1");
        Assert.Equal(PMessage("__keyspace@0__:nk", "new"), sub.ReadReply());
        Assert.Equal(PMessage("__keyevent@0__:new", "nk"), sub.ReadReply());
        Assert.Equal(PMessage("__keyspace@0__:nk", "set"), sub.ReadReply());
        Assert.Equal(PMessage("__keyevent@0__:set", "nk"), sub.ReadReply());
    }

    [Fact]
    public void UnknownClassIsRejected()
    {
        var config = new Cinnabar.Config.ServerConfig();
        Assert.Equal("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.", config.TrySet("notify-keyspace-events", "Kq", atStartup: false));
    }
}
