using System.Text;
using Cinnabar.Commands;
using Cinnabar.Differential.Cases;
using Cinnabar.Differential.Comparison;
using Cinnabar.Differential.Randomized;
using Cinnabar.Differential.Support;

namespace Cinnabar.Differential.Compat;

/// <summary>
/// Builds docs/COMPATIBILITY.md: one row per command of the reference table, from what is implemented,
/// what the differential suite covers (case files and the random generator) and accepted-divergences.txt.
/// </summary>
public static class CompatibilityReport
{
    public const string WriteVariable = "CINNABAR_WRITE_COMPAT";
    public const string RegenerateCommand = "CINNABAR_WRITE_COMPAT=1 dotnet test tests/Cinnabar.Differential --filter CompatibilityReport";

    /// <param name="diverging">Commands whose replies differed in this run of the suite, with where.</param>
    public static string Build(IReadOnlyDictionary<string, string>? diverging = null)
    {
        var covered = CaseFile.LoadAll()
            .SelectMany(b => b.Lines.Where(l => l.Kind == CaseLineKind.Command).Select(l => CaseFile.NeededCommand(l.Args)))
            .OfType<string>()
            .Concat(CommandGenerator.AllCommandNames)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var rows = new List<string>();
        int ok = 0, partial = 0, missing = 0, untested = 0, failing = 0;
        foreach (var def in CommandTable.Shared.Reference)
        {
            string status, note;
            bool isContainer = def.Parent == null && CommandTable.Shared.Reference.Any(d => d.Parent == def);
            if (isContainer)
            {
                var subs = CommandTable.Shared.Reference.Where(d => d.Parent == def).ToList();
                int done = subs.Count(s => DiffEnvironment.Implemented(s.Name));
                // ✔ only when every subcommand is: implemented, with no known divergence and none in this run.
                int divergent = subs.Count(s => DiffEnvironment.Implemented(s.Name)
                    && (AcceptedDivergences.For(s.Name) != null || (diverging?.ContainsKey(s.Name) ?? false)));
                status = done == 0 ? "✘" : done == subs.Count && divergent == 0 ? "✔" : "◐";
                note = $"container: {done} of {subs.Count} subcommands implemented" + (divergent > 0 ? $", {divergent} with a divergence" : "");
            }
            else if (!DiffEnvironment.Implemented(def.Name)) { status = "✘"; note = "not implemented"; missing++; }
            else if (AcceptedDivergences.For(def.Name) is { } why) { status = "◐"; note = why; partial++; }
            else if (diverging != null && diverging.TryGetValue(def.Name, out var where)) { status = "✘"; note = "diverges from Redis: " + where; failing++; }
            else if (covered.Contains(def.Name)) { status = "✔"; note = "matches Redis (differential)"; ok++; }
            else { status = "✔"; note = "implemented; not yet covered by the differential suite"; untested++; }
            rows.Add($"| {def.Name} | {status} | {note.Replace("|", "\\|")} |");
        }
        var sb = new StringBuilder();
        sb.AppendLine("# Command compatibility with Redis");
        sb.AppendLine();
        sb.AppendLine("<!-- Generated file: do not edit by hand. -->");
        sb.AppendLine($"Generated from the command table, the differential suite (tests/Cinnabar.Differential) and its");
        sb.AppendLine($"accepted-divergences.txt. Regenerate with `{RegenerateCommand}`.");
        sb.AppendLine();
        sb.AppendLine("The oracle is Redis 7.0.15; the command reference is Redis 7.2's (392 entries, subcommands included).");
        sb.AppendLine("✔ matches Redis: the differential suite compares its replies byte for byte (or by the narrow rules of");
        sb.AppendLine("ReplyRules.cs) and passes. ◐ known divergence, explained. ✘ not implemented, or failing the suite when the");
        sb.AppendLine("report was generated (the run's case blocks and a randomized run decide).");
        sb.AppendLine();
        sb.AppendLine($"Summary: {ok} verified by the differential suite, {untested} implemented without differential coverage, {partial} with a known divergence, {failing} failing the differential suite, {missing} not implemented.");
        sb.AppendLine();
        sb.AppendLine("| Command | Status | Notes |");
        sb.AppendLine("| --- | --- | --- |");
        foreach (var r in rows) sb.AppendLine(r);
        sb.Append(DirectivesReport.Build());
        return sb.ToString();
    }

    /// <summary>The repository root (where Cinnabar.sln is), found upward from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cinnabar.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cinnabar.sln not found above " + AppContext.BaseDirectory);
    }
}
