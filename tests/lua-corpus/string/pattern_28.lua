print(string.find("a+b", "a+b"))
print(string.match("a+b", "a+b"))
print(string.gsub("a+b", "a+b", "<%0>"))
