import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertProperty } from '../property';
import { LIMITS, parseFromWebview, parseToWebview, roundPeak, type JobView, type PlayerState } from '../../../src/core/player/protocol';

const take = (id: string, extra: Record<string, unknown> = {}) => ({
  id, label: id.toUpperCase(), src: `https://file.test/${id}.wav`, format: 'wav', sizeBytes: 1234,
  meta: { caption: 'warm synth pop', lyrics: '[verse]\nhello' }, ...extra,
});
const job = (id: string, takes = [take('a'), take('b')]): JobView => ({ id, title: 'Song', createdAt: 1_700_000_000_000, server: 'local', takes } as JobView);

const state: PlayerState = {
  jobId: 'j', takeId: 'a', currentTime: 1.5, duration: 4, playing: true, drawn: true, loop: 'off', region: null,
  rate: 1, volume: 0.5, muted: false, reason: 'tick',
};

test('a full load message passes and comes back as a clean copy', () => {
  const msg = {
    type: 'load', selectedJobId: 'j1', selectedTake: 'b',
    jobs: [job('j1', [take('a', {
      durationSec: 3.5, peaks: [-0.5, 0.5, -1, 1], extra: 'dropped',
      meta: { caption: 'c', lyrics: 'l', userCaption: 'uc', userLyrics: 'ul', bpm: 120, key: 'C major', timeSignature: '4/4', duration: 4,
        seed: 42, ditModel: 'dit', lmModel: 'lm', generationSeconds: 12.5, server: 'gpu', serverKind: 'Gradio UI with its API', unknown: false, other: 1 },
      actions: ['reveal', 'deleteTake'],
    }), take('b')])],
  };
  const parsed = parseToWebview(msg);
  assert.ok(parsed && parsed.type === 'load');
  assert.equal(parsed.jobs[0].takes[0].peaks?.length, 4);
  assert.equal((parsed.jobs[0].takes[0] as unknown as Record<string, unknown>).extra, undefined);
  assert.equal((parsed.jobs[0].takes[0].meta as unknown as Record<string, unknown>).other, undefined);
  assert.equal(parsed.jobs[0].takes[0].meta.serverKind, 'Gradio UI with its API');
  assert.equal(parsed.jobs[0].takes[0].meta.unknown, false);
  assert.deepEqual(parsed.jobs[0].takes[0].actions, ['reveal', 'deleteTake']);
  assert.ok(!('peaks' in parsed.jobs[0].takes[1]), 'absent optional fields stay absent');
  assert.notEqual(parsed.jobs[0].takes[0].peaks, msg.jobs[0].takes[0].peaks, 'arrays are copied');
  assert.deepEqual(parseToWebview({ type: 'load', jobs: [], selectedJobId: null, selectedTake: null }),
    { type: 'load', jobs: [], selectedJobId: null, selectedTake: null });
});

test('malformed host messages are rejected', () => {
  const bad: unknown[] = [
    null, undefined, 'load', 42, [], {}, { type: 'nope' }, { type: 'load', jobs: 'x' },
    { type: 'load', jobs: [job('j')].map(j => ({ ...j, takes: 'x' })) },
    { type: 'load', jobs: [{ ...job('j'), createdAt: '2024' }] },
    { type: 'load', jobs: [job('j', [take('a', { sizeBytes: -1 })])] },
    { type: 'load', jobs: [job('j', [take('a', { sizeBytes: NaN })])] },
    { type: 'load', jobs: [job('j', [take('a', { peaks: [0.1] })])] },
    { type: 'load', jobs: [job('j', [take('a', { peaks: [0, 2] })])] },
    { type: 'load', jobs: [job('j', [take('a', { peaks: [0, '1'] })])] },
    { type: 'load', jobs: [job('j', [take('a', { meta: { caption: 1, lyrics: '' } })])] },
    { type: 'load', jobs: [job('j', [take('a', { meta: { caption: '', lyrics: '', bpm: 'fast' } })])] },
    { type: 'load', jobs: [job('j', [take('a'), take('a')])] },
    { type: 'load', jobs: [job('j', [take('a', { actions: ['reveal', 'format disk'] })])] },
    { type: 'load', jobs: [job('j', [take('a', { actions: 'reveal' })])] },
    { type: 'load', jobs: [job('j', [take('a', { meta: { caption: '', lyrics: '', unknown: 'yes' } })])] },
    { type: 'load', jobs: [job('j'), job('j')] },
    { type: 'load', jobs: [job('j', [take('')])] },
    { type: 'load', jobs: [job('j', [take('a', { src: 'x'.repeat(LIMITS.uri + 1) })])] },
    { type: 'load', jobs: [job('j', [take('a', { meta: { caption: '', lyrics: 'x'.repeat(LIMITS.longString + 1) } })])] },
    { type: 'load', jobs: Array.from({ length: LIMITS.jobs + 1 }, (_, i) => job(`j${i}`)) },
    { type: 'load', jobs: [job('j', Array.from({ length: LIMITS.takesPerJob + 1 }, (_, i) => take(`t${i}`)))] },
    { type: 'load', jobs: [], selectedJobId: 5, selectedTake: null },
    { type: 'peaks', takeId: 5, peaks: [] },
    { type: 'peaks', takeId: 'a', peaks: new Array(LIMITS.peakValues + 2).fill(0) },
    { type: 'command' }, { type: 'command', command: 'explode' },
    { type: 'command', command: 'seek' }, { type: 'command', command: 'seek', seconds: -1 },
    { type: 'command', command: 'seek', seconds: Infinity },
    { type: 'command', command: 'setVolume', volume: 1.5 }, { type: 'command', command: 'setRate', rate: 4 },
    { type: 'command', command: 'setLoop', loop: 'region', start: 3, end: 2 },
    { type: 'command', command: 'setLoop', loop: 'sometimes' },
  ];
  for (const b of bad) assert.equal(parseToWebview(b), null, JSON.stringify(b)?.slice(0, 200));
});

