print(string.upper("abc1!"))
print(type(string.upper("abc1!")))
