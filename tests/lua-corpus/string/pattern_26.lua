print(string.find("abc", ""))
print(string.match("abc", ""))
print(string.gsub("abc", "", "<%0>"))
