print(math.frexp(-3))
