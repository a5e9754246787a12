print(string.find("aaa", "a?"))
print(string.match("aaa", "a?"))
print(string.gsub("aaa", "a?", "<%0>"))
