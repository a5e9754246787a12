using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cinnabar.Differential.Support;
using Xunit.Abstractions;

namespace Cinnabar.Differential;

/// <summary>
/// A seeded corpus of geo searches over 10,000 points spread worldwide, with crowds where geohash cells
/// and distances are hardest (the poles' Mercator limits, both sides of the antimeridian, exact duplicate
/// positions, the equator and prime meridian), queried with radii and boxes from a metre to the size of a
/// continent, every unit, ordering, COUNT [ANY] and WITH* option, through GEOSEARCH, GEOSEARCHSTORE and the
/// GEORADIUS forms. Every reply must equal redis-server's byte for byte, in RESP2 and RESP3.
/// </summary>
[Collection(DiffCollection.Name)]
public sealed class GeoSearchCorpusTests(DiffEnvironment env, ITestOutputHelper output)
{
    private const int Points = 10_000;
    private const int Queries = 3_000;
    private static readonly string[] Units = ["m", "km", "ft", "mi"];

    [SkippableTheory]
    [InlineData(2)]
    [InlineData(3)]
    public void SearchesMatchRedisByteForByte(int protocol)
    {
        env.RequireOracle();
        env.FlushBoth();
        int seed = RandomizedTests.Seed;
        output.WriteLine($"seed {seed} ({RandomizedTests.SeedVariable}={seed} to reproduce), RESP{protocol}");
        var random = new Random(seed);
        using var pair = env.Connect(protocol);
        var watch = Stopwatch.StartNew();

        var positions = new List<(double Lon, double Lat)>(Points);
        var batch = new List<IReadOnlyList<byte[]>>();
        var add = new List<byte[]> { B("GEOADD"), B("geo") };
        for (int i = 0; i < Points; i++)
        {
            var p = RandomPoint(random, positions);
            positions.Add(p);
            add.Add(B(Num(p.Lon)));
            add.Add(B(Num(p.Lat)));
            add.Add(B("p" + i));
            if (add.Count >= 2 + 3 * 500 || i == Points - 1)
            {
                batch.Add(add);
                add = [B("GEOADD"), B("geo")];
            }
        }
        batch.Add([B("ZRANGE"), B("geo"), B("0"), B("-1"), B("WITHSCORES")]);
        Compare(pair, batch);

        long replyBytes = 0;
        for (int q = 0; q < Queries; q++)
        {
            batch.AddRange(RandomQuery(random, positions, q));
            if (batch.Count >= 200) replyBytes += Compare(pair, batch);
        }
        replyBytes += Compare(pair, batch);
        output.WriteLine($"{Queries} queries over {Points} points compared ({replyBytes / 1024} KB of replies) in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static long Compare(DiffPair pair, List<IReadOnlyList<byte[]>> batch)
    {
        var (oracle, cinnabar) = pair.Pipeline(batch);
        long bytes = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            bytes += oracle[i].Raw.Length;
            if (oracle[i].SameBytes(cinnabar[i])) continue;
            Assert.Fail($"{RespValue.Quote(batch[i].Take(12).ToList())} differs:\n" +
                        $"redis-server: {oracle[i].Show(400)}\ncinnabar:     {cinnabar[i].Show(400)}");
        }
        batch.Clear();
        return bytes;
    }

    /// <summary>A point, mostly uniform over the Mercator range, with crowds at the hard places.</summary>
    private static (double Lon, double Lat) RandomPoint(Random random, List<(double Lon, double Lat)> previous)
    {
        const double latLimit = 85.05112878;
        double Uniform(double lo, double hi) => lo + random.NextDouble() * (hi - lo);
        return random.Next(10) switch
        {
            0 => (Uniform(-180, 180), random.Next(2) == 0 ? Uniform(80, latLimit) : Uniform(-latLimit, -80)), // polar
            1 => (random.Next(2) == 0 ? Uniform(178, 180) : Uniform(-180, -178), Uniform(-latLimit, latLimit)), // antimeridian
            2 when previous.Count > 0 => previous[random.Next(previous.Count)], // an exact duplicate position
            3 => (Uniform(-1, 1), Uniform(-1, 1)), // around 0,0
            4 => (random.Next(5) switch { 0 => 180, 1 => -180, 2 => 0, _ => Uniform(-180, 180) },
                  random.Next(5) switch { 0 => latLimit, 1 => -latLimit, 2 => 0, _ => Uniform(-latLimit, latLimit) }), // edges
            _ => (Uniform(-180, 180), Uniform(-latLimit, latLimit)),
        };
    }

    /// <summary>One search (and, for stores, the reads of what was stored), with random shape, size and options.</summary>
    private static IEnumerable<IReadOnlyList<byte[]>> RandomQuery(Random random, List<(double Lon, double Lat)> positions, int q)
    {
        // Sizes log-uniform from 1 m to 20,000 km, so tiny cells and half-the-planet searches both occur.
        string Size(string unit)
        {
            double meters = Math.Pow(10, random.NextDouble() * 7.3);
            double perUnit = unit switch { "km" => 1000, "ft" => 0.3048, "mi" => 1609.34, _ => 1 };
            return Num(random.Next(8) == 0 ? 0 : meters / perUnit);
        }
        var centre = random.Next(3) == 0 ? positions[random.Next(positions.Count)] : RandomPoint(random, positions);
        string unit = Units[random.Next(Units.Length)];
        bool byMember = random.Next(4) == 0;
        string member = "p" + random.Next(positions.Count + 50); // a few do not exist
        bool box = random.Next(2) == 0;
        int kind = random.Next(10); // 0-5 GEOSEARCH, 6-7 GEOSEARCHSTORE, 8 GEORADIUS, 9 GEORADIUSBYMEMBER

        var args = new List<string>();
        bool store = false;
        if (kind <= 7)
        {
            store = kind >= 6;
            args.AddRange(store ? ["GEOSEARCHSTORE", "dest", "geo"] : ["GEOSEARCH", "geo"]);
            if (byMember) args.AddRange(["FROMMEMBER", member]);
            else args.AddRange(["FROMLONLAT", Num(centre.Item1), Num(centre.Item2)]);
            if (box) args.AddRange(["BYBOX", Size(unit), Size(unit), unit]);
            else args.AddRange(["BYRADIUS", Size(unit), unit]);
        }
        else if (kind == 8) args.AddRange([random.Next(2) == 0 ? "GEORADIUS" : "GEORADIUS_RO", "geo", Num(centre.Item1), Num(centre.Item2), Size(unit), unit]);
        else args.AddRange([random.Next(2) == 0 ? "GEORADIUSBYMEMBER" : "GEORADIUSBYMEMBER_RO", "geo", member, Size(unit), unit]);

        if (!store)
        {
            if (random.Next(2) == 0) args.Add("WITHDIST");
            if (random.Next(3) == 0) args.Add("WITHCOORD");
            if (random.Next(4) == 0) args.Add("WITHHASH");
        }
        switch (random.Next(4))
        {
            case 0: args.Add("ASC"); break;
            case 1: args.Add("DESC"); break;
        }
        if (random.Next(2) == 0)
        {
            args.AddRange(["COUNT", (1 + (int)Math.Pow(10, random.NextDouble() * 3)).ToString(CultureInfo.InvariantCulture)]);
            if (random.Next(3) == 0) args.Add("ANY");
        }
        if (store && random.Next(2) == 0) args.Add("STOREDIST");
        bool radiusStore = kind == 8 && args[0] == "GEORADIUS" && random.Next(4) == 0;
        if (radiusStore) args.AddRange([random.Next(2) == 0 ? "STORE" : "STOREDIST", "dest"]);
        if (radiusStore) args.RemoveAll(a => a.StartsWith("WITH", StringComparison.Ordinal));

        yield return args.Select(B).ToArray();
        if (store || radiusStore)
        {
            yield return [B("ZRANGE"), B("dest"), B("0"), B("-1"), B("WITHSCORES")];
            yield return [B("OBJECT"), B("ENCODING"), B("dest")];
            yield return [B("GEOPOS"), B("dest"), B("p" + random.Next(positions.Count))];
        }
        if (q % 50 == 0) yield return [B("GEODIST"), B("geo"), B("p" + random.Next(positions.Count)), B("p" + random.Next(positions.Count)), B(unit)];
    }

    /// <summary>A coordinate or size as a client would type it: up to 17 significant digits, sometimes fewer.</summary>
    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);
}
