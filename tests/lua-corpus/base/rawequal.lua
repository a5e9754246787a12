local t = {}
print(rawequal(t, t), rawequal(t, {}), rawequal(1, 1.0), rawequal("a", "a"))
print(pcall(rawequal, 1))
