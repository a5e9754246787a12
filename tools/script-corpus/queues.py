import sys; sys.path.insert(0, __import__('os').path.dirname(__file__))
from corpus import File
f=File('# Job-queue moves in the style of BullMQ and bee-queue: adding jobs with cmsgpack options, waiting, delayed\n# and prioritized sets, moving to active and finished, retries, stalled-job checks, events on streams\n# (explicit IDs, so both servers agree), pause/resume, counts and cleanup.')

import struct
def mp_map(d):
    # a tiny msgpack encoder for option maps (fixmap of fixstr keys -> ints/str/bool)
    out=bytes([0x80|len(d)])
    for k,v in d.items():
        out+=bytes([0xa0|len(k)])+k.encode()
        if isinstance(v,bool): out+=b'\xc3' if v else b'\xc2'
        elif isinstance(v,int):
            if 0<=v<128: out+=bytes([v])
            elif v<0 and v>=-32: out+=struct.pack('b',v)
            elif 0<=v<65536: out+=b'\xcd'+struct.pack('>H',v)
            else: out+=b'\xce'+struct.pack('>I',v)
        else: out+=bytes([0xa0|len(v)])+v.encode()
    return out.decode('latin1')

f.block('bullmq-add-and-move')
add_job="""local rcall = redis.call
local opts = cmsgpack.unpack(ARGV[3])
local jobCounter = rcall('INCR', KEYS[4])
local jobId = ARGV[2] ~= '' and ARGV[2] or tostring(jobCounter)
local jobIdKey = ARGV[1] .. jobId
if rcall('EXISTS', jobIdKey) == 1 then
  rcall('XADD', KEYS[5], ARGV[5] .. '-' .. jobCounter, 'event', 'duplicated', 'jobId', jobId)
  return jobId .. ''
end
local delay = opts['delay'] or 0
local priority = opts['priority'] or 0
local timestamp = tonumber(ARGV[4])
rcall('HMSET', jobIdKey, 'name', opts['name'] or 'default', 'data', ARGV[6], 'opts', cjson.encode(opts),
  'timestamp', timestamp, 'delay', delay, 'priority', priority)
rcall('XADD', KEYS[5], ARGV[5] .. '-' .. jobCounter, 'event', 'added', 'jobId', jobId, 'name', opts['name'] or 'default')
if delay > 0 then
  local score = (timestamp + delay) * 0x1000 + bit.band(jobCounter, 0xfff)
  rcall('ZADD', KEYS[3], score, jobId)
  rcall('XADD', KEYS[5], ARGV[5] .. '-' .. (jobCounter + 1000), 'event', 'delayed', 'jobId', jobId, 'delay', timestamp + delay)
elseif priority > 0 then
  rcall('ZADD', KEYS[6], priority * 0x100000000 + jobCounter, jobId)
else
  rcall(opts['lifo'] and 'RPUSH' or 'LPUSH', KEYS[1], jobId)
end
rcall('XADD', KEYS[5], ARGV[5] .. '-' .. (jobCounter + 2000), 'event', 'waiting', 'jobId', jobId)
return jobId .. ''"""
K=['q:wait','q:active','q:delayed','q:id','q:events','q:prioritized']
f.script(add_job, [(K,['q:job:','',mp_map({'name':'email','attempts':3}),'1700000000000','1','{"to":"a"}']),
  (K,['q:job:','',mp_map({'name':'sms','delay':5000}),'1700000000000','1','{"to":"b"}']),
  (K,['q:job:','custom',mp_map({'name':'push','priority':2}),'1700000000000','1','{}']),
  (K,['q:job:','',mp_map({'name':'lifo','lifo':True}),'1700000000000','1','{}']),
  (K,['q:job:','custom',mp_map({'name':'push'}),'1700000000000','2','{}']),
  (K,['q:job:','',mp_map({'name':'urgent','priority':1}),'1700000000000','1','{}'])])
