// Job queues whose atomic moves are Lua scripts: ioredis defineCommand (EVALSHA with the EVAL fallback,
// in pipelines too), BullMQ (its scripts load with the server's cmsgpack, stream events, priorities,
// delays and retries with backoff) and bee-queue (retries, delayed jobs, stall checks). Each workload
// runs with concurrency 1 from a known state, so its outcome is fixed; the expected values are those
// Redis 7.0.15 gives (INTEROP_TARGET=redis runs the same file there).
// Env: REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. Closing line "job-queues: N passed, M failed".
const Redis = require('ioredis');
const { Queue, Worker, QueueEvents, FlowProducer } = require('bullmq');
const BeeQueue = require('bee-queue');
const { assert, check, run, target } = require('./harness');

const connection = { host: target.host, port: target.port, password: target.password, maxRetriesPerRequest: null };
const redis = new Redis({ ...connection, lazyConnect: true });
const closers = [];
const later = (fn) => closers.push(fn);

function until(condition, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = async () => {
      try {
        if (await condition()) return resolve();
      } catch (e) {
        return reject(e);
      }
      if (Date.now() > deadline) return reject(new Error('timed out waiting for ' + (typeof what === 'function' ? what() : what)));
      setTimeout(poll, 20);
    };
    poll();
  });
}

check('flushall', async () => {
  await redis.connect();
  assert.equal(await redis.flushall(), 'OK');
  assert.equal(await redis.script('FLUSH'), 'OK');
});

check('ioredis defineCommand: EVALSHA after the first EVAL, in pipelines, after SCRIPT FLUSH', async () => {
  redis.defineCommand('takeToken', {
    numberOfKeys: 1,
    lua: `local t = tonumber(redis.call('HGET', KEYS[1], 'tokens') or ARGV[1])
          if t < 1 then return {0, t} end
          redis.call('HSET', KEYS[1], 'tokens', t - 1)
          redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1]) / 2))
          return {1, t - 1}`,
  });
  assert.deepEqual(await redis.takeToken('dc:bucket', 2), [1, 1]);
  assert.deepEqual(await redis.takeToken('dc:bucket', 2), [1, 0]);
  assert.deepEqual(await redis.takeToken('dc:bucket', 2), [0, 0]);
  const piped = await redis.pipeline().takeToken('dc:other', 3).takeToken('dc:other', 3).get('x').exec();
  assert.deepEqual(piped, [[null, [1, 2]], [null, [1, 1]], [null, null]]);
  await redis.script('FLUSH');
  assert.deepEqual(await redis.takeToken('dc:other', 3), [1, 0]);
  assert.equal(await redis.ttl('dc:other'), 2);
  redis.defineCommand('failing', { numberOfKeys: 0, lua: "return redis.call('incr', 'dc:bucket')" });
  await assert.rejects(redis.failing(), /WRONGTYPE Operation against a key holding the wrong kind of value script: [0-9a-f]{40}, on @user_script:1\./);
});

check('BullMQ: priorities, retries with backoff, failures and counts', async () => {
  const queue = new Queue('work', { connection });
  later(() => queue.close());
  await queue.waitUntilReady();
  // Jobs wait with no worker running, so a worker with concurrency 1 takes them in priority order.
  await queue.add('plain-a', { n: 1 });
  await queue.add('urgent', { n: 2 }, { priority: 1 });
  await queue.add('low', { n: 3 }, { priority: 10 });
  await queue.add('plain-b', { n: 4 });
  await queue.add('flaky', { n: 5 }, { attempts: 3, backoff: { type: 'fixed', delay: 50 } });
  await queue.add('doomed', { n: 6 }, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });
  assert.deepEqual(await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'completed', 'failed'),
    { wait: 4, prioritized: 2, delayed: 0, active: 0, completed: 0, failed: 0 });
  const order = [];
  const flakyTries = { n: 0 };
  const worker = new Worker('work', async (job) => {
    order.push(job.name);
    if (job.name === 'flaky' && ++flakyTries.n < 3) throw new Error('try again');
    if (job.name === 'doomed') throw new Error('always fails');
    return job.data.n * 10;
  }, { connection, concurrency: 1 });
  later(() => worker.close());
  await until(async () => {
    const c = await queue.getJobCounts('completed', 'failed');
    return c.completed === 5 && c.failed === 1;
  }, 'all BullMQ jobs to settle');
  assert.deepEqual(order.slice(0, 4), ['plain-a', 'plain-b', 'flaky', 'doomed']);
  assert.deepEqual(order.filter((n) => n === 'urgent' || n === 'low'), ['urgent', 'low']);
  assert.equal(order.length, 9);
  const completed = await queue.getCompleted();
  assert.deepEqual(completed.map((j) => [j.name, j.returnvalue, j.attemptsMade]).sort(),
    [['flaky', 50, 3], ['low', 30, 1], ['plain-a', 10, 1], ['plain-b', 40, 1], ['urgent', 20, 1]]);
  const [failed] = await queue.getFailed();
  assert.deepEqual([failed.name, failed.failedReason, failed.attemptsMade], ['doomed', 'always fails', 2]);
  await worker.close();
});

