using System.Runtime.CompilerServices;
using System.Text;

namespace Cinnabar.Lua;

/// <summary>
/// An immutable Lua string: bytes, never UTF-16. Its hash is Lua 5.1's luaS_hash, computed once, because the
/// table layout (and so pairs order) depends on it.
/// </summary>
public sealed class LuaString : IEquatable<LuaString>
{
    public readonly byte[] Bytes;
    /// <summary>Lua 5.1.5's hash: hashes every (len/32+1)-th byte from the end.</summary>
    internal readonly uint Hash;

    public LuaString(byte[] bytes)
    {
        Bytes = bytes;
        Hash = ComputeHash(bytes);
    }

    /// <summary>For a caller that already computed ComputeHash(bytes).</summary>
    internal LuaString(byte[] bytes, uint hash)
    {
        Bytes = bytes;
        Hash = hash;
    }

    uint _fullHash;
    bool _hasFullHash;

    /// <summary>Redis's variant of luaS_hash, which hashes every byte (it differs from 5.1.5's from 32 bytes on).</summary>
    internal uint FullHash
    {
        get
        {
            if (Bytes.Length < 32) return Hash;
            if (!_hasFullHash)
            {
                uint h = (uint)Bytes.Length;
                for (int l1 = Bytes.Length; l1 >= 1; l1--) h ^= (h << 5) + (h >> 2) + Bytes[l1 - 1];
                _fullHash = h;
                _hasFullHash = true;
            }
            return _fullHash;
        }
    }

    public static readonly LuaString Empty = new(Array.Empty<byte>());

    public static LuaString From(string s) => new(Encoding.UTF8.GetBytes(s));
    /// <summary>Latin-1 style: each char one byte (for texts built by the engine from bytes).</summary>
    internal static LuaString FromAscii(string s)
    {
        var b = new byte[s.Length];
        for (int i = 0; i < s.Length; i++) b[i] = (byte)s[i];
        return new LuaString(b);
    }

    public int Length => Bytes.Length;
    public ReadOnlySpan<byte> Span => Bytes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint ComputeHash(ReadOnlySpan<byte> s)
    {
        uint h = (uint)s.Length;
        int step = (s.Length >> 5) + 1;
        for (int l1 = s.Length; l1 >= step; l1 -= step)
            h ^= (h << 5) + (h >> 2) + s[l1 - 1];
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ContentEquals(LuaString o)
    {
        if (ReferenceEquals(this, o)) return true;
        return Hash == o.Hash && Bytes.AsSpan().SequenceEqual(o.Bytes);
    }

    public bool Equals(LuaString? other) => other is not null && ContentEquals(other);
    public override bool Equals(object? obj) => obj is LuaString s && ContentEquals(s);
    public override int GetHashCode() => (int)Hash;

    /// <summary>Bytes as Latin-1 chars (lossless; for messages and diagnostics).</summary>
    public override string ToString()
    {
        return string.Create(Bytes.Length, Bytes, static (span, b) => { for (int i = 0; i < b.Length; i++) span[i] = (char)b[i]; });
    }

    public static int Compare(LuaString a, LuaString b) => a.Bytes.AsSpan().SequenceCompareTo(b.Bytes);
}
