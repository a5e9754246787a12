using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// Geo searches: GEOSEARCH, GEOSEARCHSTORE and the deprecated GEORADIUS, GEORADIUSBYMEMBER and their _RO
/// forms, one implementation as in Redis's georadiusGeneric, with its argument rules and error order
/// (the source key's type is checked first, options are parsed left to right, then the cross-checks).
/// </summary>
public static class GeoSearchCommands
{
    [Flags]
    private enum SearchKind
    {
        Coordinates = 1,  // GEORADIUS: centre from longitude latitude
        Member = 2,       // GEORADIUSBYMEMBER: centre from a member
        NoStore = 4,      // the _RO forms
        Search = 8,       // GEOSEARCH grammar
        SearchStore = 16, // GEOSEARCHSTORE
    }

    private enum Order { None, Ascending, Descending }

    [RedisCommand("GEORADIUS")]
    public static void GeoRadius(CommandContext ctx) => Run(ctx, 1, SearchKind.Coordinates);

    [RedisCommand("GEORADIUS_RO")]
    public static void GeoRadiusReadOnly(CommandContext ctx) => Run(ctx, 1, SearchKind.Coordinates | SearchKind.NoStore);

    [RedisCommand("GEORADIUSBYMEMBER")]
    public static void GeoRadiusByMember(CommandContext ctx) => Run(ctx, 1, SearchKind.Member);

    [RedisCommand("GEORADIUSBYMEMBER_RO")]
    public static void GeoRadiusByMemberReadOnly(CommandContext ctx) => Run(ctx, 1, SearchKind.Member | SearchKind.NoStore);

    [RedisCommand("GEOSEARCH")]
    public static void GeoSearchCommand(CommandContext ctx) => Run(ctx, 1, SearchKind.Search);

    [RedisCommand("GEOSEARCHSTORE")]
    public static void GeoSearchStore(CommandContext ctx) => Run(ctx, 2, SearchKind.Search | SearchKind.SearchStore);

    private const string DecodeMemberError = "ERR could not decode requested zset member";

    private static bool TryCentreFromMember(CommandContext ctx, ZSet zset, int index, ref GeoShape shape)
    {
        if (!zset.TryGetScore(ctx.Arg(index), out double score))
        {
            ctx.Error(DecodeMemberError);
            return false;
        }
        (shape.Longitude, shape.Latitude) = GeoHash.DecodeScore(score);
        return true;
    }

    /// <summary>"radius unit" at <paramref name="index"/>: Redis's numeric, sign and unit errors, in that order.</summary>
    private static bool TryParseRadius(CommandContext ctx, int index, ref GeoShape shape)
    {
        if (!GeoCommands.TryArgDouble(ctx, index, out double radius, "ERR need numeric radius")) return false;
        if (radius < 0) { ctx.Error("ERR radius cannot be negative"); return false; }
        shape.Radius = radius;
        double conversion = GeoCommands.ParseUnit(ctx, index + 1);
        if (conversion < 0) return false;
        shape.Conversion = conversion;
        return true;
    }

    /// <summary>"width height unit" at <paramref name="index"/>.</summary>
    private static bool TryParseBox(CommandContext ctx, int index, ref GeoShape shape)
    {
        if (!GeoCommands.TryArgDouble(ctx, index, out double width, "ERR need numeric width")) return false;
        if (!GeoCommands.TryArgDouble(ctx, index + 1, out double height, "ERR need numeric height")) return false;
        if (height < 0 || width < 0) { ctx.Error("ERR height or width cannot be negative"); return false; }
        shape.Width = width;
        shape.Height = height;
        double conversion = GeoCommands.ParseUnit(ctx, index + 2);
        if (conversion < 0) return false;
        shape.Conversion = conversion;
        return true;
    }

