namespace Cinnabar.Types;

/// <summary>A geohash cell: <see cref="Bits"/> interleaved bits (latitude in the even positions), <see cref="Step"/> bits per axis.</summary>
public readonly record struct GeoHashBits(ulong Bits, int Step)
{
    /// <summary>A cell excluded from a search (Redis's GZERO: no bits, step 0).</summary>
    public bool IsZero => Bits == 0 && Step == 0;
}

/// <summary>The longitude and latitude ranges a cell covers.</summary>
public readonly record struct GeoHashArea(double LonMin, double LonMax, double LatMin, double LatMax);

/// <summary>
/// Redis's geohash arithmetic: 26 bits per axis interleaved into the 52-bit integer that a geo member's
/// sorted-set score holds, over longitude [-180, 180] and latitude [-85.05112878, 85.05112878] (the Web
/// Mercator limits). Every step is the same floating-point operation in the same order as Redis's
/// geohash.c, so scores and decoded coordinates are identical to the last bit.
/// </summary>
public static class GeoHash
{
    public const int StepMax = 26;
    public const double LatMin = -85.05112878;
    public const double LatMax = 85.05112878;
    public const double LonMin = -180;
    public const double LonMax = 180;

    public static bool IsValid(double longitude, double latitude) =>
        !(longitude < LonMin || longitude > LonMax || latitude < LatMin || latitude > LatMax);

    /// <summary>Spreads the low 32 bits of x over the even bit positions and y's over the odd ones.</summary>
    private static ulong Interleave(uint xlo, uint ylo)
    {
        ulong x = xlo, y = ylo;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFUL;
        y = (y | (y << 16)) & 0x0000FFFF0000FFFFUL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFUL;
        y = (y | (y << 8)) & 0x00FF00FF00FF00FFUL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FUL;
        y = (y | (y << 4)) & 0x0F0F0F0F0F0F0F0FUL;
        x = (x | (x << 2)) & 0x3333333333333333UL;
        y = (y | (y << 2)) & 0x3333333333333333UL;
        x = (x | (x << 1)) & 0x5555555555555555UL;
        y = (y | (y << 1)) & 0x5555555555555555UL;
        return x | (y << 1);
    }

    /// <summary>The inverse of <see cref="Interleave"/>: even bits in the low half, odd bits in the high half.</summary>
    private static ulong Deinterleave(ulong interleaved)
    {
        ulong x = interleaved, y = interleaved >> 1;
        x &= 0x5555555555555555UL;
        y &= 0x5555555555555555UL;
        x = (x | (x >> 1)) & 0x3333333333333333UL;
        y = (y | (y >> 1)) & 0x3333333333333333UL;
        x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FUL;
        y = (y | (y >> 2)) & 0x0F0F0F0F0F0F0F0FUL;
        x = (x | (x >> 4)) & 0x00FF00FF00FF00FFUL;
        y = (y | (y >> 4)) & 0x00FF00FF00FF00FFUL;
        x = (x | (x >> 8)) & 0x0000FFFF0000FFFFUL;
        y = (y | (y >> 8)) & 0x0000FFFF0000FFFFUL;
        x = (x | (x >> 16)) & 0x00000000FFFFFFFFUL;
        y = (y | (y >> 16)) & 0x00000000FFFFFFFFUL;
        return x | (y << 32);
    }

    /// <summary>
    /// The cell of <paramref name="step"/> bits per axis containing a point, over the given latitude range
    /// (GEOHASH re-encodes over [-90, 90]). False outside the Mercator limits, as in Redis.
    /// </summary>
    public static bool TryEncode(double longitude, double latitude, int step, out GeoHashBits hash,
        double latRangeMin = LatMin, double latRangeMax = LatMax)
    {
        hash = default;
        if (step > 32 || step == 0) return false;
        if (!IsValid(longitude, latitude)) return false;
        if (latitude < latRangeMin || latitude > latRangeMax || longitude < LonMin || longitude > LonMax) return false;
        double latOffset = (latitude - latRangeMin) / (latRangeMax - latRangeMin);
        double lonOffset = (longitude - LonMin) / (LonMax - LonMin);
        latOffset *= 1UL << step;
        lonOffset *= 1UL << step;
        hash = new GeoHashBits(Interleave(ToUInt32(latOffset), ToUInt32(lonOffset)), step);
        return true;
    }

