using System.Diagnostics;
using System.Text;

namespace Cinnabar.Lua.Tests;

/// <summary>
/// Every program under tests/lua-corpus runs under Debian's lua5.1 (the oracle, live) and under Cinnabar.Lua;
/// stdout must be byte-identical, and both must agree on whether the program ended in an error.
/// </summary>
public class CorpusTests
{
    static readonly string CorpusDir = FindCorpus();

    static string FindCorpus()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !Directory.Exists(Path.Combine(dir, "tests", "lua-corpus"))) dir = Path.GetDirectoryName(dir);
        return dir is null ? "" : Path.Combine(dir, "tests", "lua-corpus");
    }

    public static IEnumerable<object[]> Programs() =>
        Directory.EnumerateFiles(CorpusDir, "*.lua", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(CorpusDir, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new object[] { f });

    static readonly Lazy<string?> Oracle = new(() =>
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, "lua5.1"))) return Path.Combine(dir, "lua5.1");
        return null;
    });

    [Fact]
    public void CorpusHasAtLeast400Programs() => Assert.True(Programs().Count() >= 400, $"{Programs().Count()} programs");

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void ProgramPrintsWhatLua51Prints(string program)
    {
        if (Oracle.Value is null)
        {
            if (Environment.GetEnvironmentVariable("CINNABAR_REQUIRE_ORACLE") == "1")
                throw new InvalidOperationException("lua5.1 is not on PATH and CINNABAR_REQUIRE_ORACLE=1");
            Skip.If(true, $"lua5.1 (the oracle) is not on PATH: {program} not compared");
        }
        var path = Path.Combine(CorpusDir, program);
        var dir = Path.GetDirectoryName(path)!;
        var name = Path.GetFileName(path);
        var psi = new ProcessStartInfo(Oracle.Value!, name)
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        string expected = Encoding.Latin1.GetString(ms.ToArray());

        var ours = LuaHost.Run(File.ReadAllBytes(path), "@" + name);
        Assert.Equal(expected, ours.Stdout);
        Assert.True((p.ExitCode != 0) == (ours.Error is not null),
            $"lua5.1 exit {p.ExitCode} ({stderr.Trim()}), Cinnabar.Lua error: {ours.Error ?? "none"}");
    }
}
