import sys; sys.path.insert(0, __import__('os').path.dirname(__file__))
from corpus import File
f=File('# Rate limiters as scripts and functions (fixed window, sliding log, sliding window, GCRA as in redis_rate,\n# token and leaky buckets). Times come in ARGV so both servers see the same clock.')

f.block('fixed-window')
fw1="""local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if current > tonumber(ARGV[2]) then return 0 end
return current"""
f.script(fw1, [(['rl:fw:user1'],['60','3'])]*5)
f.cmd('TTL','rl:fw:user1')
fw2="""local n = redis.call('GET', KEYS[1])
if n and tonumber(n) >= tonumber(ARGV[1]) then
  return {0, tonumber(n), redis.call('PTTL', KEYS[1]) > 0 and 1 or 0}
end
n = redis.call('INCRBY', KEYS[1], 1)
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {1, n, tonumber(ARGV[1]) - n}"""
f.script(fw2, [(['rl:fw2'],['2','10000'])]*4)
fw3="""local key = KEYS[1] .. ':' .. math.floor(tonumber(ARGV[1]) / tonumber(ARGV[2]))
local ok = redis.call('SET', key, 0, 'EX', ARGV[2], 'NX')
local n = redis.call('INCR', key)
return {ok and ok.ok or false, n, key}"""
f.script(fw3, [(['rl:fw3'],['1700000000','60']),(['rl:fw3'],['1700000001','60']),(['rl:fw3'],['1700000061','60'])])
fw4="""local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local results = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, window) end
  results[i] = n <= limit and 1 or 0
end
return results"""
f.script(fw4, [(['rl:a','rl:b','rl:a'],['2','30']),(['rl:a','rl:b'],['2','30'])])

f.block('sliding-log')
sl1="""local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  return {1, count + 1}
end
return {0, count}"""
calls=[(['rl:log'],[str(1000+i*100),'1000','3','req'+str(i)]) for i in range(8)]
f.script(sl1, calls)
f.cmd('ZRANGE','rl:log','0','-1','WITHSCORES')
sl2="""local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', key, 0, now - window)
local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
local oldest = entries[2]
local count = #entries / 2
if count >= tonumber(ARGV[3]) then
  return {0, tostring(tonumber(oldest) + window - now)}
end
redis.call('ZADD', key, now, now .. '-' .. count)
return {1, tostring(count + 1)}"""
f.script(sl2, [(['rl:log2'],[str(t),'500','2']) for t in (100,150,200,700,701)])
sl3="""local members = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'LIMIT', 0, 10)
local removed = redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
return {members, removed, redis.call('ZCARD', KEYS[1])}"""
f.cmd('ZADD','rl:log3','1','a','2','b','3','c','4','d','5','e')
f.script(sl3, [(['rl:log3'],['2','4','3']),(['rl:log3'],['-inf','+inf','1'])])

f.block('sliding-window-counter')
sw="""local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local current_window = math.floor(now / window)
local cur_key = KEYS[1] .. ':' .. current_window
local prev_key = KEYS[1] .. ':' .. (current_window - 1)
local prev = tonumber(redis.call('GET', prev_key) or '0')
local cur = tonumber(redis.call('GET', cur_key) or '0')
local elapsed = (now % window) / window
local estimate = prev * (1 - elapsed) + cur
if estimate >= limit then
  return {0, string.format('%.3f', estimate)}
end
redis.call('INCR', cur_key)
redis.call('EXPIRE', cur_key, window * 2)
return {1, string.format('%.3f', estimate + 1)}"""
f.script(sw, [(['rl:sw'],[str(t),'10','3']) for t in (5,6,7,8,12,15,19,25)])
sw2="""local v = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], 10)
return {v, tonumber(v) * 2, tostring(tonumber(v) / 3)}"""
f.script(sw2, [(['rl:float'],['0.1']),(['rl:float'],['0.2']),(['rl:float'],['1e3']),(['rl:float'],['-3.5'])])

f.block('gcra')
gcra="""redis.replicate_commands()
local rate_limit_key = KEYS[1]
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local period = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local now = tonumber(ARGV[5])
local emission_interval = period / rate
local increment = emission_interval * cost
local burst_offset = emission_interval * burst
local tat = redis.call('GET', rate_limit_key)
if not tat then tat = now else tat = tonumber(tat) end
tat = math.max(tat, now)
local new_tat = tat + increment
local allow_at = new_tat - burst_offset
local diff = now - allow_at
local remaining = diff / emission_interval
if remaining < 0 then
  local reset_after = tat - now
  local retry_after = diff * -1
  return {0, 0, tostring(retry_after), tostring(reset_after)}
end
local reset_after = new_tat - now
if reset_after > 0 then
  redis.call('SET', rate_limit_key, new_tat, 'EX', math.ceil(reset_after))
end
local retry_after = -1
return {cost, remaining, tostring(retry_after), tostring(reset_after)}"""
f.script(gcra, [(['rl:gcra'],['3','10','1','1',str(1000.0+i*0.05)]) for i in range(7)] + [(['rl:gcra'],['3','10','1','2','1002.5'])])
f.cmd('GET','rl:gcra')
gcra_peek="""local tat = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[2])
local emission = tonumber(ARGV[1])
if not tat then return {1, 'fresh'} end
tat = math.max(tonumber(tat), now)
return {tat - now <= emission and 1 or 0, string.format('%.2f', tat - now)}"""
f.script(gcra_peek, [(['rl:gcra'],['0.1','1001']),(['rl:nokey'],['0.1','1001'])])

