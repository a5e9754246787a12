print(string.gsub("hello", "l", 5))
