import sys; sys.path.insert(0, __import__('os').path.dirname(__file__))
from corpus import File
f=File('# cjson, cmsgpack, struct and bit inside scripts: encodings returned as hex or text, round trips through\n# keys, and the libraries\' errors.')
HEX="local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end\n"

f.block('cjson')
for body in [
 "return cjson.encode({1, 2, 3, 'x', true, false})",
 "return cjson.encode({a = 1})",
 "return cjson.encode({})",
 "return cjson.encode({[1] = 'a', [2] = 'b', [4] = 'd'})",
 "return cjson.encode({1.5, -0.25, 1e20, 123456789012, 3.14159265358979})",
 "return cjson.encode('quote\" back\\\\ slash/ tab\\t nl\\n ctl\\1')",
 "return cjson.encode({nested = {deeper = {list = {1, {2, {3}}}}}})",
 "return cjson.encode(cjson.null)",
 "return cjson.encode({cjson.null, 1})",
 "local t = cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":\"d\"}') return {t.a[1], t.a[2], tostring(t.a[3].b == cjson.null), t.c}",
 "local t = cjson.decode('[1.5, 2e3, -0, 1e-7, 123456789012345678]') local out = {} for i, v in ipairs(t) do out[i] = tostring(v) end return out",
 "return cjson.encode(cjson.decode('{\"k\":\"\\\\u00e9\\\\u4e2d\"}'))",
 "local ok, err = pcall(cjson.decode, '{bad json}') return {tostring(ok), err}",
 "local ok, err = pcall(cjson.decode, '[1, 2') return err",
 "local ok, err = pcall(cjson.encode, function() end) return err",
 "local ok, err = pcall(cjson.encode, {[{}] = 1}) return err",
 "local ok, err = pcall(cjson.encode, {1, 2, [10] = 3}) return err",
 "local t = {} t[1] = t local ok, err = pcall(cjson.encode, t) return err",
 "return cjson.encode({1/0 ~= 1/0 and 'nan' or 'inf'})",
 "local ok, err = pcall(cjson.encode, 1/0) return {tostring(ok), err}",
 "return cjson.decode('\"only a string\"')",
 "return cjson.decode('42')",
 "return type(cjson.decode('true'))",
]:
    f.script(body, [([],[])])
f.script("redis.call('SET', KEYS[1], cjson.encode({user = ARGV[1], n = tonumber(ARGV[2]), tags = {'a', 'b'}}))\nlocal back = cjson.decode(redis.call('GET', KEYS[1]))\nreturn {back.user, back.n, back.tags[2], #back.tags}", [(['js'],['ann','7'])])
f.cmd('GET','js')

f.block('cmsgpack')
for body in [
 HEX+"return hex(cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296))",
 HEX+"return hex(cmsgpack.pack(-1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649))",
 HEX+"return hex(cmsgpack.pack(1.5, -0.25, 3.14159, 1e300))",
 HEX+"return hex(cmsgpack.pack('', 'a', string.rep('x', 31), string.rep('y', 32)))",
 HEX+"return hex(cmsgpack.pack(string.rep('z', 256)))",
 HEX+"return hex(cmsgpack.pack({1, 2, 3}, {}, {a = 1}))",
 HEX+"return hex(cmsgpack.pack(true, false, nil))",
 HEX+"return hex(cmsgpack.pack({1, {2, {3, {4}}}}))",
 "local t = cmsgpack.unpack(cmsgpack.pack({name = 'job', attempts = 3, nested = {1, 2}})) return {t.name, t.attempts, t.nested[2]}",
 "return {cmsgpack.unpack(cmsgpack.pack(1, 'two', 3.5))}",
 "local a, b = cmsgpack.unpack_one(cmsgpack.pack(10, 20, 30)) return {a, b}",
 "local r = {cmsgpack.unpack_limit(cmsgpack.pack(10, 20, 30), 2)} return r",
 "local r = {cmsgpack.unpack_one(cmsgpack.pack(10, 20), 3)} return r",
 "local ok, err = pcall(cmsgpack.unpack, '\\193') return {tostring(ok), err}",
 "local ok, err = pcall(cmsgpack.pack) return err",
 "return cmsgpack.unpack('\\205\\1\\0')",
 "return cmsgpack.unpack('\\217\\3abc')",
 "local t = cmsgpack.unpack('\\130\\161a\\1\\161b\\2') return {t.a, t.b}",
 "local v = cmsgpack.unpack(cmsgpack.pack(2^53)) return tostring(v)",
 "local v = cmsgpack.unpack(cmsgpack.pack(-0.0)) return tostring(v)",
]:
    f.script(body, [([],[])])
f.script("redis.call('SET', KEYS[1], cmsgpack.pack({id = ARGV[1], tries = 2}))\nlocal back = cmsgpack.unpack(redis.call('GET', KEYS[1]))\nreturn {back.id, back.tries, redis.call('STRLEN', KEYS[1])}", [(['mp'],['job-1'])])

