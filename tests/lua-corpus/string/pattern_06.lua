print(string.find("hello", "o$"))
print(string.match("hello", "o$"))
print(string.gsub("hello", "o$", "<%0>"))
