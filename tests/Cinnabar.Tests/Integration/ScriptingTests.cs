using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// EVAL, EVALSHA, EVAL_RO and SCRIPT against replies recorded from a fresh Redis 7.0.15 given the same
/// sequence (math.random's values depend on the calls before them, so the order matters).
/// </summary>
public class ScriptingTests
{
    private static readonly (string[] Args, string Reply)[] Sequence =
    [
        (["EVAL", "return math.random(1000)", "0"], ":397\r\n"),
        (["EVAL", "return {math.random(), math.random(100), math.random(5, 10)}", "0"], "*3\r\n:0\r\n:36\r\n:7\r\n"),
        (["EVAL", "math.randomseed(7); return math.random(1000000)", "0"], ":266445\r\n"),
        (["EVAL", "x=1", "0"], "-ERR user_script:1: Attempt to modify a readonly table script: 7caf6056913504f0508c65faf2dc3f94ff65bcfd, on @user_script:1.\r\n"),
        (["EVAL", "return y", "0"], "-ERR user_script:1: Script attempted to access nonexistent global variable 'y' script: e278681ed961e2fb52881313e5c90fdd93749940, on @user_script:1.\r\n"),
        (["EVAL", "return redis.call('nosuch')", "0"], "-ERR Unknown Redis command called from script script: 206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1.\r\n"),
        (["EVAL", "return redis.call('get')", "0"], "-ERR Wrong number of args calling Redis command from script script: f187dee77f607f7cff00bbabc9df38507582c78d, on @user_script:1.\r\n"),
        (["EVAL", "error('boom')", "0"], "-ERR user_script:1: boom script: 82903a0434f1503e152f89c03c9acd881a0e8150, on @user_script:1.\r\n"),
        (["EVAL", "return redis.error_reply('MY err')", "0"], "-MY err\r\n"),
        (["EVAL", "return redis.error_reply('plain')", "0"], "-ERR plain\r\n"),
        (["EVAL", "return {err='x y'}", "0"], "-x y\r\n"),
        (["SET", "s", "abc"], "+OK\r\n"),
        (["EVAL", "return redis.call('incr', KEYS[1])", "1", "s"], "-ERR value is not an integer or out of range script: 2bab3b661081db58bd2341920e0ba7cf5dc77b25, on @user_script:1.\r\n"),
        (["EVAL", "return redis.pcall('incr', KEYS[1])", "1", "s"], "-ERR value is not an integer or out of range\r\n"),
        (["EVAL", "return 1 +", "0"], "-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'\r\n"),
        (["EVALSHA", "abc", "0"], "-NOSCRIPT No matching script. Please use EVAL.\r\n"),
        (["EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"], "-NOSCRIPT No matching script. Please use EVAL.\r\n"),
        (["EVAL_RO", "return redis.call('set','a','b')", "0"], "-ERR Write commands are not allowed from read-only scripts. script: ff967d0ae0e68b4f9e360fa91c54598bc25ad9b6, on @user_script:1.\r\n"),
        (["EVAL", "return {1,2,3,'x',nil,5}", "0"], "*4\r\n:1\r\n:2\r\n:3\r\n$1\r\nx\r\n"),
        (["EVAL", "return {1.9, -2.5, true, false}", "0"], "*4\r\n:1\r\n:-2\r\n:1\r\n$-1\r\n"),
        (["EVAL", "return redis.call('hgetall', 'nokey')", "0"], "*0\r\n"),
        (["EVAL", "return pcall(function() redis.call('incr','s') end)", "0"], "$-1\r\n"),
        (["EVAL", "local ok, e = pcall(function() redis.call('incr','s') end) return e", "0"], "$43\r\nERR value is not an integer or out of range\r\n"),
        (["EVAL", "return redis.status_reply('FINE')", "0"], "+FINE\r\n"),
        (["EVAL", "return redis.sha1hex('abc')", "0"], "$40\r\na9993e364706816aba3e25717850c26c9cd0d89d\r\n"),
        (["EVAL", "return redis.sha1hex()", "0"], "-ERR wrong number of arguments script: 3c7ce947ae74a835cc575b6ee87fb27503cb7ba4, on @user_script:1.\r\n"),
        (["EVAL", "#!lua flags=no-writes\nreturn redis.call('set','a','b')", "0"], "-ERR Write commands are not allowed from read-only scripts. script: 6acb400a50fe96e33eca4e0af6e9dcfb21193726, on @user_script:2.\r\n"),
        (["EVAL", "#!lua flags=bad\nreturn 1", "0"], "-ERR Unexpected flag in script shebang: bad\r\n"),
        (["EVAL", "#!py\nreturn 1", "0"], "-ERR Unexpected engine in script shebang: #!py\r\n"),
        (["EVAL", "#!lua", "0"], "-ERR Invalid script shebang\r\n"),
        (["EVAL", "#!lua opt=1\nreturn 1", "0"], "-ERR Unknown lua shebang option: opt=1\r\n"),
        (["EVAL_RO", "#!lua\nreturn 1", "0"], "-ERR Can not execute a script with write flag using *_ro command.\r\n"),
        (["EVAL_RO", "#!lua flags=no-writes\nreturn redis.call('get','s')", "0"], "$3\r\nabc\r\n"),
        (["SCRIPT", "LOAD", "return 'loaded'"], "$40\r\nb534286061d4b9e4026607613b95c06c06015ae8\r\n"),
        (["EVALSHA", "9c1e8c4bbf07acb3d1b33f18bc8d6a8e66b1ba8f", "0"], "-NOSCRIPT No matching script. Please use EVAL.\r\n"),
        (["EVALSHA", "9C1E8C4BBF07ACB3D1B33F18BC8D6A8E66B1BA8F", "0"], "-NOSCRIPT No matching script. Please use EVAL.\r\n"),
        (["SCRIPT", "EXISTS", "9c1e8c4bbf07acb3d1b33f18bc8d6a8e66b1ba8f", "9C1E8C4BBF07ACB3D1B33F18BC8D6A8E66B1BA8F", "ffffffffffffffffffffffffffffffffffffffff"], "*3\r\n:0\r\n:0\r\n:0\r\n"),
        (["EVAL", "error({err='MYERR custom'})", "0"], "-MYERR custom script: a07c29d0063209b2ae57454ea0c8133629beb446, on @user_script:1.\r\n"),
        (["EVAL", "error('x', 0)", "0"], "-ERR x script: a8325ab498c94f38b1b3e86862697a313b6dbe35, on @user_script:1.\r\n"),
        (["EVAL", "local t = nil; return t.x", "0"], "-ERR user_script:1: attempt to index local 't' (a nil value) script: e62b17c4a64e9b74a6f9be57909ea9e2d0e66784, on @user_script:1.\r\n"),
        (["EVAL", "return string.rep('x', -1, 3)", "0"], "$0\r\n\r\n"),
        (["EVAL", "return redis.call('ping')", "0"], "+PONG\r\n"),
        (["EVAL", "redis.setresp(3); return redis.call('hgetall','h')", "0"], "*0\r\n"),
        (["HSET", "h", "a", "1"], ":1\r\n"),
        (["EVAL", "redis.setresp(3); local r = redis.call('hgetall','h'); return r.map.a", "0"], "$1\r\n1\r\n"),
        (["EVAL", "redis.setresp(3); return redis.call('hgetall','h')", "0"], "*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
        (["EVAL", "return {double=3.5}", "0"], "$3\r\n3.5\r\n"),
        (["EVAL", "return {map={a=1}}", "0"], "*2\r\n$1\r\na\r\n:1\r\n"),
        (["EVAL", "return {set={a=true}}", "0"], "*1\r\n$1\r\na\r\n"),
        (["EVAL", "redis.setresp(3); return true", "0"], ":1\r\n"),
        (["EVAL", "redis.setresp(3); return false", "0"], ":0\r\n"),
        (["EVAL", "return true", "0"], ":1\r\n"),
        (["EVAL", "return false", "0"], "$-1\r\n"),
        (["EVAL", "redis.setresp(4)", "0"], "-ERR RESP version must be 2 or 3. script: 68e72e4d8a428b9f599dce492315f2455a425a82, on @user_script:1.\r\n"),
        (["EVAL", "return redis.call('subscribe','x')", "0"], "-ERR This Redis command is not allowed from script script: 2f334966be3d5602175118691c9d198b0a695e53, on @user_script:1.\r\n"),
        (["EVAL", "return redis.call()", "0"], "-ERR Please specify at least one argument for this redis lib call script: 0a907e1429221a4d85516cab7fd219a82a9439d8, on @user_script:1.\r\n"),
        (["EVAL", "return redis.call({})", "0"], "-ERR Lua redis lib command arguments must be strings or integers script: 80747816df1f4411f7c442b928fce6a814214839, on @user_script:1.\r\n"),
        (["EVAL", "return KEYS[1] .. ARGV[1] .. #ARGV", "1", "k", "a", "b"], "$3\r\nka2\r\n"),
        (["EVAL", "return 3", "-1"], "-ERR Number of keys can't be negative\r\n"),
        (["EVAL", "return 3", "2", "a"], "-ERR Number of keys can't be greater than number of args\r\n"),
        (["EVAL", "return 3", "x"], "-ERR value is not an integer or out of range\r\n"),
        (["EVAL", "return tostring(redis.breakpoint())", "0"], "$5\r\nfalse\r\n"),
        (["EVAL", "return redis.replicate_commands()", "0"], ":1\r\n"),
        (["EVAL", "redis.log(redis.LOG_WARNING, 'hello')", "0"], "$-1\r\n"),
        (["EVAL", "redis.log(9, 'hello')", "0"], "-ERR Invalid debug level. script: b297e2bca9bb217a4e6ba62e0c32ecb07d19796e, on @user_script:1.\r\n"),
        (["EVAL", "redis.log(1)", "0"], "-ERR redis.log() requires two arguments or more. script: 3f3f405a68f1629d40734c03d5bbba6b55824cf9, on @user_script:1.\r\n"),
        (["EVAL", "redis.set_repl(redis.REPL_ALL); return 1", "0"], ":1\r\n"),
        (["EVAL", "redis.set_repl(99)", "0"], "-ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE. script: d771ce5945d8966ba7b2527e297070ef439fb0b8, on @user_script:1.\r\n"),
        (["EVAL", "return redis.call('set', KEYS[1], 3.0)", "1", "num"], "+OK\r\n"),
        (["GET", "num"], "$1\r\n3\r\n"),
        (["EVAL", "return redis.call('set', KEYS[1], 0.1)", "1", "num"], "+OK\r\n"),
        (["GET", "num"], "$19\r\n0.10000000000000001\r\n"),
        (["EVAL", "return 2^63", "0"], ":-9223372036854775808\r\n"),
        (["EVAL", "return -1/0", "0"], ":-9223372036854775808\r\n"),
        (["EVAL", "return 0/0", "0"], ":-9223372036854775808\r\n"),
        (["EVAL", "return {ok='a\\r\\nb'}", "0"], "+a  b\r\n"),
        (["EVAL", "return redis.acl_check_cmd('get','a')", "0"], ":1\r\n"),
        (["EVAL", "return redis.acl_check_cmd('nosuch')", "0"], "-ERR Invalid command passed to redis.acl_check_cmd() script: d2491587bab5149c93be0dce4426f7a06ba9e1a1, on @user_script:1.\r\n"),
        (["EVAL", "return redis.call('eval', 'return 1', 0)", "0"], "-ERR This Redis command is not allowed from script script: 310efa61ec0f2edf6c2e5b4007966dd555e75546, on @user_script:1.\r\n"),
        (["EVAL", "return redis.call('config', 'nosuch')", "0"], "-ERR Unknown Redis command called from script script: a0ea45a4efe6387b81c64461d8f551451a773e1a, on @user_script:1.\r\n"),
        (["EVAL", "return pcall(error)", "0"], "$-1\r\n"),
        (["EVAL", "return {pcall(error, 'x')}", "0"], "*2\r\n$-1\r\n$1\r\nx\r\n"),
        (["EVAL", "local ok, e = pcall(redis.call, 'incr', 's'); return e", "0"], "$43\r\nERR value is not an integer or out of range\r\n"),
        (["EVAL", "return redis.call('type', 's')", "0"], "+string\r\n"),
        (["EVAL", "return redis.call('hset', 'h2', 'f', 'v', 'g', 'w')", "0"], ":2\r\n"),
        (["EVAL", "return {redis.call('hmget', 'h2', 'f', 'zz', 'g')}", "0"], "*1\r\n*3\r\n$1\r\nv\r\n$-1\r\n$1\r\nw\r\n"),
        (["EVAL", "local t = cjson.decode('[1,2,{\"a\":3}]') return {t[1], t[3].a}", "0"], "*2\r\n:1\r\n:3\r\n"),
        (["SCRIPT", "FLUSH", "bad"], "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n"),
        (["SCRIPT", "FLUSH"], "+OK\r\n"),
        (["SCRIPT", "EXISTS", "9c1e8c4bbf07acb3d1b33f18bc8d6a8e66b1ba8f"], "*1\r\n:0\r\n"),
        (["SCRIPT", "FLUSH", "ASYNC"], "+OK\r\n"),
        (["SCRIPT", "KILL"], "-NOTBUSY No scripts in execution right now.\r\n"),
        (["SCRIPT", "DEBUG", "NO"], "+OK\r\n"),
        (["SCRIPT", "DEBUG", "MAYBE"], "-ERR Use SCRIPT DEBUG YES/SYNC/NO\r\n"),
        (["SCRIPT", "HELP"], "*17\r\n+SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+DEBUG (YES|SYNC|NO)\r\n+    Set the debug mode for subsequent scripts executed.\r\n+EXISTS <sha1> [<sha1> ...]\r\n+    Return information about the existence of the scripts in the script cache.\r\n+FLUSH [ASYNC|SYNC]\r\n+    Flush the Lua scripts cache. Very dangerous on replicas.\r\n+    When called without the optional mode argument, the behavior is determined by the\r\n+    lazyfree-lazy-user-flush configuration directive. Valid modes are:\r\n+    * ASYNC: Asynchronously flush the scripts cache.\r\n+    * SYNC: Synchronously flush the scripts cache.\r\n+KILL\r\n+    Kill the currently executing Lua script.\r\n+LOAD <script>\r\n+    Load a script into the scripts cache without executing it.\r\n+HELP\r\n+    Prints this help.\r\n"),
        (["SCRIPT", "NOPE"], "-ERR unknown subcommand 'NOPE'. Try SCRIPT HELP.\r\n"),
        (["EVAL", "local k = KEYS[1] local v = redis.call('get', k) if v == ARGV[1] then return redis.call('del', k) else return 0 end", "1", "lock", "owner"], ":0\r\n"),
        (["SET", "lock", "owner"], "+OK\r\n"),
        (["EVAL", "local k = KEYS[1] local v = redis.call('get', k) if v == ARGV[1] then return redis.call('del', k) else return 0 end", "1", "lock", "owner"], ":1\r\n"),
        (["EVAL", "local tokens = redis.call('hmget', KEYS[1], 'tokens', 'ts') local t = tonumber(tokens[1]) or tonumber(ARGV[1]) t = math.min(t, tonumber(ARGV[1])) if t < 1 then return 0 end redis.call('hmset', KEYS[1], 'tokens', t - 1, 'ts', ARGV[2]) redis.call('expire', KEYS[1], math.ceil(tonumber(ARGV[1]) / 2)) return t - 1", "1", "bucket", "10", "1000"], ":9\r\n"),
        (["EVAL", "local tokens = redis.call('hmget', KEYS[1], 'tokens', 'ts') local t = tonumber(tokens[1]) or tonumber(ARGV[1]) t = math.min(t, tonumber(ARGV[1])) if t < 1 then return 0 end redis.call('hmset', KEYS[1], 'tokens', t - 1, 'ts', ARGV[2]) redis.call('expire', KEYS[1], math.ceil(tonumber(ARGV[1]) / 2)) return t - 1", "1", "bucket", "10", "1000"], ":8\r\n"),
        (["HGETALL", "bucket"], "*4\r\n$6\r\ntokens\r\n$1\r\n8\r\n$2\r\nts\r\n$4\r\n1000\r\n"),
        (["TTL", "bucket"], ":5\r\n"),
        (["EVAL", "redis.call('rpush', 'wait', 'j1', 'j2') local j = redis.call('rpoplpush', 'wait', 'active') redis.call('hset', 'job:' .. j, 'state', 'active') return {j, redis.call('llen', 'wait'), redis.call('llen', 'active')}", "0"], "*3\r\n$2\r\nj2\r\n:1\r\n:1\r\n"),
    ];

    [Fact]
    public void RepliesMatchRedis()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        foreach (var (args, reply) in Sequence)
            Assert.Equal((string.Join(" ", args), reply), (string.Join(" ", args), c.Call(args)));
    }

