print(string.find("f(a(b)c)d", "%b()"))
print(string.match("f(a(b)c)d", "%b()"))
print(string.gsub("f(a(b)c)d", "%b()", "<%0>"))
