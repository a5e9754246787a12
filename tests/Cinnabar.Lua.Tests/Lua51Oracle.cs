using System.Diagnostics;
using System.Text;

namespace Cinnabar.Lua.Tests;

/// <summary>Runs a Lua program under Debian's lua5.1 (skipped when it is not on PATH) and Cinnabar.Lua: same stdout, no errors.</summary>
internal static class Lua51Oracle
{
    static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, "lua5.1"))) return Path.Combine(dir, "lua5.1");
        return null;
    }

    public static void AssertSameOutput(string source)
    {
        var oracle = Find();
        if (oracle is null && Environment.GetEnvironmentVariable("CINNABAR_REQUIRE_ORACLE") == "1")
            throw new InvalidOperationException("lua5.1 is not on PATH and CINNABAR_REQUIRE_ORACLE=1");
        Skip.If(oracle is null, "lua5.1 is not on PATH");
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, source);
            var psi = new ProcessStartInfo(oracle!, file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var ms = new MemoryStream();
            p.StandardOutput.BaseStream.CopyTo(ms);
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            var ours = LuaHost.Run(source);
            Assert.True(p.ExitCode == 0, "lua5.1: " + stderr);
            Assert.Null(ours.Error);
            Assert.Equal(Encoding.Latin1.GetString(ms.ToArray()), ours.Stdout);
        }
        finally { File.Delete(file); }
    }
}
