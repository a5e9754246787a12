using System.Text;
using Cinnabar.Commands.Families;

namespace Cinnabar.Tests.Unit;

public class CollectionScanTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("f*", "field", true)]
    [InlineData("f*", "xfield", false)]
    [InlineData("*d", "field", true)]
    [InlineData("f?eld", "field", true)]
    [InlineData("f?eld", "feld", false)]
    [InlineData("[a-c]*", "beta", true)]
    [InlineData("[a-c]*", "delta", false)]
    [InlineData("[^a-c]*", "delta", true)]
    [InlineData("[abc]", "b", true)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("*1*2*", "x1y2z", true)]
    [InlineData("*1*2*", "x2y1z", false)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("[a-]", "]", true)]   // a range may end in the closing bracket, as in Redis
    [InlineData("[a-]", "-", false)]
    public void GlobMatchesAsRedis(string pattern, string text, bool expected) =>
        Assert.Equal(expected, Cinnabar.Types.GlobMatcher.IsMatch(B(pattern), B(text)));

    [Theory]
    [InlineData("0", true, 0UL)]
    [InlineData("", true, 0UL)]
    [InlineData("+7", true, 7UL)]
    [InlineData("-1", true, ulong.MaxValue)]
    [InlineData("18446744073709551615", true, ulong.MaxValue)]
    [InlineData("18446744073709551616", false, 0UL)]
    [InlineData(" 0", false, 0UL)]
    [InlineData("x", false, 0UL)]
    [InlineData("-", false, 0UL)]
    public void CursorParsesAsStrtoul(string text, bool ok, ulong value)
    {
        Assert.Equal(ok, CollectionScan.TryParseCursor(B(text), out ulong cursor));
        if (ok) Assert.Equal(value, cursor);
    }
}
