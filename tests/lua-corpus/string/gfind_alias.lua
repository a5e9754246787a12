for w in string.gfind("x y", "%a") do print(w) end
