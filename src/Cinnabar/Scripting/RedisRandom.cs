namespace Cinnabar.Scripting;

/// <summary>
/// Redis's redisLrand48 (rand.c): the 48-bit linear congruential generator of lrand48, one per server,
/// seeded with lrand48's default state and reseeded only by math.randomseed, so scripts see Redis's sequence.
/// </summary>
public sealed class RedisRandom
{
    /// <summary>REDIS_LRAND48_MAX (INT32_MAX).</summary>
    public const int Max = int.MaxValue;
    private const ulong Multiplier = 0x5DEECE66D, Increment = 0xB, Mask = (1UL << 48) - 1;
    private ulong _x = 0x1234ABCD330E;

    /// <summary>The next 31-bit value.</summary>
    public int Next()
    {
        _x = (_x * Multiplier + Increment) & Mask;
        return (int)(_x >> 17);
    }

    /// <summary>redisSrand48: the seed's 32 bits above lrand48's fixed low word 0x330E.</summary>
    public void Seed(int seed) => _x = ((ulong)(uint)seed << 16) | 0x330E;
}
