using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>Generated IDs ("*"): from the clock, never going back (replies as Redis 7.0.15 gave them).</summary>
public class StreamIdTests
{
    [Fact]
    public void GeneratedIdsStayAboveALastIdAheadOfTheClock()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        // A last ID 100000 s in the future, as after the clock stepped back: "*" continues its sequence.
        long ahead = server.Server.NowMs + 100_000_000;
        Assert.Equal($"${ahead.ToString().Length + 2}\r\n{ahead}-5\r\n", c.Call("XADD", "m", $"{ahead}-5", "f", "v"));
        Assert.Equal($"${ahead.ToString().Length + 2}\r\n{ahead}-6\r\n", c.Call("XADD", "m", "*", "f", "v"));
        Assert.Equal("$41\r\n18446744073709551615-18446744073709551615\r\n",
            c.Call("XADD", "m", "18446744073709551615-18446744073709551615", "f", "v"));
        Assert.Equal("-ERR The stream has exhausted the last possible ID, unable to add more items\r\n", c.Call("XADD", "m", "*", "f", "v"));
        Assert.Equal("-ERR The stream has exhausted the last possible ID, unable to add more items\r\n",
            c.Call("XADD", "m", "18446744073709551615-*", "f", "v"));
    }

    [Fact]
    public void GeneratedIdsFollowTheClockAndIncreaseWithinAMillisecond()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var previous = (Ms: 0L, Seq: 0L);
        for (int i = 0; i < 200; i++)
        {
            var reply = c.Call("XADD", "s", "*", "f", "v").Split("\r\n")[1].Split('-');
            var id = (Ms: long.Parse(reply[0]), Seq: long.Parse(reply[1]));
            Assert.True((id.Ms > previous.Ms && id.Seq == 0) || (id.Ms == previous.Ms && id.Seq == previous.Seq + 1), $"{id} after {previous}");
            Assert.True(id.Ms >= before - 1000 && id.Ms <= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
            previous = id;
        }
    }
}