check('BullMQ: delayed jobs wait their delay; events reach QueueEvents through the stream', async () => {
  const queue = new Queue('timed', { connection });
  const events = new QueueEvents('timed', { connection });
  later(() => events.close());
  later(() => queue.close());
  await events.waitUntilReady();
  const seen = [];
  events.on('completed', ({ jobId, returnvalue }) => seen.push([jobId, returnvalue]));
  const worker = new Worker('timed', async (job) => `done:${job.name}`, { connection, concurrency: 1 });
  later(() => worker.close());
  const delayed = await queue.add('later', {}, { delay: 300 });
  const now = await queue.add('now', {});
  assert.equal(await delayed.getState(), 'delayed');
  await until(async () => seen.length === 2, 'both completion events');
  assert.deepEqual(seen, [[now.id, 'done:now'], [delayed.id, 'done:later']]);
  const finished = await queue.getJob(delayed.id);
  assert.ok(finished.processedOn - finished.timestamp >= 300, `processed ${finished.processedOn - finished.timestamp} ms after adding`);
  await worker.close();
});

check('BullMQ: flows run children before their parent', async () => {
  const flow = new FlowProducer({ connection });
  later(() => flow.close());
  const queue = new Queue('flows', { connection });
  later(() => queue.close());
  const order = [];
  const worker = new Worker('flows', async (job) => {
    order.push(job.name);
    if (job.name === 'parent') return Object.values(await job.getChildrenValues()).sort();
    return job.data.v;
  }, { connection, concurrency: 1 });
  later(() => worker.close());
  const tree = await flow.add({ name: 'parent', queueName: 'flows', children: [
    { name: 'child-1', queueName: 'flows', data: { v: 1 } },
    { name: 'child-2', queueName: 'flows', data: { v: 2 } },
  ] });
  await until(async () => (await queue.getJobCounts('completed')).completed === 3, 'the flow to finish');
  assert.equal(order[2], 'parent');
  assert.deepEqual((await queue.getJob(tree.job.id)).returnvalue, [1, 2]);
  await worker.close();
});

check('bee-queue: retries, delayed jobs and health counts', async () => {
  const settings = { redis: { host: target.host, port: target.port, password: target.password }, activateDelayedJobs: true,
    removeOnSuccess: false, isWorker: true, getEvents: true, sendEvents: true, stallInterval: 1000 };
  const queue = new BeeQueue('bee', settings);
  later(() => queue.close());
  await queue.ready();
  const tries = {};
  const finished = [];
  const failures = [];
  queue.on('succeeded', (job, result) => finished.push([job.data.name, result]));
  queue.on('failed', (job, err) => failures.push([job.data.name, err.message]));
  await queue.createJob({ name: 'ok' }).save();
  await queue.createJob({ name: 'retry' }).retries(2).backoff('fixed', 20).save();
  await queue.createJob({ name: 'bad' }).retries(1).save();
  await queue.createJob({ name: 'delayed' }).delayUntil(Date.now() + 300).save();
  assert.deepEqual(await queue.checkHealth(), { waiting: 3, active: 0, succeeded: 0, failed: 0, delayed: 1, newestJob: 4 });
  queue.process(1, async (job) => {
    tries[job.data.name] = (tries[job.data.name] || 0) + 1;
    if (job.data.name === 'retry' && tries.retry < 3) throw new Error('again');
    if (job.data.name === 'bad') throw new Error('broken');
    return `${job.data.name}:${tries[job.data.name]}`;
  });
  await until(async () => finished.length === 3 && failures.length === 4, () => 'bee-queue jobs to settle: ' + JSON.stringify({ finished, failures, tries }));
  assert.deepEqual(finished.map((f) => f[1]).sort(), ['delayed:1', 'ok:1', 'retry:3']);
  // A failed attempt is reported each time, the retried ones too.
  assert.deepEqual(failures.sort(), [['bad', 'broken'], ['bad', 'broken'], ['retry', 'again'], ['retry', 'again']]);
  assert.deepEqual(tries, { ok: 1, retry: 3, bad: 2, delayed: 1 });
  const health = await queue.checkHealth();
  assert.deepEqual([health.waiting, health.active, health.succeeded, health.failed, health.delayed], [0, 0, 3, 1, 0]);
});

run('job-queues', {
  after: async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    redis.disconnect();
  },
});
