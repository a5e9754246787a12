namespace Cinnabar.Lua.Tests;

/// <summary>
/// Captures, sub, upper and lower return a recent equal short string when there is one (LuaState.ShortString):
/// strings that share a cache slot, long ones and ones with embedded zeros must still come out as lua5.1's.
/// </summary>
public class ShortStringCacheTests
{
    [SkippableFact]
    public void CachedStringsAreEqualToFreshOnesAndDistinctWhenTheyDiffer() => Lua51Oracle.AssertSameOutput("""
        local seen, order = {}, {}
        local text = {}
        for i = 1, 3000 do text[#text + 1] = string.char(97 + i % 26, 97 + (i * 7) % 26, 48 + i % 10) .. (i % 3 == 0 and "\0z" or "") end
        local s = table.concat(text, " ")
        for w in s:gmatch("%S+") do
          local u = w:upper()
          if not seen[u] then seen[u] = 0; order[#order + 1] = u end
          seen[u] = seen[u] + 1
        end
        local n = 0
        for _, u in ipairs(order) do n = n + 1; if n % 50 == 0 then print(#u, u:lower(), seen[u]) end end
        print(#order)
        local long = string.rep("abcdefghij", 5)
        print(long:sub(1, 33) == long:sub(11, 43), long:sub(1, 32) == long:sub(11, 42), long:upper():sub(-35))
        local a, b = s:sub(1, 3), s:sub(1, 3)
        print(a == b, a, s:sub(5, 7), s:match("(%a+)(%d)", 9))
        local keys = {}
        for i = 1, 2000 do keys[s:sub(i, i + 2)] = i end
        local cnt = 0 for k, v in pairs(keys) do cnt = cnt + 1 end
        print(cnt, keys["ab1"], keys[s:sub(1, 3)])
        """);
}