f.block('token-bucket')
tb1="""local tokens = redis.call('hmget', KEYS[1], 'tokens', 'ts')
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local requested = tonumber(ARGV[4])
local t = tonumber(tokens[1]) or capacity
local ts = tonumber(tokens[2]) or now
t = math.min(capacity, t + (now - ts) * rate)
local allowed = t >= requested
if allowed then t = t - requested end
redis.call('hmset', KEYS[1], 'tokens', t, 'ts', now)
redis.call('expire', KEYS[1], math.ceil(capacity / rate) * 2)
return {allowed and 1 or 0, t}"""
f.script(tb1, [(['tb:1'],['5','1','100','2']),(['tb:1'],['5','1','100','2']),(['tb:1'],['5','1','100','2']),(['tb:1'],['5','1','101','2']),(['tb:1'],['5','1','110','1'])])
f.cmd('HGETALL','tb:1')
f.cmd('TTL','tb:1')
tb2="""local key = KEYS[1]
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local requested = tonumber(ARGV[4])
local fill_time = capacity / rate
local ttl = math.floor(fill_time * 2)
local last_tokens = tonumber(redis.call('get', key .. ':tokens'))
if last_tokens == nil then last_tokens = capacity end
local last_refreshed = tonumber(redis.call('get', key .. ':ts'))
if last_refreshed == nil then last_refreshed = 0 end
local delta = math.max(0, now - last_refreshed)
local filled_tokens = math.min(capacity, last_tokens + (delta * rate))
local allowed = filled_tokens >= requested
local new_tokens = filled_tokens
local allowed_num = 0
if allowed then
  new_tokens = filled_tokens - requested
  allowed_num = 1
end
if ttl > 0 then
  redis.call('setex', key .. ':tokens', ttl, new_tokens)
  redis.call('setex', key .. ':ts', ttl, now)
end
return { allowed_num, new_tokens }"""
f.script(tb2, [(['tb:scg'],['2','4',str(t),'1']) for t in (10,10,10,10,10,10.5,11,20)])
f.cmd('GET','tb:scg:tokens')
tb3="""local bucket = redis.call('HGETALL', KEYS[1])
local state = {}
for i = 1, #bucket, 2 do state[bucket[i]] = bucket[i + 1] end
local level = tonumber(state.level or ARGV[1])
local updated = tonumber(state.updated or ARGV[3])
local now = tonumber(ARGV[3])
level = math.min(tonumber(ARGV[1]), level + math.floor((now - updated) / tonumber(ARGV[2])))
if level <= 0 then return redis.error_reply('RATELIMITED retry later') end
redis.call('HSET', KEYS[1], 'level', level - 1, 'updated', now)
return level - 1"""
f.script(tb3, [(['tb:3'],['2','10',str(t)]) for t in (0,1,2,15,16,40)])
f.function('tokenbucket', """local function take(keys, args)
  local capacity, rate, now = tonumber(args[1]), tonumber(args[2]), tonumber(args[3])
  local state = redis.call('HMGET', keys[1], 'tokens', 'ts')
  local tokens = math.min(capacity, (tonumber(state[1]) or capacity) + (now - (tonumber(state[2]) or now)) * rate)
  if tokens < 1 then
    return {0, math.ceil((1 - tokens) / rate)}
  end
  redis.call('HSET', keys[1], 'tokens', tokens - 1, 'ts', now)
  redis.call('PEXPIRE', keys[1], math.ceil(capacity / rate * 1000))
  return {1, tokens - 1}
end
redis.register_function('take', take)
redis.register_function{function_name='peek', callback=function(keys) return redis.call('HGETALL', keys[1]) end, flags={'no-writes'}}""",
 [('take',['tb:f'],['2','0.5','0']),('take',['tb:f'],['2','0.5','0']),('take',['tb:f'],['2','0.5','0']),('take',['tb:f'],['2','0.5','3']),('peek',['tb:f'],[])])
f.cmd('FCALL_RO','peek','1','tb:f')
f.cmd('FCALL_RO','take','1','tb:f','2','0.5','3')

f.block('leaky-bucket')
lb="""local capacity, leak_per_ms, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local water = tonumber(redis.call('HGET', KEYS[1], 'water') or 0)
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or now)
water = math.max(0, water - (now - last) * leak_per_ms)
if water + 1 > capacity then
  return {0, math.ceil((water + 1 - capacity) / leak_per_ms)}
end
water = water + 1
redis.call('HSET', KEYS[1], 'water', water, 'last', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(water / leak_per_ms))
return {1, water}"""
f.script(lb, [(['lb:1'],['3','0.01',str(t)]) for t in (0,10,20,30,40,200,250)])
lb2="""local q = KEYS[1]
local max = tonumber(ARGV[1])
local len = redis.call('LLEN', q)
if len >= max then
  local dropped = redis.call('RPOP', q)
  redis.call('LPUSH', q, ARGV[2])
  return {'dropped', dropped}
end
return {'queued', redis.call('LPUSH', q, ARGV[2])}"""
f.script(lb2, [(['lb:q'],['2','r'+str(i)]) for i in range(4)])
f.cmd('LRANGE','lb:q','0','-1')

f.block('concurrency-limit')
cl="""local key, id, now, ttl, limit = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - ttl)
if redis.call('ZSCORE', key, id) then
  redis.call('ZADD', key, now, id)
  return 2
end
if redis.call('ZCARD', key) >= limit then return 0 end
redis.call('ZADD', key, now, id)
return 1"""
f.script(cl, [(['cl:z'],[i,str(t),'100','2']) for i,t in (('a',1),('b',2),('c',3),('a',50),('c',150),('d',203))])
cl_release="""return redis.call('ZREM', KEYS[1], unpack(ARGV))"""
f.script(cl_release, [(['cl:z'],['a','c','zz']),(['cl:z'],['d'])])
f.write(sys.argv[1])
