using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Cinnabar.Lua.Lib;

/// <summary>lua-cmsgpack 0.4.0 as Redis bundles it (lua_cmsgpack.c): pack, unpack, unpack_one, unpack_limit.</summary>
internal static class CmsgpackLib
{
    const int MaxNesting = 16;

    public static void Open(LuaState s, LuaTable g)
    {
        var t = new LuaTable();
        s.Register(t, "pack", Pack);
        s.Register(t, "unpack", (cx, a) => UnpackFull(cx, a, 0, 0));
        s.Register(t, "unpack_one", (cx, a) => UnpackFull(cx, a, 1, cx.OptInteger(a, 2, 0)));
        s.Register(t, "unpack_limit", (cx, a) => UnpackFull(cx, a, cx.CheckInteger(a, 2), cx.OptInteger(a, 3, 0)));
        t.SetStr(LuaString.From("_NAME"), LuaValue.String("cmsgpack"));
        t.SetStr(LuaString.From("_VERSION"), LuaValue.String("lua-cmsgpack 0.4.0"));
        t.SetStr(LuaString.From("_COPYRIGHT"), LuaValue.String("Copyright (C) 2012, Salvatore Sanfilippo"));
        t.SetStr(LuaString.From("_DESCRIPTION"), LuaValue.String("MessagePack C implementation for Lua"));
        g.SetStr(LuaString.From("cmsgpack"), new LuaValue(t));
    }

    static int Pack(CallContext cx, ReadOnlySpan<LuaValue> a)
    {
        if (a.Length == 0) throw cx.ArgError(0, "MessagePack pack needs input.");
        var o = new List<byte>();
        foreach (var v in a) EncodeValue(cx, o, v, 0);
        return cx.ReturnString(cx.NewString(o.ToArray()));
    }

    static void EncodeValue(CallContext cx, List<byte> o, LuaValue v, int level)
    {
        var t = v.Type;
        if (t == LuaType.Table && level == MaxNesting) t = LuaType.Nil;
        switch (t)
        {
            case LuaType.String: EncodeBytes(o, v.AsString!.Bytes); break;
            case LuaType.Boolean: o.Add(v.IsTruthy ? (byte)0xc3 : (byte)0xc2); break;
            case LuaType.Number:
            {
                double n = v.AsNumber;
                if (!double.IsInfinity(n) && (double)CallContext.ToInteger(n) == n) EncodeInt(o, CallContext.ToInteger(n));
                else EncodeDouble(o, n);
                break;
            }
            case LuaType.Table: EncodeTable(cx, o, v, level); break;
            default: o.Add(0xc0); break;
        }
    }

    static void Be(List<byte> o, ulong v, int bytes) { for (int i = bytes - 1; i >= 0; i--) o.Add((byte)(v >> (8 * i))); }

    static void EncodeBytes(List<byte> o, byte[] s)
    {
        int len = s.Length;
        if (len < 32) o.Add((byte)(0xa0 | len));
        else if (len <= 0xff) { o.Add(0xd9); o.Add((byte)len); }
        else if (len <= 0xffff) { o.Add(0xda); Be(o, (ulong)len, 2); }
        else { o.Add(0xdb); Be(o, (ulong)len, 4); }
        o.AddRange(s);
    }

    static void EncodeDouble(List<byte> o, double d)
    {
        float f = (float)d;
        if (d == f) { o.Add(0xca); Be(o, BitConverter.SingleToUInt32Bits(f), 4); }
        else { o.Add(0xcb); Be(o, BitConverter.DoubleToUInt64Bits(d), 8); }
    }

