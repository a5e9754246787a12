print(string.reverse("abc"))
print(type(string.reverse("abc")))
