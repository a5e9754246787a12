using System.Runtime.CompilerServices;
using System.Text;

namespace Cinnabar.Lua.Lib;

/// <summary>lua-cjson 2.1.0 (the `cjson` module Redis bundles): encoding, decoding, settings and their error texts.</summary>
internal static class CjsonLib
{
    sealed class Config
    {
        public int SparseConvert, SparseRatio = 2, SparseSafe = 10;
        public int EncodeMaxDepth = 1000, DecodeMaxDepth = 1000;
        public int EncodeInvalidNumbers, DecodeInvalidNumbers = 1;
        public int KeepBuffer = 1, Precision = 14;
        /// <summary>encode's output buffer, kept between calls as cjson's encode_keep_buffer does (up to a size).</summary>
        public JsonBuffer? Buffer;

        // decode keeps its short strings by hash, as Lua interns every string: a document's keys and repeated
        // short values cost one lookup instead of a new byte array and string each time
        /// <summary>decode's parser between calls (taken while one runs, so a failed one is never reused).</summary>
        public Parser? SpareParser;

        /// <summary>Layouts of decoded objects by key sequence (keys interned above come back as the same objects).</summary>
        public readonly PairsLayoutCache Layouts = new();

        const int InternMax = 32;
        readonly LuaString?[] _strings = new LuaString?[256];

        public LuaString NewString(CallContext cx, ReadOnlySpan<byte> s)
        {
            if (s.Length > InternMax) return cx.NewString(s.ToArray());
            uint h = LuaString.ComputeHash(s);
            ref var slot = ref _strings[h & (uint)(_strings.Length - 1)];
            if (slot is { } c && c.Hash == h && c.Bytes.AsSpan().SequenceEqual(s)) return c;
            return slot = cx.NewString(s.ToArray());
        }
    }

    /// <summary>A growable byte buffer: appends of runs, not of single bytes through a list.</summary>
    sealed class JsonBuffer
    {
        byte[] _b = new byte[256];
        public int Count;
        public int Capacity => _b.Length;
        public void Add(byte c)
        {
            if (Count == _b.Length) Grow(1);
            _b[Count++] = c;
        }
        public void Add(ReadOnlySpan<byte> s)
        {
            if (_b.Length - Count < s.Length) Grow(s.Length);
            s.CopyTo(_b.AsSpan(Count));
            Count += s.Length;
        }
        public void Ascii(string s)
        {
            if (_b.Length - Count < s.Length) Grow(s.Length);
            foreach (char c in s) _b[Count++] = (byte)c;
        }
        /// <summary>Room for n more bytes, to be written then counted with Advance.</summary>
        public Span<byte> Room(int n)
        {
            if (_b.Length - Count < n) Grow(n);
            return _b.AsSpan(Count);
        }
        public void Advance(int n) => Count += n;
        void Grow(int n) => Array.Resize(ref _b, Math.Max(_b.Length * 2, Count + n));
        public byte[] ToArray() => _b.AsSpan(0, Count).ToArray();
    }

    public static void Open(LuaState s, LuaTable g) => g.SetStr(LuaString.From("cjson"), new LuaValue(NewModule(s)));

