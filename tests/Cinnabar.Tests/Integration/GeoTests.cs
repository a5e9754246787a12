using System.Text;
using Cinnabar.Commands;
using Cinnabar.Propagation;
using Cinnabar.Tests.Support;
using Cinnabar.Types;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// Geo behaviour beside the differential corpus: keyspace events and the stored representation.
/// Expected values are what redis-server 7.0.15 answered for the same commands.
/// </summary>
public class GeoTests
{
    [Fact]
    public void EventsMatchRedis()
    {
        using var server = new TestServer();
        var events = server.RecordNotifications();
        using var c = server.Connect();
        string[][] commands =
        [
            ["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"],
            ["GEOADD", "g", "13.361389", "38.115556", "Palermo"],
            ["GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"],
            ["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "r"],
            ["GEORADIUS", "g", "15", "37", "200", "km", "STOREDIST", "r"],
            ["GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km"],
            ["GEOSEARCHSTORE", "d2", "nokey", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km"],
            ["GEORADIUS", "nokey", "15", "37", "1", "km", "STORE", "r"],
            ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"],
        ];
        foreach (var command in commands) c.Call(command);
        Assert.Equal(["z:zadd:g", "z:geosearchstore:d", "z:georadiusstore:r", "z:georadiusstore:r", "g:del:d", "g:del:r"], events);
    }

    [Fact]
    public void ScoresAreRedisGeohashes()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
        Assert.Equal("*4\r\n$7\r\nPalermo\r\n$16\r\n3479099956230698\r\n$7\r\nCatania\r\n$16\r\n3479447370796909\r\n",
            c.Call("ZRANGE", "Sicily", "0", "-1", "WITHSCORES"));
        Assert.Equal(3479099956230698UL, GeoHash.Score(13.361389, 38.115556));
        Assert.Equal("$11\r\n166274.1516\r\n", c.Call("GEODIST", "Sicily", "Palermo", "Catania"));
    }

    [Fact]
    public void CoordinatesPrintWithSeventeenDecimalsRoundedHalfToEven()
    {
        // 45/2^18 has exactly 18 decimals ending in 5: glibc's "%.17Lf" rounds the tie to the even digit.
        Span<byte> text = stackalloc byte[64];
        int n = FixedPointText.FormatHuman(45.0 / (1 << 18), text);
        Assert.Equal("0.00017166137695312", System.Text.Encoding.ASCII.GetString(text[..n]));
        n = FixedPointText.FormatHuman(-180, text);
        Assert.Equal("-180", System.Text.Encoding.ASCII.GetString(text[..n]));
        // Distances: llrint(d * 10^4), ties to even (C's printf and llrint on this machine gave these).
        n = FixedPointText.FormatDistance(0.00005, text);
        Assert.Equal("0.0000", System.Text.Encoding.ASCII.GetString(text[..n])); // 0.5 rounds to 0
        n = FixedPointText.FormatDistance(0.00025, text);
        Assert.Equal("0.0002", System.Text.Encoding.ASCII.GetString(text[..n])); // 2.5 rounds to 2
        n = FixedPointText.FormatDistance(0.00015, text);
        Assert.Equal("0.0001", System.Text.Encoding.ASCII.GetString(text[..n])); // 1.4999999999999998
    }

    [Fact]
    public void EffectsAreWhatRedisWritesToItsAof()
    {
        // redis-server 7.0.15 with appendonly yes wrote exactly these commands for the same sequence.
        var server = new CinnabarServer();
        var stream = new EffectsStream();
        server.Propagator.Attach(stream);
        var c = new LocalClient(server);
        byte[][] A(params string[] args) => args.Select(Encoding.UTF8.GetBytes).ToArray();
        c.Run(A("geoadd", "k", "CH", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"));
        c.Run(A("geoadd", "k", "NX", "13.361389", "38.115556", "Palermo"));
        c.Run(A("pfadd", "h", "a", "b"));
        c.Run(A("pfcount", "h"));
        c.Run(A("pfcount", "h"));
        c.Run(A("geosearchstore", "d", "k", "fromlonlat", "15", "37", "byradius", "200", "km"));
        string expected = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
            + "*7\r\n$4\r\nzadd\r\n$1\r\nk\r\n$2\r\nCH\r\n$16\r\n3479099956230698\r\n$7\r\nPalermo\r\n$16\r\n3479447370796909\r\n$7\r\nCatania\r\n"
            + "*4\r\n$5\r\npfadd\r\n$1\r\nh\r\n$1\r\na\r\n$1\r\nb\r\n"
            + "*2\r\n$7\r\npfcount\r\n$1\r\nh\r\n"
            + "*9\r\n$14\r\ngeosearchstore\r\n$1\r\nd\r\n$1\r\nk\r\n$10\r\nfromlonlat\r\n$2\r\n15\r\n$2\r\n37\r\n$8\r\nbyradius\r\n$3\r\n200\r\n$2\r\nkm\r\n";
        Assert.Equal(expected, Encoding.Latin1.GetString(stream.Written.Span));
    }
}
