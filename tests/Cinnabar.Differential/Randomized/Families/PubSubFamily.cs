using static Cinnabar.Differential.Randomized.Gen;
using static Cinnabar.Differential.Randomized.Producer;

namespace Cinnabar.Differential.Randomized.Families;

/// <summary>
/// Pub/sub: a second client subscribes (channels, patterns or shard channels), the main connection publishes
/// and queries PUBSUB, the subscriber reads its messages and unsubscribes. Keyspace notifications are compared
/// for every command by the replay's own subscriber (see Replayer).
/// </summary>
public sealed class PubSubFamily : ICommandFamily
{
    private static readonly string[] Channels = ["ch1", "ch2", "news.a", "__keyspace@0__:k0", "ch*"];

    public IEnumerable<Producer> Producers(Gen g)
    {
        yield return Simple("PUBLISH", () => L("PUBLISH", g.Pick(Channels), g.Value()));
        yield return Simple("SPUBLISH", () => L("SPUBLISH", g.Pick(Channels), g.Value()), 3);
        yield return Simple("PUBSUB CHANNELS", () => L("PUBSUB", "CHANNELS", g.Maybe(50, g.Pick("*", "ch*", "news.?", "x"))), 3);
        yield return Simple("PUBSUB NUMSUB", () => L("PUBSUB", "NUMSUB", g.Repeat(() => g.Pick(Channels), 0, 2)), 3);
        yield return Simple("PUBSUB NUMPAT", () => L("PUBSUB", "NUMPAT"), 2);
        yield return Simple("PUBSUB SHARDCHANNELS", () => L("PUBSUB", "SHARDCHANNELS", g.Maybe(50, g.Pick("*", "ch*"))), 2);
        yield return Simple("PUBSUB SHARDNUMSUB", () => L("PUBSUB", "SHARDNUMSUB", g.Repeat(() => g.Pick(Channels), 0, 2)), 2);
        yield return Simple("PUBSUB HELP", () => L("PUBSUB", "HELP"), 1);
        // Unsubscribing while not subscribed: one reply per name, or one for none.
        yield return Simple("UNSUBSCRIBE", () => L("UNSUBSCRIBE", g.Pick(Channels)), 2);
        yield return Simple("PUNSUBSCRIBE", () => L("PUNSUBSCRIBE", g.Pick(Channels)), 2);
        yield return Simple("SUNSUBSCRIBE", () => L("SUNSUBSCRIBE", g.Pick(Channels)), 2);
        yield return new Producer("SUBSCRIBE", () => Session(g, "SUBSCRIBE", "PUBLISH", "UNSUBSCRIBE"), 4);
        yield return new Producer("PSUBSCRIBE", () => Session(g, "PSUBSCRIBE", "PUBLISH", "PUNSUBSCRIBE"), 4);
        yield return new Producer("SSUBSCRIBE", () => Session(g, "SSUBSCRIBE", "SPUBLISH", "SUNSUBSCRIBE"), 3);
    }

    private static Step Session(Gen g, string subscribe, string publish, string unsubscribe)
    {
        var names = g.Repeat(() => g.Pick(Channels), 1, 3).Distinct().ToList();
        // Shard channels must hash to one slot (in cluster mode); here any list is accepted as Redis does.
        var step = new Step().Call(L(subscribe, names), conn: 1);
        for (int i = 1; i < names.Count; i++) step.Read();
        step.Call(L("PUBSUB", g.Pick("CHANNELS", "NUMSUB", "NUMPAT", "SHARDCHANNELS"), g.Maybe(50, names[0])));
        if (g.Chance(30)) step.Call(L("PING"), conn: 1); // allowed while subscribed (RESP2 answers ["pong", ""])
        if (g.Chance(20)) step.Call(L("GET", "k0"), conn: 1); // refused while subscribed in RESP2, allowed in RESP3
        foreach (var channel in g.Repeat(() => g.Pick([.. Channels, "k0"]), 1, 3))
        {
            step.Call(L(publish, channel, g.Value()));
            // Delivered once per matching subscription: read each (the replies of PUBLISH say how many).
            // (Two matching patterns deliver in the order of Redis's pattern dictionary: such channels are left out.)
            int deliveries = subscribe == "PSUBSCRIBE" ? names.Count(p => Glob(p, channel)) : names.Contains(channel) ? 1 : 0;
            if (deliveries > 1) { step.Acts.RemoveAt(step.Acts.Count - 1); continue; }
            for (int i = 0; i < deliveries; i++) step.Read();
        }
        // Without names, Redis unsubscribes in its dictionary's order: names are given unless there is only one.
        step.Call(L(unsubscribe, names.Count > 1 || g.Chance(50) ? g.Shuffled(names) : []), conn: 1);
        for (int i = 1; i < names.Count; i++) step.Read();
        return step;
    }

    // The channel pool's patterns only use '*'.
    private static bool Glob(string pattern, string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*") + "$");
}
