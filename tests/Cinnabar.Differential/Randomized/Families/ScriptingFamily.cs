using System.Security.Cryptography;
using System.Text;
using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>
/// Scripts: a generated command of any family run through EVAL/EVALSHA (and their _RO forms) as
/// redis.call / redis.pcall, with its key declared in KEYS when it has one, so every reply crosses the Lua
/// conversions both ways (and RESP3 ones after redis.setresp(3)); and SCRIPT's cache commands.
/// </summary>
public sealed class ScriptingFamily : ICommandFamily
{
    /// <summary>The call's arguments: ARGV[1] the command name, then KEYS[1] when given (its first argument), then the rest of ARGV.</summary>
    private const string Args = "local a = {ARGV[1]} for _, k in ipairs(KEYS) do a[#a + 1] = k end for i = 2, #ARGV do a[#a + 1] = ARGV[i] end ";

    private static readonly string[] Bodies =
    [
        Args + "return redis.call(unpack(a))",
        Args + "return redis.pcall(unpack(a))",
        "redis.setresp(3) " + Args + "return redis.call(unpack(a))",
        // What a reply becomes in Lua: its Lua type, a table's length (set replies have no order) or error text.
        Args + "local r = redis.pcall(unpack(a)) if type(r) ~= 'table' then return {type(r)} elseif r.err then return 'error: ' .. r.err else return {'table', #r} end",
    ];

    private static readonly string[] Shas = Bodies.Select(b => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(b)))).ToArray();

    public IEnumerable<Producer> Producers(Gen g)
    {
        List<string> Wrapped(string eval)
        {
            var inner = g.AnyCommand();
            int body = g.Next(Bodies.Length);
            string script = eval.StartsWith("EVALSHA", StringComparison.Ordinal) ? (g.Chance(90) ? Shas[body] : g.Pick("ffffffffffffffffffffffffffffffffffffffff", "abc")) : Bodies[body];
            bool keyed = inner.Count > 1 && Keys.Contains(inner[1]);
            return keyed ? L(eval, script, "1", inner[1], inner[0], inner.Skip(2)) : L(eval, script, "0", inner);
        }
        yield return Simple("EVAL", () => Wrapped("EVAL"), 25);
        yield return Simple("EVALSHA", () => Wrapped("EVALSHA"), 8);
        yield return Simple("EVAL_RO", () => Wrapped("EVAL_RO"), 8);
        yield return Simple("EVALSHA_RO", () => Wrapped("EVALSHA_RO"), 4);
        yield return Simple("EVAL", () => L("EVAL", g.Pick("return", "return 1 +", "error('x')", "return {1, 'a', {2}}", "return redis.call()", "return 0.5",
            // Lua numbers become integers by truncation toward zero, in any position of a reply.
            "return 2.7", "return -3.5", "return {1.5, -2.99, 7.5, {0.999}}"), g.Pick("0", "1", "-1", "abc"), g.Repeat(g.Key, 0, 2)), 3);
        yield return Simple("SCRIPT LOAD", () => L("SCRIPT", "LOAD", g.Chance(90) ? Bodies[g.Next(Bodies.Length)] : g.Pick("return +", "return 'x'")), 3);
        yield return Simple("SCRIPT EXISTS", () => L("SCRIPT", "EXISTS", g.Repeat(() => g.Chance(80) ? Shas[g.Next(Shas.Length)] : "abc", 1, 3)), 3);
        yield return Simple("SCRIPT FLUSH", () => L("SCRIPT", "FLUSH", g.Maybe(40, g.Pick("ASYNC", "SYNC", "BAD"))), 1);
        yield return Simple("SCRIPT KILL", () => L("SCRIPT", "KILL"), 1);
        yield return Simple("SCRIPT HELP", () => L("SCRIPT", "HELP"), 1);
        // Alone on the second connection: pipelined, it meets earlier replies still waiting to be written (an error).
        yield return new Producer("SCRIPT DEBUG", () => new Step().Call(L("SCRIPT", "DEBUG", g.Pick("NO", "no", "BAD")), conn: 1), 1);
    }
}
