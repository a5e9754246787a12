using System.Text;

namespace Cinnabar.Differential.Randomized;

/// <summary>
/// The values the generator draws arguments from: a small key space (so types collide) and values that mix
/// valid input with the edge cases Redis rejects or treats specially (bad integers and floats, huge and
/// negative numbers, empty and binary strings).
/// </summary>
public sealed class ArgumentPool(Random rng)
{
    public static readonly string[] Keys = ["k0", "k1", "k2", "k3", "k4", "k5", "", "b\0\r\n"];

    private static readonly string[] Values =
    [
        "", "0", "1", "-1", "7", "42", "100", "-100", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "3.14", "-2.5", "1e400", "nan", "inf", "-inf", " 1", "01", "+1", "1 ", "0x10",
        "abc", "hello world", "\0\r\n", "a\0b", new string('x', 64), "10.5", "1e5", "0.1", "\u00ff\u00fe",
        "k0", "k1", "foobar", "ohmytext", "mynewtext",
    ];

    private static readonly string[] Integers =
    [
        "0", "1", "2", "3", "5", "10", "-1", "-2", "-5", "-10", "100", "-100", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "1.5", "abc", " 1", "01", "+1", "", "1e3", "4294967296",
    ];

    private static readonly string[] Floats =
    [
        "0", "1", "1.5", "-2.25", "3", "1e400", "-1e400", "nan", "inf", "-inf", "+inf", "abc", "1e-5", " 1",
        "0.1", "1e308", "-0", "10", "", "5.0e3", "0x10",
    ];

    public string Key() => Keys[rng.Next(Keys.Length)];
    public string Value() => Values[rng.Next(Values.Length)];
    public string Integer() => rng.Next(4) == 0 ? Integers[rng.Next(Integers.Length)] : rng.Next(-20, 21).ToString();
    public string SmallInt() => rng.Next(8) == 0 ? Integers[rng.Next(Integers.Length)] : rng.Next(-3, 12).ToString();
    public string Float() => rng.Next(3) == 0 ? Floats[rng.Next(Floats.Length)] : (rng.Next(-2000, 2000) / 8.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
    public string Offset() => rng.Next(10) == 0 ? Pick("-1", "abc", "4294967296", "536870912", "1.5") : rng.Next(0, 300).ToString();
    public string Member() => Pick("a", "b", "c", "d", "1", "2", "10", "", "x y", "\0");
    public string Db() => rng.Next(12) == 0 ? Pick("2", "-1", "16", "abc", "0 ") : rng.Next(2).ToString();
    public bool Chance(int percent) => rng.Next(100) < percent;
    public int Next(int max) => rng.Next(max);

    /// <summary>Expiry amounts that cannot expire during a run (huge) or expire at once (zero, negative, past).</summary>
    public string Seconds() => Pick("100000", "200000", "0", "-1", "-100", "abc", "9223372036854775807", "1.5", "999999");
    public string Millis() => Pick("100000000", "200000000", "0", "-1", "abc", "9223372036854775807", "99999999");
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

    public static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);
}
