print(math.abs(-0.0))