    static LuaTable NewModule(LuaState s)
    {
        var cfg = new Config();
        var t = new LuaTable();
        s.Register(t, "encode", (cx, a) => Encode(cx, a, cfg));
        s.Register(t, "decode", (cx, a) => Decode(cx, a, cfg));
        s.Register(t, "encode_sparse_array", (cx, a) =>
        {
            EnumOption(cx, a, 1, ref cfg.SparseConvert, null, 1);
            IntOption(cx, a, 2, ref cfg.SparseRatio, 0, int.MaxValue);
            IntOption(cx, a, 3, ref cfg.SparseSafe, 0, int.MaxValue);
            return cx.Return(LuaValue.Bool(cfg.SparseConvert != 0), LuaValue.Number(cfg.SparseRatio), LuaValue.Number(cfg.SparseSafe));
        });
        s.Register(t, "encode_max_depth", (cx, a) => IntOption(cx, a, 1, ref cfg.EncodeMaxDepth, 1, int.MaxValue));
        s.Register(t, "decode_max_depth", (cx, a) => IntOption(cx, a, 1, ref cfg.DecodeMaxDepth, 1, int.MaxValue));
        s.Register(t, "encode_number_precision", (cx, a) => IntOption(cx, a, 1, ref cfg.Precision, 1, 14));
        s.Register(t, "encode_keep_buffer", (cx, a) => EnumOption(cx, a, 1, ref cfg.KeepBuffer, null, 1));
        s.Register(t, "encode_invalid_numbers", (cx, a) => EnumOption(cx, a, 1, ref cfg.EncodeInvalidNumbers, ["off", "on", "null"], 1));
        s.Register(t, "decode_invalid_numbers", (cx, a) => EnumOption(cx, a, 1, ref cfg.DecodeInvalidNumbers, null, 1));
        s.Register(t, "new", (cx, a) => cx.Return(new LuaValue(NewModule(cx.State))));
        t.SetStr(LuaString.From("null"), LuaValue.LightNull);
        t.SetStr(LuaString.From("_NAME"), LuaValue.String("cjson"));
        t.SetStr(LuaString.From("_VERSION"), LuaValue.String("2.1.0"));
        return t;
    }

    static int IntOption(CallContext cx, ReadOnlySpan<LuaValue> a, int i, ref int setting, int min, int max)
    {
        if (!cx.Arg(a, i).IsNil)
        {
            long v = cx.CheckInteger(a, i);
            if (!(min <= v && v <= max)) throw cx.ArgError(1, $"expected integer between {min} and {max}");
            setting = (int)v;
        }
        return cx.ReturnNumber(setting);
    }

    static int EnumOption(CallContext cx, ReadOnlySpan<LuaValue> a, int i, ref int setting, string[]? options, int boolTrue)
    {
        if (options is null) { options = ["off", "on"]; boolTrue = 1; }
        var v = cx.Arg(a, i);
        if (!v.IsNil)
        {
            if (boolTrue != 0 && v.IsBoolean) setting = v.IsTruthy ? boolTrue : 0;
            else setting = cx.CheckOption(a, i, null, options);
        }
        if (boolTrue != 0 && (setting == 0 || setting == boolTrue)) return cx.ReturnBool(setting != 0);
        return cx.Return(LuaValue.String(options[setting]));
    }

    // ---------------- encoding ----------------
    static readonly string?[] Escapes = BuildEscapes();
    static string?[] BuildEscapes()
    {
        var e = new string?[256];
        for (int c = 0; c < 32; c++) e[c] = $"\\u{c:x4}";
        e['\b'] = "\\b"; e['\t'] = "\\t"; e['\n'] = "\\n"; e['\f'] = "\\f"; e['\r'] = "\\r";
        e['"'] = "\\\""; e['\\'] = "\\\\"; e['/'] = "\\/"; e[127] = "\\u007f";
        return e;
    }

    static int Encode(CallContext cx, ReadOnlySpan<LuaValue> a, Config cfg)
    {
        if (a.Length != 1) throw cx.ArgError(1, "expected 1 argument");
        var o = cfg.Buffer ?? new JsonBuffer();
        cfg.Buffer = null; // an error part way leaves it out; encode calls no Lua code, so nothing else can use it
        o.Count = 0;
        AppendData(cx, cfg, a[0], 0, o);
        var result = o.ToArray();
        if (cfg.KeepBuffer != 0 && o.Capacity <= 1 << 20) cfg.Buffer = o;
        return cx.ReturnString(cx.NewString(result));
    }

