import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { JobManager, MemoryJobStorage, type JobManagerOptions, type JobSnapshot, type SubmitInput } from '../../../src/core/jobs';
import type { FakeServer } from '../../server/fake-acestep';
import { fake, listFiles, sleep, tempDir, until } from '../api/helpers';
import { ManualClock } from './manual-clock';

function manager(t: { after(fn: () => Promise<void> | void): void }, options: Partial<JobManagerOptions> = {}) {
  const storage = (options.storage as MemoryJobStorage | undefined) ?? new MemoryJobStorage();
  const m = new JobManager({ storage, queueFullDelaysMs: [50, 50], ...options });
  t.after(() => m.dispose());
  return { m, storage };
}

function input(server: FakeServer, outputDir: string, extra: Partial<SubmitInput> = {}): SubmitInput {
  return {
    serverUrl: server.url,
    title: 'Tempest of the Night',
    outputDir,
    request: { params: { prompt: 'symphonic metal', lyrics: '[Verse]\nThrough frozen wastelands', batch_size: 2, audio_format: 'mp3' }, files: {} },
    ...extra,
  };
}

/** Asserts the folder has exactly the job's takes and sidecars, nothing half-written. */
function assertTakes(dir: string, job: JobSnapshot, count: number): void {
  assert.equal(job.state, 'succeeded', job.error?.message);
  assert.equal(job.takes?.length, count);
  const names = listFiles(dir);
  assert.equal(names.length, count * 2, names.join(', '));
  assert.ok(names.every(n => /^tempest-of-the-night_\d{4}-\d{2}-\d{2}_\d{4}_take\d+\.(mp3|json|wav|flac)$/.test(n)), names.join(', '));
  for (const take of job.takes!) {
    assert.ok(take.file && existsSync(take.file));
    assert.ok(take.sidecar && existsSync(take.sidecar));
    assert.equal(take.sidecar, take.file!.replace(/\.\w+$/, '.json'));
  }
}

