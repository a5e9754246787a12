import os, sys; sys.path.insert(0, os.path.dirname(__file__))
from corpus import File
f=File('# Error paths of scripts and functions: raised errors and their positions, pcall, error tables, redis.call\n# refusals, argument types, global and table protection, shebang and compile errors, FCALL errors.')

f.block('raised-errors')
for body in [
 "error('plain')",
 "error('level two', 2)",
 "error('no position', 0)",
 "error({err='CUSTOM table error'})",
 "error({err='nocode'})",
 "error(42)",
 "error()",
 "error(nil)",
 "local function inner() error('deep') end local function outer() inner() end outer()",
 "return redis.error_reply('')",
 "return redis.error_reply('-DASHED already')",
 "return redis.error_reply('multi\\nline')",
 "return {err='ERR from table'}",
 "return {err=''}",
 "return {err=3}",
 "return redis.status_reply('')",
 "return {ok=3}",
 "local ok, e = pcall(error, {err='X y'}) return e.err",
 "local ok, e = pcall(error, 'str') return {tostring(ok), e}",
 "local ok, e = xpcall(function() error('in xpcall') end, function(m) return 'handled: ' .. m end) return {tostring(ok), e}",
 "local ok, e = pcall(function() local x = nil; return x.y end) return e",
 "local ok, e = pcall(function() return 1 + {} end) return e",
 "local ok, e = pcall(function() return #nil end) return e",
 "local ok, e = pcall(function() return 'a' < 1 end) return e",
 "local ok, e = pcall(function() return ('x'):bad() end) return e",
 "local ok, e = pcall(string.rep) return e",
 "local ok, e = pcall(string.sub) return e",
 "local ok, e = pcall(table.concat, {{}}) return e",
 "local ok, e = pcall(tonumber) return e",
 "local ok, e = pcall(setmetatable, 1, {}) return e",
 "return assert(false, 'assertion text')",
 "return assert(nil)",
 "return assert(1 == 1, 'fine')",
 "local t = nil; return t[1]",
 "return undefined_function()",
 "return ('abc'):nosuchmethod()",
 "local a = {} .. 'x'",
 "for i = 1, 'x' do end",
]:
    f.script(body, [([],[])])

f.block('redis-call-refusals')
f.cmd('SET','str','abc')
f.cmd('RPUSH','list','a')
for body in [
 "return redis.call('get', KEYS[1])",
 "return redis.call('incr', KEYS[1])",
 "return redis.pcall('incr', KEYS[1])",
 "return redis.call('lpush', 'str', 'x')",
 "return redis.pcall('lpush', 'str', 'x')",
 "return redis.call('get', 'a', 'b')",
 "return redis.call('nosuchcmd', 'a')",
 "return redis.call('client', 'nosub')",
 "return redis.call('multi')",
 "return redis.call('exec')",
 "return redis.call('watch', 'k')",
 "return redis.call('subscribe', 'ch')",
 "return redis.call('xread', 'BLOCK', 0, 'STREAMS', 'nostream', '$')",
 "return redis.call('script', 'load', 'return 1')",
 "return redis.call('function', 'list')",
 "return redis.call('eval', 'return 1', 0)",
 "return redis.call('auth', 'x')",
 "return redis.call(nil)",
 "return redis.call('get', nil)",
 "return redis.call('get', {})",
 "return redis.call('get', true)",
 "return redis.call('set', 'n', 1.5)",
 "return redis.call('set', 'n', 1e100)",
 "return redis.call('set', 'n', -0.0)",
 "redis.call('set', 'n', 1/0) return redis.call('get', 'n')",
 "redis.call('set', 'n', -1/0) return redis.call('get', 'n')",
 "redis.call('set', 'n', 0/0) return redis.call('get', 'n')",
 "redis.call('set', 'n', -(0/0)) return redis.call('get', 'n')",
 "redis.call('set', 'n', 2^53) return redis.call('get', 'n')",
 "redis.call('set', 'n', 123456789012345678) return redis.call('get', 'n')",
 "redis.call('set', 'n', -5) return redis.call('get', 'n')",
 "redis.call('set', 'n', 99.0) return redis.call('get', 'n')",
 "redis.call('set', 'n', 1e-5) return redis.call('get', 'n')",
 "return redis.call('hmset', 'nh', 'a', 1/0, 'b', 7, 'c', 0.5)",
 "return redis.pcall()",
 "local r = redis.pcall('nosuchcmd') return {type(r), r.err}",
 "local ok, e = pcall(redis.call, 'incr', 'str') return {tostring(ok), e}",
 "local r = redis.pcall('incr', 'str') r.err = 'REWRITTEN ' .. r.err return r",
 "return redis.call('select', 99)",
 "return redis.call('set', 'k', 'v', 'EX', 0)",
 "return redis.call('expire', 'str', 'x')",
 "redis.call('set', 'written', 1) return redis.call('incr', 'str')",
]:
    f.script(body, [(['str'],[])])
f.cmd('GET','written')
f.cmd('GET','n')

