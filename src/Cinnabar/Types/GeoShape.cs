namespace Cinnabar.Types;

/// <summary>
/// A GEOSEARCH area: a circle (radius) or an axis-aligned box (width × height) around a centre, in the
/// caller's unit (<see cref="Conversion"/> metres per unit). The distance and containment tests are
/// Redis's geohash_helper.c formulas — haversine on a sphere of 6372797.560856 m, the same operations in
/// the same order — so which points match, their distances and their order agree with Redis exactly.
/// </summary>
public struct GeoShape
{
    /// <summary>Earth's quadratic mean radius for WGS-84, Redis's EARTH_RADIUS_IN_METERS.</summary>
    public const double EarthRadius = 6372797.560856;
    private const double MercatorMax = 20037726.37;
    private const double DegToRad = Math.PI / 180.0;

    public bool IsBox;
    public double Longitude, Latitude;
    public double Conversion;
    public double Radius;
    public double Width, Height;

    private static double ToRadians(double degrees) => degrees * DegToRad;
    private static double ToDegrees(double radians) => radians / DegToRad;

    /// <summary>Distance along a meridian: with equal longitudes the haversine reduces to this.</summary>
    public static double LatitudeDistance(double lat1, double lat2) => EarthRadius * Math.Abs(ToRadians(lat2) - ToRadians(lat1));

    /// <summary>Great-circle distance in metres (haversine), Redis's geohashGetDistance.</summary>
    public static double Distance(double lon1, double lat1, double lon2, double lat2)
    {
        double lat1r = ToRadians(lat1), lat2r = ToRadians(lat2);
        return Haversine(ToRadians(lon1), lat1, lat1r, lon2, lat2, lat2r, Math.Cos(lat1r), Math.Cos(lat2r));
    }

    /// <summary>
    /// geohashGetDistance with the cosines given: a cosine is a pure function of its argument, so one
    /// computed once (the centre's) is the very value Redis computes each time. The operations and their
    /// order are Redis's, so the result is the same double.
    /// </summary>
    private static double Haversine(double lon1r, double lat1, double lat1r, double lon2, double lat2, double lat2r, double cos1, double cos2)
    {
        double v = Math.Sin((ToRadians(lon2) - lon1r) / 2);
        if (v == 0.0) return LatitudeDistance(lat1, lat2);
        double u = lat1r == lat2r ? 0.0 : Math.Sin((lat2r - lat1r) / 2); // sin(0) is exactly 0
        double a = u * u + cos1 * cos2 * v * v;
        return 2.0 * EarthRadius * Math.Asin(Math.Sqrt(a));
    }

    /// <summary>The centre's radians and cosine, computed once per search (<see cref="Contains"/> uses them).</summary>
    private double _centreLonRad, _centreLatRad, _centreCos, _limit, _latitudeReject;

    /// <summary>Computes what every containment test of this search shares; call once the shape is complete.</summary>
    public void Prepare()
    {
        _centreLonRad = ToRadians(Longitude);
        _centreLatRad = ToRadians(Latitude);
        _centreCos = Math.Cos(_centreLatRad);
        _limit = Radius * Conversion;
        // A great-circle distance is never shorter than its latitude part, so a point whose latitude distance
        // alone is past the radius is out without the trigonometry. The margin is far above the rounding of
        // either formula, so only points the haversine would also put outside are skipped.
        _latitudeReject = _limit * (1 + 1e-9) + 1e-6;
    }

    /// <summary>Whether a point is inside; <paramref name="distance"/> (metres) from the centre when it is. Needs <see cref="Prepare"/>.</summary>
    public readonly bool Contains(double lon, double lat, out double distance)
    {
        double latRad = ToRadians(lat);
        if (!IsBox)
        {
            if (EarthRadius * Math.Abs(latRad - _centreLatRad) > _latitudeReject)
            {
                distance = 0;
                return false;
            }
            distance = Haversine(_centreLonRad, Latitude, _centreLatRad, lon, lat, latRad, _centreCos, Math.Cos(latRad));
            return !(distance > _limit);
        }
        distance = 0;
        double widthMeters = Width * Conversion, heightMeters = Height * Conversion;
        // The latitude distance is cheaper, so it is checked first, as in Redis.
        if (LatitudeDistance(lat, Latitude) > heightMeters / 2) return false;
        double cos = Math.Cos(latRad);
        // The distance along the point's parallel to the centre's meridian.
        if (Haversine(ToRadians(lon), lat, latRad, Longitude, lat, latRad, cos, cos) > widthMeters / 2) return false;
        distance = Haversine(_centreLonRad, Latitude, _centreLatRad, lon, lat, latRad, _centreCos, cos);
        return true;
    }