    /// <summary>C's double to uint32_t conversion for the offsets, which lie in [0, 2^32]: truncation, low 32 bits.</summary>
    private static uint ToUInt32(double value) => (uint)(ulong)value;

    /// <summary>The 52-bit score of a point (Redis's geohashEncodeWGS84 at step 26, aligned to 52 bits).</summary>
    public static ulong Score(double longitude, double latitude)
    {
        TryEncode(longitude, latitude, StepMax, out var hash);
        return Align52(hash);
    }

    public static ulong Align52(GeoHashBits hash) => hash.Bits << (52 - hash.Step * 2);

    /// <summary>The area of a cell. The "+ 1" wraps in 32 bits, as Redis's uint32_t arithmetic does.</summary>
    public static GeoHashArea Decode(GeoHashBits hash)
    {
        ulong separated = Deinterleave(hash.Bits);
        const double latScale = LatMax - LatMin;
        const double lonScale = LonMax - LonMin;
        uint latCell = (uint)separated;
        uint lonCell = (uint)(separated >> 32);
        double cells = 1UL << hash.Step;
        return new GeoHashArea(
            LonMin + (lonCell * 1.0 / cells) * lonScale,
            LonMin + ((uint)(lonCell + 1) * 1.0 / cells) * lonScale,
            LatMin + (latCell * 1.0 / cells) * latScale,
            LatMin + ((uint)(latCell + 1) * 1.0 / cells) * latScale);
    }

    /// <summary>
    /// The point a sorted-set score stands for: the centre of its step-26 cell, clamped to the limits.
    /// The score goes through C's double to uint64_t conversion first, so any score decodes as in Redis.
    /// </summary>
    public static (double Longitude, double Latitude) DecodeScore(double score)
    {
        var area = Decode(new GeoHashBits(DoubleToUInt64(score), StepMax));
        double lon = (area.LonMin + area.LonMax) / 2;
        if (lon > LonMax) lon = LonMax;
        if (lon < LonMin) lon = LonMin;
        double lat = (area.LatMin + area.LatMax) / 2;
        if (lat > LatMax) lat = LatMax;
        if (lat < LatMin) lat = LatMin;
        return (lon, lat);
    }

    /// <summary>
    /// (uint64_t)double as x86-64 compilers emit it: truncation below 2^63, 2^63 subtracted and the top bit
    /// flipped above, 0x8000000000000000 for NaN and values the instruction cannot convert.
    /// </summary>
    public static ulong DoubleToUInt64(double value)
    {
        const double TwoTo63 = 9223372036854775808.0;
        if (!(value >= TwoTo63)) return (ulong)Cvtt(value);
        return (ulong)Cvtt(value - TwoTo63) ^ 0x8000000000000000UL;
    }

    /// <summary>cvttsd2si: truncation, with long.MinValue for NaN and anything out of range.</summary>
    public static long Cvtt(double value) =>
        value >= -9223372036854775808.0 && value < 9223372036854775808.0 ? (long)value : long.MinValue;

    // ---- neighbours ---------------------------------------------------------------------------------

    private const ulong LongitudeBits = 0xaaaaaaaaaaaaaaaaUL, LatitudeBits = 0x5555555555555555UL;

    private static GeoHashBits MoveX(GeoHashBits hash, int d) => Move(hash, d, LongitudeBits, LatitudeBits);

    private static GeoHashBits MoveY(GeoHashBits hash, int d) => Move(hash, d, LatitudeBits, LongitudeBits);

    /// <summary>
    /// Adds <paramref name="d"/> (its sign) to the interleaved coordinate in <paramref name="moving"/>'s bits:
    /// the other coordinate's bits are filled with ones so the carry (or borrow) runs across them.
    /// </summary>
    private static GeoHashBits Move(GeoHashBits hash, int d, ulong moving, ulong other)
    {
        if (d == 0) return hash;
        ulong m = hash.Bits & moving;
        ulong o = hash.Bits & other;
        ulong zz = other >> (64 - hash.Step * 2);
        if (d > 0) m += zz + 1;
        else
        {
            m |= zz;
            m -= zz + 1;
        }
        m &= moving >> (64 - hash.Step * 2);
        return hash with { Bits = m | o };
    }

    /// <summary>The cell moved by (dx, dy) cells, wrapping around at the edges as Redis's neighbours do.</summary>
    public static GeoHashBits Neighbour(GeoHashBits hash, int dx, int dy) => MoveY(MoveX(hash, dx), dy);
}
