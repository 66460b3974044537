// The job submit path decides from the server's capabilities before /release_task: refusals (with the way out as
// advice), the hand-off of audio to a server that reads paths, the seed note, the place in the queue.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { adviceFor, describeProgress, JobManager, MemoryJobStorage, type SubmitInput } from '../../../src/core/jobs';
import type { FakeServer } from '../../server/fake-acestep';
import { fake, tempDir, until } from '../api/helpers';

function manager(t: { after(fn: () => Promise<void> | void): void }, options: Partial<ConstructorParameters<typeof JobManager>[0]> = {}) {
  const m = new JobManager({ storage: new MemoryJobStorage(), queueFullDelaysMs: [50], ...options });
  t.after(() => m.dispose());
  return m;
}

function editInput(server: FakeServer, dir: string, src: string, params: Record<string, unknown> = {}): SubmitInput {
  return {
    serverUrl: server.url, title: 'Take (repaint 4–8 s)', outputDir: dir,
    request: { params: { prompt: 'x', batch_size: 1, task_type: 'repaint', repainting_start: 4, repainting_end: 8, ...params }, files: { src_audio: src } },
  };
}

describe('submit: capabilities decide before anything is sent', () => {
  const take = (t: Parameters<typeof tempDir>[0]) => {
    const dir = tempDir(t);
    const src = path.join(dir, 'take.wav');
    writeFileSync(src, 'RIFF');
    return { dir, src };
  };

  test('the Gradio API: refused, "Editing needs the standalone API", a Switch to API Mode button; no /release_task', async t => {
    const { dir, src } = take(t);
    const server = await fake(t, { flavour: 'G' });
    const m = manager(t);
    const done = await m.waitFor(m.submit(editInput(server, dir, src)).id);
    assert.equal(done.state, 'failed');
    assert.equal(done.error?.kind, 'unsupported');
    assert.match(done.error!.message, /^Editing needs the standalone API: the server is the Gradio UI with its API/);
    assert.deepEqual(adviceFor(done).map(a => [a.id, a.label]), [['switch-to-api', 'Switch to API Mode']]);
    assert.match(adviceFor(done, { surface: 'terminal' })[0].text, /acestep-song mode api/);
    assert.equal(server.requests.filter(r => r.path === '/release_task').length, 0);
  });

  test('S without a hand-off: refused with the server\'s bug and the way out; with one: the path in JSON, and it succeeds', async t => {
    const { dir, src } = take(t);
    const server = await fake(t, { flavour: 'S', generationMs: 50 });
    const m1 = manager(t);
    const r1 = await m1.waitFor(m1.submit(editInput(server, dir, src)).id);
    assert.equal(r1.error?.kind, 'unsupported');
    assert.match(r1.error!.message, /answers HTTP 500 to every upload/);
    assert.deepEqual(adviceFor(r1), []);
    assert.equal(server.requests.filter(r => r.path === '/release_task').length, 0);

    const asked: string[] = [];
    const m2 = manager(t, { handOff: async url => { asked.push(url); return async (_f, file) => `/app/inputs/${path.basename(file)}`; } });
    const r2 = await m2.waitFor(m2.submit(editInput(server, dir, src)).id);
    assert.equal(r2.state, 'succeeded', r2.error?.message);
    assert.deepEqual(asked, [server.url]);
    assert.deepEqual(server.jobs[0].task.srcAudio, { serverPath: '/app/inputs/take.wav' });
    assert.equal(server.jobs[0].task.instruction, 'Repaint the mask area based on the given conditions:');
  });

  test('a fixed seed on a server that ignores seeds: said once, in the job and the take\'s sidecar', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', generationMs: 50 });
    const m = manager(t);
    const done = await m.waitFor(m.submit({ serverUrl: server.url, title: 'Seeded', outputDir: dir, request: { params: { prompt: 'x', batch_size: 1, seed: 42, use_random_seed: false }, files: {} } }).id);
    assert.equal(done.state, 'succeeded');
    const notes = (done.warnings ?? []).filter(w => /seed/.test(w));
    assert.equal(notes.length, 1, notes.join(' | '));
    assert.match(notes[0], /standalone API \(Docker wrapper\) ignores seed 42/);
    const side = JSON.parse(readFileSync(done.takes![0].sidecar!, 'utf8'));
    assert.ok(side.warnings.includes(notes[0]));
    assert.notEqual(side.result.seed, 42);
  });

  test('behind a running job, queue_position 1 is "1 job ahead", and the job is queued, not generating', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', generationMs: 1500 });
    const m = manager(t);
    const first = m.submit({ serverUrl: server.url, title: 'First', outputDir: dir, request: { params: { prompt: 'a', batch_size: 1 }, files: {} } });
    await until('the first job runs', () => server.jobs.length === 1 && server.jobState(server.jobs[0].id) === 'running');
    const second = m.submit({ serverUrl: server.url, title: 'Second', outputDir: dir, request: { params: { prompt: 'b', batch_size: 1 }, files: {} } });
    await until('the second job is accepted', () => m.get(second.id)?.taskId !== undefined);
    const s = m.get(second.id)!;
    assert.equal(s.queuePosition, 1);
    assert.equal(s.jobsAhead, 1);
    assert.equal(s.state, 'queued');
    assert.equal(describeProgress(s), 'queued, 1 job ahead');
    await m.waitFor(first.id);
    await m.waitFor(second.id);
  });
});
