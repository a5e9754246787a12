print(string.find("xyz", "[^x]+"))
print(string.match("xyz", "[^x]+"))
print(string.gsub("xyz", "[^x]+", "<%0>"))
