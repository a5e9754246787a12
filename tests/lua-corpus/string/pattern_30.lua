print(string.find("UPPER lower", "%u+"))
print(string.match("UPPER lower", "%u+"))
print(string.gsub("UPPER lower", "%u+", "<%0>"))
