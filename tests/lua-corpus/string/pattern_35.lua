print(string.find("hello", "[%a]+"))
print(string.match("hello", "[%a]+"))
print(string.gsub("hello", "[%a]+", "<%0>"))
