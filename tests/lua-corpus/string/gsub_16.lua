print(string.gsub("abc", ".", 2, "x"))
