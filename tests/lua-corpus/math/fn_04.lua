print(math.abs(-5))
