using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// The geo family's point commands: GEOADD, GEOPOS, GEODIST, GEOHASH. A geo key is a sorted set whose
/// scores are 52-bit geohashes (<see cref="GeoHash"/>), so every sorted-set command works on it and ZRANGE
/// shows Redis's scores. Searches live in <see cref="GeoSearchCommands"/>.
/// </summary>
public static class GeoCommands
{
    public const string UnitError = "ERR unsupported unit provided. please use M, KM, FT, MI";

    /// <summary>Metres per unit for M, KM, FT, MI; writes Redis's error and returns -1 for anything else.</summary>
    internal static double ParseUnit(CommandContext ctx, int index)
    {
        if (ctx.ArgIs(index, "m"u8)) return 1;
        if (ctx.ArgIs(index, "km"u8)) return 1000;
        if (ctx.ArgIs(index, "ft"u8)) return 0.3048;
        if (ctx.ArgIs(index, "mi"u8)) return 1609.34;
        ctx.Error(UnitError);
        return -1;
    }

    /// <summary>A longitude and latitude at arguments index, index + 1, with Redis's parse and range errors.</summary>
    internal static bool TryParseLonLat(CommandContext ctx, int index, out double longitude, out double latitude)
    {
        latitude = 0;
        if (!TryArgDouble(ctx, index, out longitude, CommandContext.NotFloatError)) return false;
        if (!TryArgDouble(ctx, index + 1, out latitude, CommandContext.NotFloatError)) return false;
        if (GeoHash.IsValid(longitude, latitude)) return true;
        ctx.Error($"ERR invalid longitude,latitude pair {FixedPointText.FormatF6(longitude)},{FixedPointText.FormatF6(latitude)}");
        return false;
    }

    /// <summary>A double argument as Redis's getDoubleFromObject reads it, with the given error text.</summary>
    internal static bool TryArgDouble(CommandContext ctx, int index, out double value, string error)
    {
        if (Strtod.TryParseScoreArgument(ctx.Arg(index), out value)) return true;
        ctx.Error(error);
        return false;
    }

    /// <summary>A coordinate as Redis replies it: "%.17Lf" trimmed, a bulk string in RESP2 and a double in RESP3.</summary>
    internal static void WriteCoordinate(CommandContext ctx, double value)
    {
        Span<byte> text = stackalloc byte[FixedPointText.MaxLength(17)];
        int n = FixedPointText.FormatHuman(value, text);
        if (!ctx.Reply.IsResp3)
        {
            ctx.Reply.WriteBulk(text[..n]);
            return;
        }
        ctx.Reply.WriteRaw(","u8);
        ctx.Reply.WriteRaw(text[..n]);
        ctx.Reply.WriteRaw("\r\n"u8);
    }

    /// <summary>A distance as Redis replies it: four decimals, always a bulk string.</summary>
    internal static void WriteDistance(CommandContext ctx, double value)
    {
        Span<byte> text = stackalloc byte[32];
        ctx.Reply.WriteBulk(text[..FixedPointText.FormatDistance(value, text)]);
    }

    /// <summary>GEOADD key [NX|XX] [CH] longitude latitude member [...]: ZADD of the members at their geohash scores.</summary>
    [RedisCommand("GEOADD")]
    public static void GeoAdd(CommandContext ctx)
    {
        bool nx = false, xx = false, ch = false;
        int first = 2;
        for (; first < ctx.ArgCount; first++)
        {
            if (ctx.ArgIs(first, "NX"u8)) nx = true;
            else if (ctx.ArgIs(first, "XX"u8)) xx = true;
            else if (ctx.ArgIs(first, "CH"u8)) ch = true;
            else break;
        }
        int elements = (ctx.ArgCount - first) / 3;
        if ((ctx.ArgCount - first) % 3 != 0 || (xx && nx) || elements == 0)
        {
            ctx.SyntaxError();
            return;
        }
        // Every pair is checked before anything is written, as Redis builds the whole ZADD first.
        Span<double> scores = elements <= 64 ? stackalloc double[elements] : new double[elements];
        for (int i = 0; i < elements; i++)
        {
            if (!TryParseLonLat(ctx, first + i * 3, out double lon, out double lat)) return;
            scores[i] = GeoHash.Score(lon, lat);
        }

        var db = ctx.Db;
        var key = ctx.Arg(1);
        if (!ctx.TryLookupWrite<ZSet>(key, out var zset)) return;
        if (zset == null)
        {
            if (xx) { ctx.Reply.WriteInteger(0); return; }
            zset = new ZSet();
            db.Add(key, zset);
        }
        long added = 0, updated = 0;
        int maxEntries = SortedSetCommands.MaxListpackEntries(ctx), maxValue = SortedSetCommands.MaxListpackValue(ctx);
        for (int i = 0; i < elements; i++)
        {
            var member = ctx.Arg(first + i * 3 + 2);
            if (zset.TryFind(member, out double current, out long position))
            {
                if (nx || current == scores[i]) continue;
                zset.SetScoreAt(position, scores[i]);
                updated++;
            }
            else if (!xx)
            {
                zset.Insert(member, scores[i], maxEntries, maxValue);
                added++;
            }
        }
        ctx.Reply.WriteInteger(ch ? added + updated : added);
        if (added + updated > 0)
        {
            ctx.KeyModified(db, key);
            ctx.Notify('z', "zadd", db, key);
            ctx.Dirty(added + updated);
            if (ctx.Propagating) PropagateAsZAdd(ctx, first, scores);
        }
    }

