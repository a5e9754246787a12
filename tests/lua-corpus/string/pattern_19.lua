print(string.find("xyz", "[x-z]+"))
print(string.match("xyz", "[x-z]+"))
print(string.gsub("xyz", "[x-z]+", "<%0>"))
