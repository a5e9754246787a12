for w in ("^a^a"):gmatch("^a") do print(w) end
