using System.Text;
using Cinnabar.Types;

namespace Cinnabar.Tests.Unit;

public class GlobMatcherTests
{
    /// <summary>Each row is what redis-server 7.0.15's KEYS answered for that pattern and key (Latin-1 bytes).</summary>
    [Theory]
    [InlineData("a*b", "ab", true)]
    [InlineData("a*b", "axxb", true)]
    [InlineData("a*b", "axxbc", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("[abc]", "b", true)]
    [InlineData("[abc]", "d", false)]
    [InlineData("[^abc]", "d", true)]
    [InlineData("[^abc]", "a", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[c-a]x", "bx", true)]
    [InlineData("[a-]", "-", false)]
    [InlineData("[a-]", "a", true)]
    [InlineData("[]", "]", false)]
    [InlineData("[]]", "]", false)]
    [InlineData("[!a]", "b", false)]
    [InlineData("\\*", "*", true)]
    [InlineData("\\*", "a", false)]
    [InlineData("\\", "\\", true)]
    [InlineData("a\\", "a\\", true)]
    [InlineData("[\\]]", "]", true)]
    [InlineData("[\\", "\\", true)]
    [InlineData("[abc", "c", true)]
    [InlineData("[abc", "a", true)]
    [InlineData("ab[", "ab", false)]
    [InlineData("a**", "a", true)]
    [InlineData("a*", "a", true)]
    [InlineData("*a*", "bab", true)]
    [InlineData("**b**", "b", true)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h*llo", "hllo", true)]
    [InlineData("[\xe9]", "\xe9", true)]
    [InlineData("[a-\xe9]", "b", false)]
    [InlineData("[\x80-\xff]", "\x90", true)]
    [InlineData("a[b-]", "a-", false)]
    [InlineData("*x*y*z*", "axbyczd", true)]
    [InlineData("*x*y*z*", "azbycxd", false)]
    [InlineData("**", "", false)]
    [InlineData("?*", "", false)]
    public void MatchesLikeRedis(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, GlobMatcher.IsMatch(Encoding.Latin1.GetBytes(pattern), Encoding.Latin1.GetBytes(text)));
    }

    /// <summary>The first three rows were checked with CONFIG GET, which matches with nocase in Redis 7.0.15;
    /// the rest follow its tolower-on-both-sides rule.</summary>
    [Theory]
    [InlineData("MAXMEMORY-[O-Q]OLICY", "maxmemory-policy", true)]
    [InlineData("maxmemory-[^P]olicy", "maxmemory-policy", false)]
    [InlineData("Maxmemory-poli?Y", "maxmemory-policy", true)]
    [InlineData("HELLO", "hello", true)]
    [InlineData("h[A-Z]llo", "hello", true)]
    [InlineData("h[^E]llo", "hello", false)]
    [InlineData("[abc]", "B", true)]
    [InlineData("\\H*", "hey", true)]
    [InlineData("h?LLO", "hello", true)]
    [InlineData("a[b-]", "A-", false)]
    public void NoCaseFoldsAsciiLetters(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, GlobMatcher.IsMatch(Encoding.Latin1.GetBytes(pattern), Encoding.Latin1.GetBytes(text), noCase: true));
    }

    [Fact]
    public void CaseSensitiveByDefault()
    {
        Assert.False(GlobMatcher.IsMatch("HELLO"u8, "hello"u8));
    }

    [Fact]
    public void AbusivePatternsFinishQuickly()
    {
        // Many stars against a long non-matching text: the early exit keeps this linear-ish, not exponential.
        var pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a*", 30)) + "b");
        var text = Encoding.ASCII.GetBytes(new string('a', 5000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(GlobMatcher.IsMatch(pattern, text));
        Assert.True(watch.ElapsedMilliseconds < 2000);
        // Deeper than Redis's nesting limit of 1000 stars fails instead of exhausting the stack.
        var deep = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a*", 5000)));
        Assert.False(GlobMatcher.IsMatch(deep, Encoding.ASCII.GetBytes(new string('a', 6000))));
    }
}
