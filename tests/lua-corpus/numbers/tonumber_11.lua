print(tonumber(" "))
print(type(tonumber(" ")))
