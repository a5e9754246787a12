print(math.ceil(3.2))
