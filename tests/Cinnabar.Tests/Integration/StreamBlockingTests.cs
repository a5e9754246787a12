using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>XREAD / XREADGROUP BLOCK. Expected replies recorded from Redis 7.0.15 for the same sequences.</summary>
public class StreamBlockingTests
{
    private static string Entry(string id, string field = "f", string value = "v") =>
        $"*2\r\n${id.Length}\r\n{id}\r\n*2\r\n${field.Length}\r\n{field}\r\n${value.Length}\r\n{value}\r\n";

    private static string OneStream(string key, params string[] entries) =>
        $"*1\r\n*2\r\n${key.Length}\r\n{key}\r\n*{entries.Length}\r\n" + string.Concat(entries);

    [Fact]
    public void XaddWakesEveryXreadWaiterInTheOrderTheyBlocked()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        using var p = server.Connect();
        p.Call("XADD", "s", "1-1", "f", "v");
        a.SendRaw(RespClient.Encode("XREAD", "BLOCK", "0", "STREAMS", "s", "$"));
        server.WaitForBlocked(1);
        b.SendRaw(RespClient.Encode("XREAD", "BLOCK", "0", "STREAMS", "s", "$"));
        server.WaitForBlocked(2);
        Assert.Equal("$3\r\n2-1\r\n", p.Call("XADD", "s", "2-1", "g", "w"));
        Assert.Equal(OneStream("s", Entry("2-1", "g", "w")), a.ReadReply());
        Assert.Equal(OneStream("s", Entry("2-1", "g", "w")), b.ReadReply());
    }

    [Fact]
    public void DollarIsTheLastIdWhenTheClientBlocked()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var p = server.Connect();
        p.Call("XADD", "s", "1-1", "f", "v");
        a.SendRaw(RespClient.Encode("XREAD", "BLOCK", "0", "STREAMS", "s", "$"));
        server.WaitForBlocked(1);
        p.Call("MULTI");
        p.Call("XADD", "s", "2-1", "f", "v");
        p.Call("XADD", "s", "3-1", "f", "v");
        Assert.Equal("*2\r\n$3\r\n2-1\r\n$3\r\n3-1\r\n", p.Call("EXEC"));
        Assert.Equal(OneStream("s", Entry("2-1"), Entry("3-1")), a.ReadReply());
    }

    [Fact]
    public void AnEntryAddedAndDeletedInOneTransactionServesAnEmptyRead()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var p = server.Connect();
        a.SendRaw(RespClient.Encode("XREAD", "BLOCK", "0", "STREAMS", "t", "$"));
        server.WaitForBlocked(1);
        Assert.Equal("$3\r\n5-1\r\n", p.Call("XADD", "t", "5-1", "f", "v"));
        Assert.Equal(OneStream("t", Entry("5-1")), a.ReadReply());
        a.SendRaw(RespClient.Encode("XREAD", "BLOCK", "0", "STREAMS", "t", "$"));
        server.WaitForBlocked(1);
        p.Call("MULTI");
        p.Call("XADD", "t", "6-1", "f", "v");
        p.Call("XDEL", "t", "6-1");
        Assert.Equal("*2\r\n$3\r\n6-1\r\n:1\r\n", p.Call("EXEC"));
        Assert.Equal(OneStream("t"), a.ReadReply());
    }

    [Fact]
    public void GroupWaitersAreServedOneEntryEachInFifoOrder()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var b = server.Connect();
        using var p = server.Connect();
        p.Call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        a.SendRaw(RespClient.Encode("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">"));
        server.WaitForBlocked(1);
        b.SendRaw(RespClient.Encode("XREADGROUP", "GROUP", "g", "c2", "BLOCK", "0", "STREAMS", "s", ">"));
        server.WaitForBlocked(2);
        p.Call("XADD", "s", "4-1", "f", "v");
        Assert.Equal(OneStream("s", Entry("4-1")), a.ReadReply());
        Assert.Equal(1, server.Server.Blocking.BlockedCount);
        p.Call("XADD", "s", "5-1", "f", "v");
        Assert.Equal(OneStream("s", Entry("5-1")), b.ReadReply());
        Assert.Equal("*4\r\n:2\r\n$3\r\n4-1\r\n$3\r\n5-1\r\n*2\r\n*2\r\n$2\r\nc1\r\n$1\r\n1\r\n*2\r\n$2\r\nc2\r\n$1\r\n1\r\n",
            p.Call("XPENDING", "s", "g"));
        a.SendRaw(RespClient.Encode("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "NOACK", "STREAMS", "s", ">"));
        server.WaitForBlocked(1);
        p.Call("XADD", "s", "6-1", "f", "v");
        Assert.Equal(OneStream("s", Entry("6-1")), a.ReadReply());
        Assert.StartsWith("*4\r\n:2\r\n", p.Call("XPENDING", "s", "g"));
    }

    [Fact]
    public void DestroyingTheGroupWakesItsWaitersWithNogroup()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var p = server.Connect();
        p.Call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        a.SendRaw(RespClient.Encode("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"));
        server.WaitForBlocked(1);
        Assert.Equal(":1\r\n", p.Call("XGROUP", "DESTROY", "s", "g"));
        Assert.Equal("-NOGROUP the consumer group this client was blocked on no longer exists\r\n", a.ReadReply());
    }

    [Theory]
    [InlineData("DEL", "s")]
    [InlineData("SET", "s", "str")]
    [InlineData("FLUSHALL")]
    public void DeletingOrReplacingTheStreamWakesGroupWaitersWithUnblocked(params string[] command)
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var x = server.Connect();
        using var p = server.Connect();
        p.Call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        a.SendRaw(RespClient.Encode("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"));
        x.SendRaw(RespClient.Encode("XREAD", "BLOCK", "0", "STREAMS", "s", "$"));
        server.WaitForBlocked(2);
        p.Call(command);
        Assert.Equal("-UNBLOCKED the stream key no longer exists\r\n", a.ReadReply());
        // A plain XREAD does not depend on the key existing: it keeps waiting.
        Assert.Equal(1, server.Server.Blocking.BlockedCount);
    }

    [Fact]
    public void AStreamRecreatedBelowTheWaitedIdDoesNotServeTheWaiter()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var p = server.Connect();
        p.Call("XADD", "s", "6-1", "f", "v");
        a.SendRaw(RespClient.Encode("XREAD", "BLOCK", "0", "STREAMS", "s", "$"));
        server.WaitForBlocked(1);
        p.Call("DEL", "s");
        p.Call("XADD", "s", "1-1", "f", "v");
        Assert.Equal(1, server.Server.Blocking.BlockedCount);
        p.Call("XADD", "s", "7-1", "f", "v");
        Assert.Equal(OneStream("s", Entry("7-1")), a.ReadReply());
    }

    [Fact]
    public void TimeoutAnswersANullArrayAndResp3ServesAMap()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var p = server.Connect();
        Assert.Equal("*-1\r\n", a.Call("XREAD", "BLOCK", "50", "STREAMS", "t", "$"));
        a.Call("HELLO", "3");
        a.SendRaw(RespClient.Encode("XREAD", "BLOCK", "0", "STREAMS", "t", "u", "$", "$"));
        server.WaitForBlocked(1);
        p.Call("XADD", "u", "1-1", "f", "v");
        Assert.Equal("%1\r\n$1\r\nu\r\n*1\r\n" + Entry("1-1"), a.ReadReply());
        Assert.Equal("_\r\n", a.Call("XREAD", "BLOCK", "10", "STREAMS", "t", "$"));
    }

    [Fact]
    public void BlockedCountDefaultsToAThousandEntries()
    {
        using var server = new TestServer();
        using var a = server.Connect();
        using var p = server.Connect();
        p.Call("XADD", "s", "1-0", "f", "v");
        a.SendRaw(RespClient.Encode("XREAD", "BLOCK", "0", "STREAMS", "s", "$"));
        server.WaitForBlocked(1);
        p.Call("MULTI");
        for (int i = 1; i <= 1005; i++) p.Call("XADD", "s", $"2-{i}", "f", "v");
        p.Call("EXEC");
        Assert.StartsWith("*1\r\n*2\r\n$1\r\ns\r\n*1000\r\n", a.ReadReply());
    }
}
