print(("x"):rep(3))
print(type(("x"):rep(3)))
