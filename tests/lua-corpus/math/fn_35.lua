print(math.atan2(1, 1))
