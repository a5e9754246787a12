print(string.find("x!y?z", "%p"))
print(string.match("x!y?z", "%p"))
print(string.gsub("x!y?z", "%p", "<%0>"))
