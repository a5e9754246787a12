print(math.sqrt(16))
