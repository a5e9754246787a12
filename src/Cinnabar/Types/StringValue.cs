namespace Cinnabar.Types;

/// <summary>
/// Reading a stored string whatever its representation: an immutable <c>byte[]</c> (what SET stores) or a
/// <see cref="RawString"/> (what in-place writes leave). Every string reader goes through here.
/// </summary>
public static class StringValue
{
    public static bool IsString(object? value) => value is byte[] or RawString;

    /// <summary>The bytes of a string value; false when <paramref name="value"/> is not a string (or null).</summary>
    public static bool TryGetBytes(object? value, out ReadOnlySpan<byte> bytes)
    {
        switch (value)
        {
            case byte[] array:
                bytes = array;
                return true;
            case RawString raw:
                bytes = raw.Span;
                return true;
            default:
                bytes = default;
                return false;
        }
    }

    /// <summary>The bytes of a value already known to be a string.</summary>
    public static ReadOnlySpan<byte> Bytes(object value) => value is byte[] array ? array : ((RawString)value).Span;

    public static int Length(object value) => value is byte[] array ? array.Length : ((RawString)value).Length;

    /// <summary>The bytes as an array (copies a RawString; returns a byte[] value itself).</summary>
    public static byte[] ToArray(object value) => value is byte[] array ? array : ((RawString)value).ToArray();
}
