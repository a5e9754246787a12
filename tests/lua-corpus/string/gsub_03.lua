print(string.gsub("hello", "", "-"))
