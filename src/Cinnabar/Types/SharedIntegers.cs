using Cinnabar.Config;

namespace Cinnabar.Types;

/// <summary>
/// What OBJECT REFCOUNT and DEBUG OBJECT report for a string holding an integer. Redis shares one object per
/// integer 0..9999 among every value that holds it (refcount INT_MAX), unless an LRU or LFU maxmemory policy
/// needs each key's own access time. The one stored value it does not share is a COPY's: its duplicate is a
/// new integer object (refcount 1) for as long as that value stays, through RENAME and MOVE. Cinnabar keeps
/// that as a flag of the key's record (<see cref="Storage.KeyTable.MarkUnshared"/>).
/// </summary>
public static class SharedIntegers
{
    public const int Count = 10000;
    public const long SharedRefCount = int.MaxValue;

    /// <summary>The refcount Redis would report for <paramref name="value"/> (<paramref name="copied"/>: stored by COPY).</summary>
    public static long RefCount(ServerConfig config, object value, bool copied) => !copied && IsShared(config, value) ? SharedRefCount : 1;

    private static bool IsShared(ServerConfig config, object value)
    {
        if (value is not byte[] bytes || !InRange(bytes)) return false;
        string policy = config.MaxMemoryPolicy;
        return config.MaxMemory == 0 || !(policy.EndsWith("-lru", StringComparison.Ordinal) || policy.EndsWith("-lfu", StringComparison.Ordinal));
    }

    /// <summary>The int encoding's text of 0..9999 (no sign, no leading zero).</summary>
    private static bool InRange(byte[] bytes) =>
        Storage.ValueKind.EncodingName(bytes) == "int" && Protocol.RespParser.TryParseLong(bytes, out long v) && v >= 0 && v < Count;
}