describe('JobManager: whole lifecycle', () => {
  test('S: submit → progress → download, sidecars with the server\'s answer', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 1200, progressSteps: 10, audioBytes: 50_000 });
    const { m, storage } = manager(t);
    const seen: JobSnapshot[] = [];
    m.onDidChange(s => seen.push(s));
    const job = m.submit(input(server, dir));
    assert.equal(job.state, 'submitting');
    const done = await m.waitFor(job.id);
    assertTakes(dir, done, 2);
    assert.equal(done.flavour, 'S');
    assert.ok(seen.some(s => s.state === 'running' && s.progress! > 0 && s.progress! < 1 && /Generating|Decoding|Preparing/.test(s.stage ?? '')), 'progress was reported');
    assert.ok(seen.some(s => s.state === 'downloading'));
    assert.ok(seen.some(s => s.etaMs !== undefined));
    const [t1, t2] = done.takes!;
    assert.match(path.basename(t1.file!), /_take1\.mp3$/);
    assert.match(path.basename(t2.file!), /_take2\.mp3$/);
    const fj = server.jobs[0];
    assert.ok(readFileSync(t1.file!).equals(server.expectedBytes(fj.files[0])));
    const side = JSON.parse(readFileSync(t1.sidecar!, 'utf8'));
    assert.equal(side.task_id, fj.id);
    assert.deepEqual(side.server, { url: server.url, flavour: 'S', name: null, label: 'upstream standalone API (early 2026)' });
    assert.deepEqual(side.request.params.prompt, 'symphonic metal');
    assert.equal(side.result.caption, 'symphonic metal');
    assert.equal(side.result.seed, fj.seeds[0]);
    assert.deepEqual(side.result.seeds, fj.seeds);
    assert.equal(side.result.metas.bpm, null);
    assert.equal(side.result.dit_model, 'acestep-v15-turbo');
    assert.ok(side.timings.submitted && side.timings.finished_on_server && side.timings.downloaded);
    assert.ok(Date.parse(side.timings.finished_on_server) >= fj.endAt - 5, 'finished_on_server is the first poll seeing it done');
    await m.flush();
    assert.equal(storage.records.find(r => r.id === job.id)?.state, 'succeeded');
    // Done quickly after the server finished (adaptive polling, not a fixed 5 s).
    assert.ok(Date.parse(side.timings.downloaded) - fj.endAt < 1500, `${Date.parse(side.timings.downloaded) - fj.endAt} ms after the end`);
  });

  test('W (no progress): still finishes promptly and names files from the title', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', generationMs: 600 });
    const { m } = manager(t);
    const job = m.submit(input(server, dir, { request: { params: { prompt: 'x', batch_size: 1, audio_format: 'wav' }, files: {} } }));
    const done = await m.waitFor(job.id);
    assertTakes(dir, done, 1);
    assert.match(done.takes![0].file!, /_take1\.wav$/);
    assert.equal(done.progress, 1);
  });

  test('G: blocking release, then one query for the files', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'G', generationMs: 500 });
    const { m } = manager(t);
    const job = m.submit(input(server, dir, {
      request: { params: { prompt: 'x', batch_size: 2, model: 'acestep-v15-base' }, files: {} },
    }));
    await until('running', () => m.get(job.id)!.state === 'running');
    const done = await m.waitFor(job.id);
    assertTakes(dir, done, 2);
    assert.equal(done.flavour, 'G');
    assert.match(done.warnings?.[0] ?? '', /model/);
    assert.equal(server.requests.filter(r => r.path === '/query_result').length, 1);
    assert.equal(server.requests.filter(r => r.path === '/v1/stats').length, 0);
  });

  test('U: the first job waits for the model load, then succeeds; U honours the seed', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'U', generationMs: 300, modelLoadMs: 800 });
    const { m } = manager(t);
    const job = m.submit(input(server, dir, { request: { params: { prompt: 'x', batch_size: 2, seed: 42, use_random_seed: false }, files: {} } }));
    const done = await m.waitFor(job.id);
    assertTakes(dir, done, 2);
    const side = JSON.parse(readFileSync(done.takes![1].sidecar!, 'utf8'));
    assert.deepEqual(side.result.seeds, [42, 43]);
    assert.equal(side.result.seed, 43);
  });

  test('several jobs at once share one /query_result per round', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 900, workers: 4 });
    const { m } = manager(t);
    const jobs = [0, 1, 2, 3].map(i => m.submit(input(server, path.join(dir, String(i)), { request: { params: { prompt: `p${i}`, batch_size: 1 }, files: {} } })));
    const done = await Promise.all(jobs.map(j => m.waitFor(j.id)));
    for (const [i, d] of done.entries()) assertTakes(path.join(dir, String(i)), d, 1);
    const batched = server.requests.filter(r => r.path === '/query_result').map(r => JSON.parse(r.body).task_id_list.length);
    assert.ok(Math.max(...batched) >= 3, `batches: ${batched}`);
  });

  test('takes of later jobs in the same minute continue the count', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 50 });
    const { m } = manager(t);
    const a = await m.waitFor(m.submit(input(server, dir)).id);
    const b = await m.waitFor(m.submit(input(server, dir)).id);
    const nums = [...a.takes!, ...b.takes!].map(x => Number(/take(\d+)\./.exec(x.file!)![1])).sort();
    if (new Date(a.submittedAt!).getMinutes() === new Date(b.submittedAt!).getMinutes()) assert.deepEqual(nums, [1, 2, 3, 4]);
    assert.equal(new Set([...a.takes!, ...b.takes!].map(x => x.file)).size, 4);
  });
});

