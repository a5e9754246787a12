using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>Bit operations on strings: GETBIT/SETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD(_RO).</summary>
public sealed class BitFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        yield return Simple("GETBIT", () => L("GETBIT", g.Key(), g.Offset()));
        yield return Simple("SETBIT", () => L("SETBIT", g.Key(), g.Offset(), g.Pick("0", "1", "2", "-1", "")));
        yield return Simple("BITCOUNT", () => L("BITCOUNT", g.Key(), g.Chance(60) ? L(g.Integer(), g.Integer(), g.Maybe(40, g.Pick("BYTE", "BIT", "bad"))) : L()));
        yield return Simple("BITPOS", () => L("BITPOS", g.Key(), g.Pick("0", "1", "2"), g.Chance(60) ? L(g.Integer(), g.Maybe(60, g.Integer()), g.Maybe(30, g.Pick("BYTE", "BIT"))) : L()));
        // BITPOS and BITCOUNT over a short string of whole-zero, whole-one and mixed bytes, rebuilt each time: runs
        // of ones and zeros that end exactly at a range's edge (in bytes or in bits).
        foreach (var command in new[] { "BITPOS", "BITCOUNT" })
            yield return new Producer(command, () =>
            {
                var bytes = g.Repeat(() => g.Pick("\u00ff", "\u00ff", "\0", "\0", "\u000f", "\u00f0", "\u0080", "\u0001"), 1, 6);
                var range = L(g.Next(-7, 7).ToString(), g.Maybe(80, g.Next(-7, 7).ToString()), g.Maybe(50, g.Pick("BYTE", "BIT")));
                if (command == "BITCOUNT" && range.Count == 1) range.Add("-1");
                var tail = L(command == "BITPOS" ? g.Pick("0", "1") : null, g.Chance(80) ? range : null);
                return Step.Of(L("SET", BitsKey, string.Concat(bytes))).Call(L(command, BitsKey, tail));
            }, 5);
        yield return Simple("BITOP", () => L("BITOP", g.Pick("AND", "OR", "XOR", "NOT", "bad"), g.Key(), g.Repeat(g.Key, 1, 3)));
        yield return Simple("BITFIELD", () => L("BITFIELD", g.Key(), Ops(g, readOnly: false)));
        yield return Simple("BITFIELD_RO", () => L("BITFIELD_RO", g.Key(), Ops(g, readOnly: true)));
    }

    /// <summary>The key of the BITPOS/BITCOUNT string (outside the shared key pool, which would change it in between).</summary>
    private const string BitsKey = "bits";

    private static List<string> Ops(Gen g, bool readOnly)
    {
        var ops = new List<string>();
        string Type() => g.Pick("i8", "u8", "i16", "u4", "i64", "u63", "u64", "i65", "x8", "u1", "i1");
        string Off() => g.Chance(30) ? "#" + g.Next(0, 5) : g.Offset();
        for (int i = 0, n = g.Next(1, 4); i < n; i++)
        {
            switch (readOnly ? 0 : g.Next(4))
            {
                case 0: ops.AddRange(["GET", Type(), Off()]); break;
                case 1: ops.AddRange(["SET", Type(), Off(), g.Integer()]); break;
                case 2: ops.AddRange(["INCRBY", Type(), Off(), g.Integer()]); break;
                default: ops.AddRange(["OVERFLOW", g.Pick("WRAP", "SAT", "FAIL", "BAD")]); break;
            }
        }
        return ops;
    }
}
