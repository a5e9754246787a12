using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>
/// Functions: one library loaded, replaced, listed, dumped, deleted and flushed; FCALL and FCALL_RO of its
/// function (a no-writes one or a writing one, or an unknown name) running a read or a write over the generated
/// keys; RESTORE of a payload that is not one; KILL with nothing running. One library of one function at a time,
/// since Redis lists both in its dictionaries' order.
/// </summary>
public sealed class FunctionFamily : ICommandFamily
{
    // One function per library: Redis lists a library's functions in its hash table's order, seeded at random
    // per process. The read-only variant and the writing one replace each other under the same library name.
    private const string ReadLibrary = "#!lua name=gen\n"
        + "redis.register_function{function_name='fk', callback=function(keys, args) return redis.call(args[1], keys[1], unpack(args, 2)) end, flags={'no-writes'}}";
    private const string WriteLibrary = "#!lua name=gen\n"
        + "redis.register_function('fw', function(keys, args) return redis.call(args[1], keys[1], unpack(args, 2)) end)";

    public IEnumerable<Producer> Producers(Gen g)
    {
        yield return Simple("FUNCTION LOAD", () => L("FUNCTION", "LOAD", g.Maybe(60, "REPLACE"), g.Chance(90) ? g.Pick(ReadLibrary, WriteLibrary) : g.Pick("return 1", "#!lua name=gen\nreturn 1")), 4);
        yield return Simple("FCALL", () => L("FCALL", g.Pick("fk", "fw", "fw", "nosuch"), g.Pick("1", "1", "0", "-1"), g.Key(), g.Pick("GET", "STRLEN", "SET", "INCR", "DEL"), g.Value()), 10);
        yield return Simple("FCALL_RO", () => L("FCALL_RO", g.Pick("fk", "fw"), "1", g.Key(), g.Pick("GET", "STRLEN", "SET")), 6);
        yield return Simple("FUNCTION LIST", () => L("FUNCTION", "LIST", g.Maybe(50, "WITHCODE"), g.Maybe(40, "LIBRARYNAME", g.Pick("gen", "g*", "x*"))), 3);
        yield return Simple("FUNCTION STATS", () => L("FUNCTION", "STATS"), 2);
        yield return Simple("FUNCTION DELETE", () => L("FUNCTION", "DELETE", g.Pick("gen", "nosuch")), 2);
        yield return Simple("FUNCTION FLUSH", () => L("FUNCTION", "FLUSH", g.Maybe(50, g.Pick("ASYNC", "SYNC"))), 1);
        yield return Simple("FUNCTION DUMP", () => L("FUNCTION", "DUMP"), 2);
        yield return Simple("FUNCTION RESTORE", () => L("FUNCTION", "RESTORE", g.Pick("", "garbage"), g.Maybe(50, g.Pick("FLUSH", "APPEND", "REPLACE"))), 1);
        yield return Simple("FUNCTION KILL", () => L("FUNCTION", "KILL"), 1);
        yield return Simple("FUNCTION HELP", () => L("FUNCTION", "HELP"), 1);
    }
}
