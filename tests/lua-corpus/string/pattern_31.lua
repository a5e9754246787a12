print(string.find("UPPER lower", "%l+"))
print(string.match("UPPER lower", "%l+"))
print(string.gsub("UPPER lower", "%l+", "<%0>"))
