using static Cinnabar.Differential.Randomized.Gen;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>
/// Steps for blocking commands: connection 1 sends the command (in the main connection's database); each server
/// is awaited until that client blocks or answers; the main connection then runs a family command on a key,
/// maybe CLIENT UNBLOCK, a write to the first key, and a final CLIENT UNBLOCK (0 when already answered), so the
/// blocked client is answered whatever the servers did.
/// </summary>
public static class Blocking
{
    public static Producer Producer(Gen g, string command, Func<List<string>, List<string>> make, Func<Gen, string, List<string>> serve) =>
        new(command, () =>
        {
            var keys = g.Repeat(g.Key, 1, 3).Distinct().ToList();
            string db = g.Pick("0", "1");
            var step = new Step()
                .Call(L("SELECT", db)).Call(L("SELECT", db), conn: 1)
                .Send(make(keys)).AwaitBlocked();
            if (g.Chance(50)) step.Call(serve(g, g.Pick([.. keys, g.Key()])));
            if (g.Chance(15)) step.Call(L("CLIENT", "UNBLOCK", Step.ClientIdOfConn1, g.Maybe(50, g.Pick("TIMEOUT", "ERROR"))));
            // A write to the first key serves it (a command blocks only when its keys are missing), and CLIENT
            // UNBLOCK answers it in any case.
            return step.Call(serve(g, keys[0])).Call(L("CLIENT", "UNBLOCK", Step.ClientIdOfConn1)).Read();
        });
}
