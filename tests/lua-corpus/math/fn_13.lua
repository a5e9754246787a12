print(math.mod(5, 2))
