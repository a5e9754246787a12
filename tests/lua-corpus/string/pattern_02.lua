print(string.find("hello world", "(h)(e)"))
print(string.match("hello world", "(h)(e)"))
print(string.gsub("hello world", "(h)(e)", "<%0>"))
