print(math.floor(-0.0))
