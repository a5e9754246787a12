print(math.cos(0))
