print(string.gsub("abc", "%w", function(c) if c == "b" then return nil end return c:upper() end))