f.cmd('LRANGE','q:wait','0','-1')
f.cmd('ZRANGE','q:delayed','0','-1','WITHSCORES')
f.cmd('ZRANGE','q:prioritized','0','-1','WITHSCORES')
f.cmd('HGETALL','q:job:1')
f.cmd('XRANGE','q:events','-','+')
move_to_active="""local rcall = redis.call
local jobId = rcall('RPOPLPUSH', KEYS[1], KEYS[2])
if not jobId then
  local prioritized = rcall('ZPOPMIN', KEYS[3])
  if #prioritized == 0 then return {0, 0} end
  jobId = prioritized[1]
  rcall('LPUSH', KEYS[2], jobId)
end
local jobKey = ARGV[1] .. jobId
rcall('SET', jobKey .. ':lock', ARGV[2], 'PX', ARGV[3])
rcall('HSET', jobKey, 'processedOn', ARGV[4])
rcall('HINCRBY', jobKey, 'attemptsMade', 0)
rcall('XADD', KEYS[4], ARGV[5], 'event', 'active', 'jobId', jobId, 'prev', 'waiting')
return {rcall('HGETALL', jobKey), jobId}"""
K2=['q:wait','q:active','q:prioritized','q:events']
f.script(move_to_active, [(K2,['q:job:','token1','30000','1700000000100','1700000000100-1']),
  (K2,['q:job:','token2','30000','1700000000101','1700000000101-1']),
  (K2,['q:job:','token3','30000','1700000000102','1700000000102-1']),
  (K2,['q:job:','token4','30000','1700000000103','1700000000103-1']),
  (K2,['q:job:','token5','30000','1700000000104','1700000000104-1'])])
move_to_finished="""local rcall = redis.call
local jobKey = ARGV[1] .. ARGV[2]
if rcall('EXISTS', jobKey) == 0 then return -1 end
local lock = rcall('GET', jobKey .. ':lock')
if lock ~= ARGV[3] then return -2 end
if rcall('LREM', KEYS[1], -1, ARGV[2]) == 0 then return -3 end
rcall('DEL', jobKey .. ':lock')
local target = ARGV[4] == 'completed' and KEYS[2] or KEYS[3]
rcall('ZADD', target, ARGV[5], ARGV[2])
rcall('HSET', jobKey, ARGV[4] == 'completed' and 'returnvalue' or 'failedReason', ARGV[6], 'finishedOn', ARGV[5])
rcall('XADD', KEYS[4], 'MAXLEN', '~', 10000, ARGV[7], 'event', ARGV[4], 'jobId', ARGV[2], 'returnvalue', ARGV[6])
local keep = tonumber(ARGV[8])
if keep >= 0 then
  local excess = rcall('ZRANGE', target, 0, -(keep + 1))
  for _, id in ipairs(excess) do rcall('DEL', ARGV[1] .. id) end
  rcall('ZREMRANGEBYRANK', target, 0, -(keep + 1))
end
return 0"""
K3=['q:active','q:completed','q:failed','q:events']
f.script(move_to_finished, [(K3,['q:job:','1','token1','completed','1700000000200','"ok"','1700000000200-1','1']),
  (K3,['q:job:','1','token1','completed','1700000000200','"ok"','1700000000200-2','1']),
  (K3,['q:job:','4','bad','completed','1700000000200','"ok"','1700000000200-3','1']),
  (K3,['q:job:','4','token2','failed','1700000000201','boom','1700000000201-1','-1']),
  (K3,['q:job:','custom','token3','completed','1700000000202','{"v":1}','1700000000202-1','1'])])
f.cmd('ZRANGE','q:completed','0','-1','WITHSCORES')
f.cmd('ZRANGE','q:failed','0','-1')
f.cmd('EXISTS','q:job:1')
f.cmd('XLEN','q:events')
f.cmd('XREVRANGE','q:events','+','-','COUNT','3')

