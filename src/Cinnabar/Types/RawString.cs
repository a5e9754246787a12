using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>
/// A string value that has been modified in place (APPEND, SETRANGE, SETBIT, BITFIELD writes) or built by a
/// command that Redis stores as a raw sds (BITOP, SETRANGE/SETBIT on a new key). It keeps spare capacity
/// so repeated APPENDs are amortized O(1), the way sds grows. OBJECT ENCODING answers "raw", except for a
/// short INCRBYFLOAT result, which Redis stores as an embstr that it never turns into an int.
/// </summary>
public sealed class RawString : IRedisValue
{
    /// <summary>Below this size the buffer doubles; above it grows by this much (sds's SDS_MAX_PREALLOC).</summary>
    private const int MaxPrealloc = 1024 * 1024;

    private byte[] _buffer;
    private int _length;
    private bool _embedded;

    public RawString(ReadOnlySpan<byte> initial, int capacity = 0)
    {
        _buffer = StoredBytes.Allocate(Math.Max(initial.Length, capacity));
        initial.CopyTo(_buffer);
        _length = initial.Length;
    }

    /// <summary>A zero-filled string of <paramref name="length"/> bytes.</summary>
    public static RawString Zeroed(int length) => new(ReadOnlySpan<byte>.Empty, length) { _length = length };

    /// <summary>An INCRBYFLOAT result: embstr when up to 44 bytes (as Redis's createStringObject), raw beyond.</summary>
    public static RawString FloatResult(ReadOnlySpan<byte> text) => new(text) { _embedded = text.Length <= 44 };

    public string TypeName => "string";
    public string EncodingName => _embedded ? "embstr" : "raw";

    public int Length => _length;

    // Fields: buffer reference, length, embedded flag, accounted size.
    public long MemoryBytes => HeapSize.Object(24) + HeapSize.ByteArray(_buffer.Length);
    public long AccountedBytes { get; set; } = -1;
    public int Capacity => _buffer.Length;
    public ReadOnlySpan<byte> Span => new(_buffer, 0, _length);

    /// <summary>The bytes for an in-place write; the value counts as raw from now on.</summary>
    public Span<byte> WritableSpan
    {
        get
        {
            _embedded = false;
            return new Span<byte>(_buffer, 0, _length);
        }
    }

    public void Append(ReadOnlySpan<byte> tail)
    {
        _embedded = false;
        EnsureCapacity((long)_length + tail.Length);
        tail.CopyTo(_buffer.AsSpan(_length));
        _length += tail.Length;
    }

    /// <summary>Extends the string with zero bytes up to <paramref name="length"/> (no-op when already longer).</summary>
    public void GrowZero(int length)
    {
        _embedded = false;
        if (length <= _length) return;
        EnsureCapacity(length);
        // The spare area may hold bytes from a longer past; the buffer never shrinks, so clear it.
        _buffer.AsSpan(_length, length - _length).Clear();
        _length = length;
    }

    /// <summary>Shortens the string to <paramref name="length"/> bytes (no-op when already shorter); the capacity stays.</summary>
    public void Truncate(int length)
    {
        _embedded = false;
        if (length < _length) _length = length;
    }

    public byte[] ToArray() => Span.ToArray();

    /// <summary>An independent copy (for COPY and the like: the value is mutable).</summary>
    public IRedisValue DeepCopy() => Clone();

    public RawString Clone() => new(Span) { _embedded = _embedded };

    private void EnsureCapacity(long needed)
    {
        if (needed <= _buffer.Length) return;
        long size = needed < MaxPrealloc ? needed * 2 : needed + MaxPrealloc;
        if (size > Array.MaxLength) size = Math.Max(needed, Array.MaxLength);
        StoredBytes.Resize(ref _buffer, (int)size);
    }

    public override string ToString() => System.Text.Encoding.UTF8.GetString(Span);
}
