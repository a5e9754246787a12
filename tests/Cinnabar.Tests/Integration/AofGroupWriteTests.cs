using System.Text;
using Cinnabar.Tests.Support;
using Xunit;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// The AOF is written once per turn of the epoll loop, as Redis writes it once per event-loop iteration
/// (beforeSleep): the batches of every client the turn served share one write, and no reply leaves before it.
/// </summary>
public sealed class AofGroupWriteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cinnabar-aof-group-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("everysec")]
    [InlineData("always")]
    public void ClientsServedInOneTurnShareOneWrite(string policy)
    {
        if (!OperatingSystem.IsLinux()) return; // the epoll loop is Linux's transport
        using var server = new TestServer("--dir", _dir, "--appendonly", "yes", "--appendfsync", policy, "--enable-debug-command", "yes");
        var writer = server.Server.Aof.Writer!;
        using var sleeper = server.Connect();
        var writers = Enumerable.Range(0, 10).Select(_ => server.Connect()).ToArray();
        foreach (var w in writers) Assert.Equal("+PONG\r\n", w.Call("PING"));
        long before;
        lock (server.Server.Gate) before = writer.Writes;

        // DEBUG SLEEP keeps the loop thread inside one batch; the ten writes that arrive meanwhile are all
        // ready at its next wait, so they run in one turn.
        sleeper.SendRaw(RespClient.Encode("DEBUG", "SLEEP", "0.5"));
        WaitUntilTheLockStaysTaken(server);
        for (int i = 0; i < writers.Length; i++) writers[i].SendRaw(RespClient.Encode("SET", "key:" + i, "v" + i));
        Assert.Equal("+OK\r\n", sleeper.ReadReply());
        for (int i = 0; i < writers.Length; i++) Assert.Equal("+OK\r\n", writers[i].ReadReply());

        long writes;
        lock (server.Server.Gate) writes = writer.Writes - before;
        // One write for the turn (a second only if the kernel handed the ten over in two waits).
        Assert.InRange(writes, 1, 2);
        // Every acknowledged SET is in the file.
        var incr = Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(_dir, "appendonlydir", "appendonly.aof.1.incr.aof")));
        for (int i = 0; i < writers.Length; i++) Assert.Contains($"$5\r\nkey:{i}\r\n$2\r\nv{i}\r\n", incr);
        foreach (var w in writers) w.Dispose();
    }

    /// <summary>Waits until the store lock has stayed taken for 50 ms on end: DEBUG SLEEP holds it, a cron tick never that long.</summary>
    private static void WaitUntilTheLockStaysTaken(TestServer server)
    {
        var gate = server.Server.Gate;
        var held = System.Diagnostics.Stopwatch.StartNew();
        Wait.Until(() =>
        {
            if (gate.TryEnter())
            {
                gate.Exit();
                held.Restart();
                return false;
            }
            return held.ElapsedMilliseconds >= 50;
        }, 5000);
    }
}