f.block('bullmq-delayed-and-retries')
seed="""for i = 1, tonumber(ARGV[1]) do
  redis.call('HSET', 'dq:job:' .. i, 'attemptsMade', 0, 'attempts', 3)
  redis.call('ZADD', KEYS[1], (tonumber(ARGV[2]) + i * 100) * 0x1000 + i, tostring(i))
end
return redis.call('ZCARD', KEYS[1])"""
f.script(seed, [(['dq:delayed'],['5','1000'])])
promote="""local rcall = redis.call
local now = tonumber(ARGV[1])
local jobs = rcall('ZRANGEBYSCORE', KEYS[1], 0, (now + 1) * 0x1000 - 1, 'LIMIT', 0, 1000)
if #jobs > 0 then
  rcall('ZREM', KEYS[1], unpack(jobs))
  for _, jobId in ipairs(jobs) do
    rcall('LPUSH', KEYS[2], jobId)
    rcall('HSET', ARGV[2] .. jobId, 'delay', 0)
  end
end
local nextTimestamp = rcall('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #nextTimestamp > 0 then
  return {#jobs, math.floor(tonumber(nextTimestamp[2]) / 0x1000)}
end
return {#jobs, -1}"""
f.script(promote, [(['dq:delayed','dq:wait'],[str(t),'dq:job:']) for t in (1050,1250,1250,1600)])
f.cmd('LRANGE','dq:wait','0','-1')
retry="""local rcall = redis.call
local jobKey = ARGV[1] .. ARGV[2]
local attempts = tonumber(rcall('HGET', jobKey, 'attempts'))
local made = rcall('HINCRBY', jobKey, 'attemptsMade', 1)
rcall('LREM', KEYS[1], 0, ARGV[2])
if made >= attempts then
  rcall('ZADD', KEYS[3], ARGV[3], ARGV[2])
  return 'failed'
end
local backoff = tonumber(ARGV[4]) * 2 ^ (made - 1)
rcall('ZADD', KEYS[2], (tonumber(ARGV[3]) + backoff) * 0x1000 + tonumber(ARGV[2]), ARGV[2])
return 'retry in ' .. backoff"""
f.cmd('LPUSH','dq:active','1','2')
f.script(retry, [(['dq:active','dq:delayed','dq:failed'],['dq:job:','1','2000','100'])]*4)
f.cmd('ZRANGE','dq:delayed','0','-1','WITHSCORES')
f.cmd('ZRANGE','dq:failed','0','-1','WITHSCORES')
counts="""local result = {}
for i, key in ipairs(KEYS) do
  local t = redis.call('TYPE', key).ok
  if t == 'list' then result[i] = redis.call('LLEN', key)
  elseif t == 'zset' then result[i] = redis.call('ZCARD', key)
  elseif t == 'none' then result[i] = 0
  else result[i] = t end
end
return result"""
f.script(counts, [(['dq:wait','dq:active','dq:delayed','dq:failed','dq:job:1','dq:nothing'],[])])

f.block('bullmq-pause-and-clean')
f.cmd('RPUSH','pq:wait','a','b','c')
pause="""if ARGV[1] == 'paused' then
  if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[2]) end
  redis.call('HSET', KEYS[3], 'paused', 1)
else
  if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[1]) end
  redis.call('HDEL', KEYS[3], 'paused')
end
redis.call('XADD', KEYS[4], ARGV[2], 'event', ARGV[1])
return {redis.call('EXISTS', KEYS[1]), redis.call('EXISTS', KEYS[2]), redis.call('HGET', KEYS[3], 'paused')}"""
f.script(pause, [(['pq:wait','pq:paused','pq:meta','pq:events'],['paused','1-1']),(['pq:wait','pq:paused','pq:meta','pq:events'],['resumed','1-2']),(['pq:wait','pq:paused','pq:meta','pq:events'],['resumed','1-3'])])
f.cmd('XRANGE','pq:events','-','+')
clean="""local jobs = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local deleted = {}
for _, id in ipairs(jobs) do
  redis.call('DEL', ARGV[3] .. id, ARGV[3] .. id .. ':logs')
  deleted[#deleted + 1] = id
end
if #jobs > 0 then redis.call('ZREM', KEYS[1], unpack(jobs)) end
return deleted"""
f.cmd('ZADD','pq:completed','10','j1','20','j2','30','j3')
f.cmd('SET','pq:job:j1','x')
f.script(clean, [(['pq:completed'],['25','10','pq:job:']),(['pq:completed'],['+inf','1','pq:job:'])])
f.cmd('ZRANGE','pq:completed','0','-1')
obliterate="""local cursor = '0'
local removed = 0
repeat
  local r = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
  cursor = r[1]
  for _, k in ipairs(r[2]) do removed = removed + redis.call('DEL', k) end
until cursor == '0'
return removed"""
f.script(obliterate, [([],['pq:*']),([],['pq:*'])])

