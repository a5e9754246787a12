namespace Cinnabar.Differential.Randomized;

/// <summary>
/// One family of commands in the random generator, in one file under Randomized/Families/. Every class that
/// implements it is found by reflection (see <see cref="CommandFamilies"/>): adding a family is adding a file.
/// </summary>
public interface ICommandFamily
{
    /// <summary>
    /// The family's producers. <paramref name="g"/> draws arguments (keys, values, numbers, options) from the
    /// run's seeded random source; a producer only runs when Cinnabar implements its command.
    /// </summary>
    IEnumerable<Producer> Producers(Gen g);
}

/// <summary>
/// Makes one step for <see cref="Command"/> (the reference name: "GET", "OBJECT ENCODING"). <see cref="Weight"/> is
/// relative (10 is an ordinary command; bulk builders and rare or disruptive commands weigh less).
/// </summary>
public sealed record Producer(string Command, Func<Step> Make, int Weight = 10)
{
    /// <summary>A producer of one command on the main connection (pipelined with its neighbours).</summary>
    public static Producer Simple(string command, Func<List<string>> make, int weight = 10) => new(command, () => Step.Of(make()), weight);
}

/// <summary>The registry: every <see cref="ICommandFamily"/> of this assembly, in a stable order (so seeds reproduce).</summary>
public static class CommandFamilies
{
    public static IReadOnlyList<ICommandFamily> All { get; } = typeof(ICommandFamily).Assembly.GetTypes()
        .Where(t => typeof(ICommandFamily).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (ICommandFamily)Activator.CreateInstance(t)!)
        .ToList();
}
