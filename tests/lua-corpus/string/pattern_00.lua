print(string.find("hello world", "o"))
print(string.match("hello world", "o"))
print(string.gsub("hello world", "o", "<%0>"))
