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
    public void Record(long microseconds)
    {
        long ns = Math.Clamp(microseconds * 1000, 1, Highest);
        _counts[IndexOf(ns)]++;
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
