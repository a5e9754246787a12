namespace Cinnabar.Lua.Lib;

/// <summary>Roberto Ierusalimschy's `struct` library as Redis bundles it (lua_struct.c): pack, unpack, size.</summary>
internal static class StructLib
{
    const int MaxIntSize = 32;
    const int MaxAlign = 8;
    const bool Little = true; // the native order of the machines Redis runs on

    public static void Open(LuaState s, LuaTable g)
    {
        var t = new LuaTable();
        s.Register(t, "pack", Pack);
        s.Register(t, "unpack", Unpack);
        s.Register(t, "size", Size);
        g.SetStr(LuaString.From("struct"), new LuaValue(t));
    }

    struct Header { public bool LittleEndian; public int Align; }

    static int GetNum(CallContext cx, byte[] fmt, ref int i, int df)
    {
        if (i >= fmt.Length || fmt[i] < '0' || fmt[i] > '9') return df;
        int a = 0;
        do
        {
            if (a > int.MaxValue / 10 || a * 10 > int.MaxValue - (fmt[i] - '0')) throw cx.Error("integral size overflow");
            a = a * 10 + (fmt[i++] - '0');
        } while (i < fmt.Length && fmt[i] >= '0' && fmt[i] <= '9');
        return a;
    }

    static int OptSize(CallContext cx, byte opt, byte[] fmt, ref int i)
    {
        switch (opt)
        {
            case (byte)'B': case (byte)'b': return 1;
            case (byte)'H': case (byte)'h': return 2;
            case (byte)'L': case (byte)'l': case (byte)'T': return 8;
            case (byte)'f': return 4;
            case (byte)'d': return 8;
            case (byte)'x': return 1;
            case (byte)'c': return GetNum(cx, fmt, ref i, 1);
            case (byte)'i': case (byte)'I':
            {
                int sz = GetNum(cx, fmt, ref i, 4);
                if (sz > MaxIntSize) throw cx.Error($"integral size {sz} is larger than limit of {MaxIntSize}");
                return sz;
            }
            default: return 0;
        }
    }

    static int ToAlign(long len, in Header h, byte opt, int size)
    {
        if (size == 0 || opt == 'c') return 0;
        if (size > h.Align) size = h.Align;
        return (int)((size - (len & (size - 1))) & (size - 1));
    }

    static void ControlOptions(CallContext cx, byte opt, byte[] fmt, ref int i, ref Header h)
    {
        switch (opt)
        {
            case (byte)' ': return;
            case (byte)'>': h.LittleEndian = false; return;
            case (byte)'<': h.LittleEndian = true; return;
            case (byte)'!':
            {
                int a = GetNum(cx, fmt, ref i, MaxAlign);
                if (!(a > 0 && (a & (a - 1)) == 0)) throw cx.Error($"alignment {a} is not a power of 2");
                h.Align = a;
                return;
            }
            default: throw cx.ArgError(1, $"invalid format option '{(char)opt}'");
        }
    }

    static int Pack(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var fmt = cx.CheckString(a, 1).Bytes;
        var h = new Header { LittleEndian = Little, Align = 1 };
        int arg = 2;
        long total = 0;
        var b = new List<byte>();
        int i = 0;
        while (i < fmt.Length && fmt[i] != 0)
        {
            byte opt = fmt[i++];
            int size = OptSize(cx, opt, fmt, ref i);
            int toalign = ToAlign(total, h, opt, size);
            total += toalign;
            while (toalign-- > 0) b.Add(0);
            switch (opt)
            {
                case (byte)'b': case (byte)'B': case (byte)'h': case (byte)'H': case (byte)'l': case (byte)'L':
                case (byte)'T': case (byte)'i': case (byte)'I':
                {
                    double n = cx.CheckNumber(a, arg++);
                    ulong v = n < 0 ? unchecked((ulong)CallContext.ToInteger(n)) : ToUnsigned(n);
                    var buf = new byte[size];
                    if (h.LittleEndian) for (int k = 0; k < size; k++) { buf[k] = (byte)v; v = k < 7 ? v >> 8 : 0; }
                    else for (int k = size - 1; k >= 0; k--) { buf[k] = (byte)v; v = size - 1 - k < 7 ? v >> 8 : 0; }
                    b.AddRange(buf);
                    break;
                }
                case (byte)'x': b.Add(0); break;
                case (byte)'f':
                {
                    var bytes = BitConverter.GetBytes((float)cx.CheckNumber(a, arg++));
                    if (!h.LittleEndian) Array.Reverse(bytes);
                    b.AddRange(bytes);
                    break;
                }
                case (byte)'d':
                {
                    var bytes = BitConverter.GetBytes(cx.CheckNumber(a, arg++));
                    if (!h.LittleEndian) Array.Reverse(bytes);
                    b.AddRange(bytes);
                    break;
                }
                case (byte)'c': case (byte)'s':
                {
                    var s = cx.CheckString(a, arg++).Bytes;
                    if (size == 0) size = s.Length;
                    if (s.Length < size) throw cx.ArgError(arg, "string too short");
                    for (int k = 0; k < size; k++) b.Add(s[k]);
                    if (opt == 's') { b.Add(0); size++; }
                    break;
                }
                default: ControlOptions(cx, opt, fmt, ref i, ref h); break;
            }
            total += size;
        }
        return cx.ReturnString(cx.NewString(b.ToArray()));
    }

