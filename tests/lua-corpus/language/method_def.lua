local obj = {n = 0}
function obj:inc(k) self.n = self.n + (k or 1) return self end
obj:inc():inc(5)
print(obj.n)
local a = {b = {}}
function a.b.f(x) return x * 2 end
print(a.b.f(4))
