print(math.modf(1/0))
