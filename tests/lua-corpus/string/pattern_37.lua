print(string.find("12ab", "%W"))
print(string.match("12ab", "%W"))
print(string.gsub("12ab", "%W", "<%0>"))
