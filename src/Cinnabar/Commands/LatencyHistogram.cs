using System.Numerics;

namespace Cinnabar.Commands;

/// <summary>
/// Per-command latency distribution for INFO latencystats, laid out as Redis's HdrHistogram
/// (1 ns .. 1 s, 2 significant digits), so the reported percentiles land on the same bucket edges.
/// </summary>
public sealed class LatencyHistogram
{
    private const long Highest = 1_000_000_000;
    private const int SubBucketCount = 256;          // 2 significant digits: next power of two above 2 * 10^2
    private const int SubBucketHalfCount = 128;
    private const int SubBucketHalfCountMagnitude = 7;
    private const long SubBucketMask = SubBucketCount - 1;
    private const int BucketCount = 23;              // 256 << 22 is the first power past 1 s in ns

    private readonly long[] _counts = new long[(BucketCount + 1) * SubBucketHalfCount];
    private long _total;

    /// <summary>Records one call that took <paramref name="microseconds"/> (stored in ns, as Redis records them).</summary>
    public void Record(long microseconds) => RecordNanoseconds(microseconds * 1000);

    /// <summary>Records one value in ns, clamped to the tracked range as Redis clamps it.</summary>
    public void RecordNanoseconds(long nanoseconds)
    {
        _counts[IndexOf(Math.Clamp(nanoseconds, 1, Highest))]++;
        _total++;
    }

    public long TotalCount => _total;

    /// <summary>The value (ns) at a percentile: the highest value equivalent to the bucket holding it.</summary>
    public long ValueAtPercentile(double percentile)
    {
        double p = Math.Min(percentile, 100.0);
        long wanted = Math.Max((long)(p / 100 * _total + 0.5), 1);
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen < wanted) continue;
            long value = ValueAtIndex(i);
            return percentile == 0 ? LowestEquivalent(value) : LowestEquivalent(value) + EquivalentRange(value) - 1;
        }
        return 0;
    }

    /// <summary>
    /// LATENCY HISTOGRAM's buckets: HdrHistogram's logarithmic iteration (first level 1024 ns, base 2) as Redis's
    /// fillCommandCDF reads it. Each step stops on the first slot at or above the level, so a step's count
    /// includes that slot and its key is that slot's highest equivalent value in µs (1, 2, 4, 8, 16, 33, 66, ...);
    /// steps that add nothing are left out.
    /// </summary>
    public List<(long Microseconds, long CumulativeCount)> CumulativeDistribution()
    {
        var steps = new List<(long, long)>();
        int index = -1;
        long value = 0, highestEquivalent = 0, cumulative = 0, reported = 0;
        long level = 1024, levelLowest = LowestEquivalent(level);
        // As hdr_iter_next: go on while counts remain, or while the next slot already lies past the next level.
        while (cumulative < _total || (index < _counts.Length && ValueAtIndex(index + 1) > levelLowest))
        {
            while (value < levelLowest)
            {
                if (++index >= _counts.Length) break; // past the last slot: the step reports the last one again
                cumulative += _counts[index];
                value = ValueAtIndex(index);
                highestEquivalent = LowestEquivalent(value) + EquivalentRange(value) - 1;
            }
            if (value >= levelLowest)
            {
                level *= 2;
                levelLowest = LowestEquivalent(level);
            }
            if (cumulative > reported) steps.Add((highestEquivalent / 1000, cumulative));
            reported = cumulative;
        }
        return steps;
    }

    private static int BucketIndex(long value) => 64 - BitOperations.LeadingZeroCount((ulong)(value | SubBucketMask)) - (SubBucketHalfCountMagnitude + 1);

    private static int IndexOf(long value)
    {
        int bucket = BucketIndex(value);
        int subBucket = (int)(value >> bucket);
        return ((bucket + 1) << SubBucketHalfCountMagnitude) + (subBucket - SubBucketHalfCount);
    }

    private static long ValueAtIndex(int index)
    {
        int bucket = (index >> SubBucketHalfCountMagnitude) - 1;
        int subBucket = (index & (SubBucketHalfCount - 1)) + SubBucketHalfCount;
        if (bucket < 0)
        {
            subBucket -= SubBucketHalfCount;
            bucket = 0;
        }
        return (long)subBucket << bucket;
    }

    private static long LowestEquivalent(long value)
    {
        int bucket = BucketIndex(value);
        return (value >> bucket) << bucket;
    }

    private static long EquivalentRange(long value)
    {
        int bucket = BucketIndex(value);
        long subBucket = value >> bucket;
        return 1L << (subBucket >= SubBucketCount ? bucket + 1 : bucket);
    }
}