    private static void Run(CommandContext ctx, int sourceIndex, SearchKind kind)
    {
        if (!ctx.TryLookupRead<ZSet>(ctx.Arg(sourceIndex), out var zset)) return;
        bool search = (kind & SearchKind.Search) != 0;
        int storeIndex = 0; // argument index of the destination key, 0 for none
        bool storeDistance = false;
        var shape = new GeoShape();
        int baseArgs;
        if ((kind & SearchKind.Coordinates) != 0)
        {
            baseArgs = 6;
            if (!GeoCommands.TryParseLonLat(ctx, 2, out shape.Longitude, out shape.Latitude)) return;
            if (!TryParseRadius(ctx, 4, ref shape)) return;
        }
        else if ((kind & SearchKind.Member) != 0)
        {
            // Without a source key the arguments are still parsed, so STORE decides the reply.
            baseArgs = 5;
            if (zset != null && (!TryCentreFromMember(ctx, zset, 2, ref shape) || !TryParseRadius(ctx, 3, ref shape))) return;
        }
        else
        {
            baseArgs = 2;
            if ((kind & SearchKind.SearchStore) != 0)
            {
                baseArgs = 3;
                storeIndex = 1;
            }
        }

        bool withDist = false, withHash = false, withCoord = false, any = false;
        bool fromMember = false, fromLonLat = false, byRadius = false, byBox = false;
        var order = Order.None;
        long count = 0;
        bool canStore = (kind & (SearchKind.NoStore | SearchKind.Search)) == 0;
        for (int i = baseArgs; i < ctx.ArgCount; i++)
        {
            int left = ctx.ArgCount - i - 1; // arguments after this one
            if (ctx.ArgIs(i, "WITHDIST"u8)) withDist = true;
            else if (ctx.ArgIs(i, "WITHHASH"u8)) withHash = true;
            else if (ctx.ArgIs(i, "WITHCOORD"u8)) withCoord = true;
            else if (ctx.ArgIs(i, "ANY"u8)) any = true;
            else if (ctx.ArgIs(i, "ASC"u8)) order = Order.Ascending;
            else if (ctx.ArgIs(i, "DESC"u8)) order = Order.Descending;
            else if (ctx.ArgIs(i, "COUNT"u8) && left >= 1)
            {
                if (!ctx.TryArgLong(i + 1, out count)) return;
                if (count <= 0) { ctx.Error("ERR COUNT must be > 0"); return; }
                i++;
            }
            else if (canStore && left >= 1 && (ctx.ArgIs(i, "STORE"u8) || ctx.ArgIs(i, "STOREDIST"u8)))
            {
                storeDistance = ctx.ArgIs(i, "STOREDIST"u8);
                storeIndex = ++i;
            }
            else if ((kind & SearchKind.SearchStore) != 0 && ctx.ArgIs(i, "STOREDIST"u8)) storeDistance = true;
            else if (search && !fromLonLat && left >= 1 && ctx.ArgIs(i, "FROMMEMBER"u8))
            {
                if (zset != null && !TryCentreFromMember(ctx, zset, i + 1, ref shape)) return;
                fromMember = true;
                i++;
            }
            else if (search && !fromMember && left >= 2 && ctx.ArgIs(i, "FROMLONLAT"u8))
            {
                if (!GeoCommands.TryParseLonLat(ctx, i + 1, out shape.Longitude, out shape.Latitude)) return;
                fromLonLat = true;
                i += 2;
            }
            else if (search && !byBox && left >= 2 && ctx.ArgIs(i, "BYRADIUS"u8))
            {
                if (!TryParseRadius(ctx, i + 1, ref shape)) return;
                shape.IsBox = false;
                byRadius = true;
                i += 2;
            }
            else if (search && !byRadius && left >= 3 && ctx.ArgIs(i, "BYBOX"u8))
            {
                if (!TryParseBox(ctx, i + 1, ref shape)) return;
                shape.IsBox = true;
                byBox = true;
                i += 3;
            }
            else { ctx.SyntaxError(); return; }
        }

        if (storeIndex > 0 && (withDist || withHash || withCoord))
        {
            string what = (kind & SearchKind.SearchStore) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS";
            ctx.Error($"ERR {what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
            return;
        }
        if (search && !(fromMember || fromLonLat))
        {
            ctx.Error($"ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {ctx.ArgText(0)}");
            return;
        }
        if (search && !(byRadius || byBox))
        {
            ctx.Error($"ERR exactly one of BYRADIUS and BYBOX can be specified for {ctx.ArgText(0)}");
            return;
        }
        if (any && count == 0)
        {
            ctx.Error("ERR the ANY argument requires COUNT argument");
            return;
        }
        if (zset == null)
        {
            if (storeIndex > 0)
            {
                ctx.DeleteKey(ctx.Db, ctx.Arg(storeIndex));
                ctx.Reply.WriteInteger(0);
            }
            else ctx.Reply.WriteEmptyArray();
            return;
        }
        // COUNT without an order still means "the nearest N".
        if (count != 0 && order == Order.None && !any) order = Order.Ascending;

        // A mutable struct: a plain local (a using variable would be read-only and copied on every call).
        var results = new GeoSearch();
        try
        {
            results.Collect(zset, shape, any ? count : 0);
            if (results.Count == 0 && storeIndex == 0)
            {
                ctx.Reply.WriteEmptyArray();
                return;
            }
            long returned = count == 0 || results.Count < count ? results.Count : count;
            if (order != Order.None) results.Sort(order == Order.Descending, returned);
            var points = results.Points[..(int)returned];
            foreach (ref var point in points) point.Distance /= shape.Conversion;
            if (storeIndex > 0) Store(ctx, storeIndex, points, storeDistance, search);
            else WriteResults(ctx, points, withDist, withHash, withCoord);
        }
        finally
        {
            results.Dispose();
        }
    }

    private static void WriteResults(CommandContext ctx, Span<GeoPoint> points, bool withDist, bool withHash, bool withCoord)
    {
        int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
        ctx.Reply.WriteArrayHeader(points.Length);
        foreach (ref readonly var point in points)
        {
            if (options > 0) ctx.Reply.WriteArrayHeader(options + 1);
            ctx.Reply.WriteBulk(point.Member);
            if (withDist) GeoCommands.WriteDistance(ctx, point.Distance);
            if (withHash) ctx.Reply.WriteInteger(GeoHash.Cvtt(point.Score));
            if (withCoord)
            {
                ctx.Reply.WriteArrayHeader(2);
                GeoCommands.WriteCoordinate(ctx, point.Longitude);
                GeoCommands.WriteCoordinate(ctx, point.Latitude);
            }
        }
    }

    /// <summary>STORE/STOREDIST/GEOSEARCHSTORE: the results become a sorted set (scored by geohash or distance) replacing the key; none deletes it.</summary>
    private static void Store(CommandContext ctx, int storeIndex, Span<GeoPoint> points, bool storeDistance, bool search)
    {
        var db = ctx.Db;
        var key = ctx.Arg(storeIndex);
        if (points.Length == 0)
        {
            ctx.DeleteKey(db, key);
            ctx.Reply.WriteInteger(0);
            return;
        }
        var zset = new ZSet();
        int maxEntries = SortedSetCommands.MaxListpackEntries(ctx), maxValue = SortedSetCommands.MaxListpackValue(ctx);
        foreach (ref readonly var point in points)
        {
            double score = storeDistance ? point.Distance : point.Score;
            if (zset.TryFind(point.Member, out double old, out long position))
            {
                if (old != score) zset.SetScoreAt(position, score);
            }
            else zset.Insert(point.Member, score, maxEntries, maxValue);
        }
        db.Set(key, zset);
        ctx.KeyModified(db, key);
        ctx.Notify('z', search ? "geosearchstore" : "georadiusstore", db, key);
        ctx.Dirty(points.Length);
        ctx.Reply.WriteInteger(points.Length);
    }
}