f.block('priorities')
padd="""local counter = redis.call('INCR', KEYS[2])
local score = tonumber(ARGV[2]) * 0x100000000 + counter
redis.call('ZADD', KEYS[1], score, ARGV[1])
return {counter, tostring(score)}"""
f.script(padd, [(['pr:z','pr:ctr'],[j,p]) for j,p in (('low','10'),('high','1'),('mid','5'),('high2','1'),('zero','0'))])
ppop="""local popped = redis.call('ZPOPMIN', KEYS[1], ARGV[1])
local ids = {}
for i = 1, #popped, 2 do ids[#ids + 1] = popped[i] end
return ids"""
f.script(ppop, [(['pr:z'],['2']),(['pr:z'],['1']),(['pr:z'],['5']),(['pr:z'],['1'])])
reprio="""local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return redis.error_reply('NOJOB ' .. ARGV[1]) end
local counter = tonumber(score) % 0x100000000
redis.call('ZADD', KEYS[1], 'XX', tonumber(ARGV[2]) * 0x100000000 + counter, ARGV[1])
return redis.call('ZRANK', KEYS[1], ARGV[1])"""
f.script(padd, [(['pr:z','pr:ctr'],[j,p]) for j,p in (('a','3'),('b','2'),('c','1'))])
f.script(reprio, [(['pr:z'],['a','0']),(['pr:z'],['nope','1']),(['pr:z'],['c','9'])])
f.cmd('ZRANGE','pr:z','0','-1')

f.block('bee-queue')
bee_add="""local jobId = ARGV[1]
if jobId == '' then
  jobId = '' .. redis.call('incr', KEYS[1])
end
if redis.call('hexists', KEYS[2], jobId) == 1 then return nil end
redis.call('hset', KEYS[2], jobId, ARGV[2])
redis.call('lpush', KEYS[3], jobId)
return jobId"""
KB=['bq:id','bq:jobs','bq:waiting']
f.script(bee_add, [(KB,['','{"data":1,"options":{"retries":2}}']),(KB,['','{"data":2}']),(KB,['x','{"data":"x"}']),(KB,['x','{"data":"dup"}'])])
f.cmd('HGETALL','bq:jobs')
bee_stalled="""local stalling = redis.call('smembers', KEYS[1])
if #stalling > 0 then
  redis.call('rpush', KEYS[2], unpack(stalling))
  for i = 1, #stalling do
    redis.call('lrem', KEYS[3], 0, stalling[i])
  end
  redis.call('del', KEYS[1])
end
local actives = redis.call('lrange', KEYS[3], 0, -1)
if #actives > 0 then
  redis.call('sadd', KEYS[1], unpack(actives))
end
return #stalling"""
f.cmd('RPOPLPUSH','bq:waiting','bq:active')
f.cmd('RPOPLPUSH','bq:waiting','bq:active')
KS=['bq:stallBlock','bq:waiting','bq:active']
f.script(bee_stalled, [(KS,[]),(KS,[])])
f.cmd('LRANGE','bq:waiting','0','-1')
f.cmd('LRANGE','bq:active','0','-1')
bee_raise="""local now = tonumber(ARGV[1])
local raising = redis.call('zrangebyscore', KEYS[1], 0, ARGV[1])
local numRaising = #raising
local offset = 0
for offset = 1, numRaising, 1000 do
  redis.call('lpush', KEYS[2], unpack(raising, offset, math.min(numRaising, offset + 999)))
end
redis.call('zremrangebyrank', KEYS[1], 0, numRaising - 1)
local head = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
local nearestEta = head[2]
if nearestEta then return {numRaising, nearestEta} end
return {numRaising}"""
f.cmd('ZADD','bq:delayed','100','d1','200','d2','300','d3')
f.script(bee_raise, [(['bq:delayed','bq:waiting'],['150']),(['bq:delayed','bq:waiting'],['1000']),(['bq:delayed','bq:waiting'],['1000'])])
bee_remove="""if redis.call('sismember', KEYS[5], ARGV[1]) == 0 then
  if redis.call('lrem', KEYS[1], 0, ARGV[1]) == 0 then
    redis.call('lrem', KEYS[2], 0, ARGV[1])
  end
end
redis.call('srem', KEYS[3], ARGV[1])
redis.call('srem', KEYS[4], ARGV[1])
redis.call('zrem', KEYS[6], ARGV[1])
redis.call('hdel', KEYS[7], ARGV[1])
return redis.call('hlen', KEYS[7])"""
f.script(bee_remove, [(['bq:waiting','bq:active','bq:succeeded','bq:failed','bq:stallBlock','bq:delayed','bq:jobs'],[j]) for j in ('1','x','nope')])
bee_finish="""local job = cjson.decode(redis.call('hget', KEYS[1], ARGV[1]))
job.status = ARGV[2]
job.progress = tonumber(ARGV[3])
redis.call('hset', KEYS[1], ARGV[1], cjson.encode(job))
redis.call('sadd', KEYS[2], ARGV[1])
redis.call('publish', KEYS[3], cjson.encode({id = ARGV[1], event = ARGV[2]}))
return cjson.encode(job)"""
f.script(bee_finish, [(['bq:jobs','bq:succeeded','bq:events'],['2','succeeded','100'])])

