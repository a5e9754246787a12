using Cinnabar.Types;

namespace Cinnabar.Commands.Families;

/// <summary>
/// Sorted set algebra: ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD. Inputs may be sorted sets
/// or plain sets (every member scoring 1), as in Redis; missing keys are empty inputs.
/// </summary>
public static class SortedSetAlgebraCommands
{
    private enum Operation { Union, Inter, Diff }
    private enum Aggregate { Sum, Min, Max }

    [RedisCommand("ZUNION")]
    public static void ZUnion(CommandContext ctx) => Generic(ctx, 1, store: false, Operation.Union);

    [RedisCommand("ZINTER")]
    public static void ZInter(CommandContext ctx) => Generic(ctx, 1, store: false, Operation.Inter);

    [RedisCommand("ZDIFF")]
    public static void ZDiff(CommandContext ctx) => Generic(ctx, 1, store: false, Operation.Diff);

    [RedisCommand("ZUNIONSTORE")]
    public static void ZUnionStore(CommandContext ctx) => Generic(ctx, 2, store: true, Operation.Union);

    [RedisCommand("ZINTERSTORE")]
    public static void ZInterStore(CommandContext ctx) => Generic(ctx, 2, store: true, Operation.Inter);

    [RedisCommand("ZDIFFSTORE")]
    public static void ZDiffStore(CommandContext ctx) => Generic(ctx, 2, store: true, Operation.Diff);

    [RedisCommand("ZINTERCARD")]
    public static void ZInterCard(CommandContext ctx) => Generic(ctx, 1, store: false, Operation.Inter, cardinalityOnly: true);

    /// <summary>One input: a sorted set, a set, or nothing (missing key), with its weight.</summary>
    private sealed class Source(object? value)
    {
        public readonly object? Value = value;
        public double Weight = 1;

        public long Count => Value switch { ZSet z => z.Count, RedisSet s => s.Count, _ => 0 };

        public List<(byte[] Member, double Score)> Elements()
        {
            var list = new List<(byte[], double)>((int)Math.Min(Count, 1 << 20));
            switch (Value)
            {
                case ZSet z:
                    var c = z.Iterate(0);
                    while (c.MoveNext()) list.Add((c.MemberArray, c.Score));
                    break;
                case RedisSet s:
                    for (int pos = s.First(); pos >= 0; pos = s.Next(pos)) list.Add((s.MemberBytesAt(pos), 1.0));
                    break;
            }
            return list;
        }

        public bool TryFind(ReadOnlySpan<byte> member, out double score)
        {
            switch (Value)
            {
                case ZSet z: return z.TryGetScore(member, out score);
                case RedisSet s when s.Contains(member): score = 1.0; return true;
                default: score = 0; return false;
            }
        }
    }

    private static void Generic(CommandContext ctx, int numKeysIndex, bool store, Operation op, bool cardinalityOnly = false)
    {
        if (!ctx.TryArgLong(numKeysIndex, out long setCount)) return;
        if (setCount < 1)
        {
            ctx.Error($"ERR at least 1 input key is needed for '{ctx.Command.DisplayName}' command");
            return;
        }
        if (setCount > ctx.ArgCount - (numKeysIndex + 1)) { ctx.SyntaxError(); return; }

        var sources = new Source[setCount];
        int j = numKeysIndex + 1;
        for (int i = 0; i < setCount; i++, j++)
        {
            var value = ctx.Db.LookupRead(ctx.Arg(j));
            if (value != null && value is not ZSet && value is not RedisSet) { ctx.WrongType(); return; }
            sources[i] = new Source(value);
        }

        var aggregate = Aggregate.Sum;
        bool withScores = false;
        long limit = 0;
        while (j < ctx.ArgCount)
        {
            int remaining = ctx.ArgCount - j;
            if (op != Operation.Diff && !cardinalityOnly && remaining >= setCount + 1 && ctx.ArgIs(j, "WEIGHTS"u8))
            {
                j++;
                for (int i = 0; i < setCount; i++, j++)
                    if (!SortedSetCommands.TryArgScore(ctx, j, out sources[i].Weight, "ERR weight value is not a float")) return;
            }
            else if (op != Operation.Diff && !cardinalityOnly && remaining >= 2 && ctx.ArgIs(j, "AGGREGATE"u8))
            {
                j++;
                if (ctx.ArgIs(j, "SUM"u8)) aggregate = Aggregate.Sum;
                else if (ctx.ArgIs(j, "MIN"u8)) aggregate = Aggregate.Min;
                else if (ctx.ArgIs(j, "MAX"u8)) aggregate = Aggregate.Max;
                else { ctx.SyntaxError(); return; }
                j++;
            }
            else if (!store && !cardinalityOnly && ctx.ArgIs(j, "WITHSCORES"u8))
            {
                j++;
                withScores = true;
            }
            else if (cardinalityOnly && remaining >= 2 && ctx.ArgIs(j, "LIMIT"u8))
            {
                j++;
                if (!Protocol.RespParser.TryParseLong(ctx.Arg(j), out limit) || limit < 0)
                {
                    ctx.Error("ERR LIMIT can't be negative");
                    return;
                }
                j++;
            }
            else { ctx.SyntaxError(); return; }
        }

        // Smallest inputs first, as Redis orders them (it also fixes the order scores are summed in).
        if (op != Operation.Diff) sources = [.. sources.OrderBy(s => s.Count)];

        if (cardinalityOnly)
        {
            ctx.Reply.WriteInteger(InterCardinality(sources, limit));
            return;
        }
        var result = op switch
        {
            Operation.Union => Union(sources, aggregate),
            Operation.Inter => Inter(sources, aggregate),
            _ => Diff(sources),
        };
        result.Sort((a, b) => SkipList.Compare(a.Score, a.Member, b.Score, b.Member));

        if (store) Store(ctx, result, op);
        else
        {
            SortedSetCommands.WriteElementsHeader(ctx, result.Count, withScores);
            foreach (var (member, score) in result) SortedSetCommands.WriteElement(ctx, member, score, withScores);
        }
    }

