using System.Text;
using Cinnabar.Propagation;

namespace Cinnabar.Tests.Unit;

/// <summary>
/// What scripts and functions put in the effects stream, as a Redis 7.0.15 replica received it for the same
/// commands: the script's writes (never EVAL/FCALL itself), MULTI/EXEC around more than one, redis.set_repl
/// choosing where each goes, FUNCTION LOAD/DELETE/FLUSH/RESTORE as themselves, SCRIPT FLUSH/LOAD not at all.
/// </summary>
public class ScriptEffectsTests
{
    private static byte[][] A(params string[] args) => args.Select(Encoding.UTF8.GetBytes).ToArray();

    [Fact]
    public void ScriptWritesAreOneUnitWithoutTheScript()
    {
        var (server, stream, c) = EffectsStreamTests.Start();
        c.Run(A("EVAL", "redis.call('set','a','1') redis.call('incr','a') return 1", "0"));
        c.Run(A("EVAL", "redis.call('set','b','1') return 1", "0"));
        c.Run(A("EVAL", "return redis.call('get','a')", "0"));
        c.Run(A("EVAL", "redis.call('set','e','1','EX','100') redis.call('expire','b', 100) return 1", "0"));
        long at = server.NowMs + 100_000;
        c.Run(A("EVAL", "redis.call('set','y','1') error('after write')", "0"));
        c.Run(A("SELECT", "3"));
        c.Run(A("EVAL", "redis.call('select', 2) redis.call('set','x','1') return 1", "0"));
        c.Run(A("SET", "z", "1"));
        Assert.Equal(["SELECT 0", "MULTI", "set a 1", "incr a", "EXEC", "set b 1",
            "MULTI", $"SET e 1 PXAT {at}", $"PEXPIREAT b {at}", "EXEC", "set y 1", "SELECT 2", "set x 1", "SELECT 3", "SET z 1"],
            EffectsStreamTests.Commands(stream));
    }

    [Fact]
    public void SetReplChoosesWhereEachWriteGoes()
    {
        var server = new CinnabarServer();
        var aof = new EffectsStream(PropagationTargets.Aof);
        var replicas = new EffectsStream(PropagationTargets.Replicas);
        server.Propagator.Attach(aof);
        server.Propagator.Attach(replicas);
        var c = new Commands.LocalClient(server);
        c.Run(A("EVAL", "redis.set_repl(redis.REPL_NONE) redis.call('set','c','1') redis.set_repl(redis.REPL_ALL) redis.call('set','d','1') return 1", "0"));
        c.Run(A("EVAL", "redis.set_repl(redis.REPL_AOF) redis.call('set','c','2') redis.set_repl(redis.REPL_REPLICA) redis.call('set','d','2') return 1", "0"));
        c.Run(A("EVAL", "redis.set_repl(redis.REPL_REPLICA) redis.call('select','1') redis.call('set','r','1') return 1", "0"));
        c.Run(A("SET", "k", "v"));
        Assert.Equal(["SELECT 0", "set d 1", "MULTI", "set c 2", "EXEC", "SET k v"], EffectsStreamTests.Commands(aof));
        Assert.Equal(["SELECT 0", "set d 1", "MULTI", "set d 2", "EXEC", "SELECT 1", "set r 1", "SELECT 0", "SET k v"],
            EffectsStreamTests.Commands(replicas));
    }

    [Fact]
    public void WritesForNoAttachedKindAreDropped()
    {
        // Redis counts only writes some consumer takes: with replicas and no AOF, a REPL_AOF write is no write.
        var server = new CinnabarServer();
        var replicas = new EffectsStream(PropagationTargets.Replicas);
        server.Propagator.Attach(replicas);
        var c = new Commands.LocalClient(server);
        c.Run(A("EVAL", "redis.set_repl(redis.REPL_AOF) redis.call('set','c','1') redis.set_repl(redis.REPL_ALL) redis.call('set','d','1') return 1", "0"));
        Assert.Equal(["SELECT 0", "set d 1"], EffectsStreamTests.Commands(replicas));
    }

    [Fact]
    public void FunctionsPropagateTheirLibraryCommandsAndTheirWrites()
    {
        var (_, stream, c) = EffectsStreamTests.Start();
        const string library = "#!lua name=pl\nredis.register_function('w', function(k) return redis.call('set', k[1], 'v') end)";
        c.Run(A("SCRIPT", "LOAD", "return 1"));
        c.Run(A("SCRIPT", "FLUSH"));
        c.Run(A("FUNCTION", "FLUSH"));
        c.Run(A("FUNCTION", "LOAD", library));
        c.Run(A("FUNCTION", "LOAD", library));
        c.Run(A("FCALL", "w", "1", "fk"));
        c.Run(A("FCALL_RO", "w", "1", "fk"));
        var dump = c.Run(A("FUNCTION", "DUMP"));
        c.Run(A("FUNCTION", "DELETE", "pl"));
        c.Run(A("FUNCTION", "DELETE", "pl"));
        c.Run(A("FUNCTION", "LOAD", "bad"));
        var payload = dump.AsSpan(dump.AsSpan().IndexOf("\r\n"u8) + 2, dump.Length - dump.AsSpan().IndexOf("\r\n"u8) - 4).ToArray();
        c.Run([.. A("FUNCTION", "RESTORE"), payload]);
        var lines = EffectsStreamTests.Commands(stream);
        Assert.Equal(["SELECT 0", "FUNCTION FLUSH", "FUNCTION LOAD " + library, "set fk v", "FUNCTION DELETE pl"], lines[..^1]);
        Assert.StartsWith("FUNCTION RESTORE \xf5", lines[^1]);
    }
}
