using System.Diagnostics;

namespace Cinnabar.Differential.Support;

/// <summary>Waiting on a condition a server reaches (a connection listed or gone), never a fixed sleep.</summary>
public static class Poll
{
    /// <summary>Checks <paramref name="condition"/> until true; returns how many checks failed first (INFO calls to even out).</summary>
    public static int Until(Func<bool> condition, string failure, int timeoutMs = 10_000)
    {
        var sw = Stopwatch.StartNew();
        int failed = 0;
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs) throw new TimeoutException(failure);
            failed++;
            Thread.Sleep(1);
        }
        return failed;
    }
}
