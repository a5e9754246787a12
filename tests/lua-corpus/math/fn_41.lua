print(math.tanh(0))
