import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, type Timer } from '../../src/core/util/sleep';
import { errorMessage } from '../../src/core/util/error-message';

function fakeTimer() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const timer: Timer = {
    setTimeout: (fn, ms) => { const id = next++; pending.set(id, { fn, ms }); return id; },
    clearTimeout: h => { pending.delete(h as number); },
  };
  const fire = () => { for (const [id, t] of [...pending]) { pending.delete(id); t.fn(); } };
  return { timer, pending, fire };
}

test('sleep resolves true when its time has passed, on the timer it is given', async () => {
  const f = fakeTimer();
  const p = sleep(5_000, undefined, f.timer);
  assert.equal([...f.pending.values()][0].ms, 5_000);
  f.fire();
  assert.equal(await p, true);
});

test('sleep resolves false at once on abort, before or during the wait, and leaves no timer behind', async () => {
  const f = fakeTimer();
  const before = new AbortController();
  before.abort();
  assert.equal(await sleep(1_000, before.signal, f.timer), false);
  assert.equal(f.pending.size, 0);
  const during = new AbortController();
  const p = sleep(1_000, during.signal, f.timer);
  assert.equal(f.pending.size, 1);
  during.abort();
  assert.equal(await p, false);
  assert.equal(f.pending.size, 0);
});

test('sleep on the real timer waits', async () => {
  const t0 = Date.now();
  assert.equal(await sleep(20), true);
  assert.ok(Date.now() - t0 >= 15);
});

test('errorMessage: errors, strings and anything else', () => {
  assert.equal(errorMessage(new Error('boom')), 'boom');
  assert.equal(errorMessage('plain'), 'plain');
  assert.equal(errorMessage(42), '42');
  assert.equal(errorMessage({ toString() { throw new Error('x'); } }), 'unknown error');
});
