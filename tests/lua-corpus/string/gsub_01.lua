print(string.gsub("hello world", "(o)", "%1%1"))
