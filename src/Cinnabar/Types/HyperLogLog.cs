using System.Buffers.Binary;
using System.Numerics;

namespace Cinnabar.Types;

/// <summary>
/// Redis's HyperLogLog, byte for byte: a string value made of a 16-byte header ("HYLL", encoding, three
/// zero bytes, the cached cardinality as 8 little-endian bytes whose top bit marks it stale) followed by
/// 16384 six-bit registers, either dense (12288 bytes, registers packed from the low bit of each byte) or
/// sparse (run-length opcodes, <see cref="HyperLogLogSparse"/>). Elements are hashed with MurmurHash64A
/// and Redis's seed, and the cardinality is Ertl's improved estimator, so counts and bytes match Redis.
/// </summary>
public static class HyperLogLog
{
    public const int P = 14;
    public const int Q = 64 - P;
    public const int Registers = 1 << P;
    public const int RegisterBits = 6;
    public const int RegisterMax = (1 << RegisterBits) - 1;
    public const int HeaderSize = 16;
    public const int DenseSize = HeaderSize + (Registers * RegisterBits + 7) / 8;
    public const byte DenseEncoding = 0;
    public const byte SparseEncoding = 1;
    private const int EncodingOffset = 4;
    private const int CardinalityOffset = 8;
    private const uint HashSeed = 0xadc83b19;
    private const double AlphaInf = 0.721347520444481703680; // 0.5 / ln(2)

    public const string CorruptedError = "INVALIDOBJ Corrupted HLL object detected";
    public const string NotHllError = "WRONGTYPE Key is not a valid HyperLogLog string value.";

    /// <summary>An empty HLL as Redis creates it: sparse, one XZERO opcode covering all 16384 registers.</summary>
    public static byte[] CreateEmpty()
    {
        var hll = StoredBytes.Allocate(HeaderSize + 2);
        "HYLL"u8.CopyTo(hll);
        hll[EncodingOffset] = SparseEncoding;
        HyperLogLogSparse.WriteXZero(hll.AsSpan(HeaderSize), Registers);
        return hll;
    }

    /// <summary>
    /// Redis's isHLLObjectOrReply checks: long enough for a header, the magic, a known encoding, and a dense
    /// value of exactly the dense size. A sparse body is only found corrupt when walked.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> value)
    {
        if (value.Length < HeaderSize || !value[..4].SequenceEqual("HYLL"u8)) return false;
        byte encoding = value[EncodingOffset];
        if (encoding > SparseEncoding) return false;
        return encoding != DenseEncoding || value.Length == DenseSize;
    }

    public static bool IsDense(ReadOnlySpan<byte> hll) => hll[EncodingOffset] == DenseEncoding;

    public static bool HasValidCache(ReadOnlySpan<byte> hll) => (hll[CardinalityOffset + 7] & 0x80) == 0;

    public static ulong CachedCardinality(ReadOnlySpan<byte> hll) => BinaryPrimitives.ReadUInt64LittleEndian(hll[CardinalityOffset..]);

    public static void SetCachedCardinality(Span<byte> hll, ulong cardinality) =>
        BinaryPrimitives.WriteUInt64LittleEndian(hll[CardinalityOffset..], cardinality);

    public static void InvalidateCache(Span<byte> hll) => hll[CardinalityOffset + 7] |= 0x80;

    // ---- hashing ----------------------------------------------------------------------------------

