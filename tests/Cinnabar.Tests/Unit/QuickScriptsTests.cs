using System.Security.Cryptography;
using System.Text;
using Cinnabar.Lua;
using Cinnabar.Scripting;
using Xunit;

namespace Cinnabar.Tests.Unit;

/// <summary>Which scripts may run on the receiving socket thread: only those whose running time is bounded.</summary>
public sealed class QuickScriptsTests
{
    private static bool Bounded(string source) => QuickScripts.IsBounded(LuaState.Compile(source, "@user_script").Shape);

    [Theory]
    [InlineData("return redis.call('INCR', KEYS[1])")]
    [InlineData("local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')\n"
        + "local tokens = math.min(tonumber(ARGV[1]), (tonumber(state[1]) or 1) + 1)\n"
        + "if tokens >= 1 then tokens = tokens - 1 end\n"
        + "redis.call('HMSET', KEYS[1], 'tokens', tokens, 'ts', ARGV[3])\n"
        + "return cjson.encode({tokens, string.rep('x', 3), bit.band(1, 3)})")]
    [InlineData("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end")]
    public void LoopFreeScriptsOfLibraryCallsAreBounded(string source) => Assert.True(Bounded(source));

    [Theory]
    [InlineData("while true do end")]
    [InlineData("repeat local x = 1 until false")]
    [InlineData("for i = 1, 10 do redis.call('INCR', KEYS[1]) end")]
    [InlineData("for _, k in ipairs(KEYS) do redis.call('DEL', k) end")]
    [InlineData("local function f(n) return f(n) end return f(1)")]
    [InlineData("local t = {} table.sort(t, function(a, b) return a < b end)")]
    [InlineData("return loadstring('while true do end')()")]
    [InlineData("return load(redis.call('GET', KEYS[1]))()")]
    [InlineData("return _G['loadstring']('return 1')()")]
    [InlineData("return getfenv(1).loadstring('return 1')()")]
    [InlineData("return setmetatable({}, {__index = string})")]
    public void LoopsFunctionsAndCodeLoadingAreNot(string source) => Assert.False(Bounded(source));

    [Fact]
    public void KnownByShaEitherCaseOrByBody()
    {
        var quick = new QuickScripts();
        var body = Encoding.UTF8.GetBytes("return 1");
        var sha = SHA1.HashData(body);
        Assert.False(quick.ContainsBody(body));
        quick.Add(Sha1Key.Of(body), body);
        Assert.True(quick.ContainsBody(body));
        Assert.True(quick.ContainsBody(Encoding.UTF8.GetBytes("return 1")));
        Assert.True(quick.ContainsHex(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(sha))));
        Assert.True(quick.ContainsHex(Encoding.ASCII.GetBytes(Convert.ToHexString(sha))));
        Assert.False(quick.ContainsHex(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(sha))[..39]));
        Assert.False(quick.ContainsHex(Encoding.ASCII.GetBytes(new string('g', 40))));
        Assert.False(quick.ContainsBody(Encoding.UTF8.GetBytes("return 2")));
        Assert.False(quick.ContainsBody(Encoding.UTF8.GetBytes("return 1 ")));
        quick.Clear();
        Assert.False(quick.ContainsBody(body));
    }
}

public class Sha1KeyTests
{
    // SHA1("return 1"), as redis-server's SCRIPT LOAD "return 1" answers it.
    private const string ReturnOneSha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db";

    [Fact]
    public void DigestAndHexRoundTrip()
    {
        var key = Sha1Key.Of(Encoding.UTF8.GetBytes("return 1"));
        Assert.Equal(ReturnOneSha, key.ToHexLower());
        Assert.True(Sha1Key.TryParseHex(Encoding.ASCII.GetBytes(ReturnOneSha), out var lower));
        Assert.True(Sha1Key.TryParseHex(Encoding.ASCII.GetBytes(ReturnOneSha.ToUpperInvariant()), out var upper));
        Assert.Equal(key, lower);
        Assert.Equal(key, upper);
    }

    [Theory]
    [InlineData("")]
    [InlineData("e0e1f9fabfc9d4800c877a703b823ac0578ff8d")]
    [InlineData("e0e1f9fabfc9d4800c877a703b823ac0578ff8dbb")]
    [InlineData("e0e1f9fabfc9d4800c877a703b823ac0578ff8dg")]
    [InlineData("e0e1f9fabfc9d4800c877a703b823ac0578ff8 b")]
    public void OtherTextIsNoKey(string text) => Assert.False(Sha1Key.TryParseHex(Encoding.ASCII.GetBytes(text), out _));
}
