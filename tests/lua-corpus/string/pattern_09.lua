print(string.find("abc123def", "%a+"))
print(string.match("abc123def", "%a+"))
print(string.gsub("abc123def", "%a+", "<%0>"))
