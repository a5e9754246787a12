print(math.log(0))
