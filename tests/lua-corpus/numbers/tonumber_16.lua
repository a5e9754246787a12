print(tonumber("\t5\n"))
print(type(tonumber("\t5\n")))
