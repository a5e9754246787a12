print(string.find("abc123def", "%d+"))
print(string.match("abc123def", "%d+"))
print(string.gsub("abc123def", "%d+", "<%0>"))