    static void EncodeInt(List<byte> o, long n)
    {
        if (n >= 0)
        {
            if (n <= 127) o.Add((byte)n);
            else if (n <= 0xff) { o.Add(0xcc); o.Add((byte)n); }
            else if (n <= 0xffff) { o.Add(0xcd); Be(o, (ulong)n, 2); }
            else if (n <= 0xffffffffL) { o.Add(0xce); Be(o, (ulong)n, 4); }
            else { o.Add(0xcf); Be(o, (ulong)n, 8); }
        }
        else
        {
            if (n >= -32) o.Add((byte)(sbyte)n);
            else if (n >= -128) { o.Add(0xd0); o.Add((byte)n); }
            else if (n >= -32768) { o.Add(0xd1); Be(o, (ulong)n, 2); }
            else if (n >= -2147483648L) { o.Add(0xd2); Be(o, (ulong)n, 4); }
            else { o.Add(0xd3); Be(o, (ulong)n, 8); }
        }
    }

    static void EncodeHeader(List<byte> o, long n, byte fix, byte h16, byte h32)
    {
        if (n <= 15) o.Add((byte)(fix | n));
        else if (n <= 65535) { o.Add(h16); Be(o, (ulong)n, 2); }
        else { o.Add(h32); Be(o, (ulong)n, 4); }
    }

    static void EncodeTable(CallContext cx, List<byte> o, LuaValue tv, int level)
    {
        var t = tv.AsTable!;
        if (IsArray(t))
        {
            int len = t.Length;
            EncodeHeader(o, len, 0x90, 0xdc, 0xdd);
            for (int j = 1; j <= len; j++) EncodeValue(cx, o, cx.Index(tv, LuaValue.Number(j), null), level + 1);
            return;
        }
        long count = 0;
        var k = LuaValue.Nil;
        while (t.Next(ref k, out _)) count++;
        EncodeHeader(o, count, 0x80, 0xde, 0xdf);
        k = LuaValue.Nil;
        while (t.Next(ref k, out var v))
        {
            EncodeValue(cx, o, k, level + 1);
            EncodeValue(cx, o, v, level + 1);
        }
    }

    static bool IsArray(LuaTable t)
    {
        int count = 0, max = 0;
        var k = LuaValue.Nil;
        while (t.Next(ref k, out _))
        {
            if (!k.IsNumber) return false;
            double n = k.AsNumber;
            if (n <= 0 || !(n >= int.MinValue && n <= int.MaxValue && (int)n == n)) return false;
            if (n > max) max = (int)n;
            count++;
        }
        return max == count;
    }

    sealed class Cursor(byte[] data, int pos)
    {
        public int P = pos;
        public int Left => data.Length - P;
        public byte this[int i] => data[P + i];
        public byte[] Data => data;
    }

    sealed class DecodeException(bool eof) : Exception { public readonly bool Eof = eof; }

    static void Need(Cursor c, long n) { if (c.Left < n) throw new DecodeException(true); }

