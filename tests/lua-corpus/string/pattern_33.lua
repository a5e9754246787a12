print(string.find("0x1F", "%x+"))
print(string.match("0x1F", "%x+"))
print(string.gsub("0x1F", "%x+", "<%0>"))
