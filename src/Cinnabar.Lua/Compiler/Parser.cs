using System.Runtime.CompilerServices;
using Cinnabar.Lua.Runtime;

namespace Cinnabar.Lua.Compiler;

/// <summary>
/// Lua 5.1's recursive-descent parser (lparser.c grammar and error texts) that builds executable nodes
/// directly: every name is resolved here to a frame slot, an upvalue index or a global.
/// </summary>
internal sealed class Parser
{
    sealed class FuncState
    {
        public FuncState? Parent;
        public Proto P = new();
        public List<LocalVar> Actives = new();
        public int FreeSlot = 2; // 0: the closure, 1: the varargs
        public int MaxSlot = 2;
        public List<UpvalDesc> Upvals = new();
        public bool IsVararg;
        public bool UsesVararg;
        public LocalVar? ArgVar; // 5.1's compatibility `arg` table
        public int LoopDepth;
        public ConstExpr? FirstZero; // 5.1 keeps one constant for 0 and -0 per function: the first one used
    }

    const int MaxLocals = 200;
    const int MaxUpvals = 60;
    const int MaxLevels = 200;

    readonly Lexer _lx;
    FuncState _fs = null!;
    int _level;
    // What the whole chunk contains, for hosts that decide how to run it (see LuaChunk.IsStraightLine).
    bool _hasLoops, _hasFunctions;
    readonly HashSet<string> _globalNames = new(StringComparer.Ordinal);

    Parser(Lexer lx) { _lx = lx; }

    public static Proto ParseChunk(byte[] source, string chunkId, string errorChunkId) =>
        ParseChunk(source, chunkId, errorChunkId, out _);

    public static Proto ParseChunk(byte[] source, string chunkId, string errorChunkId, out ChunkShape shape)
    {
        var p = new Parser(new Lexer(source, chunkId, errorChunkId));
        var main = p.MainFunction();
        shape = new ChunkShape(p._hasLoops, p._hasFunctions, p._globalNames);
        return main;
    }

    void EnterLoop(FuncState fs)
    {
        fs.LoopDepth++;
        _hasLoops = true;
    }

    Proto MainFunction()
    {
        _fs = new FuncState();
        _fs.IsVararg = true;
        _fs.P.ChunkId = _lx.ChunkId;
        _fs.P.IsVararg = true;
        _lx.Next();
        var body = ParseBlockBody();
        if (_lx.Cur.T != Tok.Eos) throw ErrorExpected(Tok.Eos);
        return Close(body);
    }

    Proto Close(Stat body)
    {
        var fs = _fs;
        var p = fs.P;
        p.Body = body;
        p.FrameSize = fs.MaxSlot;
        p.Upvals = fs.Upvals.ToArray();
        p.IsVararg = fs.IsVararg;
        p.CapturedParams = Array.FindAll(p.Params, v => v.Captured); // final once the body is parsed
        if (fs.ArgVar is not null && !fs.UsesVararg) p.ArgSlot = fs.ArgVar;
        return p;
    }

    // ---------- errors ----------
    LuaSyntaxException SyntaxError(string msg) => _lx.Error(msg, _lx.Cur);
    LuaSyntaxException ErrorExpected(Tok t, int c = 0) => SyntaxError($"'{Lexer.TokenText(t, c)}' expected");

    bool Test(Tok t) => _lx.Cur.T == t;
    bool TestChar(int c) => _lx.Cur.T == Tok.Char && _lx.Cur.Char == c;
    bool TestNext(Tok t) { if (!Test(t)) return false; _lx.Next(); return true; }
    bool TestNextChar(int c) { if (!TestChar(c)) return false; _lx.Next(); return true; }
    void Check(Tok t) { if (!Test(t)) throw ErrorExpected(t); }
    void CheckNext(Tok t) { Check(t); _lx.Next(); }
    void CheckNextChar(int c) { if (!TestChar(c)) throw ErrorExpected(Tok.Char, c); _lx.Next(); }

