print(string.format("%s=%d (%5.1f%%) [%q]", "x", 10, 12.345, "q"))
print(string.format("%3s|%-3s|", "a", "b"))
print(("%d items"):format(3))
