print(string.find("hello", "[^%s]+"))
print(string.match("hello", "[^%s]+"))
print(string.gsub("hello", "[^%s]+", "<%0>"))
