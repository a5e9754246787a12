using System.Text;
using Cinnabar.Config;

namespace Cinnabar.Differential.Compat;

/// <summary>
/// The directives section of docs/COMPATIBILITY.md: one row per directive CONFIG GET * reports, from the
/// configuration registry's own account of what it honours (Config/ConfigDirectives.Support.cs).
/// </summary>
public static class DirectivesReport
{
    public static string Build()
    {
        var config = new ServerConfig();
        var rows = new List<string>();
        int honoured = 0, refused = 0, notApplicable = 0;
        foreach (var e in config.Entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            string names = e.Aliases.Length == 0 ? e.Name : $"{e.Name} ({string.Join(", ", e.Aliases)})";
            string status, note;
            switch (e.Support)
            {
                case DirectiveSupport.Refused:
                    refused++;
                    status = "✘";
                    note = $"needs {e.MissingFeature}{(e.Issue is int n ? $" (issue {n})" : "")}; accepted: only the default `{e.NormalizedDefault}`";
                    break;
                case DirectiveSupport.NotApplicable:
                    notApplicable++;
                    status = "—";
                    note = "not applicable: " + e.Note;
                    break;
                default:
                    honoured++;
                    status = "✔";
                    note = e.Note ?? "honoured";
                    break;
            }
            rows.Add($"| {names} | {status} | {note.Replace("|", "\\|")} |");
        }
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("# Configuration directives");
        sb.AppendLine();
        sb.AppendLine("Every directive `CONFIG GET *` reports, from the configuration registry. ✔ does what it does in Redis.");
        sb.AppendLine("✘ its feature is missing: any other value than those listed is refused at start (a fatal configuration");
        sb.AppendLine("error) and by CONFIG SET, with an error naming the feature, so no setting is stored and then ignored.");
        sb.AppendLine("— not applicable: accepted and reported, but what it tunes does not exist in Cinnabar by design.");
        sb.AppendLine();
        sb.AppendLine($"Summary: {honoured} honoured, {refused} refused until their feature exists, {notApplicable} not applicable.");
        sb.AppendLine();
        sb.AppendLine("| Directive | Status | Notes |");
        sb.AppendLine("| --- | --- | --- |");
        foreach (var r in rows) sb.AppendLine(r);
        return sb.ToString();
    }
}
