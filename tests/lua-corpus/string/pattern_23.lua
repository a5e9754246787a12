print(string.find("hello", "(l)%1"))
print(string.match("hello", "(l)%1"))
print(string.gsub("hello", "(l)%1", "<%0>"))
