using Cinnabar.Networking;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// The epoll loop polls for the next request while requests come close together (a sleeping loop costs every
/// request a wake-up), and sleeps again once they stop. Counted from the loop thread's own numbers in /proc:
/// its voluntary context switches (each sleep in epoll_wait is one) and its state.
/// </summary>
public class EpollBusyPollTests
{
    private static string Status(int threadId) => File.ReadAllText($"/proc/self/task/{threadId}/status");

    private static long VoluntarySwitches(int threadId)
    {
        foreach (var line in Status(threadId).Split('\n'))
            if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan("voluntary_ctxt_switches:".Length).Trim());
        throw new InvalidOperationException("no voluntary_ctxt_switches line");
    }

    private static bool Sleeping(int threadId) => Status(threadId).Contains("State:\tS", StringComparison.Ordinal);

    /// <summary>How often the loop slept while one client sent <paramref name="count"/> PINGs back to back.</summary>
    private static long SleepsOverPings(TestServer server, int count, out int threadId)
    {
        using var client = server.Connect();
        Assert.Equal("+PONG\r\n", client.Call("PING"));
        threadId = server.Server.NextEpollLoop().NativeThreadId;
        long before = VoluntarySwitches(threadId);
        for (int i = 0; i < count; i++) Assert.Equal("+PONG\r\n", client.Call("PING"));
        return VoluntarySwitches(threadId) - before;
    }

    [Fact]
    public void BackToBackRequestsAreReadWithoutSleepingAndTheLoopSleepsOnceTheyStop()
    {
        if (!ClientTransport.UseEpoll) return; // the loop is Linux's transport

        using var sleeper = new TestServer();
        sleeper.Server.Config.BusyPollMicroseconds = 0;
        // Without polling the loop sleeps for most requests (on a busy machine it is sometimes preempted after a
        // reply and finds the next request already there: 602 of 2000 once, with the whole suite running).
        long withoutPolling = SleepsOverPings(sleeper, 2000, out _);

        using var poller = new TestServer();
        // A window far longer than this client's gap between a reply and its next request, even on a busy machine.
        poller.Server.Config.BusyPollMicroseconds = 20_000;
        long withPolling = SleepsOverPings(poller, 2000, out int threadId);
        Assert.True(withPolling < 200 && withPolling * 3 < withoutPolling,
            $"the loop slept {withPolling} times for 2000 back-to-back requests while polling, {withoutPolling} times without");

        // No request comes any more: the window runs out and the loop sleeps in epoll_wait.
        Wait.Until(() => Sleeping(threadId), "the loop thread asleep after the requests stopped");
    }
}
