print(math.ceil(-0.5))
