print(string.reverse(""))
print(type(string.reverse("")))
