// Tiny check runner shared by the node client scripts: named async checks, failures reported and
// counted (never stopping the run), a closing "<label>: N passed, M failed" line and the exit code.
const assert = require('node:assert/strict');

const checks = [];

function check(name, fn) {
  checks.push({ name, fn });
}

async function rejects(promise, text) {
  try {
    await promise;
  } catch (e) {
    assert.ok(String(e.message).includes(text), `expected error containing ${JSON.stringify(text)}, got ${JSON.stringify(e.message)}`);
    return;
  }
  assert.fail(`expected an error containing ${JSON.stringify(text)}, got none`);
}

async function run(label, { before, after } = {}) {
  let passed = 0;
  let failed = 0;
  const fail = (name, e) => {
    failed++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  };
  try {
    if (before) await before();
    for (const { name, fn } of checks) {
      try {
        await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timed out after 15s')), 15000).unref())]);
        passed++;
      } catch (e) {
        fail(name, e);
      }
    }
  } catch (e) {
    fail('setup', e);
  } finally {
    try {
      if (after) await after();
    } catch (e) {
      fail('teardown', e);
    }
  }
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

const target = {
  host: process.env.REDIS_HOST || '127.0.0.1',
  port: Number(process.env.REDIS_PORT || 6379),
  password: process.env.REDIS_PASSWORD || undefined,
};

// Checks of password handling run only when the server has a password.
function authCheck(name, fn) {
  if (target.password) check(name, fn);
}

module.exports = { assert, check, authCheck, rejects, run, target };
