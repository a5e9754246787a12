using System.Runtime.CompilerServices;
using Cinnabar.Config;

namespace Cinnabar.Types;

/// <summary>
/// What OBJECT REFCOUNT and DEBUG OBJECT report for a string holding an integer. Redis shares one object per
/// integer 0..9999 among every value that holds it (refcount INT_MAX), unless an LRU or LFU maxmemory policy
/// needs each key's own access time. The one stored value it does not share is a COPY's: its duplicate is a
/// new integer object (refcount 1) for as long as that value stays, through RENAME and MOVE. Cinnabar's values
/// are plain arrays, so the copies are remembered beside them, by identity, and forgotten with them.
/// </summary>
public static class SharedIntegers
{
    public const int Count = 10000;
    public const long SharedRefCount = int.MaxValue;

    private static readonly ConditionalWeakTable<byte[], object> s_copies = new();
    private static readonly object s_mark = new();

    /// <summary>A string value COPY stored: not shared, whatever it holds.</summary>
    public static void MarkCopy(object value)
    {
        if (value is byte[] bytes && InRange(bytes)) s_copies.AddOrUpdate(bytes, s_mark);
    }

    /// <summary>The refcount Redis would report for <paramref name="value"/>.</summary>
    public static long RefCount(ServerConfig config, object value) => IsShared(config, value) ? SharedRefCount : 1;

    private static bool IsShared(ServerConfig config, object value)
    {
        if (value is not byte[] bytes || !InRange(bytes) || s_copies.TryGetValue(bytes, out _)) return false;
        string policy = config.MaxMemoryPolicy;
        return config.MaxMemory == 0 || !(policy.EndsWith("-lru", StringComparison.Ordinal) || policy.EndsWith("-lfu", StringComparison.Ordinal));
    }

    /// <summary>The int encoding's text of 0..9999 (no sign, no leading zero).</summary>
    private static bool InRange(byte[] bytes) =>
        Storage.ValueKind.EncodingName(bytes) == "int" && Protocol.RespParser.TryParseLong(bytes, out long v) && v >= 0 && v < Count;
}
