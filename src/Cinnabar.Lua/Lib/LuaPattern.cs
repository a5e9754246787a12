using System.Runtime.CompilerServices;

namespace Cinnabar.Lua.Lib;

/// <summary>
/// Lua 5.1 pattern matching (the semantics of lstrlib.c: classes, sets, quantifiers, %b, %f, captures and
/// position captures). Backtracking steps feed the interrupt hook, and recursion depth is bounded so a
/// hostile pattern ends in a Lua error rather than a crashed process.
/// </summary>
internal sealed class LuaPattern
{
    public const int MaxCaptures = 32;
    const int CapUnfinished = -1, CapPosition = -2;
    const int MaxDepth = 200;

    readonly CallContext _cx;
    public byte[] Src = null!;
    public byte[] Pat = null!;
    public int Level;
    public readonly int[] CapStart = new int[MaxCaptures];
    public readonly int[] CapLen = new int[MaxCaptures];
    int _depth;
    int _steps;

    public LuaPattern(CallContext cx) { _cx = cx; }
    public bool RunsIn(CallContext cx) => ReferenceEquals(_cx, cx);

    public void Reset(byte[] src, byte[] pat) { Src = src; Pat = pat; Level = 0; _depth = 0; }

    // The single-character item every match must begin with (`%a` of "%a+", `%d` of "(%d+)"), or -1: gsub and
    // gmatch skip the positions it rejects without entering the matcher. Found by a scan that never throws, so
    // a malformed pattern still fails where the matcher meets it.
    int _firstItem = -1, _firstEnd;

    /// <summary>Finds the first item of Pat (call after Reset with the pattern to scan).</summary>
    public void FindFirstItem()
    {
        _firstItem = -1;
        var pat = Pat;
        int p = 0;
        while (p < pat.Length && pat[p] == '(') p += p + 1 < pat.Length && pat[p + 1] == ')' ? 2 : 1;
        if (p >= pat.Length) return;
        int ep;
        byte c = pat[p];
        if (c == '%')
        {
            if (p + 1 >= pat.Length) return;
            byte n = pat[p + 1];
            if (n == 'b' || n == 'f' || (n >= '0' && n <= '9')) return;
            ep = p + 2;
        }
        else if (c is (byte)'[' or (byte)'.' or (byte)')' or (byte)'$') return;
        else ep = p + 1;
        if (ep < pat.Length && pat[ep] is (byte)'*' or (byte)'?' or (byte)'-') return; // may match nothing
        _firstItem = p;
        _firstEnd = ep;
    }

    /// <summary>False when no match can start at s (its first character fails the first item); counts a step.</summary>
    public bool MayStartAt(int s)
    {
        if (_firstItem < 0) return true;
        Step();
        return SingleMatch(s, _firstItem, _firstEnd);
    }

