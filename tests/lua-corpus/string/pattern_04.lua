print(string.find("hello", "^h"))
print(string.match("hello", "^h"))
print(string.gsub("hello", "^h", "<%0>"))
