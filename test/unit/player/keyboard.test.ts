// The player's keys without a page (media/player/keyboard.ts): which key gives which command, and when
// the focused control keeps the key for itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeKey, keyCommand, keyTarget, FINE_SKIP_SECONDS, SKIP_SECONDS, type KeyContext, type KeyPress, type KeyTarget } from '../../../media/player/keyboard';

const ctx: KeyContext = { hasJob: true, duration: 100, hasRegion: false };
const press = (key: string, o: Partial<KeyPress> = {}): KeyPress =>
  ({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, defaultPrevented: false, target: 'other', ...o });
const cmd = (key: string, o: Partial<KeyPress> = {}, c: Partial<KeyContext> = {}) => keyCommand(press(key, o), { ...ctx, ...c });

test('Space plays and pauses, except in a field or on a button (which clicks itself)', () => {
  assert.deepEqual(cmd(' '), { command: 'playPause' });
  assert.deepEqual(cmd(' ', { target: 'range' }), { command: 'playPause' }, 'a slider has no use for Space');
  assert.equal(cmd(' ', { target: 'button' }), null);
  assert.equal(cmd(' ', { target: 'field' }), null);
});

test('arrows skip 5 s (Shift: 1 s); Home and End go to the start and the end', () => {
  assert.deepEqual(cmd('ArrowLeft'), { command: 'skip', seconds: -SKIP_SECONDS });
  assert.deepEqual(cmd('ArrowRight'), { command: 'skip', seconds: SKIP_SECONDS });
  assert.deepEqual(cmd('ArrowLeft', { shiftKey: true }), { command: 'skip', seconds: -FINE_SKIP_SECONDS });
  assert.deepEqual(cmd('ArrowRight', { shiftKey: true }), { command: 'skip', seconds: FINE_SKIP_SECONDS });
  assert.equal(SKIP_SECONDS, 5);
  assert.equal(FINE_SKIP_SECONDS, 1);
  assert.deepEqual(cmd('Home'), { command: 'seek', seconds: 0 });
  assert.deepEqual(cmd('End', {}, { duration: 42 }), { command: 'seek', seconds: 42 });
  assert.deepEqual(cmd('ArrowLeft', { target: 'button' }), { command: 'skip', seconds: -5 }, 'a focused button does not use arrows');
});

test('PageUp/PageDown move a tenth of the take, at least 5 s', () => {
  assert.deepEqual(cmd('PageUp', {}, { duration: 100 }), { command: 'skip', seconds: 10 });
  assert.deepEqual(cmd('PageDown', {}, { duration: 100 }), { command: 'skip', seconds: -10 });
  assert.deepEqual(cmd('PageUp', {}, { duration: 20 }), { command: 'skip', seconds: 5 });
  assert.deepEqual(cmd('PageDown', {}, { duration: 0 }), { command: 'skip', seconds: -5 });
});

test('a slider or a field keeps its own arrows, Home/End and PageUp/PageDown', () => {
  for (const target of ['range', 'field'] as KeyTarget[]) {
    for (const key of ['ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']) {
      assert.equal(cmd(key, { target }), null, `${key} on ${target}`);
    }
  }
});

test('L loops, M mutes, 1–9 pick a take; not while typing in a field', () => {
  for (const key of ['l', 'L']) assert.deepEqual(cmd(key), { command: 'toggleLoop' });
  for (const key of ['m', 'M']) assert.deepEqual(cmd(key), { command: 'toggleMute' });
  assert.deepEqual(cmd('1'), { command: 'selectTakeAt', index: 0 });
  assert.deepEqual(cmd('9'), { command: 'selectTakeAt', index: 8 });
  assert.equal(cmd('0'), null);
  for (const key of ['l', 'm', '2']) {
    assert.equal(cmd(key, { target: 'field' }), null, `${key} in a field`);
    assert.notEqual(cmd(key, { target: 'range' }), null, `${key} on a slider`);
    assert.notEqual(cmd(key, { target: 'button' }), null, `${key} on a button`);
  }
});

test('Escape clears the region when there is one (from anywhere), else is left alone', () => {
  assert.equal(cmd('Escape'), null);
  assert.deepEqual(cmd('Escape', {}, { hasRegion: true }), { command: 'clearRegion' });
  assert.deepEqual(cmd('Escape', { target: 'field' }, { hasRegion: true }), { command: 'clearRegion' });
});

test('nothing with Ctrl, Cmd or Alt, for an event already handled, or before a job is shown', () => {
  for (const mod of ['ctrlKey', 'metaKey', 'altKey'] as const) assert.equal(cmd(' ', { [mod]: true }), null, mod);
  assert.equal(cmd(' ', { defaultPrevented: true }), null);
  assert.equal(cmd(' ', {}, { hasJob: false }), null);
  assert.equal(cmd('1', {}, { hasJob: false }), null);
  assert.equal(cmd('x'), null);
  assert.equal(cmd('Enter'), null);
  assert.equal(cmd('F5'), null);
});

test('the focus is described from the tag name (and an input\'s type)', () => {
  assert.equal(keyTarget('INPUT', 'range'), 'range');
  assert.equal(keyTarget('INPUT', 'text'), 'field');
  assert.equal(keyTarget('INPUT'), 'field');
  assert.equal(keyTarget('SELECT'), 'field');
  assert.equal(keyTarget('TEXTAREA'), 'field');
  assert.equal(keyTarget('BUTTON'), 'button');
  assert.equal(keyTarget('CANVAS'), 'other');
  assert.equal(keyTarget(''), 'other');
  const base = { key: ' ', shiftKey: true, ctrlKey: false, metaKey: false, altKey: false, defaultPrevented: false };
  assert.deepEqual(describeKey({ ...base, target: { tagName: 'INPUT', type: 'range' } as unknown as EventTarget }), { ...base, target: 'range' });
  assert.equal(describeKey({ ...base, target: { tagName: 'BUTTON' } as unknown as EventTarget }).target, 'button');
  assert.equal(describeKey({ ...base, target: null }).target, 'other', 'the window or the document');
});
