namespace Cinnabar.Differential.Randomized;

/// <summary>
/// Delta debugging: removes chunks of steps (halves, then quarters, … single steps) as long as a replay still
/// diverges on the same command, leaving a minimal reproduction.
/// </summary>
public static class Shrinker
{
    public static (List<Step> Steps, Divergence Divergence) Shrink(Replayer replayer, List<Step> commands, Divergence first, TimeSpan budget)
    {
        var deadline = DateTime.UtcNow + budget;
        var (current, divergence) = replayer.Pinpoint(commands, first);
        var signature = Signature(divergence);

        Divergence? Test(List<Step> candidate)
        {
            var d = replayer.Replay(candidate, oneByOneFrom: candidate.Count - 1);
            return d != null && Signature(d) == signature ? d : null;
        }

        for (int chunk = Math.Max(1, current.Count / 2); chunk >= 1 && DateTime.UtcNow < deadline; chunk /= 2)
        {
            for (int i = 0; i < current.Count && DateTime.UtcNow < deadline;)
            {
                // Keep the diverging command (the last one); try removing [i, i + chunk) before it.
                int end = Math.Min(i + chunk, current.Count - 1);
                if (end <= i) break;
                var candidate = current.Take(i).Concat(current.Skip(end)).ToList();
                if (Test(candidate) is { } d)
                {
                    current = candidate.Take(d.Index + 1).ToList();
                    divergence = d;
                }
                else i += chunk;
            }
            if (chunk == 1) break;
        }
        return (current, divergence);
    }

    // The same command diverging, and a dropped connection still being one.
    private static string Signature(Divergence d) => $"{d.Command}/{d.Oracle.Type == '\0'}/{d.Cinnabar.Type == '\0'}";
}
