using System.Buffers.Text;

namespace Cinnabar.Types;

/// <summary>
/// A stream entry ID: milliseconds and a sequence number, both unsigned 64-bit, ordered as the 128-bit
/// number ms·2⁶⁴+seq (Redis compares them the same way, as big-endian keys of its radix tree).
/// </summary>
public readonly record struct StreamId(ulong Ms, ulong Seq) : IComparable<StreamId>
{
    public static readonly StreamId Zero = new(0, 0);
    public static readonly StreamId Max = new(ulong.MaxValue, ulong.MaxValue);

    /// <summary>Longest text of an ID: two 20-digit numbers and the dash.</summary>
    public const int MaxTextLength = 41;

    public bool IsZero => Ms == 0 && Seq == 0;

    public int CompareTo(StreamId other) =>
        Ms != other.Ms ? (Ms < other.Ms ? -1 : 1) : Seq != other.Seq ? (Seq < other.Seq ? -1 : 1) : 0;

    public static bool operator <(StreamId a, StreamId b) => a.CompareTo(b) < 0;
    public static bool operator >(StreamId a, StreamId b) => a.CompareTo(b) > 0;
    public static bool operator <=(StreamId a, StreamId b) => a.CompareTo(b) <= 0;
    public static bool operator >=(StreamId a, StreamId b) => a.CompareTo(b) >= 0;

    /// <summary>The next ID; false (and 0-0) past the last possible one.</summary>
    public bool TryIncrement(out StreamId next)
    {
        if (Seq != ulong.MaxValue) { next = new(Ms, Seq + 1); return true; }
        if (Ms != ulong.MaxValue) { next = new(Ms + 1, 0); return true; }
        next = Zero;
        return false;
    }

    /// <summary>The previous ID; false (and the maximum ID) before 0-0.</summary>
    public bool TryDecrement(out StreamId previous)
    {
        if (Seq != 0) { previous = new(Ms, Seq - 1); return true; }
        if (Ms != 0) { previous = new(Ms - 1, ulong.MaxValue); return true; }
        previous = Max;
        return false;
    }

    /// <summary>Writes "ms-seq" into <paramref name="dest"/> (at least <see cref="MaxTextLength"/> bytes); returns the length.</summary>
    public int Format(Span<byte> dest)
    {
        Utf8Formatter.TryFormat(Ms, dest, out int n);
        dest[n++] = (byte)'-';
        Utf8Formatter.TryFormat(Seq, dest[n..], out int m);
        return n + m;
    }

    public override string ToString() => $"{Ms}-{Seq}";

    /// <summary>
    /// Parses an ID as Redis's stream commands do: "-" and "+" (unless <paramref name="strict"/>), "ms" alone
    /// (the sequence is then <paramref name="missingSeq"/>), "ms-seq", and with <paramref name="allowSeqStar"/>
    /// "ms-*" (then <paramref name="seqGiven"/> is false). Numbers are unsigned decimal as strtoull accepts them
    /// in Redis's string2ull.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out StreamId id, ulong missingSeq = 0, bool strict = false,
        bool allowSeqStar = false) => TryParse(s, out id, out _, missingSeq, strict, allowSeqStar);

    public static bool TryParse(ReadOnlySpan<byte> s, out StreamId id, out bool seqGiven, ulong missingSeq = 0,
        bool strict = false, bool allowSeqStar = false)
    {
        id = Zero;
        seqGiven = true;
        if (s.Length > 127) return false;
        // Redis copies the argument into a C string: a NUL byte ends it.
        int nul = s.IndexOf((byte)0);
        if (nul >= 0) s = s[..nul];
        if (s.Length == 1 && (s[0] == '-' || s[0] == '+'))
        {
            if (strict) return false;
            id = s[0] == '-' ? Zero : Max;
            return true;
        }
        int dash = s.IndexOf((byte)'-');
        var msText = dash >= 0 ? s[..dash] : s;
        if (!TryParseUnsigned(msText, out ulong ms)) return false;
        ulong seq = missingSeq;
        if (dash >= 0)
        {
            var seqText = s[(dash + 1)..];
            if (allowSeqStar && seqText.Length == 1 && seqText[0] == '*')
            {
                seq = 0;
                seqGiven = false;
            }
            else if (!TryParseUnsigned(seqText, out seq)) return false;
        }
        id = new StreamId(ms, seq);
        return true;
    }

    /// <summary>
    /// Redis's string2ull: a canonical signed integer must not be negative; anything else goes through strtoull
    /// (leading spaces, a sign, leading zeros; a minus negates modulo 2⁶⁴), and must be consumed whole.
    /// </summary>
    private static bool TryParseUnsigned(ReadOnlySpan<byte> s, out ulong value)
    {
        value = 0;
        if (Protocol.RespParser.TryParseLong(s, out long signed))
        {
            if (signed < 0) return false;
            value = (ulong)signed;
            return true;
        }
        int i = 0;
        while (i < s.Length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        if (i == s.Length) return false;
        for (; i < s.Length; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) return false;
            if (value > (ulong.MaxValue - d) / 10) return false;
            value = value * 10 + d;
        }
        if (negative) value = unchecked(0 - value);
        return true;
    }
}