    private static double Weighted(double score, double weight)
    {
        double v = score * weight;
        return double.IsNaN(v) ? 0 : v; // e.g. inf * 0
    }

    private static void Combine(ref double target, double value, Aggregate aggregate)
    {
        switch (aggregate)
        {
            case Aggregate.Sum:
                target += value;
                if (double.IsNaN(target)) target = 0; // inf + -inf
                break;
            case Aggregate.Min:
                target = value < target ? value : target;
                break;
            default:
                target = value > target ? value : target;
                break;
        }
    }

    private static List<(byte[] Member, double Score)> Union(Source[] sources, Aggregate aggregate)
    {
        var scores = new Dictionary<byte[], double>(ByteContentComparer.Instance);
        foreach (var source in sources)
        {
            foreach (var (member, score) in source.Elements())
            {
                double value = Weighted(score, source.Weight);
                ref double slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(scores, member, out bool exists);
                if (exists) Combine(ref slot, value, aggregate);
                else slot = value;
            }
        }
        var list = new List<(byte[], double)>(scores.Count);
        foreach (var (member, score) in scores) list.Add((member, score));
        return list;
    }

    private static List<(byte[] Member, double Score)> Inter(Source[] sources, Aggregate aggregate)
    {
        var list = new List<(byte[], double)>();
        if (sources[0].Count == 0) return list;
        foreach (var (member, first) in sources[0].Elements())
        {
            double score = Weighted(first, sources[0].Weight);
            bool inAll = true;
            for (int k = 1; k < sources.Length && inAll; k++)
            {
                if (sources[k].TryFind(member, out double other)) Combine(ref score, other * sources[k].Weight, aggregate);
                else inAll = false;
            }
            if (inAll) list.Add((member, score));
        }
        return list;
    }

    private static long InterCardinality(Source[] sources, long limit)
    {
        long count = 0;
        if (sources[0].Count == 0) return 0;
        foreach (var (member, _) in sources[0].Elements())
        {
            bool inAll = true;
            for (int k = 1; k < sources.Length && inAll; k++) inAll = sources[k].TryFind(member, out _);
            if (!inAll) continue;
            count++;
            if (limit > 0 && count >= limit) break;
        }
        return count;
    }

    private static List<(byte[] Member, double Score)> Diff(Source[] sources)
    {
        var list = new List<(byte[], double)>();
        foreach (var (member, score) in sources[0].Elements())
        {
            bool elsewhere = false;
            for (int k = 1; k < sources.Length && !elsewhere; k++) elsewhere = sources[k].TryFind(member, out _);
            if (!elsewhere) list.Add((member, score));
        }
        return list;
    }

    private static void Store(CommandContext ctx, List<(byte[] Member, double Score)> result, Operation op)
    {
        var destKey = ctx.Arg(1);
        if (result.Count == 0)
        {
            ctx.Reply.WriteInteger(0);
            ctx.DeleteKey(ctx.Db, destKey);
            return;
        }
        var zset = new ZSet();
        int maxEntries = SortedSetCommands.MaxListpackEntries(ctx), maxValue = SortedSetCommands.MaxListpackValue(ctx);
        foreach (var (member, score) in result) zset.Insert(member, score, maxEntries, maxValue);
        ctx.Db.Set(destKey, zset);
        ctx.KeyModified(ctx.Db, destKey);
        ctx.Notify('z', op switch { Operation.Union => "zunionstore", Operation.Inter => "zinterstore", _ => "zdiffstore" }, ctx.Db, destKey);
        ctx.Dirty();
        ctx.Reply.WriteInteger(zset.Count);
    }
}
