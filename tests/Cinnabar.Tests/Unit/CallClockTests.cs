using System.Diagnostics;
using Cinnabar.Commands;
using Cinnabar.Protocol;

namespace Cinnabar.Tests.Unit;

public class CallClockTests
{
    private static readonly CinnabarServer Server = new();

    /// <summary>Returns once the clock reads later than <paramref name="timestamp"/>, so a fresh read differs from it.</summary>
    private static void WaitPast(long timestamp)
    {
        while (Stopwatch.GetTimestamp() <= timestamp) Thread.SpinWait(20);
    }

    private static CommandContext NewContext(long id) =>
        new(Server, new Client(id, Server.Databases[0]) { Authenticated = true }, new RespWriter(64));

    [Fact]
    public void WithinABatchOneCommandsEndIsTheNextOnesStart()
    {
        var clock = new CallClock();
        var ctx = NewContext(1);
        clock.BeginBatch(ctx);
        long firstStart = clock.Start(ctx, CallFlags.None);
        long firstEnd = clock.End(ctx, CallFlags.None);
        Assert.True(firstEnd >= firstStart);
        Assert.Equal(firstEnd, clock.Start(ctx, CallFlags.None));
        // Taken once: a call nested in that one (EXEC's commands) reads the clock itself.
        Assert.True(clock.Start(ctx, CallFlags.InMulti) >= firstEnd);
    }

    [Fact]
    public void CommandsCalledByAScriptOrForAnotherClientAreTimedOnTheirOwn()
    {
        var clock = new CallClock();
        var ctx = NewContext(1);
        var waiter = NewContext(2);
        clock.BeginBatch(ctx);
        long evalStart = clock.Start(ctx, CallFlags.None);
        long callEnd = clock.End(ctx, CallFlags.InScript);
        WaitPast(callEnd);
        // The Lua time between two redis.call's is not the second command's.
        Assert.True(clock.Start(ctx, CallFlags.InScript) > callEnd);
        long evalEnd = clock.End(ctx, CallFlags.None);
        Assert.True(evalEnd >= evalStart);
        // A waiter served meanwhile (another client's context) neither takes nor leaves the carried end.
        WaitPast(evalEnd);
        long served = clock.Start(waiter, CallFlags.ServingWaiter);
        Assert.True(served > evalEnd);
        clock.End(waiter, CallFlags.ServingWaiter);
        Assert.Equal(evalEnd, clock.Start(ctx, CallFlags.None));
    }

    [Fact]
    public void AfterTheBatchEveryCallReadsTheClock()
    {
        var clock = new CallClock();
        var ctx = NewContext(1);
        clock.BeginBatch(ctx);
        long end = clock.End(ctx, CallFlags.None);
        clock.EndBatch();
        WaitPast(end);
        long next = clock.Start(ctx, CallFlags.None);
        Assert.True(next > end);
        long nextEnd = clock.End(ctx, CallFlags.None);
        Assert.True(clock.Start(ctx, CallFlags.None) >= nextEnd);
    }
}
