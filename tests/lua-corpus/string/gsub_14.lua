print(string.gsub("aaa", "a", "b"))
