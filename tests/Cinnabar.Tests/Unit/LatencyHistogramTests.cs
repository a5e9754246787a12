using Cinnabar.Commands;

namespace Cinnabar.Tests.Unit;

/// <summary>
/// LATENCY HISTOGRAM's buckets. Expected steps come from Redis 7.0.15's own deps/hdr_histogram built with a
/// driver that records the same values (hdr_init(1, 1000000000, 2), values clamped as Redis clamps them) and
/// prints what fillCommandCDF replies: the log iteration from 1024 ns, base 2, keys in µs, empty steps left out.
/// </summary>
public class LatencyHistogramTests
{
    private static string Steps(LatencyHistogram h) =>
        string.Join(' ', h.CumulativeDistribution().Select(s => $"{s.Microseconds}={s.CumulativeCount}"));

    private static LatencyHistogram Of(IEnumerable<long> nanoseconds)
    {
        var h = new LatencyHistogram();
        foreach (long ns in nanoseconds) h.RecordNanoseconds(ns);
        return h;
    }

    [Fact]
    public void EmptyHistogramHasNoSteps() => Assert.Equal("", Steps(new LatencyHistogram()));

    [Theory]
    [InlineData(1L, "1=1")]
    [InlineData(1000L, "1=1")]
    [InlineData(0L, "1=1")] // clamped to 1 ns
    [InlineData(1_000_000_000L, "1073741=1")]
    [InlineData(5_000_000_000L, "1073741=1")] // clamped to 1 s: the last slot's highest equivalent value
    public void OneValue(long nanoseconds, string expected) => Assert.Equal(expected, Steps(Of([nanoseconds])));

    [Fact]
    public void WholeMicrosecondsFromZeroToTwenty() =>
        Assert.Equal("1=2 2=3 4=5 8=9 16=17 33=21", Steps(Of(Enumerable.Range(0, 21).Select(us => us * 1000L))));

    [Fact]
    public void SlotEdgesAroundTheLevels()
    {
        long[] edges = [1, 1023, 1024, 1031, 1032, 2047, 2048, 2063, 2064, 65535, 65536, 66047, 66048, 1000000, 16908287, 16908288, 999999999, 1000000000];
        Assert.Equal("1=4 2=8 4=9 66=12 132=13 1056=14 16908=15 33816=16 1073741=18", Steps(Of(edges)));
    }

    [Fact]
    public void SpreadOverTheWholeRange() =>
        Assert.Equal("1=1 8=2 33=3 132=5 264=6 528=9 1056=12 2113=17 4227=27 8454=39 16908=59 33816=89 67633=140 135266=227 270532=372 541065=627 1073741=1000",
            Steps(Of(Enumerable.Range(0, 1000).Select(i => (long)i * i * 7919 % 1_000_000_000 + 1))));

    [Fact]
    public void ManyCallsRecordedInMicroseconds()
    {
        var h = new LatencyHistogram();
        for (long i = 1; i <= 100_000; i++) h.Record(i * i % 5000);
        Assert.Equal("1=1160 4=1240 16=1480 33=2360 66=3000 132=4520 264=7400 528=11960 1056=24120 2113=44440 4227=86560 8454=100000", Steps(h));
        Assert.Equal(100_000, h.TotalCount);
    }
}
