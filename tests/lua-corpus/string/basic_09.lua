print(("hello"):sub(-3, -2))
print(type(("hello"):sub(-3, -2)))
