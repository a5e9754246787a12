namespace Cinnabar.Lua.Tests;

/// <summary>
/// cjson.decode fills each object and array once all its items are known (LuaTable.FillStringPairs and
/// FillSequence) instead of key by key; the tables must still be laid out as the sets would lay them out,
/// so pairs order, '#' and later inserts match lua5.1 with lua-cjson.
/// </summary>
public class CjsonDecodeLayoutTests
{
    [SkippableFact]
    public void ObjectsKeepTheirPairsOrderRepeatedKeysAndLaterInserts() => Lua51Oracle.AssertSameOutput("""
        local cjson = require("cjson")
        local x = 7
        local function rnd(n) x = (x * 1103515245 + 12345) % 2147483648 return x % n end
        for trial = 1, 300 do
          local n = rnd(70)
          local parts = {}
          for i = 1, n do
            local k
            if rnd(4) == 0 and i > 1 then k = "k" .. rnd(i) -- repeats an earlier key now and then
            else k = string.rep(string.char(97 + rnd(26)), 1 + rnd(3)) .. rnd(1000) end
            if rnd(7) == 0 then k = string.rep("long", 10) .. rnd(50) end
            parts[#parts + 1] = string.format("%q:%d", k, i)
          end
          local t = cjson.decode("{" .. table.concat(parts, ",") .. "}")
          local out = {}
          for k, v in pairs(t) do out[#out + 1] = k .. "=" .. v end
          for j = 1, rnd(12) do t["extra" .. j] = j end -- continues from the decoded free node
          if next(t) ~= nil then t[next(t)] = nil end
          for j = 1, rnd(3) do t[j] = j end
          for k in pairs(t) do out[#out + 1] = tostring(k) end
          print(table.concat(out, " "))
        end
        """);

    [SkippableFact]
    public void ArraysKeepTheirSizeBorderAndLaterInserts() => Lua51Oracle.AssertSameOutput("""
        local cjson = require("cjson")
        for n = 0, 70 do
          local items = {}
          for i = 1, n do items[i] = (i % 3 == 0) and "null" or tostring(i) end
          local a = cjson.decode("[" .. table.concat(items, ",") .. "]")
          local out = { "#" .. #a }
          a[#a + 2] = "gap"; a.k = 1; a[#a + 1] = "end"
          for k, v in pairs(a) do out[#out + 1] = tostring(k) end
          out[#out + 1] = "#" .. #a
          print(table.concat(out, " "))
        end
        """);

    [SkippableFact]
    public void NestedValuesAndErrorsInsideThem() => Lua51Oracle.AssertSameOutput("""
        local cjson = require("cjson")
        local t = cjson.decode('{"a":[1,{"b":[2,3],"c":{}},[]],"d":{"e":{"f":[true,false,null]}},"g":"h"}')
        local function dump(v, ind)
          if type(v) ~= "table" then print(ind .. tostring(v)) return end
          for k, w in pairs(v) do print(ind .. tostring(k)) dump(w, ind .. "  ") end
        end
        dump(t, "")
        for _, s in ipairs({ '{"a":[1,2,{"b":}]}', '[1,2,{"x":1,}]', '{"a":1 "b":2}', '[1,2', '{"a":{"b":[1,2]}' }) do
          print(pcall(cjson.decode, s))
          dump(cjson.decode('{"after":[1,{"x":"y"}],"error":true}'), "") -- the decoder after a failed one
        end
        """);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FilledObjectsMatchTablesBuiltKeyByKey(bool redisHash)
    {
        var rng = new Random(12345);
        for (int trial = 0; trial < 500; trial++)
        {
            int n = rng.Next(0, 150);
            var pairs = new LuaValue[2 * n];
            for (int i = 0; i < n; i++)
            {
                string key = rng.Next(5) == 0 && i > 0 ? "r" + rng.Next(i) : new string((char)('a' + rng.Next(26)), 1 + rng.Next(40)) + rng.Next(100);
                pairs[2 * i] = new LuaValue(LuaString.From(key));
                pairs[2 * i + 1] = LuaValue.Number(i);
            }
            var bySets = new LuaTable { RedisHash = redisHash };
            for (int i = 0; i < n; i++) bySets.Set(pairs[2 * i], pairs[2 * i + 1]);
            var filled = new LuaTable { RedisHash = redisHash };
            filled.FillStringPairs(pairs);
            for (int j = 0; j < 20; j++) // later inserts must find the same free nodes
            {
                bySets.SetStr(LuaString.From("x" + j), LuaValue.Number(j));
                filled.SetStr(LuaString.From("x" + j), LuaValue.Number(j));
            }
            Assert.Equal(Traverse(bySets), Traverse(filled));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LayoutsReusedForRepeatedKeySequencesMatchTablesBuiltKeyByKey(bool redisHash)
    {
        // keys from a small pool of string objects, so shapes (and repeated keys within one) come back often
        var pool = Enumerable.Range(0, 40).Select(i => LuaString.From(new string((char)('a' + i % 26), 1 + i % 37) + i)).ToArray();
        var shapes = new List<LuaString[]>();
        var rng = new Random(777);
        for (int s = 0; s < 40; s++)
            shapes.Add(Enumerable.Range(0, rng.Next(1, 70)).Select(_ => pool[rng.Next(pool.Length)]).ToArray());
        var cache = new PairsLayoutCache();
        for (int trial = 0; trial < 2000; trial++)
        {
            var keys = shapes[rng.Next(shapes.Count)];
            var pairs = new LuaValue[2 * keys.Length];
            for (int i = 0; i < keys.Length; i++) { pairs[2 * i] = new LuaValue(keys[i]); pairs[2 * i + 1] = LuaValue.Number(trial * 100 + i); }
            var bySets = new LuaTable { RedisHash = redisHash };
            for (int i = 0; i < keys.Length; i++) bySets.Set(pairs[2 * i], pairs[2 * i + 1]);
            var filled = new LuaTable { RedisHash = redisHash };
            filled.FillStringPairs(pairs, cache);
            bySets.SetStr(LuaString.From("later"), LuaValue.True);
            filled.SetStr(LuaString.From("later"), LuaValue.True);
            Assert.Equal(Traverse(bySets), Traverse(filled));
        }
    }

    static List<string> Traverse(LuaTable t)
    {
        var order = new List<string>();
        var k = LuaValue.Nil;
        while (t.Next(ref k, out var v)) order.Add(k + "=" + v);
        return order;
    }
}
