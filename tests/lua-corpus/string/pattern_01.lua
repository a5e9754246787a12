print(string.find("hello world", "l+"))
print(string.match("hello world", "l+"))
print(string.gsub("hello world", "l+", "<%0>"))
