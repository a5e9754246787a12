print(string.find("hello", "^e"))
print(string.match("hello", "^e"))
print(string.gsub("hello", "^e", "<%0>"))
