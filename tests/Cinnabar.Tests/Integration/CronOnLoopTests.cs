using Cinnabar.Networking;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// While an epoll loop serves clients, it makes the server's cron ticks between its turns (as redis-server's
/// event loop runs its time events) instead of a timer waking a pool thread ten times a second; the timer only
/// stands in when the loop cannot make them (here: the store lock held, as a long script does, until the timer waits for it).
/// </summary>
public class CronOnLoopTests
{
    /// <summary>A thread's user and system CPU time so far, in clock ticks (/proc: 100 a second).</summary>
    private static long CpuTicks(int threadId)
    {
        string stat = File.ReadAllText($"/proc/self/task/{threadId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]);
    }

    [Fact]
    public void WithAClientConnectedTheLoopMakesTheTicksAndKeysStillExpireUnread()
    {
        if (!ClientTransport.UseEpoll) return; // the loop is Linux's transport

        using var server = new TestServer();
        using var client = server.Connect();
        Assert.Equal("+PONG\r\n", client.Call("PING"));
        long timerTicks = server.Server.CronTicksOnTimer;
        Wait.Until(() => server.Server.CronTicksOnLoop >= 5, "five cron ticks made by the epoll loop");

        // Active expiry is the cron's: keys that nobody reads go once their time is up.
        for (int i = 0; i < 20; i++) Assert.Equal("+OK\r\n", client.Call("SET", $"k{i}", "v", "PX", "50"));
        Wait.Until(() => client.Call("DBSIZE") == ":0\r\n", "the 20 keys expired by the cron");
        // The timer made at most the one tick that may have been due before the loop started.
        Assert.True(server.Server.CronTicksOnTimer - timerTicks <= 1, $"the timer made {server.Server.CronTicksOnTimer - timerTicks} ticks");
    }

    [Fact]
    public void TheTimerStandsInWhileTheLoopCannotTakeTheLock()
    {
        if (!ClientTransport.UseEpoll) return;

        using var server = new TestServer();
        using var client = server.Connect();
        Assert.Equal("+PONG\r\n", client.Call("PING"));
        Wait.Until(() => server.Server.CronTicksOnLoop >= 1, "a cron tick made by the epoll loop");
        long timerTicks = server.Server.CronTicksOnTimer;
        long loopTicks;
        // The loop never waits for the lock: its ticks stop while it is held, and the timer's stand-in, which
        // does wait, makes the next one once it is free.
        int loopThread = server.Server.NextEpollLoop().NativeThreadId;
        lock (server.Server.Gate)
        {
            loopTicks = server.Server.CronTicksOnLoop;
            long cpuBefore = CpuTicks(loopThread);
            // Held until the timer, seeing the loop a whole period late, waits for the lock to stand in.
            Wait.Until(() => server.Server.CronTimerWaitingForLock, "the timer's tick waiting for the lock");
            Assert.Equal(loopTicks, server.Server.CronTicksOnLoop);
            // Nor does the loop poll for the lock: a tick it could not make is tried again in 10 ms.
            long cpu = CpuTicks(loopThread) - cpuBefore;
            Assert.True(cpu < 30, $"the loop thread used {cpu} clock ticks of CPU while the lock was held");
        }
        Wait.Until(() => server.Server.CronTicksOnTimer > timerTicks, "a tick made by the timer standing in");
        Wait.Until(() => server.Server.CronTicksOnLoop > loopTicks + 2, "the loop making the ticks again");
        Assert.Equal("+PONG\r\n", client.Call("PING"));
    }
}
