print(pcall(string.dump, print))
print(pcall(string.dump))
