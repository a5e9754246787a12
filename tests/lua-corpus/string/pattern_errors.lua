for _, p in ipairs{"%", "[a", "(a", "a)", "%b", "%f", "%1", "(()", "[%"} do print(p, pcall(string.find, "abc", p)) end
