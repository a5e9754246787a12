// Streams through ioredis as job queues use them (BullMQ waits on its event stream with XREAD BLOCK):
// XADD with MAXLEN ~, XREAD BLOCK '$' woken by a later XADD, a consumer group read with XREADGROUP BLOCK,
// XACK, XPENDING, XCLAIM and XINFO.
// Env: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. Closing line "ioredis-streams: N passed, M failed".
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
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function blockedClients() {
  const info = await redis.info('clients');
  return Number(/blocked_clients:(\d+)/.exec(info)[1]);
}

async function untilBlocked(n) {
  const end = Date.now() + 10000;
  while (Date.now() < end) {
    if ((await blockedClients()) >= n) return;
    await sleep(10);
  }
  assert.fail('client never blocked');
}

check('event stream: XREAD BLOCK $ is woken by a later XADD', async () => {
  await redis.connect();
  assert.equal(await redis.flushall(), 'OK');
  await redis.xadd('events', 'MAXLEN', '~', 10000, '*', 'event', 'added', 'jobId', '1');
  const reader = client();
  await reader.connect();
  const pending = reader.xread('BLOCK', 5000, 'STREAMS', 'events', '$');
  await untilBlocked(1);
  const id = await redis.xadd('events', 'MAXLEN', '~', 10000, '*', 'event', 'completed', 'jobId', '1');
  const reply = await pending;
  assert.deepEqual(reply, [['events', [[id, ['event', 'completed', 'jobId', '1']]]]]);
  assert.equal(await redis.xlen('events'), 2);
});

check('consumer group: XREADGROUP BLOCK, XACK, XPENDING', async () => {
  assert.equal(await redis.xgroup('CREATE', 'q', 'g', '$', 'MKSTREAM'), 'OK');
  const worker = client();
  await worker.connect();
  const pending = worker.xreadgroup('GROUP', 'g', 'w1', 'COUNT', 10, 'BLOCK', 5000, 'STREAMS', 'q', '>');
  await untilBlocked(1);
  const id = await redis.xadd('q', '*', 'job', 'a');
  assert.deepEqual(await pending, [['q', [[id, ['job', 'a']]]]]);
  const summary = await redis.xpending('q', 'g');
  assert.deepEqual(summary, [1, id, id, [['w1', '1']]]);
  assert.equal(await redis.xack('q', 'g', id), 1);
  assert.deepEqual(await redis.xpending('q', 'g'), [0, null, null, null]);
});

check('XCLAIM moves a pending entry to another consumer', async () => {
  const id = await redis.xadd('q', '*', 'job', 'b');
  await redis.xreadgroup('GROUP', 'g', 'w1', 'STREAMS', 'q', '>');
  assert.deepEqual(await redis.xclaim('q', 'g', 'w2', 0, id, 'JUSTID'), [id]);
  const detail = await redis.xpending('q', 'g', '-', '+', 10);
  assert.equal(detail.length, 1);
  assert.equal(detail[0][0], id);
  assert.equal(detail[0][1], 'w2');
  assert.equal(detail[0][3], 1);
  const groups = await redis.xinfo('GROUPS', 'q');
  assert.deepEqual(groups[0].slice(0, 8), ['name', 'g', 'consumers', 2, 'pending', 1, 'last-delivered-id', id]);
});

run('ioredis-streams', { after: async () => clients.forEach((c) => c.disconnect()) });
