using System.Text;
using Cinnabar.Commands;
using Cinnabar.Propagation;

namespace Cinnabar.Tests.Unit;

/// <summary>
/// The stream commands' propagated forms, as redis-server 7.0.15 wrote them to its AOF for the same sequence:
/// generated IDs made explicit, "~" trims made exact, group reads and claims as XCLAIM / XGROUP SETID /
/// XGROUP CREATECONSUMER, history reads not at all.
/// </summary>
public class StreamEffectsTests
{
    private static byte[][] A(params string[] args) => args.Select(Encoding.UTF8.GetBytes).ToArray();

    private static List<string> Commands(EffectsStream stream) => EffectsStreamTests.Commands(stream);

    private static (CinnabarServer Server, EffectsStream Stream, LocalClient Client) Start() => EffectsStreamTests.Start();

    [Fact]
    public void FormsMatchRedis()
    {
        var (server, stream, c) = Start();
        string[][] commands =
        [
            ["XADD", "s", "1-1", "f", "v"], ["XADD", "s", "5-*", "f", "v"], ["XADD", "s", "MAXLEN", "~", "1", "LIMIT", "10", "6-1", "f", "v"],
            ["XADD", "s", "7-1", "f", "v"], ["XADD", "s", "MINID", "~", "7", "8-1", "f", "v"], ["XTRIM", "s", "MAXLEN", "~", "0"],
            ["XGROUP", "CREATE", "s", "g", "0"], ["XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">"],
            ["XREADGROUP", "GROUP", "g", "c2", "NOACK", "STREAMS", "s", ">"], ["XADD", "s", "9-1", "f", "v"],
            ["XREADGROUP", "GROUP", "g", "c3", "NOACK", "STREAMS", "s", ">"], ["XCLAIM", "s", "g", "c4", "0", "8-1"],
            ["XCLAIM", "s", "g", "c4", "0", "1-1", "LASTID", "9-5"], ["XADD", "s", "10-1", "f", "v"],
            ["XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"], ["XDEL", "s", "10-1"], ["XAUTOCLAIM", "s", "g", "c5", "0", "0"],
            ["XGROUP", "SETID", "s", "g", "$"], ["XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0"],
        ];
        long claimTime = 0;
        foreach (var command in commands)
        {
            c.Run(A(command));
            if (command[0] == "XREADGROUP" && command[3] == "c1" && command[^1] == ">") claimTime = server.NowMs;
        }
        c.Run(A("XADD", "s", "*", "f", "v"));
        long generated = server.NowMs;
        string[] expected =
        [
            "SELECT 0", "XADD s 1-1 f v", "XADD s 5-0 f v", "XADD s MAXLEN = 3 LIMIT 10 6-1 f v", "XADD s 7-1 f v",
            "XADD s MINID = 1-1 8-1 f v", "XTRIM s MAXLEN = 0", "XGROUP CREATE s g 0", "XADD s 9-1 f v",
            "MULTI", "XGROUP CREATECONSUMER s g c3", "XGROUP SETID s g 9-1 ENTRIESREAD 6", "EXEC",
            "XGROUP SETID s g 9-5 ENTRIESREAD 6", "XADD s 10-1 f v",
            $"XCLAIM s g c1 0 10-1 TIME {claimTime} RETRYCOUNT 1 FORCE JUSTID LASTID 10-1", "XDEL s 10-1",
            $"XCLAIM s g c1 0 10-1 TIME {claimTime} RETRYCOUNT 1 FORCE JUSTID LASTID 10-1", "XGROUP SETID s g $",
            $"XADD s {generated}-0 f v",
        ];
        Assert.Equal(expected, Commands(stream));
    }

    [Fact]
    public void ReplayingTheFormsRebuildsTheSameGroups()
    {
        var (server, stream, c) = Start();
        c.Run(A("XGROUP", "CREATE", "q", "g", "$", "MKSTREAM"));
        for (int i = 1; i <= 5; i++) c.Run(A("XADD", "q", "*", "n", i.ToString()));
        c.Run(A("XREADGROUP", "GROUP", "g", "a", "COUNT", "3", "STREAMS", "q", ">"));
        c.Run(A("XREADGROUP", "GROUP", "g", "b", "NOACK", "STREAMS", "q", ">"));
        c.Run(A("XACK", "q", "g", Encoding.ASCII.GetString(Id(c, "q", 0))));
        c.Run(A("XCLAIM", "q", "g", "b", "0", Encoding.ASCII.GetString(Id(c, "q", 1)), "JUSTID"));
        c.Run(A("XADD", "q", "MAXLEN", "~", "2", "*", "n", "6"));
        var replica = new CinnabarServer { Loading = true };
        new LocalClient(replica).RunAll(stream.Written.ToArray());
        replica.Loading = false;
        var r = new LocalClient(replica);
        foreach (var query in new[] { A("XPENDING", "q", "g", "-", "+", "10"), A("XINFO", "GROUPS", "q"), A("XRANGE", "q", "-", "+") })
        {
            string here = Encoding.ASCII.GetString(c.Run(query));
            string there = Encoding.ASCII.GetString(r.Run(query));
            // Idle times may differ by the milliseconds between the two runs.
            if (query[0][0] == (byte)'X' && query[1][0] == (byte)'q' && query.Length > 4) { here = MaskIntegers(here, 2); there = MaskIntegers(there, 2); }
            Assert.Equal(here, there);
        }
    }

    private static byte[] Id(LocalClient c, string key, int index)
    {
        var reply = Encoding.ASCII.GetString(c.Run(A("XRANGE", key, "-", "+")));
        var ids = reply.Split("\r\n").Where(l => l.Length > 2 && char.IsDigit(l[0]) && l.Contains('-')).ToList();
        return Encoding.ASCII.GetBytes(ids[index]);
    }

    /// <summary>Replaces the idle-time integers (the third field of each XPENDING entry) by 0.</summary>
    private static string MaskIntegers(string reply, int field)
    {
        var lines = reply.Split("\r\n");
        int seen = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i] == "*4") seen = 0;
            else if (lines[i].StartsWith('$')) { seen++; i++; }
            else if (lines[i].StartsWith(':') && ++seen == field + 1) lines[i] = ":0";
        }
        return string.Join("\r\n", lines);
    }
}
