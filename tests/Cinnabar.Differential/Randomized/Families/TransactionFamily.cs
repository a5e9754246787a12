using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>MULTI/EXEC/DISCARD/WATCH/UNWATCH, on one connection and with a second client writing in between.</summary>
public sealed class TransactionFamily : ICommandFamily
{
    public IEnumerable<Producer> Producers(Gen g)
    {
        // A queued body of random commands of any family (errors at queue time abort the EXEC).
        yield return new Producer("MULTI", () =>
        {
            var step = Step.Of(L("MULTI"));
            for (int i = 0, n = g.Next(0, 5); i < n; i++) step.Call(g.AnyCommand());
            return step.Call(L(g.Chance(85) ? "EXEC" : "DISCARD"));
        }, 8);
        yield return Simple("EXEC", () => L("EXEC"), 1);
        yield return Simple("DISCARD", () => L("DISCARD"), 1);
        yield return Simple("WATCH", () => L("WATCH", g.Repeat(g.Key, 1, 3)), 3);
        yield return Simple("UNWATCH", () => L("UNWATCH"), 2);
        // WATCH, then another client runs a command (which may or may not touch the watched keys), then EXEC.
        yield return new Producer("WATCH", () =>
        {
            string db = g.Pick("0", "1");
            var step = new Step().Call(L("SELECT", db)).Call(L("SELECT", db), conn: 1)
                .Call(L("WATCH", g.Repeat(g.Key, 1, 3)))
                .Call(g.AnyCommand(), conn: 1);
            if (g.Chance(20)) step.Call(L("UNWATCH"));
            step.Call(L("MULTI"));
            for (int i = 0, n = g.Next(1, 4); i < n; i++) step.Call(g.AnyCommand());
            return step.Call(L("EXEC"));
        }, 6);
    }
}
