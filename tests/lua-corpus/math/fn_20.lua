print(math.log10(1000))