    static LuaException EncodeError(CallContext cx, LuaValue v, string reason) =>
        cx.Error($"Cannot serialise {v.TypeName}: {reason}");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AppendString(JsonBuffer o, LuaString s)
    {
        o.Add((byte)'"');
        var b = s.Bytes;
        int run = 0; // start of the bytes not yet copied: unescaped runs are copied whole
        for (int i = 0; i < b.Length; i++)
        {
            var e = Escapes[b[i]];
            if (e is null) continue;
            o.Add(b.AsSpan(run, i - run));
            o.Ascii(e);
            run = i + 1;
        }
        o.Add(b.AsSpan(run));
        o.Add((byte)'"');
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AppendNumber(CallContext cx, Config cfg, LuaValue v, JsonBuffer o)
    {
        double d = v.AsNumber;
        if (cfg.EncodeInvalidNumbers == 0)
        {
            if (!double.IsFinite(d)) throw EncodeError(cx, v, "must not be NaN or Inf");
        }
        else if (cfg.EncodeInvalidNumbers == 1)
        {
            if (double.IsNaN(d)) { Ascii(o, "nan"); return; }
        }
        else if (!double.IsFinite(d)) { Ascii(o, "null"); return; }
        if (d == Math.Floor(d) && Math.Abs(d) < Pow10[cfg.Precision] && d != 0)
        {
            // an integral value with at most `precision` digits prints as an integer under %.{precision}g
            var room = o.Room(24);
            long l = (long)d;
            int n = 0;
            if (l < 0) { room[n++] = (byte)'-'; l = -l; }
            o.Advance(n + NumberFormat.FormatDigits(l, room[n..]));
            return;
        }
        int few = NumberFormat.TryFormatFewDecimals(d, cfg.Precision, o.Room(NumberFormat.MaxFewDecimalsLength));
        if (few > 0) { o.Advance(few); return; }
        Ascii(o, NumberFormat.FormatG(d, cfg.Precision, false, false));
    }

    static readonly double[] Pow10 = Enumerable.Range(0, 16).Select(i => Math.Pow(10, i)).ToArray();

    static void Ascii(JsonBuffer o, string s) => o.Ascii(s);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AppendData(CallContext cx, Config cfg, LuaValue v, int depth, JsonBuffer o)
    {
        switch (v.Type)
        {
            case LuaType.String: AppendString(o, v.AsString!); break;
            case LuaType.Number: AppendNumber(cx, cfg, v, o); break;
            case LuaType.Boolean: Ascii(o, v.IsTruthy ? "true" : "false"); break;
            case LuaType.Nil: case LuaType.LightUserData: Ascii(o, "null"); break;
            case LuaType.Table:
            {
                depth++;
                if (depth > cfg.EncodeMaxDepth) throw cx.Error($"Cannot serialise, excessive nesting ({depth})");
                var t = v.AsTable!;
                int len = ArrayLength(cx, cfg, v, t);
                if (len > 0)
                {
                    o.Add((byte)'[');
                    for (int i = 1; i <= len; i++)
                    {
                        if (i > 1) o.Add((byte)',');
                        AppendData(cx, cfg, t.GetInt(i), depth, o);
                    }
                    o.Add((byte)']');
                }
                else
                {
                    o.Add((byte)'{');
                    int at = 0; // nothing here runs Lua code: the table stays as it is during the walk
                    bool comma = false;
                    while (t.NextAt(ref at, out var k, out var val))
                    {
                        if (comma) o.Add((byte)','); else comma = true;
                        if (k.IsNumber) { o.Add((byte)'"'); AppendNumber(cx, cfg, k, o); o.Add((byte)'"'); o.Add((byte)':'); }
                        else if (k.O is LuaString ks) { AppendString(o, ks); o.Add((byte)':'); }
                        else throw EncodeError(cx, k, "table key must be a number or string");
                        AppendData(cx, cfg, val, depth, o);
                    }
                    o.Add((byte)'}');
                }
                if (o.Count > 1 << 20) cx.State.Memory.Charge(0);
                break;
            }
            default: throw EncodeError(cx, v, "type not supported");
        }
    }

    static int ArrayLength(CallContext cx, Config cfg, LuaValue tv, LuaTable t)
    {
        double max = 0;
        int items = 0;
        int at = 0;
        while (t.NextAt(ref at, out var k, out _))
        {
            if (k.IsNumber && k.AsNumber != 0)
            {
                double d = k.AsNumber;
                if (Math.Floor(d) == d && d >= 1)
                {
                    if (d > max) max = d;
                    items++;
                    continue;
                }
            }
            return -1;
        }
        if (cfg.SparseRatio > 0 && max > (double)items * cfg.SparseRatio && max > cfg.SparseSafe)
        {
            if (cfg.SparseConvert == 0) throw EncodeError(cx, tv, "excessively sparse array");
            return -1;
        }
        return (int)max;
    }

    // ---------------- decoding ----------------
    enum T { ObjBegin, ObjEnd, ArrBegin, ArrEnd, String, Number, Boolean, Null, Colon, Comma, End, Whitespace, Error, Unknown }


    /// <summary>A decoder, kept by its module between decodes (one that fails is dropped with what it held).</summary>
    sealed class Parser(Config cfg)
    {
        CallContext cx = null!;
        byte[] data = [];
        int _ptr;
        int _depth;
        int _end;
        List<byte>? _tmp; // for strings with escapes only

        public void Start(CallContext context, byte[] input)
        {
            cx = context;
            data = input;
            _ptr = 0;
            _depth = 0;
            _end = Array.IndexOf(input, (byte)0) is var z && z >= 0 ? z : input.Length; // C strings end at NUL
        }

        /// <summary>Lets go of the input and the last value before the parser waits for the next decode.</summary>
        public void Finish()
        {
            cx = null!;
            data = [];
            _value = default;
            if (_pending.Length > 1024) _pending = new LuaValue[16]; // a huge document's buffers are not kept
            if (_tmp is { Capacity: > 4096 }) _tmp = null;
        }

        // the current token, in fields rather than a struct copied through every call
        T _type;
        int _index;
        string? _err;
        LuaValue _value;
        public T Type => _type;

        int Ch(int i) => i < data.Length ? data[i] : 0;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void NextToken()
        {
            int ch;
            T type;
            while (true)
            {
                ch = Ch(_ptr);
                type = Classify(ch);
                if (type != T.Whitespace) break;
                _ptr++;
            }
            _type = type;
            _index = _ptr;
            if (type == T.Error) { _err = "invalid token"; return; }
            if (type == T.End) return;
            if (type != T.Unknown) { _ptr++; return; }
            if (ch == '"') { StringToken(); return; }
            if (ch == '-' || (ch >= '0' && ch <= '9'))
            {
                if (cfg.DecodeInvalidNumbers == 0 && IsInvalidNumber()) { SetError("invalid number"); return; }
                NumberToken();
                return;
            }
            if (Match("true")) { _type = T.Boolean; _value = LuaValue.True; _ptr += 4; return; }
            if (Match("false")) { _type = T.Boolean; _value = LuaValue.False; _ptr += 5; return; }
            if (Match("null")) { _type = T.Null; _ptr += 4; return; }
            if (cfg.DecodeInvalidNumbers != 0 && IsInvalidNumber()) { NumberToken(); return; }
            SetError("invalid token");
        }

        void SetError(string err) { _type = T.Error; _index = _ptr; _err = err; }

        bool Match(string w)
        {
            for (int i = 0; i < w.Length; i++) if (Ch(_ptr + i) != w[i]) return false;
            return true;
        }

        static T Classify(int ch) => ch switch
        {
            '{' => T.ObjBegin, '}' => T.ObjEnd, '[' => T.ArrBegin, ']' => T.ArrEnd, ',' => T.Comma, ':' => T.Colon,
            0 => T.End, ' ' or '\t' or '\n' or '\r' => T.Whitespace,
            'f' or 'i' or 'I' or 'n' or 'N' or 't' or '"' or '-' or '+' => T.Unknown,
            >= '0' and <= '9' => T.Unknown,
            _ => T.Error,
        };

        bool IsInvalidNumber()
        {
            int p = _ptr;
            if (Ch(p) == '+') return true;
            if (Ch(p) == '-') p++;
            if (Ch(p) == '0')
            {
                int c2 = Ch(p + 1);
                return (c2 | 0x20) == 'x' || (c2 >= '0' && c2 <= '9');
            }
            if (Ch(p) <= '9') return false;
            bool Word(string w) { for (int i = 0; i < 3; i++) if ((Ch(p + i) | 0x20) != w[i]) return false; return true; }
            return Word("inf") || Word("nan");
        }

        void NumberToken()
        {
            var span = data.AsSpan(0, _end);
            int end = NumberFormat.StrToD(span, _ptr, out double d);
            if (end <= _ptr) { SetError("invalid number"); return; }
            _type = T.Number;
            _value = LuaValue.Number(d);
            _ptr = end;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void StringToken()
        {
            _ptr++;
            // most strings have no escapes: taken as one slice of the input
            int close = data.AsSpan(_ptr, _end - _ptr).IndexOfAny((byte)'"', (byte)'\\');
            if (close >= 0 && data[_ptr + close] == '"')
            {
                _type = T.String;
                _value = new LuaValue(cfg.NewString(cx, data.AsSpan(_ptr, close)));
                _ptr += close + 1;
                return;
            }
            (_tmp ??= new()).Clear();
            int ch;
            while ((ch = Ch(_ptr)) != '"')
            {
                if (ch == 0) { SetError("unexpected end of string"); return; }
                if (ch == '\\')
                {
                    int e = Ch(_ptr + 1);
                    int tr = e switch { '"' => '"', '\\' => '\\', '/' => '/', 'b' => '\b', 't' => '\t', 'n' => '\n', 'f' => '\f', 'r' => '\r', 'u' => 'u', _ => 0 };
                    if (tr == 'u')
                    {
                        if (UnicodeEscape()) continue;
                        SetError("invalid unicode escape code");
                        return;
                    }
                    if (tr == 0) { SetError("invalid escape code"); return; }
                    _ptr++;
                    ch = tr;
                }
                _tmp.Add((byte)ch);
                _ptr++;
            }
            _ptr++;
            _type = T.String;
            _value = new LuaValue(cx.NewString(_tmp.ToArray()));
        }

        int Hex4(int p)
        {
            int v = 0;
            for (int i = 0; i < 4; i++)
            {
                int d = NumberFormat.HexVal((byte)Ch(p + i));
                if (d < 0) return -1;
                v = (v << 4) + d;
            }
            return v;
        }

        bool UnicodeEscape()
        {
            int cp = Hex4(_ptr + 2);
            if (cp < 0) return false;
            int len = 6;
            if ((cp & 0xF800) == 0xD800)
            {
                if ((cp & 0x400) != 0) return false;
                if (Ch(_ptr + 6) != '\\' || Ch(_ptr + 7) != 'u') return false;
                int lo = Hex4(_ptr + 8);
                if (lo < 0 || (lo & 0xFC00) != 0xDC00) return false;
                cp = (((cp & 0x3FF) << 10) | (lo & 0x3FF)) + 0x10000;
                len = 12;
            }
            if (cp <= 0x7F) _tmp.Add((byte)cp);
            else if (cp <= 0x7FF) { _tmp.Add((byte)((cp >> 6) | 0xC0)); _tmp.Add((byte)((cp & 0x3F) | 0x80)); }
            else if (cp <= 0xFFFF) { _tmp.Add((byte)((cp >> 12) | 0xE0)); _tmp.Add((byte)(((cp >> 6) & 0x3F) | 0x80)); _tmp.Add((byte)((cp & 0x3F) | 0x80)); }
            else { _tmp.Add((byte)((cp >> 18) | 0xF0)); _tmp.Add((byte)(((cp >> 12) & 0x3F) | 0x80)); _tmp.Add((byte)(((cp >> 6) & 0x3F) | 0x80)); _tmp.Add((byte)((cp & 0x3F) | 0x80)); }
            _ptr += len;
            return true;
        }

        static readonly string[] TypeNames =
            ["T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR", "T_UNKNOWN"];

        public LuaException ParseError(string expected) =>
            cx.Error($"Expected {expected} but found {(_type == T.Error ? _err : TypeNames[(int)_type])} at character {_index + 1}");

        // decoded items of the objects and arrays being parsed (nested ones above their parents' items)
        LuaValue[] _pending = new LuaValue[16];
        int _pendingTop;

        void Pend(LuaValue v)
        {
            if (_pendingTop == _pending.Length) Array.Resize(ref _pending, _pending.Length * 2);
            _pending[_pendingTop++] = v;
        }

        void Unpend(int start)
        {
            Array.Clear(_pending, start, _pendingTop - start); // kept for the next decode: no hold on this one's values
            _pendingTop = start;
        }

        void Descend()
        {
            _depth++;
            if (_depth > cfg.DecodeMaxDepth)
                throw cx.Error($"Found too many nested data structures ({_depth}) at character {_ptr}");
        }

        /// <summary>The value that starts at the current token (its last token stays current).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public LuaValue Value()
        {
            switch (_type)
            {
                case T.String: case T.Number: case T.Boolean: return _value;
                case T.Null: return LuaValue.LightNull;
                case T.ObjBegin:
                {
                    Descend();
                    var t = cx.NewTable();
                    NextToken();
                    if (_type == T.ObjEnd) { _depth--; return new LuaValue(t); }
                    int start = _pendingTop;
                    while (true)
                    {
                        if (_type != T.String) throw ParseError("object key string");
                        var key = _value;
                        NextToken();
                        if (_type != T.Colon) throw ParseError("colon");
                        NextToken();
                        var v = Value();
                        Pend(key);
                        Pend(v);
                        NextToken();
                        if (_type == T.ObjEnd) break;
                        if (_type != T.Comma) throw ParseError("comma or object end");
                        NextToken();
                    }
                    // the fields are stored once they are all known: the table is sized once, laid out as the sets would
                    t.FillStringPairs(_pending.AsSpan(start, _pendingTop - start), cfg.Layouts);
                    Unpend(start);
                    _depth--;
                    return new LuaValue(t);
                }
                case T.ArrBegin:
                {
                    Descend();
                    var t = cx.NewTable();
                    NextToken();
                    if (_type == T.ArrEnd) { _depth--; return new LuaValue(t); }
                    int start = _pendingTop;
                    while (true)
                    {
                        var v = Value();
                        Pend(v);
                        NextToken();
                        if (_type == T.ArrEnd) break;
                        if (_type != T.Comma) throw ParseError("comma or array end");
                        NextToken();
                    }
                    t.FillSequence(_pending.AsSpan(start, _pendingTop - start));
                    Unpend(start);
                    _depth--;
                    return new LuaValue(t);
                }
                default: throw ParseError("value");
            }
        }
    }

    static int Decode(CallContext cx, ReadOnlySpan<LuaValue> a, Config cfg)
    {
        if (a.Length != 1) throw cx.ArgError(1, "expected 1 argument");
        var data = cx.CheckString(a, 1).Bytes;
        if (data.Length >= 2 && (data[0] == 0 || data[1] == 0)) throw cx.Error("JSON parser does not support UTF-16 or UTF-32");
        var p = cfg.SpareParser ?? new Parser(cfg);
        cfg.SpareParser = null;
        p.Start(cx, data);
        p.NextToken();
        var v = p.Value();
        p.NextToken();
        if (p.Type != T.End) throw p.ParseError("the end");
        p.Finish(); // every pending item was stored and cleared
        cfg.SpareParser = p;
        return cx.Return(v);
    }
}
