namespace Cinnabar.Tests.Support;

/// <summary>Waiting on a condition instead of sleeping a fixed time.</summary>
public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until true; fails after <paramref name="timeoutMs"/>.</summary>
    public static void Until(Func<bool> condition, int timeoutMs = 10_000) => Until(condition, what: null, timeoutMs);

    /// <summary>As <see cref="Until(Func{bool}, int)"/>, naming the condition in the failure (<paramref name="what"/>).</summary>
    public static void Until(Func<bool> condition, string? what, int timeoutMs = 10_000)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs)
                throw new TimeoutException($"{what ?? "condition"} not reached in {timeoutMs} ms; pool threads {ThreadPool.ThreadCount}, pending {ThreadPool.PendingWorkItemCount}");
            Thread.Sleep(5);
        }
    }
}
