print(math.floor(2^53 + 0.5))
