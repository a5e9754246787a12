using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>
/// Geo sets (sorted sets of 52-bit geohashes): points near each other and across the globe, coordinates out of
/// range, every search shape, unit, order, COUNT [ANY], WITH* flag and STORE/STOREDIST form.
/// </summary>
public sealed class GeoFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        string Lon() => g.Chance(5) ? g.Pick("180.1", "-181", "abc", "nan", "inf") : g.Chance(50) ? (13.3 + g.Next(-500, 500) / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture) : (g.Next(-18000, 18000) / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Lat() => g.Chance(5) ? g.Pick("85.06", "-85.1", "90", "abc") : g.Chance(50) ? (38.1 + g.Next(-500, 500) / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture) : (g.Next(-8505, 8505) / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Member() => g.Chance(85) ? "p" + g.Next(0, 40) : g.Member();
        string Unit() => g.Pick("m", "km", "mi", "ft", "M", "KM", "yd");
        string Radius() => g.Pick("0", "1", "50", "200", "1000", "20000", "-1", "abc", "5.5");
        List<string> With() => g.Shuffled(L(g.Maybe(30, "WITHCOORD"), g.Maybe(30, "WITHDIST"), g.Maybe(30, "WITHHASH"))).ToList();
        List<string> Order() => L(g.Maybe(40, g.Pick("ASC", "DESC")), g.Chance(40) ? L("COUNT", g.Pick("1", "3", "10", "0", "-1"), g.Maybe(30, "ANY")) : new List<string>());
        List<string> From() => g.Chance(50) ? L("FROMMEMBER", Member()) : L("FROMLONLAT", Lon(), Lat());
        List<string> By() => g.Chance(50) ? L("BYRADIUS", Radius(), Unit()) : L("BYBOX", Radius(), Radius(), Unit());

        yield return Simple("GEOADD", () => L("GEOADD", g.Key(), g.Maybe(20, g.Pick("NX", "XX")), g.Maybe(20, "CH"), g.Pairs(1, 4, Lon, () => Lat() + "\u0000" + Member()).SelectMany(p => p.Split('\u0000'))), 15);
        yield return Simple("GEOADD", () => L("GEOADD", g.Key(), g.Pairs(150, 200, Lon, () => Lat() + "\u0000p" + g.Next(0, 1000)).SelectMany(p => p.Split('\u0000'))), 1);
        yield return Simple("GEOPOS", () => L("GEOPOS", g.Key(), g.Repeat(Member, 0, 3)));
        yield return Simple("GEODIST", () => L("GEODIST", g.Key(), Member(), Member(), g.Maybe(60, Unit())));
        yield return Simple("GEOHASH", () => L("GEOHASH", g.Key(), g.Repeat(Member, 0, 3)));
        yield return Simple("GEOSEARCH", () => L("GEOSEARCH", g.Key(), g.Shuffled([.. From(), .. By()]).Take(g.Chance(95) ? 10 : 2), Order(), With()), 12);
        yield return Simple("GEOSEARCHSTORE", () => L("GEOSEARCHSTORE", g.Key(), g.Key(), From(), By(), Order(), g.Maybe(30, "STOREDIST")), 6);
        yield return Simple("GEORADIUS", () => L("GEORADIUS", g.Key(), Lon(), Lat(), Radius(), Unit(), With(), Order(),
            g.Maybe(15, g.Pick("STORE", "STOREDIST"), g.Key())), 6);
        yield return Simple("GEORADIUS_RO", () => L("GEORADIUS_RO", g.Key(), Lon(), Lat(), Radius(), Unit(), With(), Order()), 4);
        yield return Simple("GEORADIUSBYMEMBER", () => L("GEORADIUSBYMEMBER", g.Key(), Member(), Radius(), Unit(), With(), Order(),
            g.Maybe(15, g.Pick("STORE", "STOREDIST"), g.Key())), 6);
        yield return Simple("GEORADIUSBYMEMBER_RO", () => L("GEORADIUSBYMEMBER_RO", g.Key(), Member(), Radius(), Unit(), With(), Order()), 4);
    }
}
