using Cinnabar.Config;

namespace Cinnabar.Tests.Unit;

/// <summary>client-output-buffer-limit parsing; values and error texts as Redis 7.0.15 gives them for CONFIG SET/GET.</summary>
public class OutputBufferLimitsTests
{
    [Theory]
    [InlineData("pubsub 1mb 512kb 5", "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 5")]
    [InlineData("pubsub 1MB 2K 3 normal 1g 0 0", "normal 1000000000 0 0 slave 268435456 67108864 60 pubsub 1048576 2000 3")]
    [InlineData("replica 10 5 7", "normal 0 0 0 slave 10 5 7 pubsub 33554432 8388608 60")]
    [InlineData("", OutputBufferLimits.Default)]
    public void MergesTheNamedClassesIntoTheCurrentValue(string update, string expected)
    {
        var (value, error) = OutputBufferLimits.Normalize(OutputBufferLimits.Default, update);
        Assert.Null(error);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("pubsub 1mb 512kb", "Wrong number of arguments in buffer limit configuration.")]
    [InlineData("foo 1 2 3", "Invalid client class specified in buffer limit configuration.")]
    [InlineData("pubsub x 1 2", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")]
    [InlineData("replica 10 5 -1", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")]
    [InlineData("pubsub -1 2 3", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")]
    [InlineData("pubsub 1.5mb 1 1", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")]
    public void RejectsWhatRedisRejects(string update, string expectedError)
    {
        var (value, error) = OutputBufferLimits.Normalize(OutputBufferLimits.Default, update);
        Assert.Null(value);
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void ApplySetsThePubSubLimitThatDeliveryChecks()
    {
        var config = new ServerConfig();
        var (value, _) = OutputBufferLimits.Normalize(OutputBufferLimits.Default, "pubsub 1mb 512kb 5");
        OutputBufferLimits.Apply(config, value!);
        Assert.Equal((1048576L, 524288L, 5L), config.PubSubOutputLimit);
    }
}
