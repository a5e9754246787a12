print(math.acos(1))