describe('JobManager: failures end clearly, nothing half-written', () => {
  test('server down at submit → failed (unreachable)', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', down: true });
    const { m } = manager(t);
    const done = await m.waitFor(m.submit(input(server, dir)).id);
    assert.equal(done.state, 'failed');
    assert.equal(done.error?.kind, 'unreachable');
    assert.match(done.error!.message, /Cannot reach the ACE-Step server/);
    assert.deepEqual(listFiles(dir), []);
  });

  test('server restarted mid-job → lost, not polled forever', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 3000 });
    const { m } = manager(t);
    const job = m.submit(input(server, dir));
    await until('running', () => m.get(job.id)!.state === 'running');
    await sleep(300);
    await server.restart();
    const done = await m.waitFor(job.id);
    assert.equal(done.state, 'lost');
    assert.match(done.error!.message, /no longer knows this job/);
    assert.match(done.error!.message, /restart/);
    assert.ok(done.elapsedMs < 6000, `lost after ${done.elapsedMs} ms`);
    assert.deepEqual(listFiles(dir), []);
  });

  test('server down for a while and back without the job → lost', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', generationMs: 4000 });
    const { m } = manager(t);
    const job = m.submit(input(server, dir));
    await until('tracked', () => (m.get(job.id)!.polls ?? 0) >= 1);
    await server.setOptions({ down: true });
    await sleep(1200);
    await server.restart();
    await server.setOptions({ down: false });
    const done = await m.waitFor(job.id);
    assert.equal(done.state, 'lost');
    assert.match(done.error!.message, /unreachable for a while|restarted/);
  });

  test('401 → failed (auth), and the key is in no message', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', apiKey: 'the-real-key' });
    const { m } = manager(t, { apiKey: 'a-wrong-key' });
    const done = await m.waitFor(m.submit(input(server, dir)).id);
    assert.equal(done.state, 'failed');
    assert.equal(done.error?.kind, 'auth');
    assert.ok(!JSON.stringify(done).includes('a-wrong-key'));
  });

  test('429: retried with backoff, then a clear error', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', queueFull: true });
    const { m } = manager(t);
    const done = await m.waitFor(m.submit(input(server, dir)).id);
    assert.equal(done.state, 'failed');
    assert.equal(done.error?.kind, 'queue-full');
    assert.match(done.error!.message, /still full after 3 tries/);
    assert.equal(server.requests.filter(r => r.path === '/release_task').length, 3);
  });

  test('429 that clears up: the retry gets through', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', queueFull: true, generationMs: 100 });
    const { m } = manager(t, { queueFullDelaysMs: [300, 300] });
    const job = m.submit(input(server, dir));
    setTimeout(() => void server.setOptions({ queueFull: false }), 150);
    const done = await m.waitFor(job.id);
    assertTakes(dir, done, 2);
  });

  test('plain-text 500 at submit → failed with the server\'s words', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', plainText500: true });
    const { m } = manager(t);
    const done = await m.waitFor(m.submit(input(server, dir)).id);
    assert.equal(done.state, 'failed');
    assert.equal(done.error?.kind, 'server');
    assert.equal(done.error?.serverMessage, 'Internal Server Error');
  });

  test('garbage from /query_result: a passing hiccup is survived, a lasting one fails', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 800, garbage: { kind: 'html', endpoints: ['/query_result'], times: 1 } });
    // The same backoff rule, on a short base, so that five bad answers come in well under a second.
    const { m } = manager(t, { polling: { failureBackoffMs: 20 } });
    const ok = await m.waitFor(m.submit(input(server, path.join(dir, 'a'))).id);
    assertTakes(path.join(dir, 'a'), ok, 2);
    await server.setOptions({ garbage: { kind: 'truncated', endpoints: ['/query_result'] }, generationMs: 60_000 });
    const bad = await m.waitFor(m.submit(input(server, path.join(dir, 'b'))).id);
    assert.equal(bad.state, 'failed');
    assert.equal(bad.error?.kind, 'bad-response');
    assert.match(bad.error!.message, /\/query_result/);
  });

  test('failed jobs: W shows the traceback\'s last line; thinking without the LM says so', async t => {
    const dir = tempDir(t);
    const w = await fake(t, { flavour: 'W', generationMs: 100, failNext: true });
    const s = await fake(t, { flavour: 'S', generationMs: 100, lmLoaded: false });
    const { m } = manager(t);
    const a = await m.waitFor(m.submit(input(w, dir)).id);
    assert.equal(a.state, 'failed');
    assert.match(a.error!.message, /RuntimeError: Music generation failed: CUDA out of memory/);
    assert.match(a.error!.serverMessage ?? '', /^Traceback/);
    const b = await m.waitFor(m.submit(input(s, dir, { request: { params: { prompt: 'x', thinking: true }, files: {} } })).id);
    assert.equal(b.state, 'failed');
    assert.match(b.error!.message, /5 Hz LM/);
    assert.deepEqual(listFiles(dir), []);
  });

  test('download cut once: the retry succeeds', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 100, audioBytes: 800_000, cutDownloadAt: 300_000 });
    const { m } = manager(t);
    const done = await m.waitFor(m.submit(input(server, dir, { request: { params: { prompt: 'x', batch_size: 1 }, files: {} } })).id);
    assertTakes(dir, done, 1);
    assert.equal(done.takes![0].bytes, 800_000);
  });

  test('download always cut: failed, result kept, no file left; retryDownload then succeeds', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 100, audioBytes: 400_000, cutDownloadAt: { bytes: 100_000, always: true } });
    const { m, storage } = manager(t, { downloadAttempts: 2 });
    const job = m.submit(input(server, dir));
    const failed = await m.waitFor(job.id);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.error?.kind, 'unreachable');
    assert.match(failed.error!.message, /Downloaded 0 of 2 take\(s\).*retry the download/s);
    assert.equal(failed.items?.length, 2);
    assert.deepEqual(listFiles(dir), []);
    await m.flush();
    assert.equal(storage.records[0].items?.length, 2, 'the result is persisted');
    await server.setOptions({ cutDownloadAt: null });
    const done = await m.retryDownload(job.id);
    assertTakes(dir, done, 2);
  });

  test('an unwritable output folder → disk error, result kept', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'blocker'), 'x');
    const server = await fake(t, { flavour: 'S', generationMs: 50 });
    const { m } = manager(t);
    const done = await m.waitFor(m.submit(input(server, path.join(dir, 'blocker', 'out'))).id);
    assert.equal(done.state, 'failed');
    assert.equal(done.error?.kind, 'disk');
    assert.equal(done.items?.length, 2);
  });

  test('cancel stops tracking at once', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 5000 });
    const clock = new ManualClock();
    const { m } = manager(t, { clock });
    const job = m.submit(input(server, dir));
    await until('running', () => m.get(job.id)!.state === 'running');
    assert.equal(m.cancel(job.id), true);
    const done = await m.waitFor(job.id);
    assert.equal(done.state, 'cancelled');
    const polls = server.requests.filter(r => r.path === '/query_result').length;
    await clock.advance(60_000);
    assert.equal(server.requests.filter(r => r.path === '/query_result').length, polls);
  });
});