    LuaException Error(string m) => _cx.Error(m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Step()
    {
        if (++_steps >= 256) { _cx.State.Steps(_cx, _steps); _steps = 0; }
    }

    int ClassEnd(int p)
    {
        if (p >= Pat.Length) throw Error("malformed pattern (ends with '%')");
        byte c = Pat[p++];
        if (c == '%')
        {
            if (p >= Pat.Length) throw Error("malformed pattern (ends with '%')");
            return p + 1;
        }
        if (c == '[')
        {
            if (p < Pat.Length && Pat[p] == '^') p++;
            do
            {
                if (p >= Pat.Length) throw Error("malformed pattern (missing ']')");
                c = Pat[p++];
                if (c == '%')
                {
                    if (p >= Pat.Length) throw Error("malformed pattern (missing ']')");
                    p++;
                }
            } while (p >= Pat.Length || Pat[p] != ']');
            return p + 1;
        }
        return p;
    }

    /// <summary>Whether byte c is in class cl (%a, %D, ...), or equals cl when cl names no class.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool MatchClass(int c, int cl)
    {
        int mask = ClassMask[(byte)cl];
        if (mask == 0) return cl == c;
        bool res = (Members[(byte)c] & mask) != 0;
        return cl >= 'A' && cl <= 'Z' ? !res : res; // an upper-case class is the complement
    }

    // The classes as bit tables built from their definitions (C locale ctype), so a test is two loads.
    const string ClassLetters = "acdlpsuwxz";
    static readonly ushort[] ClassMask = BuildClassMask();
    static readonly ushort[] Members = BuildMembers();

    static ushort[] BuildClassMask()
    {
        var m = new ushort[256];
        for (int k = 0; k < ClassLetters.Length; k++)
        {
            m[ClassLetters[k]] = (ushort)(1 << k);
            m[ClassLetters[k] - 32] = (ushort)(1 << k);
        }
        return m;
    }

    static ushort[] BuildMembers()
    {
        var m = new ushort[256];
        for (int c = 0; c < 256; c++)
            for (int k = 0; k < ClassLetters.Length; k++)
                if (InClass(c, ClassLetters[k])) m[c] |= (ushort)(1 << k);
        return m;
    }

    static bool InClass(int c, char cl) => cl switch
    {
        'a' => IsAlpha(c),
        'c' => c < 32 || c == 127,
        'd' => c >= '0' && c <= '9',
        'l' => c >= 'a' && c <= 'z',
        'p' => IsPunct(c),
        's' => c == ' ' || (c >= 9 && c <= 13),
        'u' => c >= 'A' && c <= 'Z',
        'w' => IsAlpha(c) || (c >= '0' && c <= '9'),
        'x' => (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'),
        _ => c == 0, // 'z'
    };

    static bool IsAlpha(int c) => (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    static bool IsPunct(int c) => c > 32 && c < 127 && !IsAlpha(c) && !(c >= '0' && c <= '9');

    bool MatchBracketClass(int c, int p, int ec)
    {
        bool sig = true;
        if (Pat[p + 1] == '^') { sig = false; p++; }
        while (++p < ec)
        {
            if (Pat[p] == '%')
            {
                p++;
                if (MatchClass(c, Pat[p])) return sig;
            }
            else if (p + 2 < ec && Pat[p + 1] == '-')
            {
                if (Pat[p] <= c && c <= Pat[p + 2]) return sig;
                p += 2;
            }
            else if (Pat[p] == c) return sig;
        }
        return !sig;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    bool SingleMatch(int s, int p, int ep)
    {
        if (s >= Src.Length) return false;
        int c = Src[s];
        switch (Pat[p])
        {
            case (byte)'.': return true;
            case (byte)'%': return MatchClass(c, Pat[p + 1]);
            case (byte)'[': return MatchBracketClass(c, p, ep - 1);
            default: return Pat[p] == c;
        }
    }

    /// <summary>Returns the end of the match of pattern[p..] at s, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Match(int s, int p)
    {
        // the .NET stack check every 8 levels: a few levels of matching use far less than its margin
        if (++_depth > MaxDepth || ((_depth & 7) == 0 && !RuntimeHelpers.TryEnsureSufficientExecutionStack()))
            throw Error("pattern too complex");
        try { return DoMatch(s, p); }
        finally { _depth--; }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int DoMatch(int s, int p)
    {
        while (true)
        {
            Step();
            if (p >= Pat.Length) return s;
            switch (Pat[p])
            {
                case (byte)'(':
                    if (p + 1 < Pat.Length && Pat[p + 1] == ')') return StartCapture(s, p + 2, CapPosition);
                    return StartCapture(s, p + 1, CapUnfinished);
                case (byte)')':
                    return EndCapture(s, p + 1);
                case (byte)'%':
                    if (p + 1 < Pat.Length)
                    {
                        byte n = Pat[p + 1];
                        if (n == 'b') { s = MatchBalance(s, p + 2); if (s < 0) return -1; p += 4; continue; }
                        if (n == 'f')
                        {
                            p += 2;
                            if (p >= Pat.Length || Pat[p] != '[') throw Error("missing '[' after '%f' in pattern");
                            int ep2 = ClassEnd(p);
                            int prev = s == 0 ? 0 : Src[s - 1];
                            int cur = s < Src.Length ? Src[s] : 0;
                            if (!MatchBracketClass(prev, p, ep2 - 1) && MatchBracketClass(cur, p, ep2 - 1)) { p = ep2; continue; }
                            return -1;
                        }
                        if (n >= '0' && n <= '9')
                        {
                            s = MatchCapture(s, n);
                            if (s < 0) return -1;
                            p += 2; continue;
                        }
                    }
                    goto default;
                case (byte)'$':
                    if (p + 1 == Pat.Length) return s == Src.Length ? s : -1;
                    goto default;
                default:
                {
                    int ep = ClassEnd(p);
                    bool m = SingleMatch(s, p, ep);
                    if (ep < Pat.Length)
                    {
                        switch (Pat[ep])
                        {
                            case (byte)'?':
                            {
                                if (m)
                                {
                                    int res = Match(s + 1, ep + 1);
                                    if (res >= 0) return res;
                                }
                                p = ep + 1; continue;
                            }
                            case (byte)'*': return MaxExpand(s, p, ep);
                            case (byte)'+': return m ? MaxExpand(s + 1, p, ep) : -1;
                            case (byte)'-': return MinExpand(s, p, ep);
                        }
                    }
                    if (!m) return -1;
                    s++; p = ep; continue;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int MaxExpand(int s, int p, int ep)
    {
        int i = 0;
        if (Pat[p] == '%' && ep == p + 2)
        {
            // a class (%a+, %d*): the run is scanned without SingleMatch's dispatch per character
            var src = Src;
            int cl = Pat[p + 1];
            while (s + i < src.Length && MatchClass(src[s + i], cl)) { i++; Step(); }
        }
        else while (SingleMatch(s + i, p, ep)) { i++; Step(); }
        if (ep + 1 == Pat.Length) return s + i; // nothing follows: the longest run is the match
        while (i >= 0)
        {
            int res = Match(s + i, ep + 1);
            if (res >= 0) return res;
            i--;
        }
        return -1;
    }

    int MinExpand(int s, int p, int ep)
    {
        while (true)
        {
            int res = Match(s, ep + 1);
            if (res >= 0) return res;
            if (SingleMatch(s, p, ep)) s++;
            else return -1;
        }
    }

    int StartCapture(int s, int p, int what)
    {
        if (Level >= MaxCaptures) throw Error("too many captures");
        CapStart[Level] = s;
        CapLen[Level] = what;
        Level++;
        int res = Match(s, p);
        if (res < 0) Level--;
        return res;
    }

    int EndCapture(int s, int p)
    {
        int l = CaptureToClose();
        CapLen[l] = s - CapStart[l];
        int res = Match(s, p);
        if (res < 0) CapLen[l] = CapUnfinished;
        return res;
    }

    int CaptureToClose()
    {
        int level = Level;
        for (level--; level >= 0; level--)
            if (CapLen[level] == CapUnfinished) return level;
        throw Error("invalid pattern capture");
    }

    int MatchBalance(int s, int p)
    {
        if (p + 1 >= Pat.Length) throw Error("unbalanced pattern");
        if (s >= Src.Length || Src[s] != Pat[p]) return -1;
        byte b = Pat[p], e = Pat[p + 1];
        int cont = 1;
        int i = s;
        while (++i < Src.Length)
        {
            Step();
            if (Src[i] == e) { if (--cont == 0) return i + 1; }
            else if (Src[i] == b) cont++;
        }
        return -1;
    }

    int CheckCapture(int l)
    {
        l -= '1';
        if (l < 0 || l >= Level || CapLen[l] == CapUnfinished) throw Error("invalid capture index");
        return l;
    }

    int MatchCapture(int s, int l)
    {
        l = CheckCapture(l);
        int len = CapLen[l];
        if (Src.Length - s >= len && Src.AsSpan(CapStart[l], len).SequenceEqual(Src.AsSpan(s, len))) return s + len;
        return -1;
    }

    /// <summary>Capture i as a value (the whole match when there are none and i is 0).</summary>
    public LuaValue GetCapture(int i, int s, int e)
    {
        if (i >= Level)
        {
            if (i == 0) return new LuaValue(_cx.NewString(Src.AsSpan(s, e - s)));
            throw Error("invalid capture index");
        }
        int l = CapLen[i];
        if (l == CapUnfinished) throw Error("unfinished capture");
        if (l == CapPosition) return LuaValue.Number(CapStart[i] + 1);
        return new LuaValue(_cx.NewString(Src.AsSpan(CapStart[i], l)));
    }

    /// <summary>Writes the captures (or the whole match) to the results; returns their count.</summary>
    public int PushCaptures(int s, int e, bool wholeIfNone, int offset = 0)
    {
        int n = Level == 0 && wholeIfNone ? 1 : Level;
        _cx.EnsureRet(n + offset);
        for (int i = 0; i < n; i++) _cx.SetResult(offset + i, GetCapture(i, s, e));
        return n;
    }
}
