using System.Diagnostics.CodeAnalysis;
using Cinnabar.Storage;

namespace Cinnabar.Types;

/// <summary>Content equality and hashing for byte-array keys, with span lookups (no copy to probe).</summary>
public sealed class ByteContentComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly ByteContentComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x != null && y != null && x.AsSpan().SequenceEqual(y));
    public int GetHashCode([DisallowNull] byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);
    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);
    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var h = new HashCode();
        h.AddBytes(alternate);
        return h.ToHashCode();
    }
    public byte[] Create(ReadOnlySpan<byte> alternate) => StoredBytes.Copy(alternate);
}