test('commands and small messages', () => {
  assert.deepEqual(parseToWebview({ type: 'command', command: 'seek', seconds: 12 }), { type: 'command', command: 'seek', seconds: 12 });
  assert.deepEqual(parseToWebview({ type: 'command', command: 'skip', seconds: -5 }), { type: 'command', command: 'skip', seconds: -5 });
  assert.deepEqual(parseToWebview({ type: 'command', command: 'playPause', junk: 1 }), { type: 'command', command: 'playPause' });
  assert.deepEqual(parseToWebview({ type: 'command', command: 'setLoop', loop: 'region', start: 1, end: 2 }),
    { type: 'command', command: 'setLoop', loop: 'region', start: 1, end: 2 });
  assert.deepEqual(parseToWebview({ type: 'command', command: 'setLoop', loop: 'take', start: 1 }), { type: 'command', command: 'setLoop', loop: 'take' });
  assert.deepEqual(parseToWebview({ type: 'theme' }), { type: 'theme' });
  assert.deepEqual(parseToWebview({ type: 'peaks', takeId: 'a', peaks: [-0.1, 0.1] }), { type: 'peaks', takeId: 'a', peaks: [-0.1, 0.1] });
});

test('messages from the webview', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'action', action: 'deleteTake', takeId: 'a' }), { type: 'action', action: 'deleteTake', takeId: 'a' });
  assert.deepEqual(parseFromWebview({ type: 'state', state }), { type: 'state', state });
  assert.deepEqual(parseFromWebview({ type: 'state', state: { ...state, region: { start: 1, end: 2 }, extra: 1 } }),
    { type: 'state', state: { ...state, region: { start: 1, end: 2 } } });
  assert.deepEqual(parseFromWebview({ type: 'error', message: 'boom' }), { type: 'error', message: 'boom' });
  const bad: unknown[] = [
    null, 'ready', {}, { type: 'load' }, { type: 'action', action: 'format', takeId: 'a' }, { type: 'action', action: 'reveal' },
    { type: 'state', state: { ...state, playing: 'yes' } }, { type: 'state', state: { ...state, currentTime: -1 } },
    { type: 'state', state: { ...state, loop: 'always' } }, { type: 'state', state: { ...state, reason: 'because' } },
    { type: 'state', state: { ...state, region: { start: 'a', end: 1 } } }, { type: 'state' },
    { type: 'error', message: 'x'.repeat(LIMITS.message + 1) }, { type: 'error' },
    { type: 'peaks', takeId: 'a', peaks: [NaN, 0] },
  ];
  for (const b of bad) assert.equal(parseFromWebview(b), null, JSON.stringify(b));
});

test('hostile objects never throw out of the parsers', () => {
  const trap = new Proxy({}, { get() { throw new Error('trap'); } });
  assert.equal(parseToWebview(trap), null);
  assert.equal(parseFromWebview(trap), null);
  const getter = { type: 'load', get jobs() { throw new Error('getter'); } };
  assert.equal(parseToWebview(getter), null);
});

test('the parsers never throw and accept only what round-trips (property)', () => {
  assertProperty(fc.property(fc.anything(), x => {
    const a = parseToWebview(x);
    const b = parseFromWebview(x);
    if (a) assert.deepEqual(parseToWebview(JSON.parse(JSON.stringify(a))), a);
    if (b) assert.deepEqual(parseFromWebview(JSON.parse(JSON.stringify(b))), b);
  }), { numRuns: 2000 });
  const peak = fc.double({ min: -1, max: 1, noNaN: true });
  assertProperty(fc.property(fc.array(fc.tuple(peak, peak), { maxLength: 50 }), pairs => {
    const peaks = pairs.flat();
    const m = parseToWebview({ type: 'peaks', takeId: 'x', peaks });
    assert.ok(m && m.type === 'peaks');
    assert.deepEqual(m.peaks, peaks);
  }));
});

test('roundPeak keeps 4 decimals, clamps, and has no negative zero', () => {
  assert.equal(roundPeak(0.123456), 0.1235);
  assert.equal(roundPeak(-0.00001), 0);
  assert.ok(!Object.is(roundPeak(-0.00001), -0));
  assert.equal(roundPeak(1.5), 1);
  assert.equal(roundPeak(-Infinity), -1);
});
