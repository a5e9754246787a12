print("a\tb\\c\"d\'e")
print("\65\066\0671")
print("line1\
line2")
print(#"\0", "\a\b\f\v" == "\7\8\12\11")
print("\z" == "z", "\q")
