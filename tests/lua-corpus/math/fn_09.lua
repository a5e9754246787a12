print(math.max(-0.0, 0))