    [Fact]
    public void Resp3ConversionsMatchRedis()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("HELLO", "3");
        // Recorded from Redis 7.0.15 on a RESP3 connection.
        Assert.Equal(",3.5\r\n", c.Call("EVAL", "return {double=3.5}", "0"));
        Assert.Equal("%1\r\n$1\r\na\r\n:1\r\n", c.Call("EVAL", "return {map={a=1}}", "0"));
        Assert.Equal("~1\r\n$1\r\na\r\n", c.Call("EVAL", "return {set={a=true}}", "0"));
        Assert.Equal("#t\r\n", c.Call("EVAL", "redis.setresp(3); return true", "0"));
        Assert.Equal("#f\r\n", c.Call("EVAL", "redis.setresp(3); return false", "0"));
        Assert.Equal(":1\r\n", c.Call("EVAL", "return true", "0"));
        Assert.Equal("_\r\n", c.Call("EVAL", "return false", "0"));
        Assert.Equal("_\r\n", c.Call("EVAL", "return nil", "0"));
        Assert.Equal("(123456789012345678901234567890\r\n", c.Call("EVAL", "return {big_number='123456789012345678901234567890'}", "0"));
        Assert.Equal("=6\r\ntxt:hi\r\n", c.Call("EVAL", "return {verbatim_string={format='txt', string='hi'}}", "0"));
        Assert.Equal(":1\r\n", c.Call("HSET", "h", "a", "1"));
        Assert.Equal("%1\r\n$1\r\na\r\n$1\r\n1\r\n", c.Call("EVAL", "redis.setresp(3); return redis.call('hgetall','h')", "0"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\n1\r\n", c.Call("EVAL", "return redis.call('hgetall','h')", "0"));
        Assert.Equal("_\r\n", c.Call("EVAL", "redis.setresp(3); return redis.call('zscore','nozset','m')", "0"));
        Assert.Equal("*0\r\n", c.Call("EVAL", "redis.setresp(3); return {redis.call('get','nokey')}", "0"));
        Assert.Equal(":1\r\n", c.Call("ZADD", "z", "1.5", "m"));
        Assert.Equal(",1.5\r\n", c.Call("EVAL", "redis.setresp(3); return redis.call('zscore','z','m')", "0"));
        Assert.Equal(":1\r\n", c.Call("EVAL", "redis.setresp(3); return redis.call('zscore','z','m').double", "0"));
        Assert.Equal(",0.10000000000000001\r\n", c.Call("EVAL", "return {double=0.1}", "0"));
        Assert.Equal("-E1 x\r\n", c.Call("EVAL", "return {err='E1 x'}", "0"));
    }
}
