print(math.sinh(0))