f.block('protection')
for body in [
 "x = 1",
 "return undefined_global",
 "_G.newkey = 1",
 "rawset(_G, 'sneaky', 1) return sneaky",
 "local mt = getmetatable(_G) return type(mt)",
 "return type(loadstring)",
 "return {type(os), type(io), type(require), type(dofile), type(loadfile), type(debug)}",
 "local f = loadstring('return 1 + 1') return f()",
 "return tostring(loadstring('syntax error here'))",
 "return {pcall(loadstring, 'return 1')}",
 "print('to nowhere') return 'printed'",
 "return type(gcinfo())",
 "return type(collectgarbage('count'))",
 "KEYS = nil",
 "ARGV[1] = 'changed' return ARGV[1]",
 "KEYS[1] = 'ok' return KEYS[1]",
 "local t = {} setmetatable(t, {__newindex = function() error('no new keys') end}) t.x = 1",
 "string.x = 1",
 "redis.call = nil",
 "math.floor = function() return 0 end",
 "rawset(string, 'x', 1)",
 "setmetatable(_G, nil)",
 "setmetatable(cjson, {})",
 "table.insert(string, 1)",
 "table.remove(math, 1)",
 "local t = {'b', 'a'} table.sort(t) table.sort(string) return t",
 "local ok, e = pcall(function() bit.band = nil end) return e",
 "local t = {} t.own = 1 t.own = nil return 'own tables are writable'",
 "local s = string s.len = nil",
 "_G._G.x = 1",
]:
    f.script(body, [(['k'],['a'])])

f.block('compile-and-shebang')
for body in [
 "return 1 +",
 "local x = = 1",
 "if true then",
 "return 'unterminated",
 "return [[long unterminated",
 "local t = {1, 2",
 "x = 1 +\n+ 2",
 "return 1\n\n\nend",
 "#!lua\nreturn 'shebang only'",
 "#!lua flags=no-writes\nreturn redis.call('set', 'a', 1)",
 "#!lua flags=no-writes,allow-oom\nreturn 'two flags'",
 "#!lua flags=\nreturn 'empty flags'",
 "#!lua flags=no-writes flags=allow-oom\nreturn 'flags twice'",
 "#!lua flags=no-cluster\nreturn 'no cluster'",
 "#!lua name=x\nreturn 1",
 "#!lua flags=nope\nreturn 1",
 "#!luajit\nreturn 1",
 "#!\nreturn 1",
 "#!lua \"flags=no-writes\"\nreturn 'quoted'",
 "#!lua flags=allow-stale\nreturn redis.call('get', 'k')",
]:
    f.script(body, [([],[])])
f.cmd('EVAL_RO','#!lua flags=no-writes\nreturn redis.call("get", "k")','0')
f.cmd('EVAL_RO','return 1','0')
f.cmd('EVALSHA_RO','0000000000000000000000000000000000000000','0')

# KEYS and ARGV are new tables in every run: what one run does to them (extra slots, holes, a metatable)
# is not seen by the next, whatever the sizes.
f.block('argument-tables')
f.cmd('EVAL', "KEYS[3] = 'added'; KEYS[1] = nil; setmetatable(ARGV, {__index = function() return 'meta' end}); return {#KEYS, ARGV[9]}", '2', 'k1', 'k2', 'a1')
f.cmd('EVAL', "return {#KEYS, KEYS[1], KEYS[2], tostring(KEYS[3]), #ARGV, tostring(ARGV[9]), tostring(getmetatable(ARGV))}", '2', 'k1', 'k2', 'a1')
f.cmd('EVAL', "KEYS[1] = nil; ARGV[1] = 'changed'; return 1", '1', 'k1', 'a1')
f.cmd('EVAL', "return {KEYS[1], ARGV[1], #KEYS, #ARGV}", '1', 'x1', 'y1')
f.cmd('EVAL', "table.insert(KEYS, 'more'); ARGV.name = 'field'; return #KEYS", '1', 'k')
f.cmd('EVAL', "return {#KEYS, tostring(KEYS[2]), tostring(ARGV.name)}", '1', 'k')
f.cmd('EVAL', "local n = #KEYS; KEYS[n + 1] = 'x'; return #KEYS", '1', 'k')
f.cmd('EVAL', "local n = #KEYS; KEYS[n + 1] = 'x'; return #KEYS", '1', 'k')
f.cmd('EVAL', "return {#KEYS, #ARGV}", '0')
f.cmd('EVAL', "return {#KEYS, #ARGV, KEYS[1], ARGV[3]}", '1', 'k', 'a', 'b', 'c')

f.block('function-call-errors')
f.function('errs', """redis.register_function('raise', function(keys, args) error(args[1]) end)
redis.register_function('raise_table', function(keys, args) error({err = args[1]}) end)
redis.register_function('wrongtype', function(keys) return redis.call('lpush', keys[1], 'x') end)
redis.register_function('pwrongtype', function(keys) return redis.pcall('lpush', keys[1], 'x') end)
redis.register_function('setglobal', function() g = 1 end)
redis.register_function('readglobal', function() return g end)
redis.register_function('keys_global', function() return KEYS end)
redis.register_function('nested', function() local ok, e = pcall(error, 'inner') return e end)
redis.register_function('ret_err', function() return redis.error_reply('FN failed') end)
redis.register_function('badarg', function() return redis.call('get', {}) end)
redis.register_function('setresp_bad', function() redis.setresp(1) end)
redis.register_function('log_bad', function() redis.log('x', 'y') end)
redis.register_function('modlib', function() string.upper = nil end)
redis.register_function('rawmod', function() rawset(_G, 'x', 1) end)
redis.register_function('replrepl', function() redis.set_repl(redis.REPL_NONE) return redis.call('set', 'unreplicated', 1) end)""",
 [('raise',[],['oops']),('raise_table',[],['TBL oops']),('wrongtype',['str'],[]),('pwrongtype',['str'],[]),
  ('setglobal',[],[]),('readglobal',[],[]),('keys_global',['k'],[]),('nested',[],[]),('ret_err',[],[]),('badarg',[],[]),
  ('setresp_bad',[],[]),('modlib',[],[]),('rawmod',[],[]),('log_bad',[],[]),('replrepl',[],[])])
f.lines.insert(f.block_start + 1, 'SET str abc')
f.cmd('FCALL','raise')
f.cmd('FCALL','raise','notanumber')
f.cmd('FCALL','raise','1')
f.cmd('FCALL_RO','wrongtype','1','str')
f.write(sys.argv[1])
