namespace Cinnabar.Storage;

/// <summary>
/// Redis's LFU access field, used when maxmemory-policy is an LFU policy: 16 bits of "last decrement time"
/// in minutes, then an 8-bit logarithmic counter that starts at 5, grows with probability
/// 1 / ((counter - 5) × lfu-log-factor + 1) and loses one per lfu-decay-time minutes without access
/// (lfu-decay-time 0: never).
/// </summary>
public static class LfuCounter
{
    public const int InitialValue = 5;
    public const int DefaultLogFactor = 10;
    public const int DefaultDecayMinutes = 1;

    private static uint Minutes(long nowMs) => (uint)(nowMs / 1000 / 60) & 0xFFFF;

    /// <summary>The access field of a new key.</summary>
    public static uint New(long nowMs) => (Minutes(nowMs) << 8) | InitialValue;

    /// <summary>The counter after the decay for the minutes elapsed since the last decrement (OBJECT FREQ).</summary>
    public static uint Decayed(uint field, long nowMs, int decayMinutes = DefaultDecayMinutes)
    {
        uint last = field >> 8, counter = field & 0xFF;
        uint now = Minutes(nowMs);
        uint elapsed = now >= last ? now - last : 65535 - last + now;
        uint periods = decayMinutes > 0 ? elapsed / (uint)decayMinutes : 0;
        return periods > counter ? 0 : counter - periods;
    }

    /// <summary>The access field after one access: decay, then a probabilistic logarithmic increment.</summary>
    public static uint Touch(uint field, long nowMs, Random random, int logFactor = DefaultLogFactor, int decayMinutes = DefaultDecayMinutes)
    {
        uint counter = Decayed(field, nowMs, decayMinutes);
        if (counter < 255)
        {
            double baseValue = Math.Max(0, (int)counter - InitialValue);
            if (random.NextDouble() < 1.0 / (baseValue * logFactor + 1)) counter++;
        }
        return (Minutes(nowMs) << 8) | counter;
    }
}