    /// <summary>MurmurHash2, 64-bit version, reading words little-endian as Redis's endian-neutral variant does.</summary>
    public static ulong MurmurHash64A(ReadOnlySpan<byte> key, uint seed)
    {
        const ulong m = 0xc6a4a7935bd1e995;
        const int r = 47;
        ulong h = seed ^ unchecked((ulong)key.Length * m);
        int whole = key.Length & ~7;
        for (int i = 0; i < whole; i += 8)
        {
            ulong k = BinaryPrimitives.ReadUInt64LittleEndian(key[i..]);
            k *= m;
            k ^= k >> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rest = key.Length & 7;
        if (rest > 0)
        {
            for (int i = rest - 1; i >= 0; i--) h ^= (ulong)key[whole + i] << (8 * i);
            h *= m;
        }
        h ^= h >> r;
        h *= m;
        h ^= h >> r;
        return h;
    }

    /// <summary>The register an element maps to and the length of its "000..1" run (1..Q+1).</summary>
    public static int PatternLength(ReadOnlySpan<byte> element, out int register)
    {
        ulong hash = MurmurHash64A(element, HashSeed);
        register = (int)(hash & (Registers - 1));
        hash >>= P;
        hash |= 1UL << Q; // the run ends at bit Q at the latest
        return BitOperations.TrailingZeroCount(hash) + 1;
    }

    // ---- dense registers --------------------------------------------------------------------------

    /// <summary>Register <paramref name="index"/> of a dense register array (the bytes after the header).</summary>
    public static int GetDenseRegister(ReadOnlySpan<byte> registers, int index)
    {
        int bit = index * RegisterBits;
        int b = bit >> 3, fb = bit & 7;
        // The last register fits in its byte; Redis reads the string's terminator there, which is zero.
        int b1 = b + 1 < registers.Length ? registers[b + 1] : 0;
        return ((registers[b] >> fb) | (b1 << (8 - fb))) & RegisterMax;
    }

    public static void SetDenseRegister(Span<byte> registers, int index, int value)
    {
        int bit = index * RegisterBits;
        int b = bit >> 3, fb = bit & 7;
        registers[b] = (byte)((registers[b] & ~(RegisterMax << fb)) | (value << fb));
        if (b + 1 < registers.Length)
            registers[b + 1] = (byte)((registers[b + 1] & ~(RegisterMax >> (8 - fb))) | (value >> (8 - fb)));
    }

    /// <summary>Raises a dense register to <paramref name="count"/>; true when it changed.</summary>
    public static bool DenseSet(Span<byte> registers, int index, int count)
    {
        if (count <= GetDenseRegister(registers, index)) return false;
        SetDenseRegister(registers, index, count);
        return true;
    }

    // ---- counting ---------------------------------------------------------------------------------

    /// <summary>
    /// The histogram of register values of a dense or sparse HLL. False when a sparse body does not cover
    /// exactly 16384 registers (corrupt).
    /// </summary>
    public static bool Histogram(ReadOnlySpan<byte> hll, Span<int> histogram)
    {
        var body = hll[HeaderSize..];
        if (!IsDense(hll)) return HyperLogLogSparse.Histogram(body, histogram);
        for (int j = 0; j < Registers / 4; j++)
        {
            // Four registers in three bytes.
            int o = j * 3;
            int b0 = body[o], b1 = body[o + 1], b2 = body[o + 2];
            histogram[b0 & 63]++;
            histogram[((b0 >> 6) | (b1 << 2)) & 63]++;
            histogram[((b1 >> 4) | (b2 << 4)) & 63]++;
            histogram[(b2 >> 2) & 63]++;
        }
        return true;
    }

    /// <summary>The histogram of an array of one byte per register (the merged registers of several HLLs).</summary>
    public static void RawHistogram(ReadOnlySpan<byte> registers, Span<int> histogram)
    {
        for (int i = 0; i < Registers; i++) histogram[registers[i]]++;
    }

    /// <summary>The cardinality estimate from a register histogram (Ertl, "New cardinality estimation algorithms for HyperLogLog sketches").</summary>
    public static ulong Estimate(ReadOnlySpan<int> histogram)
    {
        double m = Registers;
        double z = m * Tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; --j)
        {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * Sigma(histogram[0] / m);
        return (ulong)Math.Round(AlphaInf * m * m / z, MidpointRounding.AwayFromZero);
    }

    /// <summary>The cardinality of one HLL; false when its sparse body is corrupt.</summary>
    public static bool TryCount(ReadOnlySpan<byte> hll, out ulong cardinality)
    {
        Span<int> histogram = stackalloc int[64];
        histogram.Clear();
        bool valid = Histogram(hll, histogram);
        cardinality = Estimate(histogram);
        return valid;
    }

    private static double Sigma(double x)
    {
        if (x == 1.0) return double.PositiveInfinity;
        double zPrime, y = 1, z = x;
        do
        {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double Tau(double x)
    {
        if (x == 0.0 || x == 1.0) return 0.0;
        double zPrime, y = 1.0, z = 1 - x;
        do
        {
            x = Math.Sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= Math.Pow(1 - x, 2) * y;
        } while (zPrime != z);
        return z / 3;
    }

    // ---- merging ----------------------------------------------------------------------------------

    /// <summary>max[i] = MAX(max[i], register i) over a valid HLL; false when its sparse body is corrupt.</summary>
    public static bool MergeInto(Span<byte> max, ReadOnlySpan<byte> hll)
    {
        var body = hll[HeaderSize..];
        if (IsDense(hll))
        {
            // Four registers in three bytes, as in Histogram.
            for (int j = 0, i = 0; j < Registers / 4; j++, i += 4)
            {
                int o = j * 3;
                int b0 = body[o], b1 = body[o + 1], b2 = body[o + 2];
                max[i] = Math.Max(max[i], (byte)(b0 & 63));
                max[i + 1] = Math.Max(max[i + 1], (byte)(((b0 >> 6) | (b1 << 2)) & 63));
                max[i + 2] = Math.Max(max[i + 2], (byte)(((b1 >> 4) | (b2 << 4)) & 63));
                max[i + 3] = Math.Max(max[i + 3], (byte)((b2 >> 2) & 63));
            }
            return true;
        }
        return HyperLogLogSparse.MergeInto(max, body);
    }
}
