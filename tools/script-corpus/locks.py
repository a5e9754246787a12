import sys; sys.path.insert(0, __import__('os').path.dirname(__file__))
from corpus import File
f=File('# Locks as scripts and functions: owners, release, extension, reentrancy, read/write locks, semaphores,\n# fencing tokens, multi-key locks.')

f.block('owner-locks')
acquire="""return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])"""
release="""if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
else
  return 0
end"""
extend="""if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0"""
f.script(acquire, [(['lock:a'],['owner1','10000']),(['lock:a'],['owner2','10000'])])
f.script(extend, [(['lock:a'],['owner2','50000']),(['lock:a'],['owner1','50000'])])
f.cmd('PTTL','lock:a')
f.script(release, [(['lock:a'],['owner2']),(['lock:a'],['owner1']),(['lock:a'],['owner1'])])
f.cmd('EXISTS','lock:a')
ext2="""local v = redis.call('GET', KEYS[1])
if v == false then return redis.error_reply('NOLOCK lock does not exist') end
if v ~= ARGV[1] then return redis.error_reply('NOTOWNER lock held by another owner') end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.status_reply('EXTENDED')"""
f.cmd('SET','lock:b','me','PX','5000')
f.script(ext2, [(['lock:b'],['me','9000']),(['lock:b'],['you','9000']),(['lock:none'],['me','9000'])])
redlock_multi="""for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    return {0, key}
  end
end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
end
return {1, #KEYS}"""
f.script(redlock_multi, [(['res:1','res:2','res:3'],['o1','5000']),(['res:3','res:4'],['o2','5000'])])
release_multi="""local released = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    released = released + redis.call('DEL', key)
  end
end
return released"""
f.script(release_multi, [(['res:1','res:2','res:3','res:4'],['o1'])])
f.cmd('KEYS','res:*')
lock_info="""local owner = redis.call('GET', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
return {owner, ttl > 0, ttl == -2}"""
f.script(lock_info, [(['lock:b'],[]),(['lock:none'],[])])

f.block('reentrant-locks')
racq="""if (redis.call('exists', KEYS[1]) == 0) then
  redis.call('hincrby', KEYS[1], ARGV[2], 1)
  redis.call('pexpire', KEYS[1], ARGV[1])
  return nil
end
if (redis.call('hexists', KEYS[1], ARGV[2]) == 1) then
  redis.call('hincrby', KEYS[1], ARGV[2], 1)
  redis.call('pexpire', KEYS[1], ARGV[1])
  return nil
end
return redis.call('pttl', KEYS[1]) > 0 and 1 or 0"""
f.script(racq, [(['rlock'],['30000','t1']),(['rlock'],['30000','t1']),(['rlock'],['30000','t2'])])
f.cmd('HGETALL','rlock')
rrel="""if (redis.call('hexists', KEYS[1], ARGV[3]) == 0) then
  return nil
end
local counter = redis.call('hincrby', KEYS[1], ARGV[3], -1)
if (counter > 0) then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 0
else
  redis.call('del', KEYS[1])
  redis.call('publish', KEYS[2], ARGV[1])
  return 1
end"""
f.script(rrel, [(['rlock','rlock:channel'],['0','30000','t2']),(['rlock','rlock:channel'],['0','30000','t1']),(['rlock','rlock:channel'],['0','30000','t1']),(['rlock','rlock:channel'],['0','30000','t1'])])
f.cmd('EXISTS','rlock')

f.block('read-write-locks')
rw_read="""local mode = redis.call('HGET', KEYS[1], 'mode')
if mode == false or mode == 'read' then
  redis.call('HSET', KEYS[1], 'mode', 'read')
  local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return n
end
return -1"""
rw_write="""local mode = redis.call('HGET', KEYS[1], 'mode')
if mode == false then
  redis.call('HSET', KEYS[1], 'mode', 'write', ARGV[1], 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if mode == 'write' and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
end
return 0"""
rw_unlock="""local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
if redis.call('HLEN', KEYS[1]) <= 1 then redis.call('DEL', KEYS[1]) return 'unlocked' end
return 'held'"""
f.script(rw_read, [(['rw'],['r1','10000']),(['rw'],['r2','10000'])])
f.script(rw_write, [(['rw'],['w1','10000'])])
f.script(rw_unlock, [(['rw'],['r1']),(['rw'],['r2'])])
f.script(rw_write, [(['rw'],['w1','10000']),(['rw'],['w1','10000'])])
f.script(rw_read, [(['rw'],['r1','10000'])])
f.cmd('HGETALL','rw')

