print(string.find("a.b", "%."))
print(string.match("a.b", "%."))
print(string.gsub("a.b", "%.", "<%0>"))
