print(string.gsub("hello world", "%w+", "%0 %0"))