f.block('semaphores')
sem_acq="""local key, id, now, timeout, limit = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - timeout)
local counter = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[3], counter, id)
redis.call('ZADD', key, now, id)
local rank = redis.call('ZRANK', KEYS[3], id)
if rank < limit then return {1, rank, counter} end
redis.call('ZREM', key, id)
redis.call('ZREM', KEYS[3], id)
return {0, rank, counter}"""
f.script(sem_acq, [(['sem','sem:ctr','sem:owner'],[i,str(t),'1000','2']) for i,t in (('a',1),('b',2),('c',3))])
sem_rel="""local a = redis.call('ZREM', KEYS[1], ARGV[1])
local b = redis.call('ZREM', KEYS[2], ARGV[1])
return a + b"""
f.script(sem_rel, [(['sem','sem:owner'],['a'])])
f.script(sem_acq, [(['sem','sem:ctr','sem:owner'],['c','5','1000','2'])])
f.cmd('ZRANGE','sem','0','-1','WITHSCORES')
sem_list="""local permits = redis.call('LPOP', KEYS[1])
if not permits then return redis.error_reply('NOPERMIT none left') end
redis.call('SADD', KEYS[2], permits .. ':' .. ARGV[1])
return permits"""
f.cmd('RPUSH','permits','p1','p2')
f.script(sem_list, [(['permits','permits:held'],['x']),(['permits','permits:held'],['y']),(['permits','permits:held'],['z'])])
f.cmd('SMEMBERS','permits:held')

f.block('fencing-tokens')
fence="""local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] then return {0, owner} end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {token, ARGV[1]}"""
f.script(fence, [(['fl','fl:token'],['n1','10000']),(['fl','fl:token'],['n1','10000']),(['fl','fl:token'],['n2','10000'])])
write_guarded="""local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) < current then
  return redis.error_reply('STALE token ' .. ARGV[1] .. ' < ' .. current)
end
redis.call('SET', KEYS[2], ARGV[1])
return redis.call('HSET', KEYS[1], 'value', ARGV[2], 'token', ARGV[1])"""
f.script(write_guarded, [(['storage','storage:token'],['2','v2']),(['storage','storage:token'],['1','v1']),(['storage','storage:token'],['3','v3'])])
f.cmd('HGETALL','storage')

f.block('lock-functions')
f.function('locks', """local function acquire(keys, args)
  local ok = redis.call('SET', keys[1], args[1], 'NX', 'PX', args[2])
  if ok then return 1 end
  return 0
end
local function release(keys, args)
  if redis.call('GET', keys[1]) == args[1] then
    return redis.call('DEL', keys[1])
  end
  return 0
end
local function owner(keys)
  return redis.call('GET', keys[1])
end
redis.register_function('lock_acquire', acquire)
redis.register_function('lock_release', release)
redis.register_function{function_name='lock_owner', callback=owner, flags={'no-writes'}, description='who holds the lock'}""",
 [('lock_acquire',['L'],['me','10000']),('lock_acquire',['L'],['you','10000']),('lock_owner',['L'],[]),('lock_release',['L'],['you']),('lock_release',['L'],['me']),('lock_owner',['L'],[])])
f.cmd('FCALL_RO','lock_owner','1','L')
f.cmd('FCALL_RO','lock_acquire','1','L','x','100')
f.cmd('FUNCTION','STATS')
f.function('queuelock', """redis.register_function('enqueue_waiter', function(keys, args)
  local pos = redis.call('RPUSH', keys[1], args[1])
  if pos == 1 then
    redis.call('SET', keys[2], args[1])
    return 'acquired'
  end
  return 'waiting:' .. pos
end)
redis.register_function('handoff', function(keys, args)
  if redis.call('GET', keys[2]) ~= args[1] then return redis.error_reply('NOTOWNER') end
  redis.call('LPOP', keys[1])
  local nxt = redis.call('LINDEX', keys[1], 0)
  if nxt then redis.call('SET', keys[2], nxt) else redis.call('DEL', keys[2]) end
  return nxt
end)""", [('enqueue_waiter',['ql','ql:owner'],['a']),('enqueue_waiter',['ql','ql:owner'],['b']),('handoff',['ql','ql:owner'],['b']),('handoff',['ql','ql:owner'],['a']),('handoff',['ql','ql:owner'],['b'])])
f.write(sys.argv[1])
