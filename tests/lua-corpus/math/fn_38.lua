print(math.atan(1))
