// Pub/sub and transactions through ioredis as applications use them: a subscriber connection with
// 'message' / 'pmessage' events, publish from another connection, MULTI/EXEC (also with a runtime error),
// WATCH with a conflicting write (EXEC answers null), and a subscriber that unsubscribes.
// Env: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. Closing line "ioredis-pubsub: N passed, M failed".
const Redis = require('ioredis');
const { assert, check, run, target } = require('./harness');

const opts = { host: target.host, port: target.port, password: target.password, lazyConnect: true };
const clients = [];
function client() {
  const c = new Redis(opts);
  c.on('error', () => {});
  clients.push(c);
  return c;
}
const redis = client();
const sub = client();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(predicate, ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await predicate()) return;
    await sleep(10);
  }
  assert.fail('condition not reached in time');
}

check('subscribe and psubscribe, messages in publish order', async () => {
  await redis.connect();
  await sub.connect();
  assert.equal(await redis.flushall(), 'OK');
  const got = [];
  sub.on('message', (channel, message) => got.push(['message', channel, message]));
  sub.on('pmessage', (pattern, channel, message) => got.push(['pmessage', pattern, channel, message]));
  assert.equal(await sub.subscribe('news', 'alerts'), 2);
  assert.equal(await sub.psubscribe('notifications:*'), 3);
  assert.deepEqual(await redis.pubsub('NUMSUB', 'news', 'alerts'), ['news', 1, 'alerts', 1]);
  assert.equal(await redis.pubsub('NUMPAT'), 1);
  for (let i = 0; i < 100; i++) assert.equal(await redis.publish('news', `n${i}`), 1);
  assert.equal(await redis.publish('notifications:x', 'p'), 1);
  assert.equal(await redis.publish('nobody', 'z'), 0);
  await until(() => got.length === 101);
  assert.deepEqual(got[0], ['message', 'news', 'n0']);
  assert.deepEqual(got[99], ['message', 'news', 'n99']);
  assert.deepEqual(got[100], ['pmessage', 'notifications:*', 'notifications:x', 'p']);
});

check('subscriber connection refuses other commands; unsubscribing stops delivery', async () => {
  await assert.rejects(sub.get('x'), /Connection in subscriber mode|only \(P\|S\)SUBSCRIBE/);
  await sub.unsubscribe('news', 'alerts');
  await sub.punsubscribe('notifications:*');
  await until(async () => (await redis.pubsub('NUMPAT')) === 0);
  assert.equal(await redis.publish('news', 'late'), 0);
});

check('multi/exec with results and a runtime error', async () => {
  const res = await redis.multi().set('m:a', '1').incr('m:a').get('m:a').exec();
  assert.deepEqual(res, [[null, 'OK'], [null, 2], [null, '2']]);
  await redis.set('m:s', 'text');
  const mixed = await redis.multi().incr('m:s').set('m:b', 'ok').exec();
  assert.match(mixed[0][0].message, /value is not an integer or out of range/);
  assert.deepEqual(mixed[1], [null, 'OK']);
});

check('queue-time error aborts the transaction with EXECABORT', async () => {
  await assert.rejects(redis.multi().set('m:c', '1').call('SET', 'm:c').exec(), /EXECABORT Transaction discarded because of previous errors/);
  assert.equal(await redis.get('m:c'), null);
});

check('watch: a conflicting write makes exec answer null', async () => {
  const other = client();
  await other.connect();
  await redis.set('w:k', '1');
  assert.equal(await redis.watch('w:k'), 'OK');
  await other.set('w:k', '2');
  assert.equal(await redis.multi().set('w:k', '3').exec(), null);
  assert.equal(await redis.get('w:k'), '2');
  assert.equal(await redis.watch('w:k'), 'OK');
  assert.deepEqual(await redis.multi().set('w:k', '4').exec(), [[null, 'OK']]);
  assert.equal(await redis.get('w:k'), '4');
});

check('publish inside multi delivers after exec', async () => {
  const s2 = client();
  await s2.connect();
  const got = [];
  s2.on('message', (c, m) => got.push(m));
  await s2.subscribe('tx-channel');
  const res = await redis.multi().publish('tx-channel', 'a').publish('tx-channel', 'b').exec();
  assert.deepEqual(res, [[null, 1], [null, 1]]);
  await until(() => got.length === 2);
  assert.deepEqual(got, ['a', 'b']);
});

run('ioredis-pubsub', { after: async () => clients.forEach((c) => c.disconnect()) });
