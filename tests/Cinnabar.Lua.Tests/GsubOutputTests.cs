namespace Cinnabar.Lua.Tests;

/// <summary>
/// gsub copies each run of unmatched bytes in one piece before the next replacement and builds its result in
/// a pooled buffer that grows past the subject's size: results and counts must stay those of lua5.1.
/// </summary>
public class GsubOutputTests
{
    [SkippableFact]
    public void RunsBetweenMatchesEmptyMatchesAnchorsAndLimits() => Lua51Oracle.AssertSameOutput("""
        local s = "the quick brown fox 12 jumps 345 over"
        local pats = { "%a+", "%d+", "(%d)(%d)", "x*", "", "^the", "^x", "o", "%s", "$", "^", "(o)(%a*)", "[aeiou]+", "%f[%w]%w+" }
        local repls = { "<%0>", "%1", "[%1|%2]", "", "%%", "-", function(w) return w:upper() end,
                        function() return nil end, function() return false end, { the = "THE", o = 1 } }
        for _, p in ipairs(pats) do
          for i, r in ipairs(repls) do
            local ok, res, n = pcall(string.gsub, s, p, r)
            print(p, i, ok, res, n)
            for _, max in ipairs({ 0, 1, 2, 100 }) do print(" ", max, pcall(string.gsub, s, p, r, max)) end
          end
        end
        print(string.gsub("abc", "%w", "%"))
        print(pcall(string.gsub, "abc", "(%w)", "%2"))
        print(string.gsub("", "x*", "y"))
        print(string.gsub("a\0b\0", "%z", "Z"))
        """);

    [SkippableFact]
    public void ResultsLongerThanTheSubjectAndLong() => Lua51Oracle.AssertSameOutput("""
        local s = string.rep("ab1 ", 50000)
        local r, n = s:gsub("%d", "<digit %0>")
        print(#r, n, r:sub(1, 40), r:sub(-40))
        local r2, n2 = s:gsub("%a+", function(w) return w:rep(3) end)
        print(#r2, n2, r2:sub(1, 40))
        local r3, n3 = s:gsub(" ", "")
        print(#r3, n3, r3:sub(-20))
        local nested = ("x y z "):rep(1000):gsub("%a", function(c) return (c:gsub(".", "%0%0")) end)
        print(#nested, nested:sub(1, 30))
        """);
}
