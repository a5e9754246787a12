using Cinnabar.Persistence;
using Xunit;

namespace Cinnabar.Tests.Unit;

/// <summary>The AOF manifest as Redis 7.0's aof.c reads and writes it (texts of its fatal errors included).</summary>
public class AofManifestTests
{
    [Fact]
    public void ReadsWhatRedisWritesAndWritesItBack()
    {
        const string text = "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\n"
            + "file appendonly.aof.2.incr.aof seq 2 type h\nfile appendonly.aof.3.incr.aof seq 3 type i\nfile appendonly.aof.4.incr.aof seq 4 type i\n";
        var m = AofManifest.Parse(text);
        Assert.Equal("appendonly.aof.2.base.rdb", m.Base!.Name);
        Assert.Equal(2, m.History.Count);
        Assert.Equal(["appendonly.aof.3.incr.aof", "appendonly.aof.4.incr.aof"], m.Incrs.Select(i => i.Name));
        Assert.Equal(text, m.ToText());
        Assert.Equal("appendonly.aof.5.incr.aof", m.NewIncrName("appendonly.aof"));
        Assert.Equal("appendonly.aof.3.base.aof", m.NewBaseName("appendonly.aof", rdbPreamble: false));
        Assert.Equal("file appendonly.aof.2.base.rdb seq 2 type h\n", m.ToText().Split('\n')[1] + "\n");
    }

    [Fact]
    public void KeysMayComeInAnyOrderAndCaseWithCommentsAndExtraPairs()
    {
        var m = AofManifest.Parse("# written by hand\nTYPE b SEQ 1 FILE \"my file.aof\" future x\n");
        Assert.Equal(new AofFileInfo("my file.aof", 1, AofFileType.Base), m.Base);
        // A name that needs it is written quoted, as sdscatrepr.
        Assert.Equal("file \"my file.aof\" seq 1 type b\n", m.ToText());
    }

    [Theory]
    [InlineData("", null, "Found an empty AOF manifest")]
    [InlineData("file a seq 1 type b", null, "The AOF manifest file contains too long line")]
    [InlineData("file a seq 1\n", 1, "Invalid AOF manifest file format")]
    [InlineData("file a seq 1 type b\n\n", 2, "Invalid AOF manifest file format")]
    [InlineData("file a seq 0 type b\n", 1, "Invalid AOF manifest file format")]
    [InlineData("file d/a seq 1 type b\n", 1, "File can't be a path, just a filename")]
    [InlineData("file a seq 1 type b\nfile b seq 2 type b\n", 2, "Found duplicate base file information")]
    [InlineData("file a seq 2 type i\nfile b seq 2 type i\n", 2, "Found a non-monotonic sequence number")]
    [InlineData("file a seq 1 type x\n", 1, "Unknown AOF file type")]
    public void ADamagedManifestIsFatalWithRedisText(string text, int? line, string error)
    {
        var e = Assert.Throws<AofFatalException>(() => AofManifest.Parse(text));
        Assert.Equal("\n*** FATAL AOF MANIFEST FILE ERROR ***\n", e.LogLines[0]);
        Assert.Equal(error + "\n", e.LogLines[^1]);
        if (line is int n) Assert.Equal($"Reading the manifest file, at line {n}\n", e.LogLines[1]);
        else Assert.Equal(2, e.LogLines.Count);
    }

    [Fact]
    public void ARewriteTurnsTheCoveredIncrementalFilesIntoHistory()
    {
        var m = AofManifest.Parse("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        m.NewIncrName("appendonly.aof");
        m.NewBaseName("appendonly.aof", rdbPreamble: true);
        m.MarkRewrittenIncrsAsHistory(keepLast: true);
        Assert.Equal("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\n"
            + "file appendonly.aof.1.base.rdb seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n", m.ToText());
    }
}