    static LuaValue Decode(CallContext cx, Cursor c)
    {
        Need(c, 1);
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw cx.Error("stack overflow");
        var d = c.Data;
        byte b = c[0];
        switch (b)
        {
            case 0xcc: Need(c, 2); c.P += 2; return LuaValue.Number(d[c.P - 1]);
            case 0xd0: Need(c, 2); c.P += 2; return LuaValue.Number((sbyte)d[c.P - 1]);
            case 0xcd: Need(c, 3); c.P += 3; return LuaValue.Number(BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(c.P - 2)));
            case 0xd1: Need(c, 3); c.P += 3; return LuaValue.Number(BinaryPrimitives.ReadInt16BigEndian(d.AsSpan(c.P - 2)));
            case 0xce: Need(c, 5); c.P += 5; return LuaValue.Number(BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(c.P - 4)));
            case 0xd2: Need(c, 5); c.P += 5; return LuaValue.Number(BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(c.P - 4)));
            case 0xcf: Need(c, 9); c.P += 9; return LuaValue.Number((long)BinaryPrimitives.ReadUInt64BigEndian(d.AsSpan(c.P - 8)));
            case 0xd3: Need(c, 9); c.P += 9; return LuaValue.Number(BinaryPrimitives.ReadInt64BigEndian(d.AsSpan(c.P - 8)));
            case 0xc0: c.P++; return LuaValue.Nil;
            case 0xc3: c.P++; return LuaValue.True;
            case 0xc2: c.P++; return LuaValue.False;
            case 0xca: Need(c, 5); c.P += 5; return LuaValue.Number(BitConverter.UInt32BitsToSingle(BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(c.P - 4))));
            case 0xcb: Need(c, 9); c.P += 9; return LuaValue.Number(BitConverter.UInt64BitsToDouble(BinaryPrimitives.ReadUInt64BigEndian(d.AsSpan(c.P - 8))));
            case 0xd9: { Need(c, 2); int l = c[1]; Need(c, 2 + l); c.P += 2; return Str(cx, c, l); }
            case 0xda: { Need(c, 3); int l = (c[1] << 8) | c[2]; Need(c, 3 + l); c.P += 3; return Str(cx, c, l); }
            case 0xdb: { Need(c, 5); long l = BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(c.P + 1)); c.P += 5; Need(c, l); return Str(cx, c, (int)l); }
            case 0xdc: { Need(c, 3); int l = (c[1] << 8) | c[2]; c.P += 3; return Array(cx, c, l); }
            case 0xdd: { Need(c, 5); long l = BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(c.P + 1)); c.P += 5; return Array(cx, c, l); }
            case 0xde: { Need(c, 3); int l = (c[1] << 8) | c[2]; c.P += 3; return Map(cx, c, l); }
            case 0xdf: { Need(c, 5); long l = BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(c.P + 1)); c.P += 5; return Map(cx, c, l); }
        }
        if ((b & 0x80) == 0) { c.P++; return LuaValue.Number(b); }
        if ((b & 0xe0) == 0xe0) { c.P++; return LuaValue.Number((sbyte)b); }
        if ((b & 0xe0) == 0xa0) { int l = b & 0x1f; Need(c, 1 + l); c.P++; return Str(cx, c, l); }
        if ((b & 0xf0) == 0x90) { c.P++; return Array(cx, c, b & 0xf); }
        if ((b & 0xf0) == 0x80) { c.P++; return Map(cx, c, b & 0xf); }
        throw new DecodeException(false);
    }

    static LuaValue Str(CallContext cx, Cursor c, int l)
    {
        var s = cx.NewString(c.Data[c.P..(c.P + l)]);
        c.P += l;
        return new LuaValue(s);
    }

    static LuaValue Array(CallContext cx, Cursor c, long len)
    {
        var t = cx.NewTable();
        for (long i = 1; i <= len; i++) t.Set(LuaValue.Number(i), Decode(cx, c));
        return new LuaValue(t);
    }

    static LuaValue Map(CallContext cx, Cursor c, long len)
    {
        var t = cx.NewTable();
        for (long i = 0; i < len; i++)
        {
            var k = Decode(cx, c);
            var v = Decode(cx, c);
            cx.RawSetChecked(t, k, v);
        }
        return new LuaValue(t);
    }

    static int UnpackFull(CallContext cx, ReadOnlySpan<LuaValue> a, long limit, long offset)
    {
        var s = cx.CheckString(a, 1).Bytes;
        bool decodeAll = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) throw cx.Error($"Invalid request to unpack with offset of {(int)offset} and limit of {s.Length}.");
        if (offset > s.Length) throw cx.Error($"Start offset {(int)offset} greater than input length {s.Length}.");
        if (decodeAll) limit = int.MaxValue;
        var c = new Cursor(s, (int)offset);
        var results = new List<LuaValue>();
        try
        {
            for (int cnt = 0; c.Left > 0 && cnt < limit; cnt++)
            {
                if (results.Count >= 7990) throw cx.Error("stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)");
                results.Add(Decode(cx, c));
            }
        }
        catch (DecodeException e) { throw cx.Error(e.Eof ? "Missing bytes in input." : "Bad data format in input."); }
        if (!decodeAll) results.Insert(0, LuaValue.Number(c.Left == 0 ? -1 : c.P));
        return cx.ReturnSpan(results.ToArray());
    }
}
