print(string.find("a\0b", "%z"))
print(string.match("a\0b", "%z"))
print(string.gsub("a\0b", "%z", "<%0>"))
