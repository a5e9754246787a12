using System.Text;
using Cinnabar.Differential.Support;

namespace Cinnabar.Differential;

/// <summary>
/// DUMP payloads move between Redis and Cinnabar both ways: every key of the RDB interop data set (each type in
/// its small and large encodings, TTLs, several databases, streams with groups and pending entries) dumped by
/// redis-server restores in Cinnabar with the same DEBUG DIGEST, and dumped again by Cinnabar restores in
/// redis-server with the same digest.
/// </summary>
[Collection(DiffCollection.Name)]
public sealed class DumpRestoreInteropTests(DiffEnvironment env)
{
    private static readonly int[] Databases = [0, 1, 15];

    /// <summary>Every key of the listed databases from one server to the other through DUMP and RESTORE ... ABSTTL.</summary>
    private static int Copy(int fromPort, int toPort)
    {
        using var from = new RespConnection(fromPort);
        using var to = new RespConnection(toPort);
        int copied = 0;
        foreach (int db in Databases)
        {
            Assert.Equal("OK", from.Call("SELECT", db.ToString()).Text);
            Assert.Equal("OK", to.Call("SELECT", db.ToString()).Text);
            foreach (var key in from.Call("KEYS", "*").Children.Select(k => k.Payload))
            {
                var payload = from.Call([Encoding.ASCII.GetBytes("DUMP"), key]);
                Assert.False(payload.IsNull || payload.IsError, payload.ToString());
                long expireAt = long.Parse(from.Call([Encoding.ASCII.GetBytes("PEXPIRETIME"), key]).Text);
                var reply = to.Call([Encoding.ASCII.GetBytes("RESTORE"), key, Encoding.ASCII.GetBytes(Math.Max(expireAt, 0).ToString()), payload.Payload, Encoding.ASCII.GetBytes("ABSTTL")]);
                Assert.True(reply.Text == "OK", $"RESTORE {Encoding.UTF8.GetString(key)}: {reply}");
                copied++;
            }
        }
        return copied;
    }

    private static string Digest(int port)
    {
        using var c = new RespConnection(port);
        return c.Call("DEBUG", "DIGEST").Text;
    }

    [SkippableFact]
    public void RedisDumpsRestoreInCinnabarAndCinnabarDumpsRestoreInRedis()
    {
        env.RequireOracle();
        env.FlushBoth();
        using (var c = new RespConnection(env.Oracle!.Port))
            foreach (var command in RdbInteropTests.Fill.Concat(RdbInteropTests.FillLarge()).Where(c => c[0] != "FUNCTION"))
                Assert.False(c.Call(command).IsError, string.Join(' ', command.Take(3)));
        string redisDigest = Digest(env.Oracle.Port);
        Assert.NotEqual(new string('0', 40), redisDigest);

        int copied = Copy(env.Oracle.Port, env.TargetPort);
        Assert.True(copied > 20, $"only {copied} keys copied");
        Assert.Equal(redisDigest, Digest(env.TargetPort));

        using (var c = new RespConnection(env.Oracle.Port)) Assert.Equal("OK", c.Call("FLUSHALL").Text);
        Assert.Equal(copied, Copy(env.TargetPort, env.Oracle.Port));
        Assert.Equal(redisDigest, Digest(env.Oracle.Port));
        env.FlushBoth();
    }
}