f.block('struct')
for body in [
 HEX+"return hex(struct.pack('>I4', 258))",
 HEX+"return hex(struct.pack('<i2i2', -2, 300))",
 HEX+"return hex(struct.pack('>bBhH', -1, 255, -2, 65535))",
 HEX+"return hex(struct.pack('>d', 1.5))",
 HEX+"return hex(struct.pack('<f', -2.25))",
 HEX+"return hex(struct.pack('s', 'zero terminated'))",
 HEX+"return hex(struct.pack('>I2c0', 3, 'abc'))",
 HEX+"return hex(struct.pack('!4 b i4', 1, 2))",
 "return {struct.unpack('>I4', '\\0\\0\\1\\2')}",
 "return {struct.unpack('<h', '\\254\\255')}",
 "return {struct.unpack('>I2c0', '\\0\\3abcdef')}",
 "local a, b, nxt = struct.unpack('>bB', '\\255\\255') return {a, b, nxt}",
 "return tostring(struct.unpack('>d', struct.pack('>d', 0.1)))",
 "return struct.size('>I4bd')",
 "local ok, err = pcall(struct.pack, '>I17', 1) return err",
 "local ok, err = pcall(struct.unpack, '>I4', 'ab') return err",
 "local ok, err = pcall(struct.pack, 'y', 1) return err",
 "return {struct.unpack('>i8', struct.pack('>i8', -123456789))}",
]:
    f.script(body, [([],[])])

f.block('bit')
for body in [
 "return {bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0)}",
 "return {bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x12345678, 8), bit.ror(0x12345678, 8)}",
 "return {bit.tohex(255), bit.tohex(-1), bit.tohex(0x1234, 2), bit.tohex(0x1234, -8)}",
 "return {bit.tobit(0xffffffff), bit.tobit(2^32 + 5), bit.tobit(-1.5)}",
 "return bit.bswap(0x12345678)",
 "local ok, err = pcall(bit.band, 'x') return err",
 "local h = 5381 for i = 1, #ARGV[1] do h = bit.band(bit.lshift(h, 5) + h + ARGV[1]:byte(i), 0x7fffffff) end return h",
]:
    f.script(body, [([],['hello world'])])
f.script("local flags = tonumber(redis.call('GET', KEYS[1]) or '0')\nflags = bit.bor(flags, bit.lshift(1, tonumber(ARGV[1])))\nredis.call('SET', KEYS[1], flags)\nreturn {flags, bit.band(flags, bit.lshift(1, 3)) ~= 0}", [(['bits'],['1']),(['bits'],['3']),(['bits'],['31'])])

f.block('strings-and-numbers')
for body in [
 "return {tostring(1e15), tostring(1e16), tostring(0.1), tostring(-0), tostring(1/3), tostring(100)}",
 "return string.format('%d %5.2f %s %q %x %5s|%-5s|', 3.9, 2.345, 'x', 'a\\nb', 255, 'r', 'l')",
 "return {string.byte('ABC', 1, -1)}",
 "return {string.find('hello world', 'o w'), string.find('a.b', '.', 1, true)}",
 "return {string.match('key:123:name', '(%a+):(%d+):(%a+)')}",
 "return (string.gsub('hello world', '(%w+)', '<%1>'))",
 "local t = {} for w in string.gmatch('one two  three', '%S+') do t[#t + 1] = w end return t",
 "return {string.rep('ab', 3, ','), ('x'):rep(0), string.reverse('abc'), string.upper('MiX'), string.lower('MiX')}",
 "return {tonumber('0x10'), tonumber('  12  '), tonumber('1e2'), tonumber('z', 36), tonumber('10', 2), tonumber('abc')}",
 "return {math.floor(-2.5), math.ceil(-2.5), math.fmod(7, 3), math.modf(3.7), math.abs(-4), math.max(1, 9, 3), math.min(4, -2)}",
 "return {math.huge > 0, -math.huge < 0, math.pi > 3, 7 % 3, -7 % 3, 2^10}",
 "local t = {5, 2, 8, 1} table.sort(t) return t",
 "local t = {'b', 'a', 'c'} table.sort(t, function(x, y) return x > y end) return table.concat(t, '-')",
 "local t = {1, 2, 3} table.insert(t, 2, 9) table.remove(t, 1) return {table.concat(t, ','), #t, table.getn(t)}",
 "return {select('#', 1, nil, 3), select(2, 'a', 'b', 'c')}",
 "return {unpack({1, 2, 3}, 2)}",
 "local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}) return t.hello",
 "local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) return {x, y, coroutine.status(co)}",
 "return string.format('%s', 12345678901234)",
 "return {#'', #'abc', ('x'):len()}",
]:
    f.script(body, [([],[])])
f.write(sys.argv[1])
