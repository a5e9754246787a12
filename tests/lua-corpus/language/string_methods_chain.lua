local s = "Hello"
print(s:upper():lower():rep(2):len())
