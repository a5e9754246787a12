using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Randomized;

/// <summary>
/// Seeded random commands over every family, restricted to the commands Cinnabar's table has. Arguments mix
/// valid and invalid input; a few commands get a missing or extra argument (arity errors) and a few are unknown.
/// Left out on purpose: commands whose effect is random (SPOP, SORT BY nosort), blocking or time-racing
/// (BLPOP, short expiries), or that change the connection (QUIT, SUBSCRIBE, HELLO, RESET, MULTI).
/// Random-result commands that do not change state (SRANDMEMBER, RANDOMKEY, SCAN pages) are compared by property.
/// </summary>
public sealed class CommandGenerator
{
    public const string ExcludeVariable = "CINNABAR_DIFF_EXCLUDE";
    private readonly Random _rng;
    private readonly ArgumentPool _a;
    private readonly List<(string Name, Func<List<string>> Make)> _specs;

    public CommandGenerator(int seed, Func<string, bool> implemented)
    {
        _rng = new Random(seed);
        _a = new ArgumentPool(_rng);
        // CINNABAR_DIFF_EXCLUDE="SET,OBJECT ENCODING" leaves commands out, to look past a known divergence.
        var excluded = (Environment.GetEnvironmentVariable(ExcludeVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        _specs = AllSpecs().Where(s => implemented(s.Name) && !excluded.Contains(s.Name)).ToList();
    }

    /// <summary>The commands this generator produces on this build ("OBJECT ENCODING" style names).</summary>
    public IEnumerable<string> CommandNames => _specs.Select(s => s.Name).Distinct();

    public static IEnumerable<string> AllCommandNames => new CommandGenerator(0, _ => true).CommandNames;

    public byte[][] Next()
    {
        if (_specs.Count == 0 || _a.Chance(1))
            return [ArgumentPool.Bytes(_a.Pick("NOSUCHCMD", "GETT", "sett", "")), ArgumentPool.Bytes(_a.Key())];
        var (_, make) = _specs[_rng.Next(_specs.Count)];
        var args = make();
        if (_a.Chance(3) && args.Count > 1) args.RemoveAt(args.Count - 1);
        else if (_a.Chance(2)) args.Add(_a.Value());
        return args.Select(ArgumentPool.Bytes).ToArray();
    }

    private static List<string> L(params object[] parts)
    {
        var list = new List<string>();
        foreach (var p in parts)
        {
            if (p is string s) list.Add(s);
            else if (p is IEnumerable<string> many) list.AddRange(many);
        }
        return list;
    }

    private IEnumerable<string> Maybe(int percent, params string[] parts) => _a.Chance(percent) ? parts : [];
    private IEnumerable<string> KeyValues(int min, int max) => Enumerable.Range(0, _rng.Next(min, max + 1)).SelectMany(_ => new[] { _a.Key(), _a.Value() });
    private IEnumerable<string> FieldValues(int min, int max) => Enumerable.Range(0, _rng.Next(min, max + 1)).SelectMany(_ => new[] { _a.Member(), _a.Value() });
    private IEnumerable<string> ScoreMembers(int min, int max) => Enumerable.Range(0, _rng.Next(min, max + 1)).SelectMany(_ => new[] { _a.Float(), _a.Member() });

    private IEnumerable<string> SetOptions()
    {
        var opts = new List<string>();
        if (_a.Chance(30)) opts.Add(_a.Pick("NX", "XX", "nx"));
        if (_a.Chance(20)) opts.Add("GET");
        if (_a.Chance(30))
        {
            switch (_rng.Next(5))
            {
                case 0: opts.AddRange(["EX", _a.Seconds()]); break;
                case 1: opts.AddRange(["PX", _a.Millis()]); break;
                case 2: opts.AddRange(["EXAT", _a.UnixSeconds()]); break;
                case 3: opts.AddRange(["PXAT", _a.UnixMillis()]); break;
                default: opts.Add("KEEPTTL"); break;
            }
        }
        if (_a.Chance(3)) opts.Add(_a.Pick("EX", "BADOPT", "PX"));
        return opts.OrderBy(_ => _rng.Next());
    }

    private IEnumerable<string> ScanOptions(bool withType)
    {
        var opts = new List<string>();
        if (_a.Chance(40)) opts.AddRange(["MATCH", _a.Pick("*", "k*", "k[0-2]", "?", "*1", "a*", "[")]);
        if (_a.Chance(40)) opts.AddRange(["COUNT", _a.Pick("1", "2", "10", "100", "0", "-1", "abc")]);
        if (withType && _a.Chance(20)) opts.AddRange(["TYPE", _a.Pick("string", "list", "set", "zset", "hash", "nosuch")]);
        return opts;
    }

    private IEnumerable<string> BitfieldOps(bool readOnly)
    {
        var ops = new List<string>();
        int n = _rng.Next(1, 4);
        string Type() => _a.Pick("i8", "u8", "i16", "u4", "i64", "u63", "u64", "i65", "x8", "u1", "i1");
        string Off() => _a.Chance(30) ? "#" + _rng.Next(0, 5) : _a.Offset();
        for (int i = 0; i < n; i++)
        {
            int kind = readOnly ? 0 : _rng.Next(4);
            switch (kind)
            {
                case 0: ops.AddRange(["GET", Type(), Off()]); break;
                case 1: ops.AddRange(["SET", Type(), Off(), _a.Integer()]); break;
                case 2: ops.AddRange(["INCRBY", Type(), Off(), _a.Integer()]); break;
                default: ops.AddRange(["OVERFLOW", _a.Pick("WRAP", "SAT", "FAIL", "BAD")]); break;
            }
        }
        return ops;
    }

    private IEnumerable<string> ZRangeTail()
    {
        var t = new List<string>();
        switch (_rng.Next(3))
        {
            case 0: t.AddRange([_a.SmallInt(), _a.SmallInt()]); break;
            case 1: t.AddRange([_a.Pick("-inf", "(1", "0", "2.5", "+inf", "abc"), _a.Pick("+inf", "(5", "10", "-inf", "3")]); t.Add("BYSCORE"); break;
            default: t.AddRange([_a.Pick("-", "[a", "(b", "+", "a"), _a.Pick("+", "[c", "(d", "-")]); t.Add("BYLEX"); break;
        }
        if (_a.Chance(30)) t.Add("REV");
        if (_a.Chance(20)) t.AddRange(["LIMIT", _a.SmallInt(), _a.SmallInt()]);
        if (_a.Chance(40)) t.Add("WITHSCORES");
        return t;
    }

    private IEnumerable<(string Name, Func<List<string>> Make)> AllSpecs()
    {
        var a = _a;
        // Connection and server.
        yield return ("PING", () => L("PING", Maybe(50, a.Value())));
        yield return ("ECHO", () => L("ECHO", a.Value()));
        yield return ("SELECT", () => L("SELECT", a.Db()));
        yield return ("DBSIZE", () => L("DBSIZE"));
        yield return ("FLUSHDB", () => a.Chance(20) ? L("FLUSHDB", Maybe(50, a.Pick("ASYNC", "SYNC", "BAD"))) : L("PING"));
        yield return ("SWAPDB", () => L("SWAPDB", a.Db(), a.Db()));
        // Strings.
        yield return ("GET", () => L("GET", a.Key()));
        yield return ("SET", () => L("SET", a.Key(), a.Value(), SetOptions()));
        yield return ("SETNX", () => L("SETNX", a.Key(), a.Value()));
        yield return ("SETEX", () => L("SETEX", a.Key(), a.Seconds(), a.Value()));
        yield return ("PSETEX", () => L("PSETEX", a.Key(), a.Millis(), a.Value()));
        yield return ("GETSET", () => L("GETSET", a.Key(), a.Value()));
        yield return ("GETDEL", () => L("GETDEL", a.Key()));
        yield return ("GETEX", () => L("GETEX", a.Key(), a.Pick("", "PERSIST", "EX", "PX", "EXAT", "PXAT", "BAD") switch
        {
            "" => [],
            "PERSIST" => ["PERSIST"],
            "EX" => ["EX", a.Seconds()],
            "PX" => ["PX", a.Millis()],
            "EXAT" => ["EXAT", a.UnixSeconds()],
            "PXAT" => ["PXAT", a.UnixMillis()],
            _ => new[] { "BAD" },
        }));
        yield return ("MGET", () => L("MGET", a.Repeat(a.Key, 1, 4)));
        yield return ("MSET", () => L("MSET", KeyValues(1, 3)));
        yield return ("MSETNX", () => L("MSETNX", KeyValues(1, 3)));
        yield return ("APPEND", () => L("APPEND", a.Key(), a.Value()));
        yield return ("STRLEN", () => L("STRLEN", a.Key()));
        yield return ("INCR", () => L("INCR", a.Key()));
        yield return ("DECR", () => L("DECR", a.Key()));
        yield return ("INCRBY", () => L("INCRBY", a.Key(), a.Integer()));
        yield return ("DECRBY", () => L("DECRBY", a.Key(), a.Integer()));
        yield return ("INCRBYFLOAT", () => L("INCRBYFLOAT", a.Key(), a.Float()));
        yield return ("GETRANGE", () => L("GETRANGE", a.Key(), a.Integer(), a.Integer()));
        yield return ("SUBSTR", () => L("SUBSTR", a.Key(), a.Integer(), a.Integer()));
        yield return ("SETRANGE", () => L("SETRANGE", a.Key(), a.Offset(), a.Value()));
        yield return ("GETBIT", () => L("GETBIT", a.Key(), a.Offset()));
        yield return ("SETBIT", () => L("SETBIT", a.Key(), a.Offset(), a.Pick("0", "1", "2", "-1", "")));
        yield return ("BITCOUNT", () => L("BITCOUNT", a.Key(), a.Chance(60) ? L(a.Integer(), a.Integer(), Maybe(40, a.Pick("BYTE", "BIT", "bad"))) : L()));
        yield return ("BITPOS", () => L("BITPOS", a.Key(), a.Pick("0", "1", "2"), a.Chance(60) ? L(a.Integer(), Maybe(60, a.Integer()), Maybe(30, a.Pick("BYTE", "BIT"))) : L()));
        yield return ("BITOP", () => L("BITOP", a.Pick("AND", "OR", "XOR", "NOT", "bad"), a.Key(), a.Repeat(a.Key, 1, 3)));
        yield return ("BITFIELD", () => L("BITFIELD", a.Key(), BitfieldOps(false)));
        yield return ("BITFIELD_RO", () => L("BITFIELD_RO", a.Key(), BitfieldOps(true)));
        yield return ("LCS", () => L("LCS", a.Key(), a.Key(), Maybe(30, "LEN"), Maybe(30, "IDX"), Maybe(20, "MINMATCHLEN", a.SmallInt()), Maybe(20, "WITHMATCHLEN")));
        // Keys.
        yield return ("DEL", () => L("DEL", a.Repeat(a.Key, 1, 3)));
        yield return ("UNLINK", () => L("UNLINK", a.Repeat(a.Key, 1, 3)));
        yield return ("EXISTS", () => L("EXISTS", a.Repeat(a.Key, 1, 3)));
        yield return ("TOUCH", () => L("TOUCH", a.Repeat(a.Key, 1, 3)));
        yield return ("TYPE", () => L("TYPE", a.Key()));
        // GT/LT with relative times compare "now + t" at two instants a millisecond or more apart, and the two
        // servers run a pipelined batch at different instants: only absolute times (EXPIREAT) are deterministic.
        yield return ("EXPIRE", () => L("EXPIRE", a.Key(), a.Seconds(), Maybe(30, a.Pick("NX", "XX", "BAD"))));
        yield return ("PEXPIRE", () => L("PEXPIRE", a.Key(), a.Millis(), Maybe(30, a.Pick("NX", "XX"))));
        yield return ("EXPIREAT", () => L("EXPIREAT", a.Key(), a.UnixSeconds(), Maybe(30, a.Pick("NX", "XX", "GT", "LT"))));
        yield return ("PEXPIREAT", () => L("PEXPIREAT", a.Key(), a.UnixMillis(), Maybe(30, a.Pick("NX", "XX", "GT", "LT"))));
        yield return ("TTL", () => L("TTL", a.Key()));
        yield return ("PTTL", () => L("PTTL", a.Key()));
        yield return ("EXPIRETIME", () => L("EXPIRETIME", a.Key()));
        yield return ("PEXPIRETIME", () => L("PEXPIRETIME", a.Key()));
        yield return ("PERSIST", () => L("PERSIST", a.Key()));
        yield return ("RENAME", () => L("RENAME", a.Key(), a.Key()));
        yield return ("RENAMENX", () => L("RENAMENX", a.Key(), a.Key()));
        yield return ("COPY", () => L("COPY", a.Key(), a.Key(), Maybe(40, "DB", a.Db()), Maybe(40, "REPLACE")));
        yield return ("MOVE", () => L("MOVE", a.Key(), a.Db()));
        yield return ("KEYS", () => L("KEYS", a.Pick("*", "k*", "k[0-2]", "?", "*1", "a*", "k\\*", "[", "b*")));
        yield return ("SCAN", () => L("SCAN", a.Pick("0", "0", "0", "abc", "-1"), ScanOptions(true)));
        yield return ("RANDOMKEY", () => L("RANDOMKEY"));
        yield return ("OBJECT ENCODING", () => L("OBJECT", "ENCODING", a.Key()));
        yield return ("OBJECT REFCOUNT", () => L("OBJECT", "REFCOUNT", a.Key()));
        yield return ("OBJECT FREQ", () => L("OBJECT", "FREQ", a.Key()));
        // Hashes.
        yield return ("HSET", () => L("HSET", a.Key(), FieldValues(1, 3)));
        yield return ("HSETNX", () => L("HSETNX", a.Key(), a.Member(), a.Value()));
        yield return ("HMSET", () => L("HMSET", a.Key(), FieldValues(1, 3)));
        yield return ("HGET", () => L("HGET", a.Key(), a.Member()));
        yield return ("HMGET", () => L("HMGET", a.Key(), a.Repeat(a.Member, 1, 3)));
        yield return ("HDEL", () => L("HDEL", a.Key(), a.Repeat(a.Member, 1, 3)));
        yield return ("HEXISTS", () => L("HEXISTS", a.Key(), a.Member()));
        yield return ("HLEN", () => L("HLEN", a.Key()));
        yield return ("HSTRLEN", () => L("HSTRLEN", a.Key(), a.Member()));
        yield return ("HINCRBY", () => L("HINCRBY", a.Key(), a.Member(), a.Integer()));
        yield return ("HINCRBYFLOAT", () => L("HINCRBYFLOAT", a.Key(), a.Member(), a.Float()));
        yield return ("HGETALL", () => L("HGETALL", a.Key()));
        yield return ("HKEYS", () => L("HKEYS", a.Key()));
        yield return ("HVALS", () => L("HVALS", a.Key()));
        yield return ("HRANDFIELD", () => L("HRANDFIELD", a.Key(), Maybe(60, a.SmallInt()), Maybe(30, "WITHVALUES")));
        yield return ("HSCAN", () => L("HSCAN", a.Key(), "0", ScanOptions(false)));
        // Sets.
        yield return ("SADD", () => L("SADD", a.Key(), a.Repeat(a.Member, 1, 4)));
        yield return ("SREM", () => L("SREM", a.Key(), a.Repeat(a.Member, 1, 3)));
        yield return ("SCARD", () => L("SCARD", a.Key()));
        yield return ("SISMEMBER", () => L("SISMEMBER", a.Key(), a.Member()));
        yield return ("SMISMEMBER", () => L("SMISMEMBER", a.Key(), a.Repeat(a.Member, 1, 3)));
        yield return ("SMEMBERS", () => L("SMEMBERS", a.Key()));
        yield return ("SINTER", () => L("SINTER", a.Repeat(a.Key, 1, 3)));
        yield return ("SUNION", () => L("SUNION", a.Repeat(a.Key, 1, 3)));
        yield return ("SDIFF", () => L("SDIFF", a.Repeat(a.Key, 1, 3)));
        yield return ("SINTERCARD", () => L("SINTERCARD", a.Pick("1", "2", "0", "-1", "abc"), a.Repeat(a.Key, 1, 2), Maybe(30, "LIMIT", a.SmallInt())));
        yield return ("SINTERSTORE", () => L("SINTERSTORE", a.Key(), a.Repeat(a.Key, 1, 3)));
        yield return ("SUNIONSTORE", () => L("SUNIONSTORE", a.Key(), a.Repeat(a.Key, 1, 3)));
        yield return ("SDIFFSTORE", () => L("SDIFFSTORE", a.Key(), a.Repeat(a.Key, 1, 3)));
        yield return ("SMOVE", () => L("SMOVE", a.Key(), a.Key(), a.Member()));
        yield return ("SRANDMEMBER", () => L("SRANDMEMBER", a.Key(), Maybe(60, a.SmallInt())));
        yield return ("SSCAN", () => L("SSCAN", a.Key(), "0", ScanOptions(false)));
        // Lists.
        yield return ("LPUSH", () => L("LPUSH", a.Key(), a.Repeat(a.Member, 1, 3)));
        yield return ("RPUSH", () => L("RPUSH", a.Key(), a.Repeat(a.Member, 1, 3)));
        yield return ("LPUSHX", () => L("LPUSHX", a.Key(), a.Repeat(a.Member, 1, 2)));
        yield return ("RPUSHX", () => L("RPUSHX", a.Key(), a.Repeat(a.Member, 1, 2)));
        yield return ("LPOP", () => L("LPOP", a.Key(), Maybe(40, a.SmallInt())));
        yield return ("RPOP", () => L("RPOP", a.Key(), Maybe(40, a.SmallInt())));
        yield return ("LLEN", () => L("LLEN", a.Key()));
        yield return ("LRANGE", () => L("LRANGE", a.Key(), a.SmallInt(), a.SmallInt()));
        yield return ("LINDEX", () => L("LINDEX", a.Key(), a.SmallInt()));
        yield return ("LSET", () => L("LSET", a.Key(), a.SmallInt(), a.Member()));
        yield return ("LINSERT", () => L("LINSERT", a.Key(), a.Pick("BEFORE", "AFTER", "bad"), a.Member(), a.Member()));
        yield return ("LREM", () => L("LREM", a.Key(), a.SmallInt(), a.Member()));
        yield return ("LTRIM", () => L("LTRIM", a.Key(), a.SmallInt(), a.SmallInt()));
        yield return ("LPOS", () => L("LPOS", a.Key(), a.Member(), Maybe(30, "RANK", a.SmallInt()), Maybe(30, "COUNT", a.SmallInt()), Maybe(20, "MAXLEN", a.SmallInt())));
        yield return ("LMOVE", () => L("LMOVE", a.Key(), a.Key(), a.Pick("LEFT", "RIGHT"), a.Pick("LEFT", "RIGHT", "UP")));
        yield return ("RPOPLPUSH", () => L("RPOPLPUSH", a.Key(), a.Key()));
        yield return ("LMPOP", () => L("LMPOP", a.Pick("1", "2", "0"), a.Repeat(a.Key, 1, 2), a.Pick("LEFT", "RIGHT", "MIDDLE"), Maybe(40, "COUNT", a.SmallInt())));
        // Sorted sets.
        yield return ("ZADD", () => L("ZADD", a.Key(), Maybe(20, a.Pick("NX", "XX")), Maybe(15, a.Pick("GT", "LT")), Maybe(20, "CH"), Maybe(10, "INCR"), ScoreMembers(1, 3)));
        yield return ("ZREM", () => L("ZREM", a.Key(), a.Repeat(a.Member, 1, 3)));
        yield return ("ZSCORE", () => L("ZSCORE", a.Key(), a.Member()));
        yield return ("ZMSCORE", () => L("ZMSCORE", a.Key(), a.Repeat(a.Member, 1, 3)));
        yield return ("ZINCRBY", () => L("ZINCRBY", a.Key(), a.Float(), a.Member()));
        yield return ("ZCARD", () => L("ZCARD", a.Key()));
        yield return ("ZCOUNT", () => L("ZCOUNT", a.Key(), a.Pick("-inf", "(1", "0", "2.5", "abc"), a.Pick("+inf", "(5", "10", "nan")));
        yield return ("ZLEXCOUNT", () => L("ZLEXCOUNT", a.Key(), a.Pick("-", "[a", "(b", "a"), a.Pick("+", "[c", "(d")));
        yield return ("ZRANGE", () => L("ZRANGE", a.Key(), ZRangeTail()));
        yield return ("ZRANGEBYSCORE", () => L("ZRANGEBYSCORE", a.Key(), a.Pick("-inf", "(1", "0"), a.Pick("+inf", "(5", "10"), Maybe(30, "WITHSCORES"), Maybe(20, "LIMIT", a.SmallInt(), a.SmallInt())));
        yield return ("ZREVRANGE", () => L("ZREVRANGE", a.Key(), a.SmallInt(), a.SmallInt(), Maybe(30, "WITHSCORES")));
        yield return ("ZRANK", () => L("ZRANK", a.Key(), a.Member()));
        yield return ("ZREVRANK", () => L("ZREVRANK", a.Key(), a.Member()));
        yield return ("ZPOPMIN", () => L("ZPOPMIN", a.Key(), Maybe(40, a.SmallInt())));
        yield return ("ZPOPMAX", () => L("ZPOPMAX", a.Key(), Maybe(40, a.SmallInt())));
        yield return ("ZREMRANGEBYRANK", () => L("ZREMRANGEBYRANK", a.Key(), a.SmallInt(), a.SmallInt()));
        yield return ("ZREMRANGEBYSCORE", () => L("ZREMRANGEBYSCORE", a.Key(), a.Pick("-inf", "(1", "0"), a.Pick("+inf", "(5", "2")));
        yield return ("ZUNIONSTORE", () => L("ZUNIONSTORE", a.Key(), "2", a.Key(), a.Key(), Maybe(20, "WEIGHTS", a.Float(), a.Float()), Maybe(20, "AGGREGATE", a.Pick("SUM", "MIN", "MAX", "BAD"))));
        yield return ("ZINTERSTORE", () => L("ZINTERSTORE", a.Key(), "2", a.Key(), a.Key(), Maybe(20, "AGGREGATE", a.Pick("SUM", "MIN", "MAX"))));
        yield return ("ZRANDMEMBER", () => L("ZRANDMEMBER", a.Key(), Maybe(60, a.SmallInt()), Maybe(30, "WITHSCORES")));
        yield return ("ZSCAN", () => L("ZSCAN", a.Key(), "0", ScanOptions(false)));
    }
}