    static ulong ToUnsigned(double d) =>
        d < 9.2233720368547758e18 ? (ulong)(long)d : d < 1.8446744073709552e19 ? (ulong)(long)(d - 9.2233720368547758e18) ^ 0x8000000000000000UL : 0x8000000000000000UL;

    static double GetInteger(byte[] data, int pos, bool little, bool signed, int size)
    {
        ulong l = 0;
        if (!little) for (int k = 0; k < size; k++) { l <<= 8; l |= data[pos + k]; }
        else for (int k = size - 1; k >= 0; k--) { l <<= 8; l |= data[pos + k]; }
        if (!signed) return l;
        ulong mask = ulong.MaxValue << ((size * 8 - 1) & 63);
        if ((l & mask) != 0) l |= mask;
        return (long)l;
    }

    static int Unpack(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var fmt = cx.CheckString(a, 1).Bytes;
        var data = cx.CheckString(a, 2).Bytes;
        long ld = data.Length;
        long pos = cx.OptInteger(a, 3, 1);
        if (!(pos > 0)) throw cx.ArgError(3, "offset must be 1 or greater");
        pos--;
        var h = new Header { LittleEndian = Little, Align = 1 };
        var results = new List<LuaValue>();
        int i = 0;
        while (i < fmt.Length && fmt[i] != 0)
        {
            byte opt = fmt[i++];
            long size = OptSize(cx, opt, fmt, ref i);
            pos += ToAlign(pos, h, opt, (int)size);
            if (!(size <= ld && pos <= ld - size)) throw cx.ArgError(2, "data string too short");
            switch (opt)
            {
                case (byte)'b': case (byte)'B': case (byte)'h': case (byte)'H': case (byte)'l': case (byte)'L':
                case (byte)'T': case (byte)'i': case (byte)'I':
                    results.Add(LuaValue.Number(GetInteger(data, (int)pos, h.LittleEndian, opt >= 'a', (int)size)));
                    break;
                case (byte)'x': break;
                case (byte)'f':
                {
                    var bytes = data[(int)pos..(int)(pos + 4)];
                    if (!h.LittleEndian) Array.Reverse(bytes);
                    results.Add(LuaValue.Number(BitConverter.ToSingle(bytes)));
                    break;
                }
                case (byte)'d':
                {
                    var bytes = data[(int)pos..(int)(pos + 8)];
                    if (!h.LittleEndian) Array.Reverse(bytes);
                    results.Add(LuaValue.Number(BitConverter.ToDouble(bytes)));
                    break;
                }
                case (byte)'c':
                    if (size == 0)
                    {
                        if (results.Count == 0 || !results[^1].TryToNumber(out double prev)) throw cx.Error("format 'c0' needs a previous size");
                        size = (long)prev;
                        results.RemoveAt(results.Count - 1);
                        if (!(size <= ld && pos <= ld - size)) throw cx.ArgError(2, "data string too short");
                    }
                    results.Add(new LuaValue(cx.NewString(data[(int)pos..(int)(pos + size)])));
                    break;
                case (byte)'s':
                {
                    int e = Array.IndexOf(data, (byte)0, (int)pos);
                    if (e < 0) throw cx.Error("unfinished string in data");
                    size = e - pos + 1;
                    results.Add(new LuaValue(cx.NewString(data[(int)pos..e])));
                    break;
                }
                default: ControlOptions(cx, opt, fmt, ref i, ref h); break;
            }
            pos += size;
        }
        results.Add(LuaValue.Number(pos + 1));
        return cx.ReturnSpan(results.ToArray());
    }

    static int Size(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        var fmt = cx.CheckString(a, 1).Bytes;
        var h = new Header { LittleEndian = Little, Align = 1 };
        long pos = 0;
        int i = 0;
        while (i < fmt.Length && fmt[i] != 0)
        {
            byte opt = fmt[i++];
            int size = OptSize(cx, opt, fmt, ref i);
            pos += ToAlign(pos, h, opt, size);
            if (opt == 's') throw cx.ArgError(1, "option 's' has no fixed size");
            if (opt == 'c' && size == 0) throw cx.ArgError(1, "option 'c0' has no fixed size");
            if (!char.IsAsciiLetterOrDigit((char)opt)) ControlOptions(cx, opt, fmt, ref i, ref h);
            pos += size;
        }
        return cx.ReturnNumber(pos);
    }
}
