namespace Cinnabar.Lua.Lib;

/// <summary>The parts of os and io that test programs use: io.write to the state's output, os.time and os.clock.</summary>
internal static class OsIoLib
{
    public static void Open(LuaState s, LuaTable g)
    {
        var io = new LuaTable();
        s.Register(io, "write", (cx, a) =>
        {
            for (int i = 0; i < a.Length; i++)
            {
                var str = a[i].O as LuaString ?? (a[i].IsNumber ? NumberFormat.ToLuaString(a[i].N) : throw cx.TypeError(i + 1, "string", a));
                cx.State.Output.Write(str.Bytes);
            }
            return 0;
        });
        g.SetStr(LuaString.From("io"), new LuaValue(io));
        var os = new LuaTable();
        s.Register(os, "time", (cx, a) =>
        {
            if (a.Length > 0 && !a[0].IsNil)
            {
                var t = cx.CheckTable(a, 1);
                int F(string k, int def)
                {
                    var v = t.GetStr(LuaString.From(k));
                    if (v.IsNil) { if (def < 0) throw cx.Error($"field '{k}' missing in date table"); return def; }
                    return (int)v.AsNumber;
                }
                var dt = new DateTime(F("year", -1), 1, 1, 0, 0, 0, DateTimeKind.Utc)
                    .AddMonths(F("month", -1) - 1).AddDays(F("day", -1) - 1).AddHours(F("hour", 12)).AddMinutes(F("min", 0)).AddSeconds(F("sec", 0));
                return cx.ReturnNumber(new DateTimeOffset(dt).ToUnixTimeSeconds());
            }
            return cx.ReturnNumber(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        });
        s.Register(os, "clock", (cx, a) => cx.ReturnNumber(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds)); // CPU time, as C clock()
        g.SetStr(LuaString.From("os"), new LuaValue(os));
    }
}
