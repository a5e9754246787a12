namespace Cinnabar.Lua.Lib;

/// <summary>LuaBitOp 1.0.2 (the `bit` module Redis bundles): 32-bit operations on numbers.</summary>
internal static class BitLib
{
    public static void Open(LuaState s, LuaTable g)
    {
        var t = new LuaTable();
        s.Register(t, "tobit", (cx, a) => Ret(cx, Arg(cx, a, 1)));
        s.Register(t, "bnot", (cx, a) => Ret(cx, ~Arg(cx, a, 1)));
        s.Register(t, "band", (cx, a) => { uint b = Arg(cx, a, 1); for (int i = 2; i <= a.Length; i++) b &= Arg(cx, a, i); return Ret(cx, b); });
        s.Register(t, "bor", (cx, a) => { uint b = Arg(cx, a, 1); for (int i = 2; i <= a.Length; i++) b |= Arg(cx, a, i); return Ret(cx, b); });
        s.Register(t, "bxor", (cx, a) => { uint b = Arg(cx, a, 1); for (int i = 2; i <= a.Length; i++) b ^= Arg(cx, a, i); return Ret(cx, b); });
        s.Register(t, "lshift", (cx, a) => { uint b = Arg(cx, a, 1); int n = (int)(Arg(cx, a, 2) & 31); return Ret(cx, b << n); });
        s.Register(t, "rshift", (cx, a) => { uint b = Arg(cx, a, 1); int n = (int)(Arg(cx, a, 2) & 31); return Ret(cx, b >> n); });
        s.Register(t, "arshift", (cx, a) => { uint b = Arg(cx, a, 1); int n = (int)(Arg(cx, a, 2) & 31); return Ret(cx, (uint)((int)b >> n)); });
        s.Register(t, "rol", (cx, a) => { uint b = Arg(cx, a, 1); int n = (int)(Arg(cx, a, 2) & 31); return Ret(cx, (b << n) | (b >> (32 - n))); });
        s.Register(t, "ror", (cx, a) => { uint b = Arg(cx, a, 1); int n = (int)(Arg(cx, a, 2) & 31); return Ret(cx, (b >> n) | (b << (32 - n))); });
        s.Register(t, "bswap", (cx, a) => Ret(cx, System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(Arg(cx, a, 1))));
        s.Register(t, "tohex", (cx, a) =>
        {
            uint b = Arg(cx, a, 1);
            int n = a.Length < 2 || a[1].IsNil ? 8 : (int)Arg(cx, a, 2);
            string hex = "0123456789abcdef";
            if (n < 0) { n = -n; hex = "0123456789ABCDEF"; }
            if (n > 8) n = 8;
            var buf = new byte[n];
            for (int i = n - 1; i >= 0; i--) { buf[i] = (byte)hex[(int)(b & 15)]; b >>= 4; }
            return cx.ReturnString(new LuaString(buf));
        });
        g.SetStr(LuaString.From("bit"), new LuaValue(t));
    }

    // barg: the number's low 32 bits after adding 2^52+2^51 (round to nearest, wrap modulo 2^32)
    static uint Arg(CallContext cx, ReadOnlySpan<LuaValue> a, int n)
    {
        double d = cx.CheckNumber(a, n) + 6755399441055744.0;
        return (uint)BitConverter.DoubleToInt64Bits(d);
    }

    static int Ret(CallContext cx, uint b) => cx.ReturnNumber((int)b);
}