describe('JobManager: persistence', () => {
  test('resume after a "reload": a new manager over the same storage finishes the job', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 1500 });
    const storage = new MemoryJobStorage();
    const first = new JobManager({ storage });
    const job = first.submit(input(server, dir));
    await until('running', () => first.get(job.id)!.state === 'running');
    await first.dispose();
    assert.equal(storage.records.find(r => r.id === job.id)?.state, 'running');
    const second = new JobManager({ storage });
    t.after(() => second.dispose());
    assert.equal(second.pending().length, 1);
    second.resume();
    const done = await second.waitFor(job.id);
    assertTakes(dir, done, 2);
  });

  test('a job interrupted while submitting is lost on resume; history is bounded', async t => {
    const storage = new MemoryJobStorage([
      { id: 'a', serverUrl: 'http://127.0.0.1:9', title: 'x', outputDir: '/tmp/x', request: { params: {}, files: {} }, state: 'submitting', createdAt: 1 },
      ...Array.from({ length: 5 }, (_, i) => ({
        id: `h${i}`, serverUrl: 'http://127.0.0.1:9', title: 'x', outputDir: '/tmp/x', request: { params: {}, files: {} },
        state: 'succeeded' as const, createdAt: i, finishedAt: 100 + i,
      })),
    ]);
    const m = new JobManager({ storage, historyLimit: 3 });
    t.after(() => m.dispose());
    m.resume();
    const a = await m.waitFor('a');
    assert.equal(a.state, 'lost');
    assert.match(a.error!.message, /interrupted while being submitted/);
    await m.flush();
    assert.deepEqual(storage.records.map(r => r.id).sort(), ['a', 'h3', 'h4']);
  });
});
