using System.Text;
using Cinnabar.Differential.Cases;

namespace Cinnabar.Differential.Randomized;

/// <summary>
/// Seeded random steps from every family of <see cref="CommandFamilies"/>, restricted to the commands Cinnabar's
/// table has and weighted by each producer. Arguments mix valid and invalid input; a few single commands get a
/// missing or extra argument (arity errors) and a few are unknown.
/// </summary>
public sealed class CommandGenerator
{
    public const string ExcludeVariable = "CINNABAR_DIFF_EXCLUDE";
    private readonly Random _rng;
    private readonly Gen _g;
    private readonly List<Producer> _producers;
    private readonly List<Producer> _simple;
    private readonly int _totalWeight;

    public CommandGenerator(int seed, Func<string, bool> implemented, int protocol = 2)
    {
        _rng = new Random(seed);
        _g = new Gen(_rng, protocol);
        // CINNABAR_DIFF_EXCLUDE="SET,OBJECT ENCODING" leaves commands out, to look past a known divergence.
        var excluded = (Environment.GetEnvironmentVariable(ExcludeVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        _producers = CommandFamilies.All.SelectMany(f => f.Producers(_g))
            .Where(p => implemented(p.Command) && !excluded.Contains(p.Command)).ToList();
        _totalWeight = _producers.Sum(p => p.Weight);
        // Simple producers of commands that keep the connection as it is (for MULTI bodies and a second client).
        // Weight 1 marks the rare, heavy or disruptive producers (PFSELFTEST, bulk builders, CONFIG REWRITE): kept out
        // of this pool, which is drawn from uniformly.
        _simple = _producers.Where(p => p.Weight > 1 && p.Command is not ("RESET" or "HELLO" or "QUIT" or "SELECT" or "CLIENT PAUSE" or "CLIENT REPLY" or "CLIENT KILL"
            or "SUBSCRIBE" or "PSUBSCRIBE" or "SSUBSCRIBE" or "MULTI" or "EXEC" or "DISCARD" or "WATCH" or "UNWATCH" or "FLUSHALL"
            or "UNSUBSCRIBE" or "PUNSUBSCRIBE" or "SUNSUBSCRIBE")
            // A command with an accepted divergence is accepted as itself, not inside EXEC's or a script's reply;
            // WAIT is no-script in 7.0 and allowed in scripts since 7.2; COMMAND lists only what Cinnabar implements
            // (see CommandRules), so a script's count of its entries would differ.
            && Comparison.AcceptedDivergences.For(p.Command) == null && p.Command != "WAIT" && !p.Command.StartsWith("COMMAND", StringComparison.Ordinal)).ToList();
        _g.AnyCommand = () =>
        {
            for (int attempt = 0; attempt < 100; attempt++)
            {
                var step = _simple[_rng.Next(_simple.Count)].Make();
                if (step.IsSingle) return step.Acts[0].Args.Select(a => Encoding.Latin1.GetString(a)).ToList();
            }
            return ["PING"];
        };
    }

    /// <summary>One single command of any family that keeps the connection as it is (no steps over two connections).</summary>
    public byte[][] NextSingle() => [.. _g.AnyCommand().Select(Gen.Bytes)];

    /// <summary>The commands this generator produces on this build ("OBJECT ENCODING" style names).</summary>
    public IEnumerable<string> CommandNames => _producers.Select(p => p.Command).Distinct();

    public static IEnumerable<string> AllCommandNames => new CommandGenerator(0, _ => true).CommandNames;

    public Step Next()
    {
        if (_producers.Count == 0 || _g.Chance(1))
            return Step.Of([_g.Pick("NOSUCHCMD", "GETT", "sett", ""), _g.Key()]);
        int pick = _rng.Next(_totalWeight);
        var producer = _producers.First(p => (pick -= p.Weight) < 0);
        var step = producer.Make();
        // (Not the unsubscribe commands: they answer once per argument; nor COMMAND GETKEYS* and ZRANK/ZREVRANK,
        // whose 7.2 arity differs from the oracle's: an extra argument is a rejected call in 7.0 (not counted as a
        // call, and it aborts a transaction) but reaches the command in 7.2; nor HELLO: 7.0 sets a SETNAME name
        // before it meets a bad option after it, 7.2 checks every option first. The case files cover those shapes.
        // Nor the scripts: their arguments are the wrapped command's, which is mutated, or not, as itself.)
        if (step.IsSingle && !producer.Command.EndsWith("UNSUBSCRIBE", StringComparison.Ordinal) && !producer.Command.StartsWith("COMMAND GETKEYS", StringComparison.Ordinal)
            && producer.Command is not ("ZRANK" or "ZREVRANK" or "HELLO" or "EVAL" or "EVALSHA" or "EVAL_RO" or "EVALSHA_RO"))
        {
            var args = step.Acts[0].Args.ToList();
            if (_g.Chance(3) && args.Count > 1) args.RemoveAt(args.Count - 1);
            else if (_g.Chance(2)) args.Add(Gen.Bytes(_g.Value()));
            step.Acts[0] = step.Acts[0] with { Args = [.. args] };
        }
        return step;
    }

    /// <summary>How many times each reference command ("GET", "CLIENT LIST") appears in <paramref name="steps"/>.</summary>
    public static Dictionary<string, int> Counts(IEnumerable<Step> steps)
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in steps)
            foreach (var args in s.Commands)
                if (CaseFile.NeededCommand(args) is { } name) counts[name] = counts.GetValueOrDefault(name) + 1;
        return counts;
    }
}
