using Cinnabar.Commands;
using Cinnabar.Differential.Compat;

namespace Cinnabar.Differential;

public sealed class CompatibilityReportTests
{
    /// <summary>Writes docs/COMPATIBILITY.md when CINNABAR_WRITE_COMPAT=1; otherwise only checks that it can be built.</summary>
    [SkippableFact]
    public void CompatibilityReport()
    {
        var text = Compat.CompatibilityReport.Build();
        int rows = text.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal)) - 2; // header and separator
        Assert.Equal(CommandTable.Shared.Reference.Count, rows);
        Skip.If(Environment.GetEnvironmentVariable(Compat.CompatibilityReport.WriteVariable) != "1",
            $"report built ({rows} rows) but not written; run {Compat.CompatibilityReport.RegenerateCommand}");
        var path = Path.Combine(Compat.CompatibilityReport.RepositoryRoot(), "docs", "COMPATIBILITY.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
