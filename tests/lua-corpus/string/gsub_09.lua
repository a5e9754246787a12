print(string.gsub("abc", "b", "%%"))
