print(math.frexp(0))