    /// <summary>The bounding box [minLon, minLat, maxLon, maxLat] Redis derives from the shape.</summary>
    public readonly void BoundingBox(out double minLon, out double minLat, out double maxLon, out double maxLat)
    {
        double height = Conversion * (IsBox ? Height / 2 : Radius);
        double width = Conversion * (IsBox ? Width / 2 : Radius);
        double latDelta = ToDegrees(height / EarthRadius);
        double lonDeltaTop = ToDegrees(width / EarthRadius / Math.Cos(ToRadians(Latitude + latDelta)));
        double lonDeltaBottom = ToDegrees(width / EarthRadius / Math.Cos(ToRadians(Latitude - latDelta)));
        // Boxes bend towards the poles: the wider edge is the one nearer the equator.
        bool southern = Latitude < 0;
        minLon = southern ? Longitude - lonDeltaBottom : Longitude - lonDeltaTop;
        maxLon = southern ? Longitude + lonDeltaBottom : Longitude + lonDeltaTop;
        minLat = Latitude - latDelta;
        maxLat = Latitude + latDelta;
    }

    /// <summary>The cell size (bits per axis) for a search radius: coarser for larger radii and near the poles.</summary>
    public static int EstimateSteps(double rangeMeters, double lat)
    {
        if (rangeMeters == 0) return 26;
        int step = 1;
        while (rangeMeters < MercatorMax)
        {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66)
        {
            step--;
            if (lat > 80 || lat < -80) step--;
        }
        return Math.Clamp(step, 1, 26);
    }

    /// <summary>
    /// The nine cells to scan — centre, N, S, E, W, NE, NW, SE, SW, in Redis's order — with the cells that
    /// cannot hold a match zeroed (Redis's geohashCalculateAreasByShapeWGS84).
    /// </summary>
    public readonly void SearchCells(Span<GeoHashBits> cells)
    {
        BoundingBox(out double minLon, out double minLat, out double maxLon, out double maxLat);
        double radiusMeters = IsBox ? Math.Sqrt((Width / 2) * (Width / 2) + (Height / 2) * (Height / 2)) : Radius;
        radiusMeters *= Conversion;
        int steps = EstimateSteps(radiusMeters, Latitude);
        GeoHash.TryEncode(Longitude, Latitude, steps, out var hash);
        var area = GeoHash.Decode(hash);

        // A centre near the edge of its cell may need one more cell than the neighbours give: go one step coarser.
        bool decrease = GeoHash.Decode(GeoHash.Neighbour(hash, 0, 1)).LatMax < maxLat
            || GeoHash.Decode(GeoHash.Neighbour(hash, 0, -1)).LatMin > minLat
            || GeoHash.Decode(GeoHash.Neighbour(hash, 1, 0)).LonMax < maxLon
            || GeoHash.Decode(GeoHash.Neighbour(hash, -1, 0)).LonMin > minLon;
        if (steps > 1 && decrease)
        {
            steps--;
            GeoHash.TryEncode(Longitude, Latitude, steps, out hash);
            area = GeoHash.Decode(hash);
        }
        cells[0] = hash;
        cells[1] = GeoHash.Neighbour(hash, 0, 1);   // north
        cells[2] = GeoHash.Neighbour(hash, 0, -1);  // south
        cells[3] = GeoHash.Neighbour(hash, 1, 0);   // east
        cells[4] = GeoHash.Neighbour(hash, -1, 0);  // west
        cells[5] = GeoHash.Neighbour(hash, 1, 1);   // north-east
        cells[6] = GeoHash.Neighbour(hash, -1, 1);  // north-west
        cells[7] = GeoHash.Neighbour(hash, 1, -1);  // south-east
        cells[8] = GeoHash.Neighbour(hash, -1, -1); // south-west
        if (steps < 2) return;
        if (area.LatMin < minLat) cells[2] = cells[8] = cells[7] = default;
        if (area.LatMax > maxLat) cells[1] = cells[5] = cells[6] = default;
        if (area.LonMin < minLon) cells[4] = cells[8] = cells[6] = default;
        if (area.LonMax > maxLon) cells[3] = cells[7] = cells[5] = default;
    }
}
