// A server restart that keeps its disk cache (W, S: a process restart in the same container): the cache answers a
// pending job's last state, progress frozen, for an hour. The job total in /v1/stats going down tells the restart.
// And W/S keep a job they refused with 429 as "queued" in /v1/stats forever: queue_size is what counts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JobManager, MemoryJobStorage } from '../../../src/core/jobs';
import { fake, sleep, tempDir, until } from '../api/helpers';

describe('restarts and the disk cache', () => {
  test('the test server: after a restart that keeps the cache, S answers the job frozen; the job total drops', async t => {
    const s = await fake(t, { flavour: 'S', generationMs: 5000, modelLoadMs: 0 });
    const post = (p: string, body: unknown) => fetch(s.url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(r => r.json() as Promise<{ data: any }>);
    const rel = await post('/release_task', { prompt: 'x' });
    await sleep(600);
    await s.restart({ keepCache: true });
    const a = (await post('/query_result', { task_id_list: [rel.data.task_id] })).data[0];
    await sleep(300);
    const b = (await post('/query_result', { task_id_list: [rel.data.task_id] })).data[0];
    assert.equal(a.status, 0);
    assert.notEqual(a.result, '[]');
    assert.equal(a.result, b.result, 'frozen');
    const stats = await fetch(s.url + '/v1/stats').then(r => r.json() as Promise<{ data: any }>);
    assert.equal(stats.data.jobs.total, 0);
  });

  test('a job the restart caught is lost once /v1/stats shows the restart, not followed forever', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 4000, modelLoadMs: 0, progressSteps: 20 });
    const m = new JobManager({ storage: new MemoryJobStorage(), statsIntervalMs: 200 });
    t.after(() => m.dispose());
    const job = m.submit({ serverUrl: server.url, title: 'Frozen', outputDir: dir, request: { params: { prompt: 'x', batch_size: 1 }, files: {} } });
    await until('running with progress', () => (m.get(job.id)?.progress ?? 0) > 0);
    await sleep(400);
    await server.restart({ keepCache: true });
    const done = await m.waitFor(job.id);
    assert.equal(done.state, 'lost');
    assert.match(done.error!.message, /restarted \(its job count went down\)[\s\S]*frozen/);
    assert.ok(done.elapsedMs < 3500, `lost after ${done.elapsedMs} ms, before the job would have ended`);
  });

  test('W keeps jobs refused with 429 in jobs.queued; queue_size stays exact', async t => {
    const w = await fake(t, { flavour: 'W', queueFull: true });
    const r = await fetch(w.url + '/release_task', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
    assert.equal(r.status, 429);
    const stats = (await fetch(w.url + '/v1/stats').then(x => x.json() as Promise<{ data: any }>)).data;
    assert.equal(stats.jobs.queued, 1);
    assert.equal(stats.queue_size, 0);
  });
});
