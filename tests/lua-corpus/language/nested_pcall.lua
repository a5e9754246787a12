print(pcall(function() local ok, e = pcall(error, "inner") error("outer: " .. e, 0) end))
