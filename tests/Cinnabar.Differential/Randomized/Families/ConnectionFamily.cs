using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>The connection: PING/ECHO/HELLO/AUTH/RESET/QUIT and CLIENT, including what a second client sees (KILL, REPLY).</summary>
public sealed class ConnectionFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        string proto = g.Protocol.ToString();
        yield return Simple("PING", () => L("PING", g.Maybe(50, g.Value())));
        yield return Simple("ECHO", () => L("ECHO", g.Value()));
        yield return Simple("HELLO", () => g.Chance(80)
            ? L("HELLO", proto, g.Maybe(30, "SETNAME", g.Pick("n1", "with space", "")))
            : L("HELLO", g.Pick("4", "0", "abc", "1"), g.Maybe(30, "AUTH", "default", "pw")), 3);
        yield return Simple("AUTH", () => L("AUTH", g.Maybe(40, "default"), g.Pick("pw", "")), 2);
        // RESET returns to RESP2 and database 0: HELLO takes the replay's protocol back. NO-EVICT off: 7.2 (as
        // Cinnabar) clears it on RESET, the 7.0 oracle does not (the case reset-no-evict shows that difference).
        yield return new Producer("RESET", () => Step.Of(L("RESET")).Call(L("HELLO", proto)).Call(L("CLIENT", "NO-EVICT", "off")), 2);
        yield return new Producer("QUIT", () => new Step().Call(L("PING"), conn: 1).Call(L("QUIT"), conn: 1).Read(), 2);
        yield return Simple("CLIENT ID", () => L("CLIENT", "ID"), 2);
        yield return Simple("CLIENT GETNAME", () => L("CLIENT", "GETNAME"), 3);
        yield return Simple("CLIENT SETNAME", () => L("CLIENT", "SETNAME", g.Pick("n1", "n2", "", "with space", "new\nline")), 3);
        yield return Simple("CLIENT INFO", () => L("CLIENT", "INFO"), 3);
        yield return Simple("CLIENT LIST", () => L("CLIENT", "LIST", g.Maybe(30, "TYPE", g.Pick("normal", "pubsub", "bad", "master"))), 3);
        yield return new Producer("CLIENT LIST", () => new Step().Call(L("CLIENT", "SETNAME", "second"), conn: 1)
            .Call(L("CLIENT", "LIST", "ID", Step.ClientIdOfConn1, g.Maybe(30, "999999"))), 2);
        yield return Simple("CLIENT NO-EVICT", () => L("CLIENT", "NO-EVICT", g.Pick("on", "off", "maybe")), 2);
        yield return Simple("CLIENT NO-TOUCH", () => L("CLIENT", "NO-TOUCH", g.Pick("on", "off", "maybe")), 3);
        yield return Simple("CLIENT HELP", () => L("CLIENT", "HELP"), 1);
        // Only WRITE pauses, undone at once: a pause of all commands would hold the UNPAUSE itself.
        yield return new Producer("CLIENT PAUSE", () => g.Chance(20)
            ? Step.Of(L("CLIENT", "PAUSE", g.Pick("-1", "abc", "100"), g.Pick("BAD", "ALL", "WRITE", "")))
            : Step.Of(L("CLIENT", "PAUSE", "100000", "WRITE")).Call(L("CLIENT", "UNPAUSE")), 2);
        yield return Simple("CLIENT UNPAUSE", () => L("CLIENT", "UNPAUSE"), 1);
        yield return new Producer("CLIENT KILL", () => g.Chance(30)
            ? Step.Of(L("CLIENT", "KILL", g.Pick("ADDR", "LADDR", "ID", "USER", "TYPE", "BAD"), g.Pick("1.2.3.4:5", "0", "abc", "nobody", "master", "replica"))).Call(L("CLIENT", "KILL", "1.2.3.4:5"))
            : new Step().Call(L("PING"), conn: 1).Call(L("CLIENT", "KILL", "ID", Step.ClientIdOfConn1, g.Maybe(30, "SKIPME", g.Pick("yes", "no")))).Read(), 2);
        // CLIENT REPLY OFF/SKIP: the commands in between get no reply, the next one does.
        yield return new Producer("CLIENT REPLY", () => g.Chance(50)
            ? new Step().Send(L("CLIENT", "REPLY", "SKIP"), conn: 0).Send(g.AnyCommand(), conn: 0).Call(L("PING", "after"))
            : new Step().Send(L("CLIENT", "REPLY", "OFF"), conn: 0).Send(g.AnyCommand(), conn: 0).Send(L("CLIENT", "REPLY", "bad"), conn: 0).Call(L("CLIENT", "REPLY", "ON")), 2);
    }
}
