using System.Text;

namespace Cinnabar.Lua.Compiler;

internal enum Tok
{
    Eos, Name, String, Number,
    And, Break, Do, Else, Elseif, End, False, For, Function, If, In, Local, Nil, Not, Or, Repeat, Return, Then,
    True, Until, While,
    Concat, Dots, Eq, Ge, Le, Ne,
    Char, // single-character token in CharValue
}

/// <summary>Lua 5.1's lexer (llex.c behaviour): tokens on demand with one lookahead, 5.1's error texts.</summary>
internal sealed class Lexer
{
    static readonly Dictionary<string, Tok> Reserved = new()
    {
        ["and"] = Tok.And, ["break"] = Tok.Break, ["do"] = Tok.Do, ["else"] = Tok.Else, ["elseif"] = Tok.Elseif,
        ["end"] = Tok.End, ["false"] = Tok.False, ["for"] = Tok.For, ["function"] = Tok.Function, ["if"] = Tok.If,
        ["in"] = Tok.In, ["local"] = Tok.Local, ["nil"] = Tok.Nil, ["not"] = Tok.Not, ["or"] = Tok.Or,
        ["repeat"] = Tok.Repeat, ["return"] = Tok.Return, ["then"] = Tok.Then, ["true"] = Tok.True,
        ["until"] = Tok.Until, ["while"] = Tok.While,
    };

    public struct Token
    {
        public Tok T;
        public int Char;
        public double Num;
        public LuaString? Str;
        public string Raw; // text for "near '...'"
    }

    readonly byte[] _src;
    int _pos;
    public int Line = 1;
    public int LastLine = 1;
    public readonly string ChunkId;
    public Token Cur, Ahead;
    bool _hasAhead;
    readonly StringBuilder _raw = new();

    public readonly string ErrorChunkId;

    public Lexer(byte[] src, string chunkId, string errorChunkId)
    {
        _src = src;
        ChunkId = chunkId;
        ErrorChunkId = errorChunkId;
        if (_src.Length > 0 && _src[0] == '#') // skip a first line starting with '#'
            while (_pos < _src.Length && _src[_pos] != '\n' && _src[_pos] != '\r') _pos++;
    }

    int Current => _pos < _src.Length ? _src[_pos] : -1;
    int Peek(int k) => _pos + k < _src.Length ? _src[_pos + k] : -1;

    public void Next()
    {
        LastLine = Line;
        if (_hasAhead) { Cur = Ahead; _hasAhead = false; }
        else Cur = Scan();
    }

    public Tok LookAhead()
    {
        if (!_hasAhead) { Ahead = Scan(); _hasAhead = true; }
        return Ahead.T;
    }

    public static string TokenText(Tok t, int c) => t switch
    {
        Tok.Eos => "<eof>", Tok.Name => "<name>", Tok.String => "<string>", Tok.Number => "<number>",
        Tok.Concat => "..", Tok.Dots => "...", Tok.Eq => "==", Tok.Ge => ">=", Tok.Le => "<=", Tok.Ne => "~=",
        Tok.Char => c < 32 || c == 127 ? $"char({c})" : ((char)c).ToString(),
        _ => t.ToString().ToLowerInvariant(),
    };

    public string NearText(in Token t) => t.T switch
    {
        Tok.Name or Tok.String or Tok.Number => t.Raw,
        _ => TokenText(t.T, t.Char),
    };

    public LuaSyntaxException Error(string msg, in Token? near)
    {
        string m = $"{ErrorChunkId}:{Line}: {msg}";
        if (near is { } n) m += $" near '{NearText(n)}'";
        return new LuaSyntaxException(m);
    }

    LuaSyntaxException LexError(string msg, bool withRaw, bool eos = false)
    {
        string m = $"{ErrorChunkId}:{Line}: {msg}";
        if (eos) m += " near '<eof>'";
        else if (withRaw) m += $" near '{_raw}'";
        return new LuaSyntaxException(m);
    }

    bool IsNewline(int c) => c == '\n' || c == '\r';

    void IncLine()
    {
        int old = Current;
        _pos++;
        if (IsNewline(Current) && Current != old) _pos++;
        if (++Line >= int.MaxValue - 2) throw LexError("chunk has too many lines", false);
    }

    Token Scan()
    {
        _raw.Clear();
        while (true)
        {
            int c = Current;
            switch (c)
            {
                case -1: return new Token { T = Tok.Eos };
                case '\n': case '\r': IncLine(); continue;
                case ' ': case '\t': case '\f': case '\v': _pos++; continue;
                case '-':
                    if (Peek(1) != '-') { _pos++; return Ch('-'); }
                    _pos += 2;
                    if (Current == '[')
                    {
                        int sep = SkipSep();
                        _raw.Clear();
                        if (sep >= 0) { ReadLongString(sep, comment: true); continue; }
                    }
                    while (Current != -1 && !IsNewline(Current)) _pos++;
                    continue;
                case '[':
                {
                    int sep = SkipSep();
                    if (sep >= 0)
                    {
                        var s = ReadLongString(sep, comment: false);
                        return new Token { T = Tok.String, Str = s, Raw = _raw.ToString() };
                    }
                    if (sep == -1) return Ch('[');
                    throw LexError("invalid long string delimiter", true);
                }
                case '=': _pos++; if (Current != '=') return Ch('='); _pos++; return new Token { T = Tok.Eq };
                case '<': _pos++; if (Current != '=') return Ch('<'); _pos++; return new Token { T = Tok.Le };
                case '>': _pos++; if (Current != '=') return Ch('>'); _pos++; return new Token { T = Tok.Ge };
                case '~': _pos++; if (Current != '=') return Ch('~'); _pos++; return new Token { T = Tok.Ne };
                case '"': case '\'': return ReadString(c);
                case '.':
                    _raw.Append('.'); _pos++;
                    if (Current == '.')
                    {
                        _pos++;
                        if (Current == '.') { _pos++; return new Token { T = Tok.Dots }; }
                        return new Token { T = Tok.Concat };
                    }
                    if (!IsDigit(Current)) return Ch('.');
                    return ReadNumeral();
                default:
                    if (IsDigit(c)) return ReadNumeral();
                    if (IsAlpha(c))
                    {
                        int start = _pos;
                        while (IsAlnum(Current)) _pos++;
                        string name = Encoding.Latin1.GetString(_src, start, _pos - start);
                        if (Reserved.TryGetValue(name, out var rt)) return new Token { T = rt, Raw = name };
                        return new Token { T = Tok.Name, Str = new LuaString(_src[start.._pos]), Raw = name };
                    }
                    _pos++;
                    return Ch(c);
            }
        }
    }

