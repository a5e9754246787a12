using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Cinnabar.Scripting;

/// <summary>
/// A SHA1 digest held as a value: the key of the EVAL script cache. EVALSHA names a script by 40 hex digits
/// in either case; parsed into this, lookups need no string and no case folding.
/// </summary>
public readonly record struct Sha1Key(ulong A, ulong B, uint C)
{
    /// <summary>The digest of <paramref name="data"/>.</summary>
    public static Sha1Key Of(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[20];
        SHA1.HashData(data, digest);
        return FromDigest(digest);
    }

    /// <summary>The key of 40 hex digits, either case; false for any other text.</summary>
    public static bool TryParseHex(ReadOnlySpan<byte> hex, out Sha1Key key)
    {
        key = default;
        if (hex.Length != 40) return false;
        Span<byte> digest = stackalloc byte[20];
        if (Convert.FromHexString(hex, digest, out _, out int written) != OperationStatus.Done || written != 20) return false;
        key = FromDigest(digest);
        return true;
    }

    /// <summary>The 40 lowercase hex digits Redis shows (SCRIPT LOAD's reply, error messages).</summary>
    public string ToHexLower()
    {
        Span<byte> digest = stackalloc byte[20];
        BinaryPrimitives.WriteUInt64BigEndian(digest, A);
        BinaryPrimitives.WriteUInt64BigEndian(digest[8..], B);
        BinaryPrimitives.WriteUInt32BigEndian(digest[16..], C);
        return Convert.ToHexStringLower(digest);
    }

    private static Sha1Key FromDigest(ReadOnlySpan<byte> digest) => new(
        BinaryPrimitives.ReadUInt64BigEndian(digest), BinaryPrimitives.ReadUInt64BigEndian(digest[8..]),
        BinaryPrimitives.ReadUInt32BigEndian(digest[16..]));
}
