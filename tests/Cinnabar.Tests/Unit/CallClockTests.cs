using Cinnabar.Commands;

namespace Cinnabar.Tests.Unit;

public class CallClockTests
{
    [Fact]
    public void WithinABatchOneCommandsEndIsTheNextOnesStart()
    {
        var clock = new CallClock();
        clock.BeginBatch();
        long firstStart = clock.Start(CallFlags.None);
        long firstEnd = clock.End(CallFlags.None);
        Assert.True(firstEnd >= firstStart);
        Assert.Equal(firstEnd, clock.Start(CallFlags.None));
        // Taken once: a call nested in that one (EXEC's commands) reads the clock itself.
        Assert.True(clock.Start(CallFlags.InMulti) >= firstEnd);
    }

    [Fact]
    public void CommandsCalledByAScriptAreTimedOnTheirOwn()
    {
        var clock = new CallClock();
        clock.BeginBatch();
        long evalStart = clock.Start(CallFlags.None);
        long callEnd = clock.End(CallFlags.InScript);
        Thread.Sleep(5);
        // The Lua time between two redis.call's is not the second command's.
        long secondCall = clock.Start(CallFlags.InScript);
        Assert.True(secondCall - callEnd >= System.Diagnostics.Stopwatch.Frequency / 1000 * 4);
        long evalEnd = clock.End(CallFlags.None);
        Assert.True(evalEnd >= evalStart);
        Assert.Equal(evalEnd, clock.Start(CallFlags.None));
    }

    [Fact]
    public void OutsideABatchEveryCallReadsTheClock()
    {
        var clock = new CallClock();
        clock.BeginBatch();
        clock.End(CallFlags.None);
        clock.EndBatch();
        Thread.Sleep(5);
        long afterSleep = clock.Start(CallFlags.None);
        long end = clock.End(CallFlags.None);
        // Not the end carried from the finished batch, and nothing carried from a call outside a batch.
        Assert.True(clock.Start(CallFlags.None) >= end);
        Assert.True(end >= afterSleep);
    }
}
