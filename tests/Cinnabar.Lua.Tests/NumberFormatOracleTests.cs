namespace Cinnabar.Lua.Tests;

/// <summary>
/// %.Ng of values with few decimals is printed from m / 10^k directly (NumberFormat.TryFormatFewDecimals):
/// tostring, string.format and cjson.encode must still print what lua5.1 prints, at every precision.
/// </summary>
public class NumberFormatOracleTests
{
    [SkippableFact]
    public void FewDecimalValuesPrintAsLua51PrintsThem() => Lua51Oracle.AssertSameOutput("""
        local cjson = require("cjson")
        local x = 12345
        local function rnd() x = (x * 1103515245 + 12345) % 2147483648 return x end
        local function show(v)
          print(tostring(v), string.format("%.14g %.3g %.1g %g %.10g %.8g %.9g %.17g %.16g %.15g %5.2g %-12g|", v, v, v, v, v, v, v, v, v, v, v, v), v .. "")
        end
        for i = 1, 4000 do
          local v = (rnd() % (10 ^ (1 + rnd() % 12))) / 10 ^ (rnd() % 7)
          if rnd() % 2 == 0 then v = -v end
          show(v); show(v * 3.7); show(rnd() / 2147483648); show(1 / (1 + rnd() % 1000))
        end
        for _, v in ipairs({ 0.1, 0.5, 9.99, 1e-4, 1.5e-4, 0.0001234, 0.00009, 99999999.5, 999999999.5, 123456789.123456,
                             1e9 - 0.5, 12345678.9, 1234567.891, 0.3, 1 / 3, 100.25, 1e-5, 0.08, 41276800, 5e-324 }) do
          show(v); show(-v)
        end
        for p = 1, 14 do
          cjson.encode_number_precision(p)
          print(p, cjson.encode({ 9.99, 0.25, 1234.5678, 0.0001, 123456.75, -0.5, 1 / 3 }))
        end
        """);
}
