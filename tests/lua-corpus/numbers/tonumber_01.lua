print(tonumber("  12  "))
print(type(tonumber("  12  ")))