    static Token Ch(int c) => new() { T = Tok.Char, Char = c };
    static bool IsDigit(int c) => c >= '0' && c <= '9';
    static bool IsAlpha(int c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    static bool IsAlnum(int c) => IsAlpha(c) || IsDigit(c);

    Token ReadNumeral()
    {
        do { _raw.Append((char)Current); _pos++; } while (IsDigit(Current) || Current == '.');
        if (Current == 'e' || Current == 'E')
        {
            _raw.Append((char)Current); _pos++;
            if (Current == '+' || Current == '-') { _raw.Append((char)Current); _pos++; }
        }
        while (IsAlnum(Current)) { _raw.Append((char)Current); _pos++; }
        string text = _raw.ToString();
        if (!NumberFormat.TryParse(Encoding.Latin1.GetBytes(text), out double d))
            throw LexError("malformed number", true);
        return new Token { T = Tok.Number, Num = d, Raw = text };
    }

    // at '[' : counts '=' signs; returns the count when followed by '[', else -count-1
    int SkipSep()
    {
        int count = 0;
        int s = Current;
        _raw.Append((char)s); _pos++;
        while (Current == '=') { _raw.Append('='); _pos++; count++; }
        return Current == s ? count : -count - 1;
    }

    LuaString ReadLongString(int sep, bool comment)
    {
        _raw.Append((char)Current); _pos++; // second '['
        if (IsNewline(Current)) IncLine();
        var buf = new List<byte>();
        while (true)
        {
            int c = Current;
            switch (c)
            {
                case -1:
                    throw LexError(comment ? "unfinished long comment" : "unfinished long string", false, eos: true);
                case '[':
                {
                    int save = _pos;
                    if (SkipSep() == sep)
                    {
                        _pos++;
                        if (sep == 0) throw LexError("nesting of [[...]] is deprecated", false, false).WithNear(this, "[");
                    }
                    for (int k = save; k < _pos; k++) buf.Add(_src[k]);
                    continue;
                }
                case ']':
                {
                    int save = _pos;
                    if (SkipSep() == sep)
                    {
                        _pos++;
                        var r = comment ? LuaString.Empty : new LuaString(buf.ToArray());
                        _raw.Clear(); _raw.Append(Encoding.Latin1.GetString(_src, save - 0, 0));
                        return r;
                    }
                    for (int k = save; k < _pos; k++) buf.Add(_src[k]);
                    continue;
                }
                case '\n': case '\r':
                    buf.Add((byte)'\n'); _raw.Append('\n'); IncLine(); continue;
                default:
                    if (!comment) { buf.Add((byte)c); _raw.Append((char)c); }
                    _pos++;
                    continue;
            }
        }
    }

    Token ReadString(int del)
    {
        _raw.Append((char)del); _pos++;
        var buf = new List<byte>();
        while (Current != del)
        {
            int c = Current;
            switch (c)
            {
                case -1: throw LexError("unfinished string", false, eos: true);
                case '\n': case '\r': throw LexError("unfinished string", true);
                case '\\':
                {
                    _pos++;
                    int e = Current, v;
                    switch (e)
                    {
                        case 'a': v = 7; break;
                        case 'b': v = 8; break;
                        case 'f': v = 12; break;
                        case 'n': v = 10; break;
                        case 'r': v = 13; break;
                        case 't': v = 9; break;
                        case 'v': v = 11; break;
                        case '\n': case '\r': _raw.Append('\n'); buf.Add(10); IncLine(); continue;
                        case -1: continue; // will raise unfinished string
                        default:
                            if (!IsDigit(e)) { v = e; break; }
                            v = 0;
                            int i = 0;
                            do { v = 10 * v + (Current - '0'); _pos++; } while (++i < 3 && IsDigit(Current));
                            if (v > 255) throw LexError("escape sequence too large", true);
                            buf.Add((byte)v); _raw.Append((char)v);
                            continue;
                    }
                    _pos++;
                    buf.Add((byte)v); _raw.Append((char)v);
                    continue;
                }
                default:
                    buf.Add((byte)c); _raw.Append((char)c); _pos++;
                    continue;
            }
        }
        _pos++;
        _raw.Append((char)del);
        return new Token { T = Tok.String, Str = new LuaString(buf.ToArray()), Raw = _raw.ToString() };
    }
}

internal static class SyntaxExceptionExtensions
{
    public static LuaSyntaxException WithNear(this LuaSyntaxException e, Lexer lx, string near) =>
        new(e.Message + $" near '{near}'");
}
