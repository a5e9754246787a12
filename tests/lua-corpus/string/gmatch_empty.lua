for w in ("abc"):gmatch("") do io.write("[", w, "]") end print()
for a in ("abc"):gmatch("()") do io.write(a, " ") end print()
