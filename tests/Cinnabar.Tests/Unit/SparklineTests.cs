using System.Text;
using Cinnabar.Observability;

namespace Cinnabar.Tests.Unit;

/// <summary>
/// LATENCY GRAPH's sparkline. Expected texts come from Redis 7.0.15's sparkline.c, built with a driver that
/// renders the same samples as LATENCY GRAPH does (80 columns, 4 rows, filled); the two-sample case is also
/// what redis-server printed after two DEBUG SLEEPs.
/// </summary>
public class SparklineTests
{
    private static string Render(IEnumerable<(double Value, string Label)> samples)
    {
        var sparkline = new Sparkline();
        foreach (var (value, label) in samples) sparkline.Add(value, label);
        var output = new StringBuilder();
        sparkline.Render(output, 80, 4);
        return output.ToString();
    }

    [Fact]
    public void TwoSamples() =>
        Assert.Equal(" #\n |\n |\n_|\n  \n31\nss\n", Render([(12, "3s"), (32, "1s")]));

    [Fact]
    public void EqualSamplesSitOnTheBottomRow() =>
        Assert.Equal("   \n   \n   \n___\n   \n000\nsss\n", Render([(5, "0s"), (5, "0s"), (5, "0s")]));

    [Fact]
    public void MoreSamplesThanColumnsWrapWithABlankLineBetweenParts()
    {
        string[] expected =
        [
            "     o  #    _  o  #    _  o  #    _  #    _  o  #    _  o  #    _  #    _  o  #\n",
            "  #  | _| #  | _| o| #  | _| o| #  | _| o  |  | o| #  | _| o| #  | _| o  |  | _|\n",
            " o| #| ||_| o| || ||_| #| ||_||o| #| ||_| o| #| ||_| #| ||_||o| #| ||_| o| #| ||\n",
            "_||o||#||||_||o||#||||_||o|||||||o||#||||_||o||#||||_||o|||||||_||#||||_||o||#||\n",
            "                                                                                \n",
            "01234567891111111111222222222233333333334444444444555555555566666666667777777777\n",
            "ssssssssss01234567890123456789012345678901234567890123456789mmmmmmmmmmmmmmmmmmmm\n",
            "          ssssssssssssssssssssssssssssssssssssssssssssssssss                    \n",
            "\n",
            "    _  o  #    _  o \n",
            " #  | _| o| #  | _| \n",
            "_| o| || ||o| #| ||_\n",
            "||_||o||#||||_||#|||\n",
            "                    \n",
            "88888888889999999999\n",
            "mmmmmmmmmmmmmmmmmmmm\n",
        ];
        var samples = Enumerable.Range(0, 100).Select(i => ((double)(i * 37 % 101 + 1), i < 60 ? $"{i}s" : $"{i / 10}m"));
        Assert.Equal(string.Concat(expected), Render(samples));
    }
}
