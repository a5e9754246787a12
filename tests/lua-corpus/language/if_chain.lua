local function c(x) if x < 0 then return "neg" elseif x == 0 then return "zero" elseif x < 10 then return "small" else return "big" end end
print(c(-1), c(0), c(5), c(50))
