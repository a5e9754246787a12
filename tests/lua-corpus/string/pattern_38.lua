print(string.find("one two", "(%S+)%s+(%S+)"))
print(string.match("one two", "(%S+)%s+(%S+)"))
print(string.gsub("one two", "(%S+)%s+(%S+)", "<%0>"))
