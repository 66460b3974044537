// What a finished job may download: at most the takes asked for (the rest is a warning), a few at a time.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JobManager, MemoryJobStorage, type SubmitInput } from '../../../src/core/jobs';
import type { FakeServer } from '../../server/fake-acestep';
import { fake, listFiles, tempDir } from '../api/helpers';

function manager(t: { after(fn: () => Promise<void> | void): void }) {
  const m = new JobManager({ storage: new MemoryJobStorage() });
  t.after(() => m.dispose());
  return m;
}

function input(server: FakeServer, outputDir: string, params: Record<string, unknown>): SubmitInput {
  return { serverUrl: server.url, title: 'Many Takes', outputDir, request: { params: { prompt: 'x', audio_format: 'mp3', ...params }, files: {} } };
}

describe('a server listing more takes than asked', () => {
  test('300 items for batch_size 1: one take kept, a warning says what was left', { timeout: 30_000 }, async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 50, resultItems: 300, audioBytes: 2_000 });
    const m = manager(t);
    const done = await m.waitFor(m.submit(input(server, dir, { batch_size: 1 })).id);
    assert.equal(done.state, 'succeeded', done.error?.message);
    assert.equal(done.takes?.length, 1);
    assert.equal(done.items?.length, 1);
    assert.equal(listFiles(dir).length, 2, listFiles(dir).join(', '));
    assert.equal(server.downloads.total, 1);
    assert.ok(done.warnings?.some(w => /300 takes/.test(w) && /1 was asked/.test(w) && /299/.test(w)), JSON.stringify(done.warnings));
  });

  test('1,500 items and no batch_size: the server default (2) is kept', { timeout: 30_000 }, async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', generationMs: 50, resultItems: 1_500, audioBytes: 2_000 });
    const m = manager(t);
    const done = await m.waitFor(m.submit(input(server, dir, {})).id);
    assert.equal(done.state, 'succeeded', done.error?.message);
    assert.equal(done.takes?.length, 2);
    assert.equal(server.downloads.total, 2);
    assert.ok(done.warnings?.some(w => /1500 takes/.test(w) && /1498/.test(w)), JSON.stringify(done.warnings));
  });

  test('never more than a few downloads at once, whatever the batch', { timeout: 30_000 }, async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 50, downloadDelayMs: 150, audioBytes: 2_000 });
    const m = manager(t);
    const jobs = [0, 1].map(() => m.submit(input(server, dir, { batch_size: 8 })));
    const done = await Promise.all(jobs.map(j => m.waitFor(j.id)));
    for (const d of done) assert.equal(d.state, 'succeeded', d.error?.message);
    assert.equal(server.downloads.total, 16);
    assert.ok(server.downloads.maxActive <= 3, `${server.downloads.maxActive} downloads at once`);
    assert.ok(server.downloads.maxActive >= 2, 'downloads still overlap');
  });
});
