print(xpcall(function() error("boom") end, function(e) return "handled: " .. e end))
print(xpcall(function() return "fine", 2 end, print))
print(pcall(xpcall))
