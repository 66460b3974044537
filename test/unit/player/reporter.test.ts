// What the player tells the host (media/player/reporter.ts): throttled state reports, capped error
// reports, one report for malformed host messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FromWebview, PlayerState, StateReason } from '../../../src/core/player/protocol';
import { MAX_ERROR_REPORTS, Reporter, TICK_MS, describeMalformed } from '../../../media/player/reporter';

function setup() {
  const posted: FromWebview[] = [];
  let now = 1000;
  const r = new Reporter(m => posted.push(m), () => now);
  const state = (reason: StateReason) => ({ reason } as PlayerState);
  return { posted, r, state, advance: (ms: number) => { now += ms; } };
}

test('throttled state reports wait TICK_MS after any report; the others always go', () => {
  const { posted, r, state, advance } = setup();
  r.state('play', state);
  r.state('tick', state, true);
  advance(TICK_MS - 1);
  r.state('tick', state, true);
  advance(1);
  r.state('tick', state, true);
  r.state('seek', state);
  r.state('seek', state);
  assert.deepEqual(posted.map(m => m.type === 'state' && m.state.reason), ['play', 'tick', 'seek', 'seek']);
});

test('errors are capped and shortened; a malformed message is reported once, apart from the cap', () => {
  const { posted, r } = setup();
  for (let i = 0; i < MAX_ERROR_REPORTS + 3; i++) r.error(`e${i}${'x'.repeat(2000)}`);
  r.malformed({ type: 'bogus' });
  r.malformed(42);
  const errors = posted.filter(m => m.type === 'error').map(m => (m as { message: string }).message);
  assert.equal(errors.length, MAX_ERROR_REPORTS + 1);
  assert.ok(errors.slice(0, -1).every(e => e.length === 1000));
  assert.match(errors[errors.length - 1], /malformed message from the host \("bogus"\)/);
});

test('a malformed message is named by its type tag, else by what it is', () => {
  assert.equal(describeMalformed({ type: 'load' }), '"load"');
  assert.equal(describeMalformed({ type: 'x'.repeat(60) }), `"${'x'.repeat(40)}"`);
  assert.equal(describeMalformed({}), 'object');
  assert.equal(describeMalformed(null), 'null');
  assert.equal(describeMalformed('load'), 'string');
  assert.equal(describeMalformed([]), 'object');
});
