using System.Text;
using Cinnabar.Differential.Support;

namespace Cinnabar.Differential;

/// <summary>
/// Stream nodes keep fewer bytes than Redis's listpacks (no backlen per element, no element count per entry)
/// yet must fill up at the same entry and turn into Redis's listpacks in DUMP payloads. Entries of every
/// element size class (values of 0 to 20,000 bytes, integers of each width, ID deltas of 7 to 64 bits, own
/// fields and the master's, deletions) go to both servers: XINFO STREAM (node counts included) and the
/// ranges both ways must be equal, and a DUMP of either restores in the other with the same digest.
/// </summary>
[Collection(DiffCollection.Name)]
public sealed class StreamNodeLayoutTests(DiffEnvironment env)
{
    private static readonly int[] ValueSizes = [0, 1, 5, 63, 64, 100, 127, 128, 200, 1000, 4000, 4095, 4096, 5000, 16383, 16384, 20000];
    private static readonly string[] Integers = ["0", "-1", "127", "128", "-4096", "4095", "32767", "-32768", "8388607", "2147483647", "9223372036854775807", "-9223372036854775808", "012", "1e3"];

    private static IEnumerable<string[]> Commands()
    {
        ulong ms = 1000;
        int i = 0;
        foreach (int size in ValueSizes)
        {
            foreach (var integer in Integers)
            {
                // ID deltas of every integer width against the node's master ID.
                ms += (ulong)(i % 5 == 4 ? 70000 : i % 7 == 6 ? 5000 : 1);
                string id = $"{ms}-{(i % 3 == 0 ? i * 1000 : i % 2)}";
                string[] entry = i % 4 == 3
                    ? ["XADD", "s", id, "other", integer]
                    : ["XADD", "s", id, "text", new string((char)('a' + i % 26), size), "n", integer];
                yield return entry;
                if (i % 9 == 5) yield return ["XDEL", "s", id];
                i++;
            }
        }
        // Small nodes of small entries, where the bytes Redis's listpack would take decide each split.
        yield return ["CONFIG", "SET", "stream-node-max-bytes", "300"];
        for (int j = 0; j < 300; j++)
            yield return j % 5 == 4
                ? ["XADD", "t", $"{j + 1}-0", "f", new string('x', j % 41), "g", (j * 37).ToString()]
                : ["XADD", "t", $"{j + 1}-0", "a", new string('y', j % 13)];
        yield return ["CONFIG", "SET", "stream-node-max-bytes", "4096"];
    }

    private static byte[][] Args(params string[] args) => args.Select(Encoding.UTF8.GetBytes).ToArray();

    [SkippableFact]
    public void NodesFillAtRedissEntryAndDumpAsRedissListpacks()
    {
        env.RequireOracle();
        env.FlushBoth();
        Compare();
        env.FlushBoth();
    }

    private void Compare()
    {
        using var session = env.Connect(2);
        foreach (var command in Commands())
        {
            var (oracle, cinnabar) = session.Call(Args(command));
            Assert.True(oracle.SameBytes(cinnabar), $"{string.Join(' ', command.Take(3))}: {oracle.Show()} / {cinnabar.Show()}");
        }
        foreach (var command in new[] { Args("XINFO", "STREAM", "s"), Args("XINFO", "STREAM", "t"), Args("XREVRANGE", "t", "+", "-"), Args("XRANGE", "s", "-", "+"), Args("XREVRANGE", "s", "+", "-"), Args("XREVRANGE", "s", "+", "-", "COUNT", "7"), Args("XLEN", "s") })
        {
            var (oracle, cinnabar) = session.Call(command);
            Assert.False(oracle.IsError, oracle.Show());
            Assert.True(oracle.SameBytes(cinnabar), $"{Encoding.UTF8.GetString(command[0])}: {oracle.Show()} / {cinnabar.Show()}");
        }
        var (redisDigest, ourDigest) = session.Call(Args("DEBUG", "DIGEST-VALUE", "s"));
        Assert.True(redisDigest.SameBytes(ourDigest), $"{redisDigest.Show()} / {ourDigest.Show()}");

        // Each server's DUMP restores in the other one, as the same stream.
        var (redisDump, ourDump) = session.Call(Args("DUMP", "s"));
        using var oracleConnection = env.ConnectOracle();
        using var target = new RespConnection(env.TargetPort);
        Assert.Equal("OK", oracleConnection.Call([Encoding.ASCII.GetBytes("RESTORE"), "fromours"u8.ToArray(), "0"u8.ToArray(), ourDump.Payload]).Text);
        Assert.Equal("OK", target.Call([Encoding.ASCII.GetBytes("RESTORE"), "fromredis"u8.ToArray(), "0"u8.ToArray(), redisDump.Payload]).Text);
        Assert.True(redisDigest.SameBytes(oracleConnection.Call("DEBUG", "DIGEST-VALUE", "fromours")));
        Assert.True(redisDigest.SameBytes(target.Call("DEBUG", "DIGEST-VALUE", "fromredis")));
        Assert.True(oracleConnection.Call("XINFO", "STREAM", "fromours").SameBytes(target.Call("XINFO", "STREAM", "fromredis")));
    }
}
