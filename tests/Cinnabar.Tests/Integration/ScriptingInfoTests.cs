using System.Text.RegularExpressions;
using Cinnabar.Tests.Support;

namespace Cinnabar.Tests.Integration;

/// <summary>
/// INFO memory's script fields follow the EVAL cache and the function libraries, as Redis's do; commandstats
/// and errorstats count scripts and the commands they run as Redis 7.0.15 counted the same sequence.
/// </summary>
public class ScriptingInfoTests
{
    private static long Field(RespClient c, string name)
    {
        var match = Regex.Match(c.Call("INFO", "memory"), $"\r\n{name}:(\\d+)\r\n");
        Assert.True(match.Success, name + " missing from INFO memory");
        return long.Parse(match.Groups[1].Value);
    }

    [Fact]
    public void CountsFollowTheCacheAndTheLibraries()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        Assert.Equal(0, Field(c, "number_of_cached_scripts"));
        Assert.Equal(0, Field(c, "used_memory_scripts_eval"));
        c.Call("SCRIPT", "LOAD", "return 1");
        c.Call("EVAL", "local t = {} for i = 1, 100 do t[i] = 'x' .. i end return #t", "0");
        Assert.Equal(2, Field(c, "number_of_cached_scripts"));
        // Redis counts each script's SHA and body: 40 + 8 and 40 + 59 bytes here, plus its bookkeeping.
        Assert.True(Field(c, "used_memory_scripts_eval") >= 147);
        Assert.True(Field(c, "used_memory_vm_eval") > 0);
        Assert.Equal(Field(c, "used_memory_vm_eval"), Field(c, "used_memory_lua"));

        c.Call("FUNCTION", "LOAD", "#!lua name=a\nredis.register_function('f1', function() return 1 end)\nredis.register_function('f2', function() return 2 end)");
        c.Call("FUNCTION", "LOAD", "#!lua name=b\nredis.register_function('g', function() return 1 end)");
        Assert.Equal(3, Field(c, "number_of_functions"));
        Assert.Equal(2, Field(c, "number_of_libraries"));
        long functionsBytes = Field(c, "used_memory_functions");
        Assert.True(functionsBytes > 0);
        Assert.Equal(Field(c, "used_memory_scripts_eval") + functionsBytes, Field(c, "used_memory_scripts"));
        Assert.Equal(Field(c, "used_memory_vm_eval") + Field(c, "used_memory_vm_functions"), Field(c, "used_memory_vm_total"));

        c.Call("FUNCTION", "DELETE", "a");
        Assert.Equal(1, Field(c, "number_of_functions"));
        Assert.True(Field(c, "used_memory_functions") < functionsBytes);
        c.Call("FUNCTION", "FLUSH");
        c.Call("SCRIPT", "FLUSH");
        Assert.Equal(0, Field(c, "number_of_functions"));
        Assert.Equal(0, Field(c, "number_of_libraries"));
        Assert.Equal(0, Field(c, "used_memory_functions"));
        Assert.Equal(0, Field(c, "number_of_cached_scripts"));
        Assert.Equal(0, Field(c, "used_memory_scripts_eval"));
    }

    [Fact]
    public void CommandStatsCountScriptsAndTheirCommands()
    {
        using var server = new TestServer();
        using var c = server.Connect();
        c.Call("CONFIG", "RESETSTAT");
        c.Call("SET", "s", "abc");
        c.Call("EVAL", "return redis.call('incr', 's')", "0");
        c.Call("EVAL", "return redis.pcall('incr', 's')", "0");
        c.Call("EVAL", "return redis.call('nosuch')", "0");
        c.Call("EVAL", "return redis.call('get')", "0");
        c.Call("EVAL_RO", "return redis.call('set','a','b')", "0");
        c.Call("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0");
        c.Call("EVAL", "return {err='X y'}", "0");
        c.Call("EVAL", "return redis.error_reply('Z q')", "0");
        c.Call("EVAL", "return redis.call('get','s')", "0");
        c.Call("SCRIPT", "LOAD", "return 1");
        c.Call("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('f', function() return redis.call('incr','s') end)");
        c.Call("FCALL", "f", "0");
        c.Call("FCALL", "nosuch", "0");
        c.Call("EVAL", "error('x')", "0");
        c.Call("EVAL", "return 1 +", "0");
        var stats = c.Call("INFO", "commandstats");
        Assert.Matches("cmdstat_eval:calls=9,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=0,failed_calls=8", stats);
        Assert.Matches("cmdstat_evalsha:calls=1,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=0,failed_calls=1", stats);
        Assert.Matches("cmdstat_eval_ro:calls=1,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=0,failed_calls=1", stats);
        Assert.Matches("cmdstat_incr:calls=3,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=0,failed_calls=3", stats);
        Assert.Matches("cmdstat_set:calls=1,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=1,failed_calls=0", stats);
        Assert.Matches("cmdstat_get:calls=1,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=1,failed_calls=0", stats);
        Assert.Matches("cmdstat_fcall:calls=2,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=0,failed_calls=2", stats);
        var errors = c.Call("INFO", "errorstats");
        Assert.Contains("errorstat_ERR:count=9\r\n", errors);
        Assert.Contains("errorstat_NOSCRIPT:count=1\r\n", errors);
        Assert.Contains("errorstat_X:count=1\r\n", errors);
        Assert.Contains("errorstat_Z:count=1\r\n", errors);
    }
}