    /// <summary>Redis rewrites GEOADD into the ZADD it runs (options as given, integer geohash scores), and that is what replicas and the AOF get.</summary>
    private static void PropagateAsZAdd(CommandContext ctx, int first, ReadOnlySpan<double> scores)
    {
        var argv = new byte[first + scores.Length * 2][];
        argv[0] = "zadd"u8.ToArray();
        for (int i = 1; i < first; i++) argv[i] = ctx.ArgBytes(i);
        for (int i = 0; i < scores.Length; i++)
        {
            argv[first + i * 2] = System.Text.Encoding.ASCII.GetBytes(((ulong)scores[i]).ToString(System.Globalization.CultureInfo.InvariantCulture));
            argv[first + i * 2 + 1] = ctx.ArgBytes(first + i * 3 + 2);
        }
        ctx.PropagateInstead(argv);
    }

    /// <summary>GEOPOS key [member ...]: [longitude, latitude] per member, a null array for missing ones.</summary>
    [RedisCommand("GEOPOS")]
    public static void GeoPos(CommandContext ctx)
    {
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        ctx.Reply.WriteArrayHeader(ctx.ArgCount - 2);
        for (int j = 2; j < ctx.ArgCount; j++)
        {
            if (zset == null || !zset.TryGetScore(ctx.Arg(j), out double score))
            {
                ctx.Reply.WriteNullArray();
                continue;
            }
            var (lon, lat) = GeoHash.DecodeScore(score);
            ctx.Reply.WriteArrayHeader(2);
            WriteCoordinate(ctx, lon);
            WriteCoordinate(ctx, lat);
        }
    }

    /// <summary>GEODIST key member1 member2 [M|KM|FT|MI]: the haversine distance, null when a member is missing.</summary>
    [RedisCommand("GEODIST")]
    public static void GeoDist(CommandContext ctx)
    {
        double toMeters = 1;
        if (ctx.ArgCount == 5)
        {
            toMeters = ParseUnit(ctx, 4);
            if (toMeters < 0) return;
        }
        else if (ctx.ArgCount > 5)
        {
            ctx.SyntaxError();
            return;
        }
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        if (zset == null || !zset.TryGetScore(ctx.Arg(2), out double score1) || !zset.TryGetScore(ctx.Arg(3), out double score2))
        {
            ctx.Reply.WriteNull();
            return;
        }
        var (lon1, lat1) = GeoHash.DecodeScore(score1);
        var (lon2, lat2) = GeoHash.DecodeScore(score2);
        WriteDistance(ctx, GeoShape.Distance(lon1, lat1, lon2, lat2) / toMeters);
    }

    private static ReadOnlySpan<byte> Base32 => "0123456789bcdefghjkmnpqrstuvwxyz"u8;

    /// <summary>GEOHASH key [member ...]: the standard 11-character geohash (re-encoded over latitude ±90).</summary>
    [RedisCommand("GEOHASH")]
    public static void GeoHashCommand(CommandContext ctx)
    {
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(1), out var zset)) return;
        ctx.Reply.WriteArrayHeader(ctx.ArgCount - 2);
        Span<byte> text = stackalloc byte[11];
        for (int j = 2; j < ctx.ArgCount; j++)
        {
            if (zset == null || !zset.TryGetScore(ctx.Arg(j), out double score))
            {
                ctx.Reply.WriteNull();
                continue;
            }
            var (lon, lat) = GeoHash.DecodeScore(score);
            GeoHash.TryEncode(lon, lat, GeoHash.StepMax, out var hash, -90, 90);
            // 52 bits make ten characters; the eleventh is '0', as Redis sends for compatibility.
            for (int i = 0; i < 11; i++)
                text[i] = Base32[i == 10 ? 0 : (int)((hash.Bits >> (52 - (i + 1) * 5)) & 0x1f)];
            ctx.Reply.WriteBulk(text);
        }
    }
}