f.block('stream-events')
ev="""local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], ARGV[2], unpack(ARGV, 3))
local len = redis.call('XLEN', KEYS[1])
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
return {id, len, last[1][2]}"""
f.script(ev, [(['ev:s'],['3',str(i)+'-0','event','e'+str(i),'jobId',str(i)]) for i in range(1,6)])
f.script(ev, [(['ev:s'],['3','1-0','event','old'])])
grp="""pcall(redis.call, 'XGROUP', 'CREATE', KEYS[1], 'workers', '0', 'MKSTREAM')
local r = redis.call('XREADGROUP', 'GROUP', 'workers', ARGV[1], 'COUNT', ARGV[2], 'STREAMS', KEYS[1], '>')
if not r then return {} end
local ids = {}
for _, entry in ipairs(r[1][2]) do
  ids[#ids + 1] = entry[1]
  redis.call('XACK', KEYS[1], 'workers', entry[1])
end
return ids"""
f.script(grp, [(['ev:s'],['c1','2']),(['ev:s'],['c2','5']),(['ev:s'],['c1','5']),(['ev:new'],['c1','1'])])
pend="""local p = redis.call('XPENDING', KEYS[1], 'workers')
local info = redis.call('XINFO', 'GROUPS', KEYS[1])
return {p[1], info[1][2], info[1][4], info[1][8]}"""
f.script(pend, [(['ev:s'],[])])
f.cmd('XREADGROUP','GROUP','workers','c3','STREAMS','ev:s','0')

f.block('queue-functions')
f.function('jobqueue', """local function add(keys, args)
  local id = redis.call('INCR', keys[1])
  local opts = cmsgpack.unpack(args[2])
  redis.call('HSET', keys[2] .. id, 'data', args[1], 'priority', opts.priority or 0)
  if (opts.priority or 0) > 0 then
    redis.call('ZADD', keys[4], opts.priority, id)
  else
    redis.call('RPUSH', keys[3], id)
  end
  return id
end
local function take(keys)
  local id = redis.call('LPOP', keys[1])
  if not id then
    local p = redis.call('ZPOPMIN', keys[2])
    id = p[1]
  end
  if not id then return false end
  redis.call('SADD', keys[3], id)
  return id
end
local function done(keys, args)
  if redis.call('SREM', keys[1], args[1]) == 0 then
    return redis.error_reply('NOTACTIVE job ' .. args[1] .. ' is not active')
  end
  return redis.call('HSET', keys[2] .. args[1], 'state', 'done', 'result', cmsgpack.pack({ok = true, at = tonumber(args[2])}))
end
redis.register_function('jq_add', add)
redis.register_function('jq_take', take)
redis.register_function('jq_done', done)
redis.register_function{function_name='jq_depth', callback=function(keys)
  return {redis.call('LLEN', keys[1]), redis.call('ZCARD', keys[2]), redis.call('SCARD', keys[3])}
end, flags={'no-writes'}}""",
 [('jq_add',['jq:id','jq:job:','jq:wait','jq:prio'],['one',mp_map({})]),
  ('jq_add',['jq:id','jq:job:','jq:wait','jq:prio'],['two',mp_map({'priority':3})]),
  ('jq_add',['jq:id','jq:job:','jq:wait','jq:prio'],['three',mp_map({'priority':1})]),
  ('jq_depth',['jq:wait','jq:prio','jq:active'],[]),
  ('jq_take',['jq:wait','jq:prio','jq:active'],[]),
  ('jq_take',['jq:wait','jq:prio','jq:active'],[]),
  ('jq_take',['jq:wait','jq:prio','jq:active'],[]),
  ('jq_take',['jq:wait','jq:prio','jq:active'],[]),
  ('jq_done',['jq:active','jq:job:'],['3','1700']),
  ('jq_done',['jq:active','jq:job:'],['3','1700']),
  ('jq_depth',['jq:wait','jq:prio','jq:active'],[])])
f.cmd('HGETALL','jq:job:3')
f.cmd('FCALL_RO','jq_take','3','jq:wait','jq:prio','jq:active')
f.write(sys.argv[1])