    void CheckMatch(Tok what, Tok who, int where, int whatChar = 0, int whoChar = 0)
    {
        bool ok = what == Tok.Char ? TestChar(whatChar) : Test(what);
        if (ok) { _lx.Next(); return; }
        if (where == _lx.Line) throw ErrorExpected(what, whatChar);
        throw SyntaxError($"'{Lexer.TokenText(what, whatChar)}' expected (to close '{Lexer.TokenText(who, whoChar)}' at line {where})");
    }

    LuaString CheckName()
    {
        if (_lx.Cur.T != Tok.Name) throw ErrorExpected(Tok.Name);
        var s = _lx.Cur.Str!;
        _lx.Next();
        return s;
    }

    void EnterLevel()
    {
        if (++_level > MaxLevels || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new LuaSyntaxException($"{_lx.ErrorChunkId}:{_lx.Line}: chunk has too many syntax levels");
    }

    void LimitError(int limit, string what)
    {
        string msg = _fs.P.LineDefined == 0
            ? $"main function has more than {limit} {what}"
            : $"function at line {_fs.P.LineDefined} has more than {limit} {what}";
        throw new LuaSyntaxException($"{_lx.ErrorChunkId}:{_lx.Line}: {msg}");
    }

    // ---------- scopes ----------
    LocalVar NewLocal(string name)
    {
        var fs = _fs;
        if (fs.Actives.Count >= MaxLocals) LimitError(MaxLocals, "local variables");
        var v = new LocalVar(name, fs.FreeSlot++);
        if (fs.FreeSlot > fs.MaxSlot) fs.MaxSlot = fs.FreeSlot;
        return v;
    }

    void Activate(LocalVar v) => _fs.Actives.Add(v);

    Expr SingleVar(LuaString name)
    {
        string n = name.ToString();
        var r = Resolve(_fs, n);
        if (r is null)
        {
            _globalNames.Add(n);
            return new GlobalExpr(name);
        }
        return r;
    }

    // returns LocalExpr/UpvalExpr for fs, or null for a global
    Expr? Resolve(FuncState fs, string name)
    {
        for (int i = fs.Actives.Count - 1; i >= 0; i--)
            if (fs.Actives[i].Name == name) return new LocalExpr(fs.Actives[i]);
        for (int i = 0; i < fs.Upvals.Count; i++)
            if (fs.Upvals[i].Name == name) return new UpvalExpr(i, name);
        if (fs.Parent is null) return null;
        var outer = Resolve(fs.Parent, name);
        if (outer is null) return null;
        UpvalDesc d;
        if (outer is LocalExpr le) { le.Var.Captured = true; d = new UpvalDesc(true, le.Var.Slot, name); }
        else d = new UpvalDesc(false, ((UpvalExpr)outer).Index, name);
        if (fs.Upvals.Count >= MaxUpvals)
        {
            var save = _fs; _fs = fs;
            LimitError(MaxUpvals, "upvalues");
            _fs = save;
        }
        fs.Upvals.Add(d);
        return new UpvalExpr(fs.Upvals.Count - 1, name);
    }

    // ---------- blocks ----------
    static bool BlockFollow(Tok t) => t is Tok.Else or Tok.Elseif or Tok.End or Tok.Until or Tok.Eos;

    /// <summary>5.1's `chunk`: statements until a block end; return/break must be last.</summary>
    Stat ParseBlockBody()
    {
        EnterLevel();
        var stats = new List<Stat>();
        bool last = false;
        while (!last && !BlockFollow(_lx.Cur.T))
        {
            var s = Statement(out last);
            if (s is not null) stats.Add(s);
            TestNextChar(';');
        }
        _level--;
        // a block of one statement is that statement: one node call less each time it runs
        return stats.Count == 1 ? stats[0] : new Block(stats.ToArray());
    }

    /// <summary>A block with its own scope.</summary>
    Stat ScopedBlock()
    {
        var fs = _fs;
        int nact = fs.Actives.Count, free = fs.FreeSlot;
        var b = ParseBlockBody();
        fs.Actives.RemoveRange(nact, fs.Actives.Count - nact);
        fs.FreeSlot = free;
        return b;
    }

    Stat? Statement(out bool last)
    {
        int line = _lx.Line;
        last = false;
        switch (_lx.Cur.T)
        {
            case Tok.If: return IfStat(line);
            case Tok.While:
            {
                _lx.Next();
                var cond = Expression();
                CheckNext(Tok.Do);
                EnterLoop(_fs);
                var body = ScopedBlock();
                _fs.LoopDepth--;
                CheckMatch(Tok.End, Tok.While, line);
                return new WhileStat(cond, body) { Line = line, EndLine = _lx.LastLine };
            }
            case Tok.Do:
            {
                _lx.Next();
                var body = ScopedBlock();
                CheckMatch(Tok.End, Tok.Do, line);
                return new DoStat(body) { Line = line };
            }
            case Tok.For: return ForStat(line);
            case Tok.Repeat: return RepeatStat(line);
            case Tok.Function: return FuncStat(line);
            case Tok.Local:
                _lx.Next();
                if (TestNext(Tok.Function)) return LocalFunc(line);
                return LocalStat(line);
            case Tok.Return:
                last = true;
                return RetStat(line);
            case Tok.Break:
                _lx.Next();
                last = true;
                if (_fs.LoopDepth == 0) throw SyntaxError("no loop to break");
                return new BreakStat { Line = line };
            default:
                return ExprStat(line);
        }
    }

    Stat IfStat(int line)
    {
        var conds = new List<Expr>();
        var blocks = new List<Stat>();
        Stat? els = null;
        _lx.Next();
        conds.Add(Expression());
        CheckNext(Tok.Then);
        blocks.Add(ScopedBlock());
        while (Test(Tok.Elseif))
        {
            _lx.Next();
            conds.Add(Expression());
            CheckNext(Tok.Then);
            blocks.Add(ScopedBlock());
        }
        if (TestNext(Tok.Else)) els = ScopedBlock();
        CheckMatch(Tok.End, Tok.If, line);
        if (conds.Count == 1) return new IfElseStat(conds[0], blocks[0], els) { Line = line };
        return new IfStat(conds.ToArray(), blocks.ToArray(), els) { Line = line };
    }

    Stat RepeatStat(int line)
    {
        _lx.Next();
        var fs = _fs;
        int nact = fs.Actives.Count, free = fs.FreeSlot;
        EnterLoop(fs);
        var body = ParseBlockBody();
        fs.LoopDepth--;
        CheckMatch(Tok.Until, Tok.Repeat, line);
        var cond = Expression(); // sees the body's locals
        fs.Actives.RemoveRange(nact, fs.Actives.Count - nact);
        fs.FreeSlot = free;
        return new RepeatStat(body, cond) { Line = line, EndLine = _lx.LastLine };
    }

    Stat ForStat(int line)
    {
        _lx.Next();
        var name = CheckName();
        var fs = _fs;
        int nact = fs.Actives.Count, free = fs.FreeSlot;
        Stat result;
        if (TestChar('='))
        {
            _lx.Next();
            var start = Expression();
            CheckNextChar(',');
            var limit = Expression();
            Expr? step = null;
            if (TestNextChar(',')) step = Expression();
            CheckNext(Tok.Do);
            var v = NewLocal(name.ToString());
            Activate(v);
            EnterLoop(fs);
            var body = ScopedBlock();
            fs.LoopDepth--;
            result = new NumericForStat(v, start, limit, step, body, line);
        }
        else if (TestChar(',') || Test(Tok.In))
        {
            var names = new List<string> { name.ToString() };
            while (TestNextChar(',')) names.Add(CheckName().ToString());
            CheckNext(Tok.In);
            int exprLine = _lx.Line;
            var exprs = ExprList();
            CheckNext(Tok.Do);
            var vars = new LocalVar[names.Count];
            for (int i = 0; i < vars.Length; i++) vars[i] = NewLocal(names[i]);
            foreach (var v in vars) Activate(v);
            EnterLoop(fs);
            var body = ScopedBlock();
            fs.LoopDepth--;
            result = new GenericForStat(vars, exprs, body, exprLine);
        }
        else throw SyntaxError("'=' or 'in' expected");
        CheckMatch(Tok.End, Tok.For, line);
        // Lua 5.1 gives a for loop's closing instruction the line of the `for` itself.
        result.EndLine = line;
        fs.Actives.RemoveRange(nact, fs.Actives.Count - nact);
        fs.FreeSlot = free;
        return result;
    }

    Stat FuncStat(int line)
    {
        _lx.Next();
        var nameTok = CheckName();
        Expr target = SingleVar(nameTok);
        bool needSelf = false;
        while (TestChar('.'))
        {
            _lx.Next();
            var key = CheckName();
            target = new IndexExpr(target, new ConstExpr(new LuaValue(key))) { Line = _lx.Line };
        }
        if (TestChar(':'))
        {
            _lx.Next();
            var key = CheckName();
            target = new IndexExpr(target, new ConstExpr(new LuaValue(key))) { Line = _lx.Line };
            needSelf = true;
        }
        var fn = Body(needSelf, line);
        return new AssignStat((AssignableExpr)target, fn) { Line = line };
    }

    Stat LocalFunc(int line)
    {
        var name = CheckName();
        var v = NewLocal(name.ToString());
        Activate(v);
        var fn = Body(false, line);
        return new LocalFunctionStat(v, fn) { Line = line };
    }

    Stat LocalStat(int line)
    {
        var names = new List<string>();
        do names.Add(CheckName().ToString()); while (TestNextChar(','));
        Expr[] exprs = [];
        if (TestNextChar('=')) exprs = ExprList();
        var vars = new LocalVar[names.Count];
        for (int i = 0; i < vars.Length; i++) vars[i] = NewLocal(names[i]);
        foreach (var v in vars) Activate(v);
        return new LocalStat(vars, exprs) { Line = line };
    }

    Stat RetStat(int line)
    {
        _lx.Next();
        Expr[] exprs = [];
        if (!BlockFollow(_lx.Cur.T) && !TestChar(';')) exprs = ExprList();
        return new ReturnStat(exprs, line);
    }

    Stat ExprStat(int line)
    {
        var e = SuffixedExp();
        if (e is AssignableExpr)
        {
            var targets = new List<AssignableExpr>();
            if (e is not AssignableExpr a0) throw SyntaxError("syntax error");
            targets.Add(a0);
            while (TestNextChar(','))
            {
                var t = SuffixedExp();
                if (t is not AssignableExpr at) throw SyntaxError("syntax error");
                targets.Add(at);
            }
            CheckNextChar('=');
            var values = ExprList();
            if (targets.Count == 1 && values.Length == 1)
                return new AssignStat(targets[0], values[0]) { Line = line };
            return new MultiAssignStat(targets.ToArray(), values) { Line = line };
        }
        if (e is not CallExpr && e is not MethodCallExpr) throw SyntaxError("syntax error");
        return new CallStat(e);
    }

    // ---------- functions ----------
    FunctionExpr Body(bool needSelf, int line)
    {
        _hasFunctions = true;
        var fs = new FuncState { Parent = _fs };
        fs.P.ChunkId = _lx.ChunkId;
        fs.P.LineDefined = line;
        _fs = fs;
        var pars = new List<LocalVar>();
        if (needSelf) { var s = NewLocal("self"); Activate(s); pars.Add(s); }
        CheckNextChar('(');
        if (!TestChar(')'))
        {
            do
            {
                if (_lx.Cur.T == Tok.Name)
                {
                    var v = NewLocal(CheckName().ToString());
                    Activate(v);
                    pars.Add(v);
                }
                else if (_lx.Cur.T == Tok.Dots)
                {
                    _lx.Next();
                    fs.IsVararg = true;
                    fs.ArgVar = NewLocal("arg");
                    Activate(fs.ArgVar);
                }
                else throw SyntaxError("<name> or '...' expected");
            } while (!fs.IsVararg && TestNextChar(','));
        }
        CheckNextChar(')');
        fs.P.NumParams = pars.Count;
        fs.P.Params = pars.ToArray();
        var body = ParseBlockBody();
        CheckMatch(Tok.End, Tok.Function, line);
        var proto = Close(body);
        _fs = fs.Parent!;
        return new FunctionExpr(proto) { Line = line };
    }

    Expr[] ExprList()
    {
        var list = new List<Expr> { Expression() };
        while (TestNextChar(',')) list.Add(Expression());
        return list.ToArray();
    }

    Expr[] FuncArgs(int line)
    {
        switch (_lx.Cur.T)
        {
            case Tok.Char when _lx.Cur.Char == '(':
            {
                if (line != _lx.LastLine) throw SyntaxError("ambiguous syntax (function call x new statement)");
                _lx.Next();
                Expr[] args = TestChar(')') ? [] : ExprList();
                CheckMatch(Tok.Char, Tok.Char, line, ')', '(');
                return args;
            }
            case Tok.Char when _lx.Cur.Char == '{':
                return [TableCons()];
            case Tok.String:
            {
                var s = new ConstExpr(new LuaValue(_lx.Cur.Str!));
                _lx.Next();
                return [s];
            }
            default:
                throw SyntaxError("function arguments expected");
        }
    }

    // ---------- expressions ----------
    Expr PrimaryExp()
    {
        switch (_lx.Cur.T)
        {
            case Tok.Name:
            {
                int line = _lx.Line;
                var e = SingleVar(CheckName());
                e.Line = line;
                return e;
            }
            case Tok.Char when _lx.Cur.Char == '(':
            {
                int line = _lx.Line;
                _lx.Next();
                var e = Expression();
                CheckMatch(Tok.Char, Tok.Char, line, ')', '(');
                return new ParenExpr(e);
            }
            default:
                throw SyntaxError("unexpected symbol");
        }
    }

    Expr SuffixedExp()
    {
        var e = PrimaryExp();
        while (true)
        {
            switch (_lx.Cur.T)
            {
                case Tok.Char when _lx.Cur.Char == '.':
                {
                    _lx.Next();
                    int line = _lx.Line;
                    var key = CheckName();
                    e = new IndexExpr(e, new ConstExpr(new LuaValue(key))) { Line = line };
                    break;
                }
                case Tok.Char when _lx.Cur.Char == '[':
                {
                    _lx.Next();
                    int line = _lx.Line;
                    var k = Expression();
                    CheckNextChar(']');
                    e = new IndexExpr(e, k) { Line = line };
                    break;
                }
                case Tok.Char when _lx.Cur.Char == ':':
                {
                    _lx.Next();
                    var name = CheckName();
                    int line = _lx.Line;
                    var args = FuncArgs(line);
                    e = new MethodCallExpr(e, name, args, line);
                    break;
                }
                case Tok.Char when _lx.Cur.Char == '(' || _lx.Cur.Char == '{':
                case Tok.String:
                {
                    int line = _lx.Line;
                    var args = FuncArgs(line);
                    e = new CallExpr(e, args, line);
                    break;
                }
                default:
                    return e;
            }
        }
    }

    Expr SimpleExp()
    {
        int line = _lx.Line;
        Expr e;
        switch (_lx.Cur.T)
        {
            case Tok.Number: e = new ConstExpr(LuaValue.Number(_lx.Cur.Num)); break;
            case Tok.String: e = new ConstExpr(new LuaValue(_lx.Cur.Str!)); break;
            case Tok.Nil: e = new ConstExpr(LuaValue.Nil); break;
            case Tok.True: e = new ConstExpr(LuaValue.True); break;
            case Tok.False: e = new ConstExpr(LuaValue.False); break;
            case Tok.Dots:
                if (!_fs.IsVararg) throw SyntaxError("cannot use '...' outside a vararg function");
                _fs.UsesVararg = true;
                e = new VarargExpr();
                break;
            case Tok.Char when _lx.Cur.Char == '{':
                return TableCons();
            case Tok.Function:
                _lx.Next();
                return Body(false, line);
            default:
                return SuffixedExp();
        }
        e.Line = line;
        _lx.Next();
        return e;
    }

    Expr TableCons()
    {
        int line = _lx.Line;
        CheckNextChar('{');
        var fields = new List<TableExpr.Field>();
        while (!TestChar('}'))
        {
            if (_lx.Cur.T == Tok.Name)
            {
                if (_lx.LookAhead() == Tok.Char && _lx.Ahead.Char == '=')
                {
                    var k = new ConstExpr(new LuaValue(CheckName()));
                    _lx.Next();
                    fields.Add(new TableExpr.Field(k, Expression()));
                }
                else fields.Add(new TableExpr.Field(null, Expression()));
            }
            else if (TestChar('['))
            {
                _lx.Next();
                var k = Expression();
                CheckNextChar(']');
                CheckNextChar('=');
                fields.Add(new TableExpr.Field(k, Expression()));
            }
            else fields.Add(new TableExpr.Field(null, Expression()));
            if (!TestNextChar(',') && !TestNextChar(';')) break;
        }
        CheckMatch(Tok.Char, Tok.Char, line, '}', '{');
        return new TableExpr(fields.ToArray(), line);
    }

    enum BinOp { Add, Sub, Mul, Div, Mod, Pow, Concat, Ne, Eq, Lt, Le, Gt, Ge, And, Or, None }
    static readonly (int Left, int Right)[] Priority =
        [(6, 6), (6, 6), (7, 7), (7, 7), (7, 7), (10, 9), (5, 4), (3, 3), (3, 3), (3, 3), (3, 3), (3, 3), (3, 3), (2, 2), (1, 1)];
    const int UnaryPriority = 8;

    BinOp GetBinOp()
    {
        var t = _lx.Cur;
        switch (t.T)
        {
            case Tok.Char:
                return t.Char switch
                {
                    '+' => BinOp.Add, '-' => BinOp.Sub, '*' => BinOp.Mul, '/' => BinOp.Div, '%' => BinOp.Mod,
                    '^' => BinOp.Pow, '<' => BinOp.Lt, '>' => BinOp.Gt, _ => BinOp.None,
                };
            case Tok.Concat: return BinOp.Concat;
            case Tok.Ne: return BinOp.Ne;
            case Tok.Eq: return BinOp.Eq;
            case Tok.Le: return BinOp.Le;
            case Tok.Ge: return BinOp.Ge;
            case Tok.And: return BinOp.And;
            case Tok.Or: return BinOp.Or;
            default: return BinOp.None;
        }
    }

    Expr Expression() => ShareZero(SubExpr(0));

    Expr ShareZero(Expr e)
    {
        if (e is ConstExpr c && c.Value.IsNumber && c.Value.N == 0)
        {
            if (_fs.FirstZero is null) _fs.FirstZero = c;
            else return _fs.FirstZero;
        }
        return e;
    }

    Expr SubExpr(int limit)
    {
        EnterLevel();
        Expr e;
        int line = _lx.Line;
        if (_lx.Cur.T == Tok.Not) { _lx.Next(); e = new NotExpr(SubExpr(UnaryPriority)) { Line = line }; }
        else if (TestChar('-'))
        {
            _lx.Next();
            var a = SubExpr(UnaryPriority);
            e = a is ConstExpr c && c.Value.IsNumber ? new ConstExpr(LuaValue.Number(-c.Value.N)) { Line = line } : new NegExpr(a) { Line = line };
        }
        else if (TestChar('#')) { _lx.Next(); e = new LenExpr(SubExpr(UnaryPriority)) { Line = line }; }
        else e = SimpleExp();
        var op = GetBinOp();
        while (op != BinOp.None && Priority[(int)op].Left > limit)
        {
            int opLine = _lx.Line;
            _lx.Next();
            var rhs = SubExpr(Priority[(int)op].Right);
            e = MakeBinary(op, e, rhs, opLine);
            op = GetBinOp();
        }
        _level--;
        return e;
    }

    Expr MakeBinary(BinOp op, Expr a, Expr b, int line)
    {
        if (a is ConstExpr ca && b is ConstExpr cb && ca.Value.IsNumber && cb.Value.IsNumber && op <= BinOp.Pow)
        {
            double x = ca.Value.N, y = cb.Value.N;
            if (!((op == BinOp.Div || op == BinOp.Mod) && y == 0))
            {
                double r = CallContext.ArithNum((Meta)((int)Meta.Add + (int)op), x, y);
                if (!double.IsNaN(r)) return new ConstExpr(LuaValue.Number(r)) { Line = line };
            }
        }
        if (op != BinOp.And && op != BinOp.Or) { a = ShareZero(a); b = ShareZero(b); }
        // a number constant on the right (`n - 1`, `i < 10`): a node that keeps it as a double
        if (b is ConstExpr k && k.Value.IsNumber && op is >= BinOp.Add and <= BinOp.Pow or >= BinOp.Lt and <= BinOp.Ge)
        {
            Expr ke = op switch
            {
                BinOp.Add => new ArithConstExpr<AddOp>(a, k),
                BinOp.Sub => new ArithConstExpr<SubOp>(a, k),
                BinOp.Mul => new ArithConstExpr<MulOp>(a, k),
                BinOp.Div => new ArithConstExpr<DivOp>(a, k),
                BinOp.Mod => new ArithConstExpr<ModOp>(a, k),
                BinOp.Pow => new ArithConstExpr<PowOp>(a, k),
                BinOp.Lt => new CompareConstExpr(a, k, false, false),
                BinOp.Le => new CompareConstExpr(a, k, true, false),
                BinOp.Gt => new CompareConstExpr(a, k, false, true),
                _ => new CompareConstExpr(a, k, true, true),
            };
            ke.Line = line;
            return ke;
        }
        Expr e = op switch
        {
            BinOp.Add => new ArithExpr<AddOp>(a, b),
            BinOp.Sub => new ArithExpr<SubOp>(a, b),
            BinOp.Mul => new ArithExpr<MulOp>(a, b),
            BinOp.Div => new ArithExpr<DivOp>(a, b),
            BinOp.Mod => new ArithExpr<ModOp>(a, b),
            BinOp.Pow => new ArithExpr<PowOp>(a, b),
            BinOp.Concat => b is ConcatExpr cc ? cc.Prepend(a) : new ConcatExpr([a, b]),
            BinOp.Eq => new EqExpr(a, b, false),
            BinOp.Ne => new EqExpr(a, b, true),
            BinOp.Lt => new CompareExpr(a, b, false, false),
            BinOp.Le => new CompareExpr(a, b, true, false),
            BinOp.Gt => new CompareExpr(a, b, false, true),
            BinOp.Ge => new CompareExpr(a, b, true, true),
            BinOp.And => new AndExpr(a, b),
            _ => new OrExpr(a, b),
        };
        e.Line = line;
        return e;
    }
}
