print(string.find("hello world", "()ll()"))
print(string.match("hello world", "()ll()"))
print(string.gsub("hello world", "()ll()", "<%0>"))
