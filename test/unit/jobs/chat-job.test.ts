// Jobs on a chat completions endpoint (flavour C, a hosted ACE-Step): submitted through the JobManager like any
// job, one request per take, each take written through the download path with its sidecar; refusals and faults.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run as generate } from '../../../src/cli/generate';
import { run as status } from '../../../src/cli/status';
import { JobManager, MemoryJobStorage, type SubmitInput } from '../../../src/core/jobs';
import { readProfiles } from '../../../src/core/servers/profiles';
import { cliIO as io } from './cli-io';
import { fake, listFiles, tempDir } from '../api/helpers';

function manager(t: { after(fn: () => Promise<void> | void): void }, apiKey?: string) {
  const m = new JobManager({ storage: new MemoryJobStorage(), ...(apiKey ? { apiKey } : {}) });
  t.after(() => m.dispose());
  return m;
}

const input = (serverUrl: string, outputDir: string, params: Record<string, unknown>, files: SubmitInput['request']['files'] = {}): SubmitInput =>
  ({ serverUrl, title: 'Harbour Lights', outputDir, request: { params: { prompt: 'sea shanty', lyrics: '[Verse]\nhaul away', audio_format: 'mp3', ...params }, files } });

describe('jobs on a chat completions endpoint', () => {
  test('a chat URL: flavour C, one request per take, takes and sidecars on disk, the LM\'s text in the sidecar', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'C', generationMs: 40, chatHeartbeatMs: 10, audioBytes: 5000, apiKey: 'hosted-key' });
    const m = manager(t, 'hosted-key');
    const done = await m.waitFor(m.submit(input(`${server.url}/v1/chat/completions`, dir, { batch_size: 2, bpm: 100, inference_steps: 20 })).id);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.flavour, 'C');
    assert.equal(done.takes?.length, 2);
    assert.equal(server.jobs.length, 2);
    assert.ok(server.jobs.every(j => j.batchSize === 1 && j.params.bpm === 100));
    assert.ok(done.warnings?.some(w => /does not take inference_steps/.test(w)), JSON.stringify(done.warnings));
    const files = listFiles(dir);
    assert.equal(files.length, 4, files.join(', '));
    assert.ok(files.every(f => /^harbour-lights_.*_take[12]\.(mp3|json)$/.test(f)), files.join(', '));
    const take = done.takes![0];
    assert.equal(readFileSync(take.file!).length, 5000);
    const side = JSON.parse(readFileSync(take.sidecar!, 'utf8'));
    assert.equal(side.server?.flavour ?? side.flavour, 'C');
    assert.match(JSON.stringify(side), /haul away/);
    assert.ok(!JSON.stringify(side).includes('hosted-key'));
    assert.ok(server.requests.filter(r => r.method === 'POST').every(r => r.headers.authorization === 'Bearer hosted-key'));
  });

  test('a profile of kind chat (flavour hint C) on a base URL: the route under it, no detection', async t => {
    const kinds = readProfiles({ defaultUrl: 'http://localhost:8001', servers: [
      { name: 'a', kind: 'chat', url: 'https://music.example.com/api' }, { name: 'b', url: 'https://music.example.com/v1/chat/completions' },
    ] }).profiles.map(p => [p.kind, p.url]);
    assert.deepEqual(kinds, [['acestep', 'http://localhost:8001'], ['chat', 'https://music.example.com/api/v1/chat/completions'], ['chat', 'https://music.example.com/v1/chat/completions']]);
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 20, chatHeartbeatMs: 10, audioBytes: 3000 });
    const m = manager(t);
    const done = await m.waitFor(m.submit({ ...input(server.url, dir, { batch_size: 1 }), flavour: 'C' }).id);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    assert.deepEqual(server.requests.map(r => `${r.method} ${r.path}`), ['POST /v1/chat/completions']);
    assert.equal(listFiles(dir).length, 2);
  });

  test('a cover sends its source as base64; extract is refused before anything is sent', async t => {
    const dir = tempDir(t);
    const src = path.join(dir, 'src.wav');
    writeFileSync(src, Buffer.concat([Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt '), Buffer.alloc(100)]));
    const server = await fake(t, { flavour: 'S', generationMs: 20, chatHeartbeatMs: 10, audioBytes: 3000 });
    const m = manager(t);
    const url = `${server.url}/v1/chat/completions`;
    const cover = await m.waitFor(m.submit(input(url, path.join(dir, 'out'), { task_type: 'cover', audio_cover_strength: 0.5, batch_size: 1 }, { src_audio: src })).id);
    assert.equal(cover.state, 'succeeded', JSON.stringify(cover.error));
    assert.deepEqual(server.jobs[0].uploads.src_audio?.data, readFileSync(src));
    assert.equal(server.jobs[0].params.task_type, 'cover');
    const posts = () => server.requests.filter(r => r.method === 'POST').length;
    const before = posts();
    const ex = await m.waitFor(m.submit(input(url, path.join(dir, 'out2'), { task_type: 'extract' }, { src_audio: src })).id);
    assert.equal(ex.state, 'failed');
    assert.equal(ex.error?.kind, 'unsupported');
    assert.equal(posts(), before);
    assert.equal(server.jobs.length, 1);
  });

  test('an answer that is not audio fails the job, and nothing is left on disk; a server failure keeps its words', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 10, chatHeartbeatMs: 5, notAudio: { body: '<html>oops</html>' } });
    const m = manager(t);
    const url = `${server.url}/v1/chat/completions`;
    const bad = await m.waitFor(m.submit(input(url, dir, { batch_size: 1 })).id);
    assert.equal(bad.state, 'failed');
    assert.equal(bad.error?.kind, 'bad-response');
    assert.match(bad.error?.message ?? '', /not mp3 audio/);
    assert.deepEqual(listFiles(dir), []);
    await server.setOptions({ notAudio: null, failNext: true });
    const failed = await m.waitFor(m.submit(input(url, dir, { batch_size: 1 })).id);
    assert.equal(failed.state, 'failed');
    assert.match(failed.error?.message ?? '', /CUDA out of memory/);
    assert.deepEqual(listFiles(dir), []);
  });
});

describe('acestep-song with a chat completions endpoint', () => {
  test('generate --server <chat URL> with ACESTEP_API_KEY; status says what it is without generating', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'harbour.song'), '---\ntitle: Harbour\ncaption: sea shanty\nbatch_size: 1\n---\n[Verse]\nhaul away\n');
    const server = await fake(t, { flavour: 'C', generationMs: 30, chatHeartbeatMs: 10, audioBytes: 3000, apiKey: 'k' });
    const url = `${server.url}/v1/chat/completions`;
    const g = io(dir, { ACESTEP_API_KEY: 'k' });
    assert.equal(await generate(['harbour.song', '--server', url, '--json'], g.cli), 0, g.err.join('\n'));
    const res = JSON.parse(g.out.join('\n'));
    assert.equal(res.status, 'succeeded');
    assert.equal(res.flavour, 'C');
    assert.equal(res.files.length, 1);
    const s = io(dir, {});
    assert.equal(await status(['--server', url], s.cli), 0, s.err.join('\n'));
    assert.match(s.out.join('\n'), /flavour\s+C \(hosted chat endpoint/);
    assert.match(s.out.join('\n'), /queue\s+not reported/);
    assert.equal(server.jobs.length, 1, 'status generated nothing');
    const w = io(dir, {});
    assert.equal(await generate(['harbour.song', '--server', url, '--json'], w.cli), 1);
    assert.match(w.err.join('\n'), /API key/);
  });
});
