import os, sys; sys.path.insert(0, os.path.dirname(__file__))
from corpus import File
f=File('# Conversions between Lua and RESP2/RESP3: replies of commands as scripts see them after redis.setresp(3),\n# and script results (maps, sets, doubles, big numbers, verbatim strings, booleans, nulls) in both protocols.')

f.block('resp3-command-replies')
f.cmd('HSET','h','f1','v1','f2','v2')
f.cmd('SADD','s','1','2','3')
f.cmd('ZADD','z','1.5','a','2.25','b')
f.cmd('SET','str','x')
for body in [
 "redis.setresp(3) local r = redis.call('HGETALL', 'h') return {r.map.f1, r.map.f2}",
 "redis.setresp(3) return redis.call('HGETALL', 'h')",
 "redis.setresp(3) local r = redis.call('SMEMBERS', 's') local out = {} for k, v in pairs(r.set) do out[#out + 1] = k .. '=' .. tostring(v) end table.sort(out) return out",
 "redis.setresp(3) local r = redis.call('ZSCORE', 'z', 'a') return {type(r), r.double}",
 "redis.setresp(3) return redis.call('ZSCORE', 'z', 'b')",
 "redis.setresp(3) return redis.call('ZRANGE', 'z', 0, -1, 'WITHSCORES')",
 "redis.setresp(3) local r = redis.call('ZRANGE', 'z', 0, -1, 'WITHSCORES') return {r[1][1], r[1][2].double, r[2][1]}",
 "redis.setresp(3) return {redis.call('GET', 'nokey') == nil, redis.call('GET', 'nokey') == false}",
 "redis.setresp(2) return {redis.call('GET', 'nokey') == nil, redis.call('GET', 'nokey') == false}",
 "redis.setresp(3) return redis.call('HGET', 'h', 'nofield')",
 "redis.setresp(3) return redis.call('ZSCORE', 'z', 'nomember')",
 "redis.setresp(3) return type(redis.call('PING'))",
 "redis.setresp(3) return redis.call('PING').ok",
 "redis.setresp(3) return redis.call('INCRBYFLOAT', 'fl', '1.5')",
 "redis.setresp(3) local r = redis.call('HRANDFIELD', 'h', 1, 'WITHVALUES') return #r",
 "redis.setresp(3) local r = redis.call('XINFO', 'HELP') return type(r)",
 "redis.setresp(3) local r = redis.pcall('INCR', 'str') return {type(r), r.err}",
 "redis.setresp(3) return redis.call('CONFIG', 'GET', 'maxmemory-policy')",
 "redis.setresp(3) local r = redis.call('CONFIG', 'GET', 'maxmemory-policy') return r.map['maxmemory-policy']",
 "redis.setresp(3) return redis.call('ZRANDMEMBER', 'nozset', 1, 'WITHSCORES')",
 "redis.setresp(3) return redis.call('SMISMEMBER', 's', '1', '9')",
 "redis.setresp(3) return redis.call('ZMSCORE', 'z', 'a', 'nomember')",
 "redis.setresp(3) redis.setresp(2) return redis.call('HGETALL', 'h')",
]:
    f.script(body, [([],[])])

f.block('script-results')
for body in [
 "return {double = 3.5}",
 "return {double = 0.1}",
 "return {double = -1e300}",
 "return {double = 1/0}",
 "return {double = -1/0}",
 "return {double = 3}",
 "return {map = {a = 1, b = {1, 2}}}",
 "return {map = {}}",
 "return {set = {x = true, y = true}}",
 "return {set = {}}",
 "return {big_number = '12345678901234567890'}",
 "return {big_number = 'notanumber'}",
 "return {verbatim_string = {format = 'txt', string = 'hello'}}",
 "return {verbatim_string = {format = 'mkd', string = '# title'}}",
 "return true",
 "return false",
 "return nil",
 "return {true, false, nil, 'after'}",
 "return {{ok = 'nested status'}, {err = 'NESTED error'}}",
 "redis.setresp(3) return true",
 "redis.setresp(3) return false",
 "redis.setresp(3) return {true, false}",
 "return {1, {double = 1.5}, {map = {k = 'v'}}, {set = {m = true}}}",
 "return {map = {n = {double = 2.5}}}",
 "return 3.99",
 "return -3.99",
 "return '3.99'",
 "return {'a', 1, 2.7, -0}",
 "return {[1] = 'one', [3] = 'three'}",
 "return {x = 1, y = 2}",
]:
    f.script(body, [([],[])])

f.block('resp3-functions')
f.function('conv', """redis.register_function('as_map', function(keys) redis.setresp(3) return redis.call('HGETALL', keys[1]) end)
redis.register_function('as_double', function(keys, args) redis.setresp(3) return redis.call('ZSCORE', keys[1], args[1]) end)
redis.register_function('bools', function() return {true, false} end)
redis.register_function('resp3_bools', function() redis.setresp(3) return {true, false} end)
redis.register_function('verbatim', function() return {verbatim_string = {format = 'txt', string = 'fn'}} end)""",
 [('as_map',['h'],[]),('as_double',['z'],['b']),('bools',[],[]),('resp3_bools',[],[]),('verbatim',[],[])])
f.lines.insert(f.block_start + 1, 'HSET h only one')
f.lines.insert(f.block_start + 2, 'ZADD z 7.125 b')
f.write(sys.argv[1])
