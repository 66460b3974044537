// A song's `lora`: the adapter is loaded on the server before /release_task, the sidecar reports it, and a
// server without the LoRA routes refuses the job by name before anything is sent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { JobManager, MemoryJobStorage, planJob, readSidecar } from '../../../src/core/jobs';
import { parseSong } from '../../../src/core/song';
import { parseLora } from '../../../src/core/song/lora';
import { lintSong } from '../../../src/core/song';
import { fake, tempDir } from '../api/helpers';

const SONG = (lora: string) => `---\ntitle: Adapter Test\ncaption: city pop\nlora: ${lora}\n---\n[verse]\nneon\n`;

describe('the lora key', () => {
  test('path, optional @ scale; a scale outside 0–1 or no path is an error', () => {
    assert.deepEqual(parseLora('/loras/city-pop'), { path: '/loras/city-pop' });
    assert.deepEqual(parseLora(' /loras/my style @ 0.7 '), { path: '/loras/my style', scale: 0.7 });
    assert.ok('error' in parseLora('/loras/x @ 1.5'));
    assert.ok('error' in parseLora('@ 0.5'));
    const d = lintSong(parseSong(SONG('/loras/x @ 2'))).filter(x => x.code === 'invalid-value');
    assert.equal(d.length, 1);
    assert.match(d[0].message, /between 0 and 1/);
    assert.equal(lintSong(parseSong(SONG('/loras/x @ 0.5'))).filter(x => x.severity === 'error').length, 0);
  });

  test('U: the adapter and scale are loaded before the job; the sidecar reports them', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'U', generationMs: 30, loraAdapters: ['/loras/city-pop'] });
    const m = new JobManager({ storage: new MemoryJobStorage(), queueFullDelaysMs: [] });
    t.after(() => m.dispose());
    // A fresh U has no model before its first job: the load says so in words a user can act on.
    const first = await m.waitFor(m.submit(planJob({ song: parseSong(SONG('/loras/city-pop @ 0.7')), serverUrl: server.url, outputDir: dir })).id);
    assert.equal(first.state, 'failed');
    assert.match(first.error!.message, /not loaded its models yet.*Generate once without `lora`/);
    assert.equal(server.jobs.length, 0);
    await m.waitFor(m.submit(planJob({ song: parseSong(SONG('/loras/city-pop').replace(/lora:.*\n/, '')), serverUrl: server.url, outputDir: dir })).id);
    const done = await m.waitFor(m.submit(planJob({ song: parseSong(SONG('/loras/city-pop @ 0.7')), serverUrl: server.url, outputDir: dir })).id);
    assert.equal(done.state, 'succeeded', done.error?.message);
    const paths = server.requests.map(r => r.path);
    const load = paths.indexOf('/v1/lora/load');
    assert.ok(load >= 0 && paths.indexOf('/v1/lora/scale') > load && paths.lastIndexOf('/release_task') > paths.indexOf('/v1/lora/scale'), paths.join(' '));
    const sc = readSidecar(JSON.parse(readFileSync(done.takes![0].sidecar!, 'utf8')));
    assert.deepEqual(sc?.lora, { path: '/loras/city-pop', scale: 0.7 });
    // Old sidecars (no lora field) still read.
    const old = JSON.parse(readFileSync(done.takes![0].sidecar!, 'utf8'));
    delete old.lora;
    assert.equal(readSidecar(old)?.lora, null);
  });

  test('S: refused before anything is sent, naming the server kind', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 30 });
    const m = new JobManager({ storage: new MemoryJobStorage(), queueFullDelaysMs: [] });
    t.after(() => m.dispose());
    const done = await m.waitFor(m.submit(planJob({ song: parseSong(SONG('/loras/x')), serverUrl: server.url, outputDir: dir })).id);
    assert.equal(done.state, 'failed');
    assert.match(done.error!.message, /upstream standalone API \(early 2026\) has no style adapter \(LoRA\) routes/);
    assert.ok(!server.requests.some(r => r.path === '/release_task' || r.path.startsWith('/v1/lora')));
  });
});
