namespace Cinnabar.Types;

/// <summary>
/// What our objects occupy on the 64-bit .NET heap, for memory accounting. Derived from the runtime's
/// object layout: every object starts with an 8-byte header and an 8-byte method-table pointer; an array
/// adds its length, padded to 8 bytes (so an empty array is 24 bytes); objects are allocated in multiples of
/// 8 bytes and never smaller than 24. Field sizes are those of the declared fields (references 8 bytes).
/// Checked against GC.GetAllocatedBytesForCurrentThread in the unit tests.
/// </summary>
public static class HeapSize
{
    public const int ObjectHeader = 16;
    public const int ArrayHeader = 24;
    public const int Reference = 8;

    public static long Align(long bytes) => Math.Max(24, (bytes + 7) & ~7L);

    /// <summary>A class instance whose fields take <paramref name="fieldBytes"/>.</summary>
    public static long Object(int fieldBytes) => Align(ObjectHeader + fieldBytes);

    public static long ByteArray(long length) => Align(ArrayHeader + length);

    /// <summary>An array of <paramref name="length"/> elements of <paramref name="elementBytes"/> each (references: 8).</summary>
    public static long Array(long length, int elementBytes) => Align(ArrayHeader + length * elementBytes);

    /// <summary>The bytes of a plain string value or a key (one byte array).</summary>
    public static long Of(byte[] bytes) => ByteArray(bytes.Length);
}
