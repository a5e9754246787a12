using System.Text;
using Cinnabar.Commands.Families;
using Cinnabar.Storage;

namespace Cinnabar.Tests.Unit;

public class ScanCursorTests
{
    /// <summary>Accepted and refused cursors as redis-server 7.0.15's strtoul-based parsing decides.</summary>
    [Theory]
    [InlineData("0", true, 0UL)]
    [InlineData("", true, 0UL)]
    [InlineData("+5", true, 5UL)]
    [InlineData("-0", true, 0UL)]
    [InlineData("-1", true, ulong.MaxValue)]
    [InlineData("-18446744073709551615", true, 1UL)]
    [InlineData("18446744073709551615", true, ulong.MaxValue)]
    [InlineData("18446744073709551616", false, 0UL)]
    [InlineData(" 5", false, 0UL)]
    [InlineData("5 ", false, 0UL)]
    [InlineData("-", false, 0UL)]
    [InlineData("+", false, 0UL)]
    [InlineData("x", false, 0UL)]
    [InlineData("5\0x", true, 5UL)]   // strtoul stops at the NUL, as for every *SCAN on redis-server 7.0.15
    public void ParsesLikeRedis(string text, bool valid, ulong expected)
    {
        Assert.Equal(valid, ScanCommands.TryParseCursor(Encoding.ASCII.GetBytes(text), out ulong cursor));
        if (valid) Assert.Equal(expected, cursor);
    }
}

public class LfuCounterTests
{
    private const long Now = 1_700_000_000_000;

    [Fact]
    public void NewKeysStartAtFiveAndDecayOnePerMinute()
    {
        uint field = LfuCounter.New(Now);
        Assert.Equal(5u, LfuCounter.Decayed(field, Now));
        Assert.Equal(4u, LfuCounter.Decayed(field, Now + 60_000));
        Assert.Equal(0u, LfuCounter.Decayed(field, Now + 3600_000));
    }

    [Fact]
    public void CounterGrowsLogarithmicallyAndSaturates()
    {
        var random = new Random(5);
        uint field = LfuCounter.New(Now);
        field = LfuCounter.Touch(field, Now, random);
        Assert.Equal(6u, LfuCounter.Decayed(field, Now)); // below the initial value + 1 the increment is certain
        for (int i = 0; i < 1000; i++) field = LfuCounter.Touch(field, Now, random);
        uint afterThousand = LfuCounter.Decayed(field, Now);
        Assert.InRange(afterThousand, 10u, 40u);
        for (int i = 0; i < 2_000_000; i++) field = LfuCounter.Touch(field, Now, random);
        Assert.InRange(LfuCounter.Decayed(field, Now), afterThousand + 1, 255u);
    }
}
