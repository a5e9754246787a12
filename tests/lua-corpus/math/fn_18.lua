print(math.exp(0))
