print(string.find("", ""))
print(string.match("", ""))
print(string.gsub("", "", "<%0>"))
