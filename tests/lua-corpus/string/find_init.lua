local s = "hello hello"
for _, i in ipairs{1, 2, 7, -5, -100, 100, 0, 12} do print(i, s:find("l", i), s:find("l", i, true)) end
