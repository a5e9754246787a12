// Drives a running server through node-redis (v5) as applications do: AUTH plus CLIENT SETINFO pipelined at
// connect (RESP2), HELLO 2 / HELLO 3 handshakes when RESP is chosen, implicit pipelining of concurrent
// commands, scanIterator, string and key commands, INFO.
// Env: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. Closing line "node-redis: N passed, M failed".
const { createClient } = require('redis');
const { assert, check, authCheck, rejects, run, target } = require('./harness');

const clients = [];
function client(extra = {}) {
  const c = createClient({
    socket: { host: target.host, port: target.port, reconnectStrategy: false, connectTimeout: 5000 },
    password: target.password,
    ...extra,
  });
  c.on('error', () => {}); // asserted where they matter
  clients.push(c);
  return c;
}
const redis = client();

check('connects (AUTH + CLIENT SETINFO pipelined) and answers PING', async () => {
  await redis.connect();
  assert.equal(redis.isReady, true);
  assert.equal(await redis.ping(), 'PONG');
  assert.equal(await redis.flushAll(), 'OK');
});

check('CLIENT SETINFO sent at connect is visible in CLIENT INFO where the server has it', async () => {
  const info = await redis.sendCommand(['CLIENT', 'INFO']);
  assert.match(info, /^id=\d+ addr=127\.0\.0\.1:\d+ /);
  let setinfoSupported = true;
  try {
    await redis.sendCommand(['CLIENT', 'SETINFO', 'LIB-NAME', 'node-redis']);
  } catch (e) {
    // Redis before 7.2 has no CLIENT SETINFO; node-redis ignores the error, so must we.
    assert.match(e.message, /unknown subcommand 'SETINFO'|unknown subcommand 'setinfo'/i);
    setinfoSupported = false;
  }
  if (setinfoSupported) {
    assert.match(info, / lib-name=node-redis /);
    assert.match(info, / lib-ver=\d+\.\d+\.\d+/);
  }
});

authCheck('no password: NOAUTH', async () => {
  const bare = client({ password: undefined });
  await bare.connect();
  await rejects(bare.get('x'), 'NOAUTH Authentication required.');
  await bare.destroy();
});

authCheck('wrong password: connect rejects with WRONGPASS', async () => {
  const wrong = client({ password: 'not-the-password' });
  await rejects(wrong.connect(), 'WRONGPASS invalid username-password pair or user is disabled.');
});

check('RESP: 2 handshake (HELLO 2 AUTH ... SETNAME)', async () => {
  const c = client({ RESP: 2, name: 'resp2-client' });
  await c.connect();
  assert.equal(await c.clientGetName(), 'resp2-client');
  await c.set('r2', 'v');
  assert.equal(await c.get('r2'), 'v');
  assert.equal(await c.get('r2:none'), null);
  await c.destroy();
});

check('RESP: 3 handshake (HELLO 3) and typed replies', async () => {
  const c = client({ RESP: 3 });
  await c.connect();
  await c.set('r3', '5');
  assert.equal(await c.get('r3'), '5');
  assert.equal(await c.get('r3:none'), null);
  assert.equal(await c.incr('r3'), 6);
  assert.deepEqual(await c.mGet(['r3', 'r3:none']), ['6', null]);
  const hello = await c.hello();
  assert.equal(hello.proto, 3);
  await c.destroy();
});

check('strings and counters', async () => {
  assert.equal(await redis.set('s:a', 'hello'), 'OK');
  assert.equal(await redis.get('s:a'), 'hello');
  assert.equal(await redis.set('s:a', 'x', { condition: 'NX' }), null);
  assert.equal(await redis.set('s:e', 'v', { expiration: { type: 'EX', value: 60 } }), 'OK');
  assert.ok((await redis.ttl('s:e')) > 50);
  assert.equal(await redis.setNX('s:a', 'y'), 0);
  assert.equal(await redis.append('s:a', ' world'), 11);
  assert.equal(await redis.getRange('s:a', 6, -1), 'world');
  assert.equal(await redis.incr('s:c'), 1);
  assert.equal(await redis.incrBy('s:c', 9), 10);
  assert.equal(await redis.decr('s:c'), 9);
  assert.equal(await redis.incrByFloat('s:c', 0.25), '9.25');
  assert.equal(await redis.getDel('s:c'), '9.25');
  await rejects(redis.incr('s:a'), 'ERR value is not an integer or out of range');
});

check('mSet/mGet/mSetNX', async () => {
  assert.equal(await redis.mSet({ 'm:1': 'a', 'm:2': 'b' }), 'OK');
  assert.deepEqual(await redis.mGet(['m:1', 'm:2', 'm:3']), ['a', 'b', null]);
  assert.equal(await redis.mSetNX({ 'm:2': 'x', 'm:3': 'c' }), 0);
  assert.equal(await redis.exists(['m:1', 'm:2', 'm:3']), 2);
});

check('keys and expiry', async () => {
  await redis.set('k', 'v');
  assert.equal(await redis.expire('k', 100), 1);
  assert.ok((await redis.pTTL('k')) > 90000);
  assert.equal(await redis.persist('k'), 1);
  assert.equal(await redis.type('k'), 'string');
  assert.equal(await redis.rename('k', 'k2'), 'OK');
  assert.equal(await redis.renameNX('k2', 'm:1'), 0);
  assert.equal(await redis.del(['k2', 'nope']), 1);
  assert.equal(await redis.ttl('k2'), -2);
});

check('concurrent commands are pipelined and answered in order', async () => {
  const replies = await Promise.all(Array.from({ length: 1000 }, (_, i) => redis.set(`p:${i}`, `${i}`).then(() => redis.get(`p:${i}`))));
  replies.forEach((v, i) => assert.equal(v, `${i}`));
  const incrs = await Promise.all(Array.from({ length: 500 }, () => redis.incr('p:counter')));
  assert.deepEqual(incrs, Array.from({ length: 500 }, (_, i) => i + 1));
});

check('multi-less batch via sendCommand keeps raw replies', async () => {
  assert.equal(await redis.sendCommand(['ECHO', 'raw']), 'raw');
  assert.deepEqual(await redis.sendCommand(['MGET', 'p:1', 'p:none']), ['1', null]);
  await rejects(redis.sendCommand(['NOSUCHCOMMAND', 'x']), "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'x' ");
});

check('scanIterator visits every matching key', async () => {
  const expected = [];
  for (let i = 0; i < 250; i++) expected.push(`scan:${i}`);
  await redis.mSet(Object.fromEntries(expected.map((k) => [k, '1'])));
  const seen = new Set();
  for await (const batch of redis.scanIterator({ MATCH: 'scan:*', COUNT: 30 })) {
    for (const key of [].concat(batch)) seen.add(key);
  }
  assert.deepEqual([...seen].sort(), expected.sort());
});

check('INFO and DBSIZE', async () => {
  const info = await redis.info('server');
  assert.match(info, /redis_version:/);
  assert.match(info, new RegExp(`tcp_port:${target.port}\\r\\n`));
  const memory = await redis.info('memory');
  assert.match(memory, /used_memory:\d+/);
  assert.ok((await redis.dbSize()) > 250);
});

run('node-redis', {
  after: async () => {
    for (const c of clients) {
      try { await c.destroy(); } catch { /* already closed */ }
    }
  },
});
