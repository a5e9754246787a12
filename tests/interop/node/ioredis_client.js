// Drives a running server through ioredis as applications do: AUTH and the INFO ready check at connect,
// CLIENT SETINFO / SETNAME, pipelines, auto-pipelining, scanStream, string and key commands.
// Env: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. Closing line "ioredis: N passed, M failed".
const Redis = require('ioredis');
const { assert, check, authCheck, rejects, run, target } = require('./harness');

const opts = { host: target.host, port: target.port, password: target.password, lazyConnect: true };
const clients = [];
function client(extra = {}) {
  const c = new Redis({ ...opts, ...extra });
  c.on('error', () => {}); // connection errors are asserted where they matter
  clients.push(c);
  return c;
}
const redis = client();

check('ready check (INFO) passes and the client is ready', async () => {
  await redis.connect();
  assert.equal(redis.status, 'ready');
  assert.equal(await redis.ping(), 'PONG');
  assert.equal(await redis.flushall(), 'OK');
});

authCheck('no password: commands get NOAUTH', async () => {
  const bare = client({ password: undefined, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await bare.connect();
  await rejects(bare.get('x'), 'NOAUTH Authentication required.');
  bare.disconnect();
});

authCheck('wrong password: connect fails with WRONGPASS', async () => {
  const wrong = client({ password: 'not-the-password', maxRetriesPerRequest: 0, retryStrategy: () => null });
  const error = new Promise((resolve) => wrong.once('error', resolve));
  wrong.connect().catch(() => {});
  const e = await error;
  assert.match(e.message, /WRONGPASS invalid username-password pair/);
  wrong.disconnect();
});

check('connectionName is set with CLIENT SETNAME', async () => {
  const named = client({ connectionName: 'ioredis-worker' });
  await named.connect();
  assert.equal(await named.client('GETNAME'), 'ioredis-worker');
  const list = await redis.client('LIST');
  assert.match(list, /name=ioredis-worker /);
  named.disconnect();
});

check('db option selects the database', async () => {
  const db2 = client({ db: 2 });
  await db2.connect();
  await db2.set('only-in-2', 'yes');
  assert.equal(await redis.get('only-in-2'), null);
  assert.equal(await db2.get('only-in-2'), 'yes');
  await db2.flushdb();
  db2.disconnect();
});

check('strings', async () => {
  assert.equal(await redis.set('s:a', 'hello'), 'OK');
  assert.equal(await redis.get('s:a'), 'hello');
  assert.equal(await redis.get('s:none'), null);
  assert.equal(await redis.set('s:a', 'x', 'NX'), null);
  assert.equal(await redis.set('s:a', 'world', 'XX', 'GET'), 'hello');
  assert.equal(await redis.set('s:ex', 'v', 'EX', 100), 'OK');
  assert.ok((await redis.ttl('s:ex')) > 90);
  assert.equal(await redis.append('s:a', '!'), 6);
  assert.equal(await redis.strlen('s:a'), 6);
  assert.equal(await redis.getrange('s:a', 0, 2), 'wor');
  assert.equal(await redis.setrange('s:a', 0, 'W'), 6);
  assert.equal(await redis.getdel('s:a'), 'World!');
  assert.equal(await redis.exists('s:a'), 0);
  await rejects(redis.set('s:a', 'v', 'EX', 'abc'), 'value is not an integer or out of range');
});

check('counters', async () => {
  assert.equal(await redis.incr('c'), 1);
  assert.equal(await redis.incrby('c', 41), 42);
  assert.equal(await redis.decrby('c', 2), 40);
  assert.equal(await redis.decr('c'), 39);
  assert.equal(await redis.incrbyfloat('c', '0.5'), '39.5');
  await redis.set('c:text', 'abc');
  await rejects(redis.incr('c:text'), 'ERR value is not an integer or out of range');
});

check('mset/mget with an object and buffers', async () => {
  assert.equal(await redis.mset({ 'm:1': 'a', 'm:2': 'b' }), 'OK');
  assert.deepEqual(await redis.mget('m:1', 'm:2', 'm:3'), ['a', 'b', null]);
  const bin = Buffer.from([0, 1, 2, 255, 13, 10, 0]);
  await redis.set('m:bin', bin);
  assert.deepEqual(await redis.getBuffer('m:bin'), bin);
});

check('keys and expiry', async () => {
  await redis.set('k:1', '1');
  assert.equal(await redis.expire('k:1', 100), 1);
  assert.ok((await redis.pttl('k:1')) > 90000);
  assert.equal(await redis.persist('k:1'), 1);
  assert.equal(await redis.ttl('k:1'), -1);
  assert.equal(await redis.type('k:1'), 'string');
  assert.equal(await redis.rename('k:1', 'k:2'), 'OK');
  assert.equal(await redis.exists('k:1', 'k:2'), 1);
  assert.equal(await redis.del('k:2', 'k:none'), 1);
  await redis.set('k:short', '1', 'PX', 50);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await redis.get('k:short'), null);
  await rejects(redis.rename('k:none', 'k:3'), 'ERR no such key');
});

check('pipeline returns [err, result] pairs in order', async () => {
  const results = await redis.pipeline()
    .set('p:1', '10')
    .incr('p:1')
    .get('p:1')
    .set('p:text', 'abc')
    .incr('p:text')
    .mget('p:1', 'p:none')
    .exec();
  assert.deepEqual(results.slice(0, 4), [[null, 'OK'], [null, 11], [null, '11'], [null, 'OK']]);
  assert.ok(results[4][0] instanceof Error);
  assert.match(results[4][0].message, /value is not an integer/);
  assert.deepEqual(results[5], [null, ['11', null]]);
});

check('a large pipeline of 5000 commands', async () => {
  const pipe = redis.pipeline();
  for (let i = 0; i < 5000; i++) pipe.set(`bulk:${i}`, `${i}`);
  for (let i = 0; i < 5000; i++) pipe.get(`bulk:${i}`);
  const results = await pipe.exec();
  assert.equal(results.length, 10000);
  for (let i = 0; i < 5000; i++) {
    assert.equal(results[5000 + i][1], `${i}`);
  }
});

check('auto-pipelining sends concurrent commands together', async () => {
  const auto = client({ enableAutoPipelining: true });
  await auto.connect();
  const values = await Promise.all(Array.from({ length: 500 }, (_, i) => auto.incr('auto:counter').then(() => i)));
  assert.equal(values.length, 500);
  assert.equal(await auto.get('auto:counter'), '500');
  auto.disconnect();
});

check('scanStream visits every matching key once', async () => {
  const names = new Set();
  const pipe = redis.pipeline();
  for (let i = 0; i < 300; i++) {
    names.add(`scan:${i}`);
    pipe.set(`scan:${i}`, '1');
  }
  await pipe.exec();
  const seen = new Set();
  await new Promise((resolve, reject) => {
    const stream = redis.scanStream({ match: 'scan:*', count: 40 });
    stream.on('data', (keys) => keys.forEach((k) => seen.add(k)));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  assert.deepEqual([...seen].sort(), [...names].sort());
  assert.deepEqual((await redis.keys('scan:1?')).sort(), Array.from({ length: 10 }, (_, i) => `scan:1${i}`).sort());
});

check('INFO text parses into fields', async () => {
  const info = await redis.info();
  assert.match(info, /^# Server\r\n/);
  assert.match(info, /\r\nredis_version:\d+\.\d+\.\d+\r\n/);
  assert.match(info, /\r\nloading:0\r\n/);
  const keyspace = await redis.info('keyspace');
  assert.match(keyspace, /db0:keys=\d+,expires=\d+,avg_ttl=\d+/);
  assert.ok((await redis.dbsize()) > 0);
});

check('hyperloglog and geo', async () => {
  assert.equal(await redis.pfadd('hll:a', 'x', 'y', 'z'), 1);
  assert.equal(await redis.pfcount('hll:a'), 3);
  assert.equal(await redis.pfmerge('hll:m', 'hll:a', 'hll:none'), 'OK');
  assert.equal(await redis.pfcount('hll:m', 'hll:a'), 3);
  assert.equal(await redis.geoadd('geo:sicily', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania'), 2);
  assert.equal(await redis.geodist('geo:sicily', 'Palermo', 'Catania', 'km'), '166.2742');
  assert.deepEqual(await redis.geopos('geo:sicily', 'Palermo', 'nope'), [['13.36138933897018433', '38.11555639549629859'], null]);
  assert.deepEqual(await redis.geosearch('geo:sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km', 'ASC', 'WITHDIST'),
    [['Catania', '56.4413'], ['Palermo', '190.4424']]);
  assert.equal(await redis.geosearchstore('geo:near', 'geo:sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', 400, 400, 'km', 'STOREDIST'), 2);
  assert.deepEqual(await redis.zrange('geo:near', 0, -1, 'WITHSCORES'), ['Palermo', '0', 'Catania', '166.27415156960032']);
  await rejects(redis.geosearch('geo:sicily', 'BYRADIUS', 1, 'km', 'ASC', 'WITHDIST'), 'exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch');
});

check('unknown command and arity errors', async () => {
  await rejects(redis.call('NOSUCHCOMMAND'), "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: ");
  await rejects(redis.call('GET'), "ERR wrong number of arguments for 'get' command");
});

run('ioredis', {
  after: async () => {
    for (const c of clients) c.disconnect();
  },
});
