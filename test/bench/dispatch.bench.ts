// Dispatch bench (issue 16, item 6), one JSON object per line on stdout. Build first: node esbuild.mjs --tests
//   node out/test/bench/dispatch.bench.js
// 20 songs of mixed lengths (30–240 s of audio) over two test servers, one at 1× and one at 0.6× the speed (a job
// takes its audio length × MS_PER_AUDIO_SECOND ms on the fast one, ÷ 0.6 on the slow one: the times are scaled
// down so the whole bench runs in well under a minute). Three runs on fresh servers: our Dispatcher (default
// timing: it learns the speeds as it goes), round-robin (every song sent at once, alternating), one server (the
// fast one). The makespan is read from the servers' own job times (first start to last end). The best schedule is
// computed afterwards from the same job times: every one of the 2^20 splits of the songs over the two servers.
// Target: ours within 15% of the best.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { JobManager, MemoryJobStorage } from '../../src/core/jobs';
import { Dispatcher } from '../../src/core/jobs/dispatch';
import { startFakeAceStep, timedByDuration, type FakeServer } from '../server/fake-acestep';

const SONGS = 20;
const MS_PER_AUDIO_SECOND = 4;
const SLOW_SPEED = 0.6;
const TARGET = 1.15;

const emit = (o: Record<string, unknown>) => process.stdout.write(JSON.stringify(o) + '\n');
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** A reproducible 30–240 s length per song. */
function lengths(n: number, seed = 16): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return 30 + (x % 211);
  });
}

const song = (dir: string, i: number, seconds: number) => ({
  title: `bench song ${i}`, outputDir: path.join(dir, `song-${i}`), audioSeconds: seconds,
  request: { params: { prompt: `bench ${i}`, lyrics: '[inst]', audio_duration: seconds, batch_size: 1, audio_format: 'mp3' }, files: {} },
});

async function servers(): Promise<[FakeServer, FakeServer]> {
  return [
    await startFakeAceStep({ flavour: 'S', generationMs: timedByDuration(MS_PER_AUDIO_SECOND), audioBytes: 8192 }),
    await startFakeAceStep({ flavour: 'S', generationMs: timedByDuration(MS_PER_AUDIO_SECOND / SLOW_SPEED), audioBytes: 8192 }),
  ];
}

/** First start to last end on the servers (ms), and each server's job count. */
function makespan(pair: FakeServer[]): { ms: number; jobs: number[] } {
  const all = pair.flatMap(s => s.jobs);
  return { ms: Math.max(...all.map(j => j.endAt)) - Math.min(...all.map(j => j.startAt)), jobs: pair.map(s => s.jobs.length) };
}

async function run(name: string, send: (m: JobManager, pair: [FakeServer, FakeServer], lens: number[]) => Promise<void>, lens: number[]) {
  const pair = await servers();
  const m = new JobManager({ storage: new MemoryJobStorage() });
  const wall = Date.now();
  try {
    await send(m, pair, lens);
  } finally {
    await m.dispose();
    for (const s of pair) await s.close();
  }
  const r = makespan(pair);
  return { name, makespanMs: r.ms, wallMs: Date.now() - wall, jobs: r.jobs };
}

async function ours(m: JobManager, pair: [FakeServer, FakeServer], lens: number[], dir: string): Promise<void> {
  const d = new Dispatcher({
    manager: m,
    servers: pair.map((s, i) => ({ name: i ? 'slow' : 'fast', url: s.url, kind: 'acestep' as const, enabled: true, isDefault: false })),
  });
  // Longest first, as the CLI and the editor enqueue them.
  d.enqueue(lens.map((s, i) => song(path.join(dir, 'ours'), i, s)).sort((a, b) => b.audioSeconds - a.audioSeconds));
  const done = await d.settled();
  await d.dispose();
  const bad = done.filter(e => e.job?.state !== 'succeeded');
  if (bad.length) throw new Error(`ours: ${bad.length} song(s) did not make it`);
}

async function submitAll(m: JobManager, urls: string[], lens: number[], dir: string): Promise<void> {
  const ids = lens.map((s, i) => m.submit({ ...song(dir, i, s), serverUrl: urls[i % urls.length]! }).id);
  const done = await Promise.all(ids.map(id => m.waitFor(id)));
  if (done.some(j => j.state !== 'succeeded')) throw new Error('a job did not make it');
}

/** The best split of the songs over the two servers: each song's time on each, every one of the 2^n splits. */
export function bestMakespan(fast: number[], slow: number[]): number {
  const n = fast.length;
  let best = Infinity;
  let a = 0;
  let b = slow.reduce((x, y) => x + y, 0);
  // Gray code: one song changes server per step.
  let gray = 0;
  for (let k = 1; k <= 1 << n; k++) {
    best = Math.min(best, Math.max(a, b));
    if (k === 1 << n) break;
    const bit = Math.log2(k & -k);
    const mask = 1 << bit;
    if (gray & mask) { a -= fast[bit]!; b += slow[bit]!; } else { a += fast[bit]!; b -= slow[bit]!; }
    gray ^= mask;
  }
  return best;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'acestep-dispatch-bench-'));
  try {
    const lens = lengths(SONGS);
    const results = [
      await run('ours', (m, pair, l) => ours(m, pair, l, dir), lens),
      await run('round-robin', (m, pair, l) => submitAll(m, pair.map(s => s.url), l, path.join(dir, 'rr')), lens),
      await run('one-server', (m, pair, l) => submitAll(m, [pair[0].url], l, path.join(dir, 'one')), lens),
    ];
    const fast = lens.map(s => timedByDuration(MS_PER_AUDIO_SECOND)({ audio_duration: s }));
    const slow = lens.map(s => timedByDuration(MS_PER_AUDIO_SECOND / SLOW_SPEED)({ audio_duration: s }));
    const best = bestMakespan(fast, slow);
    for (const r of results) {
      emit({ bench: 'dispatch.makespan', run: r.name, makespan_ms: r.makespanMs, wall_ms: r.wallMs, jobs_per_server: r.jobs, ratio_to_best: round(r.makespanMs / best, 3) });
    }
    const ourRatio = results[0]!.makespanMs / best;
    emit({
      bench: 'dispatch.summary', songs: SONGS, audio_seconds: lens.reduce((x, y) => x + y, 0), speeds: [1, SLOW_SPEED],
      best_ms: best, ours_ms: results[0]!.makespanMs, ratio: round(ourRatio, 3), target: TARGET, ok: ourRatio <= TARGET,
    });
    if (ourRatio > TARGET) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
