print(("a.b.c"):find(".", 1, true))
print(("a+b"):find("+", 1, true))
print(("abc"):find("", 10))
print(("abc"):find("", 4))
