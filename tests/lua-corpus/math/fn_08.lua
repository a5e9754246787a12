print(math.min(4, 2, 8))
