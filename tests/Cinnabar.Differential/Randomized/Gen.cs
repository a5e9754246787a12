using System.Globalization;
using System.Text;

namespace Cinnabar.Differential.Randomized;

/// <summary>
/// What families draw arguments from, on the run's seeded random source: a small key space (so types collide),
/// values that mix valid input with the edge cases Redis rejects or treats specially (bad integers and floats,
/// huge and negative numbers, empty and binary strings), and pools large enough to cross every encoding
/// threshold (more than 128 members, values over 64 bytes, lists of many quicklist nodes).
/// </summary>
public sealed class Gen(Random rng, int protocol)
{
    /// <summary>The replay's protocol (2 or 3): what HELLO must ask for to keep the connection as it is.</summary>
    public int Protocol => protocol;

    /// <summary>One random simple command of any family (for MULTI bodies and another client's interference).</summary>
    public Func<List<string>> AnyCommand { get; set; } = () => ["PING"];

    public static readonly string[] Keys = ["k0", "k1", "k2", "k3", "k4", "k5", "", "b\0\r\n"];

    private static readonly string[] Values =
    [
        "", "0", "1", "-1", "7", "42", "100", "-100", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "3.14", "-2.5", "nan", "inf", "-inf", " 1", "01", "+1", "1 ", "0x10",
        "abc", "hello world", "\0\r\n", "a\0b", new string('x', 64), new string('y', 65), new string('z', 300),
        "10.5", "1e5", "0.1", "\u00ff\u00fe", "k0", "k1", "foobar", "ohmytext", "mynewtext",
    ];

    private static readonly string[] Integers =
    [
        "0", "1", "2", "3", "5", "10", "-1", "-2", "-5", "-10", "100", "-100", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "1.5", "abc", " 1", "01", "+1", "", "1e3", "4294967296",
    ];

    // No float out of range (1e400): Redis 7.0's SORT reads errno after strtod without clearing it, so an ERANGE
    // left by any earlier command in a pipeline makes a later numeric SORT fail. The case files cover those errors.
    private static readonly string[] Floats =
    [
        "0", "1", "1.5", "-2.25", "3", "nan", "inf", "-inf", "+inf", "abc", "1e-5", " 1",
        "0.1", "1e308", "-0", "10", "", "5.0e3", "0x10",
    ];

    private static readonly string[] Members = ["a", "b", "c", "d", "1", "2", "10", "", "x y", "\0"];

    public string Key() => Keys[rng.Next(Keys.Length)];
    public string Value() => Values[rng.Next(Values.Length)];
    public string Integer() => rng.Next(4) == 0 ? Integers[rng.Next(Integers.Length)] : rng.Next(-20, 21).ToString(CultureInfo.InvariantCulture);
    public string SmallInt() => rng.Next(8) == 0 ? Integers[rng.Next(Integers.Length)] : rng.Next(-3, 12).ToString(CultureInfo.InvariantCulture);
    public string Float() => rng.Next(3) == 0 ? Floats[rng.Next(Floats.Length)] : (rng.Next(-2000, 2000) / 8.0).ToString(CultureInfo.InvariantCulture);
    public string Offset() => rng.Next(10) == 0 ? Pick("-1", "abc", "4294967296", "100000", "1.5") : rng.Next(0, 300).ToString(CultureInfo.InvariantCulture);

    /// <summary>A member or field: mostly from a small pool (so commands meet), sometimes one of the bulk pool.</summary>
    public string Member() => rng.Next(10) == 0 ? BulkMember() : Members[rng.Next(Members.Length)];

    /// <summary>One of 300 members shared by the bulk builders; every fifth is an integer (intset, int-encoded entries).</summary>
    public string BulkMember() => rng.Next(5) == 0 ? rng.Next(0, 300).ToString(CultureInfo.InvariantCulture) : "m" + rng.Next(0, 300);

    /// <summary>A value of 65 to 200 bytes: over the listpack value limits (64) and big enough to fill quicklist nodes.</summary>
    public string LongValue() => new string((char)('a' + rng.Next(26)), rng.Next(65, 201));

    public string Db() => rng.Next(12) == 0 ? Pick("2", "-1", "16", "abc", "0 ") : rng.Next(2).ToString(CultureInfo.InvariantCulture);
    public bool Chance(int percent) => rng.Next(100) < percent;
    public int Next(int max) => rng.Next(max);
    public int Next(int min, int max) => rng.Next(min, max);

    /// <summary>
    /// Expiry amounts that cannot expire during a run (huge) or expire at once (zero, negative, past). No future
    /// amount is ever drawn twice, in seconds or milliseconds: any two differ by 1000 s or more, so EXPIRE GT/LT,
    /// which compare "now + t" with a time set earlier, decide the same on both servers although they run a
    /// command at different instants. (With the same t twice, GT would depend on whether the millisecond
    /// changed between the two commands.)
    /// </summary>
    public string Seconds() => rng.Next(9) switch
    {
        < 3 => FutureSeconds().ToString(CultureInfo.InvariantCulture),
        _ => Pick("0", "-1", "-100", "abc", "9223372036854775807", "1.5"),
    };
    public string Millis() => rng.Next(7) switch
    {
        < 3 => (FutureSeconds() * 1000).ToString(CultureInfo.InvariantCulture),
        _ => Pick("0", "-1", "abc", "9223372036854775807"),
    };

    private long _futureExpiries;

    /// <summary>100000 s, then 101000 s, 102000 s… (under 4 years after 100,000 draws).</summary>
    private long FutureSeconds() => 100_000 + 1000 * _futureExpiries++;
    public string UnixSeconds() => Pick("1", "1000", "4102444800", "4102444801", "0", "-1", "abc", "9223372036854775807");
    public string UnixMillis() => Pick("1", "1000", "4102444800000", "4102444800001", "0", "-1", "abc");

    public string Pick(params string[] options) => options[rng.Next(options.Length)];

    public List<string> Repeat(Func<string> make, int min, int max)
    {
        int n = rng.Next(min, max + 1);
        var list = new List<string>(n);
        for (int i = 0; i < n; i++) list.Add(make());
        return list;
    }

    /// <summary>Builds an argument list from strings and sequences of strings (nulls skipped).</summary>
    public static List<string> L(params object?[] parts)
    {
        var list = new List<string>();
        foreach (var p in parts)
        {
            if (p is string s) list.Add(s);
            else if (p is IEnumerable<string> many) list.AddRange(many);
        }
        return list;
    }

    /// <summary>The parts, with the given chance, else nothing.</summary>
    public IEnumerable<string> Maybe(int percent, params string[] parts) => Chance(percent) ? parts : [];

    public IEnumerable<string> Pairs(int min, int max, Func<string> first, Func<string> second) =>
        Enumerable.Range(0, rng.Next(min, max + 1)).SelectMany(_ => new[] { first(), second() }).ToList();

    public IEnumerable<string> KeyValues(int min, int max) => Pairs(min, max, Key, Value);
    public IEnumerable<string> FieldValues(int min, int max) => Pairs(min, max, Member, Value);
    public IEnumerable<string> ScoreMembers(int min, int max) => Pairs(min, max, Float, Member);

    /// <summary>Shuffles option lists (Redis accepts options in any order).</summary>
    public IEnumerable<string> Shuffled(IEnumerable<string> items) => items.OrderBy(_ => rng.Next()).ToList();

    public static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);
}
