// The webview's peak queue (media/player/peak-queue.ts) with a stand-in decoder: one take at a time, the
// current one first, cancellation, the cache, failures. Also: the modules these unit tests load stay free
// of the DOM, so they run in plain Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TakeView } from '../../../src/core/player/protocol';
import { PeakQueue, type PeakTarget } from '../../../media/player/peak-queue';

class Target implements PeakTarget {
  readonly key: string;
  decoding: AbortController | null = null;
  failed = false;
  shown: number[] | null = null;
  status = '';
  constructor(readonly take: TakeView) { this.key = `${take.id}\n${take.src}`; }
  get hasPeaks() { return this.shown !== null; }
  showPeaks(peaks: number[]) { this.shown = peaks; this.status = ''; }
  setStatus(text: string) { this.status = text; }
}

const take = (id: string, peaks?: number[]): TakeView =>
  ({ id, label: id, src: `https://x/${id}.wav`, format: 'wav', sizeBytes: 1, meta: { caption: '', lyrics: '' }, ...(peaks ? { peaks } : {}) });

/** A queue whose decoder waits until the test resolves it (or fails it), recording the order. */
function setup() {
  const order: string[] = [];
  const pending = new Map<string, { resolve: (p: number[]) => void; reject: (e: Error) => void }>();
  const listed = new Set<Target>();
  const events: string[] = [];
  const q = new PeakQueue<Target>({
    listed: t => listed.has(t),
    queued: t => { t.setStatus('queued'); events.push(`queued ${t.take.id}`); },
    computed: t => events.push(`computed ${t.take.id}`),
    failed: (t, why) => { t.setStatus('failed'); events.push(`failed ${t.take.id}: ${why}`); },
  }, (tk, buckets) => new Promise((resolve, reject) => {
    assert.equal(buckets, 8);
    order.push((tk as TakeView).id);
    pending.set((tk as TakeView).id, { resolve, reject });
  }), 8);
  const tick = () => new Promise(r => setImmediate(r));
  return { q, order, pending, listed, events, tick };
}

test('decodes one take at a time, the current one first, and caches the result', async () => {
  const { q, order, pending, listed, events, tick } = setup();
  const [a, b, c] = ['a', 'b', 'c'].map(id => new Target(take(id)));
  [a, b, c].forEach(t => listed.add(t));
  q.schedule([a, b, c], b);
  assert.deepEqual([a, b, c].map(t => t.status), ['queued', 'queued', 'queued']);
  await tick();
  assert.deepEqual(order, ['b'], 'the current take first, and only one');
  pending.get('b')!.resolve([0, 1]);
  await tick();
  assert.deepEqual(b.shown, [0, 1]);
  assert.equal(b.status, '');
  assert.equal(b.decoding, null);
  assert.deepEqual(order, ['b', 'a']);
  q.schedule([a, b, c], b);
  assert.equal(events.filter(e => e.startsWith('queued')).length, 3, 'nothing queued twice');
  pending.get('a')!.resolve([0, 0.5]);
  await tick();
  pending.get('c')!.resolve([-1, 1]);
  await q.idle();
  assert.deepEqual(events.filter(e => e.startsWith('computed')), ['computed b', 'computed a', 'computed c']);

  // A reload: the same take (same key) gets the cached peaks; a take no longer listed is forgotten.
  q.keepOnly(new Set([a.key, b.key]));
  const a2 = new Target(take('a')), c2 = new Target(take('c'));
  q.place(a2);
  q.place(c2);
  assert.deepEqual(a2.shown, [0, 0.5]);
  assert.equal(c2.shown, null);
});

test('peaks from the host stop a queued decode, and replace what is drawn', async () => {
  const { q, order, listed, tick } = setup();
  const a = new Target(take('a')), b = new Target(take('b'));
  listed.add(a).add(b);
  q.schedule([a, b], a);
  await tick();
  q.cancel(b);
  assert.equal(b.decoding, null);
  const b2 = new Target(take('b', [0, 0.25]));
  q.place(b2);
  assert.deepEqual(b2.shown, [0, 0.25]);
  b2.showPeaks([0, 0.1]);
  b2.setStatus('stale');
  q.place(b2);
  assert.deepEqual(b2.shown, [0, 0.25], 'host peaks are drawn again');
  assert.equal(b2.status, '');
  assert.deepEqual(order, ['a'], 'b was never decoded');
});

test('a take that left the page is skipped; a failure is reported once and not retried', async () => {
  const { q, order, pending, listed, events, tick } = setup();
  const a = new Target(take('a')), b = new Target(take('b'));
  listed.add(b);
  q.schedule([a, b], a);
  await tick();
  assert.deepEqual(order, ['b'], 'a is not listed any more');
  pending.get('b')!.reject(new Error('HTTP 404'));
  await q.idle();
  assert.equal(b.failed, true);
  assert.equal(b.status, 'failed');
  assert.ok(events.includes('failed b: HTTP 404'));
  q.schedule([b], b);
  await q.idle();
  assert.deepEqual(order, ['b']);
});

test('the modules these tests load are free of the DOM (they import only each other and src/core)', () => {
  const root = path.resolve(__dirname, '../../../..');
  const domFree = ['model', 'keyboard', 'command', 'reporter', 'peak-queue'];
  for (const name of domFree) {
    const src = readFileSync(path.join(root, 'media/player', `${name}.ts`), 'utf8');
    for (const [, spec] of src.matchAll(/from\s+'([^']+)'/g)) {
      const ok = spec.startsWith('../../src/core/') || domFree.some(d => spec === `./${d}`);
      assert.ok(ok, `media/player/${name}.ts imports ${spec}`);
    }
    assert.doesNotMatch(src, /\b(document|window|HTMLElement|requestAnimationFrame)\b/, `media/player/${name}.ts uses the DOM`);
  }
});
