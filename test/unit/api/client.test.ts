import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { AceStepClient, AceStepError, type Flavour, type ResultItem } from '../../../src/core/api';
import { fake, listFiles, sleep, tempDir } from './helpers';

async function rejectsKind(p: Promise<unknown>, kind: string, check?: (e: AceStepError) => void): Promise<AceStepError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AceStepError, `expected an AceStepError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assert.equal(e.kind, kind, `kind of: ${e.message}`);
    check?.(e);
    return e;
  }
  assert.fail(`expected a '${kind}' error`);
}

/** Submits one job and waits until the fake has finished it; returns its result items. */
async function finishedItems(client: AceStepClient, flavour: Flavour, params: Record<string, unknown> = { prompt: 'synthwave', lyrics: '[inst]', batch_size: 2 }): Promise<ResultItem[]> {
  const { taskId } = await client.releaseTask({ params, files: {} }, { flavour });
  for (;;) {
    const [st] = await client.queryResult([taskId]);
    if (st.status === 1) return st.items;
    if (st.status === 2) throw new Error('job failed');
    await sleep(50);
  }
}

describe('flavour detection', () => {
  for (const flavour of ['W', 'S', 'U', 'G'] as const) {
    test(`recognises ${flavour}`, async t => {
      const server = await fake(t, { flavour, models: ['acestep-v15-turbo', 'acestep-v15-base'] });
      const client = new AceStepClient({ baseUrl: server.url });
      t.after(() => client.close());
      const info = await client.detectFlavour();
      assert.equal(info.flavour, flavour);
      assert.ok(!('flavour' in client), 'the client holds no flavour: callers pass it per call');
      assert.deepEqual(info.models.map(m => m.name).sort(), ['acestep-v15-base', 'acestep-v15-turbo']);
      assert.equal(info.defaultModel, 'acestep-v15-turbo');
      assert.equal(info.hasStats, flavour !== 'G');
      assert.equal(info.service, flavour === 'G' ? 'ACE-Step Gradio API' : 'ACE-Step API');
      if (flavour === 'U') {
        assert.equal(info.modelsInitialized, false); // U loads its models on the first job…
        assert.equal(info.lmLoaded, undefined); // …so whether the LM will be there is not known yet
      } else {
        assert.equal(info.lmLoaded, undefined);
      }
    });
  }

  test('W with an API key and no key here: /v1/models is protected, so it is W', async t => {
    const server = await fake(t, { flavour: 'W', apiKey: 'sekret' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const info = await client.detectFlavour();
    assert.equal(info.flavour, 'W');
    assert.equal(info.authRequired, true);
  });

  test('S with an API key: /v1/models stays open and is the OpenAI list', async t => {
    const server = await fake(t, { flavour: 'S', apiKey: 'sekret' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    assert.equal((await client.detectFlavour()).flavour, 'S');
  });

  test('stats: figures on W/S/U, null on G', async t => {
    const s = await fake(t, { flavour: 'S' });
    const g = await fake(t, { flavour: 'G' });
    const cs = new AceStepClient({ baseUrl: s.url });
    const cg = new AceStepClient({ baseUrl: g.url });
    t.after(() => Promise.all([cs.close(), cg.close()]).then(() => undefined));
    const stats = await cs.stats();
    assert.ok(stats);
    assert.equal(stats.avgJobSeconds, 5);
    assert.equal(stats.queueMaxsize, 200);
    assert.deepEqual(stats.jobs, { total: 0, queued: 0, running: 0, succeeded: 0, failed: 0 });
    assert.equal(await cg.stats(), null);
  });
});

describe('errors end as AceStepError with a clear kind', () => {
  test('server down → unreachable, naming the server', async t => {
    const server = await fake(t, { down: true });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    await rejectsKind(client.health(), 'unreachable', e => {
      assert.match(e.message, /Cannot reach the ACE-Step server at http:\/\/127\.0\.0\.1:\d+/);
      assert.match(e.message, /connection refused/);
    });
  });

  test('401: auth, with the server\'s words and never the key', async t => {
    const server = await fake(t, { flavour: 'S', apiKey: 'right-key' });
    const client = new AceStepClient({ baseUrl: server.url, apiKey: 'wrong-key-123' });
    t.after(() => client.close());
    const e = await rejectsKind(client.releaseTask({ params: { prompt: 'x' }, files: {} }, { flavour: 'S' }), 'auth');
    assert.equal(e.status, 401);
    assert.equal(e.serverMessage, 'Invalid API key');
    assert.ok(!e.message.includes('wrong-key-123') && !JSON.stringify(e).includes('wrong-key-123'));
    const none = new AceStepClient({ baseUrl: server.url });
    t.after(() => none.close());
    await rejectsKind(none.queryResult(['x']), 'auth', err => assert.equal(err.serverMessage, 'Missing ai_token or Authorization header'));
    await rejectsKind(none.stats(), 'auth', err => assert.equal(err.serverMessage, 'Missing Authorization header'));
  });

  test('a right key is sent as Bearer and works; /health stays open', async t => {
    const server = await fake(t, { flavour: 'W', apiKey: 'k3y' });
    const client = new AceStepClient({ baseUrl: server.url, apiKey: 'k3y' });
    t.after(() => client.close());
    await client.health();
    const { taskId } = await client.releaseTask({ params: { prompt: 'x' }, files: {} }, { flavour: 'W' });
    assert.ok(taskId);
    const auths = server.requests.map(r => r.headers.authorization);
    assert.ok(auths.every(a => a === 'Bearer k3y'));
  });

  test('429 queue full → queue-full', async t => {
    const server = await fake(t, { flavour: 'S', queueFull: true });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    await rejectsKind(client.releaseTask({ params: { prompt: 'x' }, files: {} }, { flavour: 'S' }), 'queue-full', e => {
      assert.equal(e.status, 429);
      assert.equal(e.serverMessage, 'Server busy: queue is full');
    });
  });

  test('plain-text 500 (invalid enum) → server, with the plain text', async t => {
    const server = await fake(t, { flavour: 'W' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    await rejectsKind(client.releaseTask({ params: { prompt: 'x', lm_backend: 'foo' }, files: {} }, { flavour: 'W' }), 'server', e => {
      assert.equal(e.status, 500);
      assert.equal(e.serverMessage, 'Internal Server Error');
      assert.match(e.message, /HTTP 500 on \/release_task\): Internal Server Error/);
    });
    await server.setOptions({ plainText500: true });
    await rejectsKind(client.releaseTask({ params: { prompt: 'x' }, files: {} }, { flavour: 'W' }), 'server');
  });

  for (const kind of ['html', 'truncated', 'wrong-types'] as const) {
    test(`garbage (${kind}) → bad-response naming the endpoint`, async t => {
      const server = await fake(t, { flavour: 'S', garbage: { kind, endpoints: ['/query_result', '/health'] } });
      const client = new AceStepClient({ baseUrl: server.url });
      t.after(() => client.close());
      await rejectsKind(client.queryResult(['abc']), 'bad-response', e => {
        assert.equal(e.endpoint, '/query_result');
        assert.match(e.message, /\/query_result/);
      });
      await rejectsKind(client.health(), 'bad-response', e => assert.match(e.message, /\/health/));
    });
  }

  test('timeout and cancellation', async t => {
    const server = await fake(t, { flavour: 'S', latencyMs: 400 });
    const client = new AceStepClient({ baseUrl: server.url, timeouts: { healthMs: 100 } });
    t.after(() => client.close());
    await rejectsKind(client.health(), 'timeout', e => assert.match(e.message, /did not answer \/health/));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await rejectsKind(client.stats({ signal: ac.signal }), 'cancelled');
  });

  test('LM not loaded: /format_input 503 → lm-unavailable; G says it softly', async t => {
    const s = await fake(t, { flavour: 'S', lmLoaded: false });
    const g = await fake(t, { flavour: 'G', lmLoaded: false });
    const cs = new AceStepClient({ baseUrl: s.url });
    const cg = new AceStepClient({ baseUrl: g.url });
    t.after(() => Promise.all([cs.close(), cg.close()]).then(() => undefined));
    await rejectsKind(cs.formatInput({ prompt: 'rock' }, { flavour: 'S' }), 'lm-unavailable', e => assert.equal(e.status, 503));
    await rejectsKind(cg.formatInput({ prompt: 'rock' }, { flavour: 'G' }), 'lm-unavailable', e => assert.equal(e.serverMessage, 'LLM not initialized'));
  });

  test('soft errors (HTTP 200, code ≠ 200) carry the server\'s words', async t => {
    const server = await fake(t, { flavour: 'W', examplesMissing: true });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    await rejectsKind(client.createRandomSample('custom_mode'), 'server', e => assert.equal(e.serverMessage, 'No example data available'));
    await rejectsKind(client.formatInput({}, { flavour: 'W' }), 'server', e => assert.match(e.serverMessage ?? '', /format_sample failed/));
  });

  test('a bad base URL is refused clearly', () => {
    assert.throws(() => new AceStepClient({ baseUrl: 'localhost:8001' }), (e: unknown) => e instanceof AceStepError && /http/.test(e.message));
    assert.throws(() => new AceStepClient({ baseUrl: 'not a url' }), AceStepError);
  });
});

describe('format_input and random samples', () => {
  test('format_input sends param_obj (not on G) and reads the answer', async t => {
    const server = await fake(t, { flavour: 'S' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const r = await client.formatInput({ prompt: 'dark techno', lyrics: '[Verse]\nhi', duration: 95, bpm: 128, key: 'A minor', language: 'de' }, { flavour: 'S' });
    assert.equal(r.bpm, 128);
    assert.equal(r.duration, 95);
    assert.equal(r.keyScale, 'A minor');
    assert.equal(r.vocalLanguage, 'de');
    const body = JSON.parse(server.requests.at(-1)!.body);
    assert.deepEqual(body.param_obj, { duration: 95, bpm: 128, key: 'A minor', language: 'de' });
  });

  test('random samples of both kinds', async t => {
    const server = await fake(t, { flavour: 'U' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const simple = await client.createRandomSample('simple_mode');
    assert.equal(simple.kind, 'simple');
    const custom = await client.createRandomSample('custom_mode');
    assert.equal(custom.kind, 'custom');
    if (custom.kind === 'custom') assert.equal(custom.bpm, 118);
  });
});

describe('release_task and query_result', () => {
  test('JSON request, queued answer, results with N/A metas and seeds', async t => {
    const server = await fake(t, { flavour: 'W', generationMs: 100 });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const ans = await client.releaseTask({ params: { prompt: 'lofi', lyrics: '[inst]', batch_size: 2, audio_duration: 30, seed: 7, use_random_seed: false, extra: undefined }, files: {} }, { flavour: 'W' });
    assert.equal(ans.status, 'queued');
    assert.equal(ans.queuePosition, 1);
    const sent = JSON.parse(server.requests.find(r => r.path === '/release_task')!.body);
    assert.equal(server.requests.find(r => r.path === '/release_task')!.headers['content-type'], 'application/json');
    assert.equal(sent.prompt, 'lofi');
    assert.ok(!('extra' in sent));
    const [pending] = await client.queryResult([ans.taskId]);
    assert.equal(pending.status, 0);
    assert.equal(pending.unknown, false);
    assert.equal(pending.progress, undefined); // W reports no progress
    const items = await finishedItems(client, 'W');
    assert.equal(items.length, 2);
    const it = items[0];
    assert.match(it.link, /^\/v1\/audio\?path=%2F/);
    assert.equal(it.metas.bpm, null); // "N/A"
    assert.equal(it.metas.duration, null);
    assert.equal(it.metas.keyscale, null);
    assert.equal(it.metas.prompt, 'synthwave');
    assert.equal(it.seeds.length, 2);
    assert.equal(items[1].seed, it.seeds[1]);
    assert.match(it.serverPath ?? '', /\.mp3$/);
  });

  test('W and S ignore the seed, U honours it', async t => {
    for (const flavour of ['W', 'S', 'U'] as const) {
      const server = await fake(t, { flavour, generationMs: 20 });
      const client = new AceStepClient({ baseUrl: server.url });
      t.after(() => client.close());
      const items = await finishedItems(client, flavour, { prompt: 'x', seed: 1234, use_random_seed: false, batch_size: 2 });
      if (flavour === 'U') assert.deepEqual(items[0].seeds, [1234, 1235]);
      else assert.notDeepEqual(items[0].seeds, [1234, 1235]);
      assert.equal(items[0].seedValue, items[0].seeds.join(','));
    }
  });

  test('unknown ids answer status 0 with "[]" (unknown)', async t => {
    const server = await fake(t, { flavour: 'S' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const [st] = await client.queryResult(['no-such-id']);
    assert.equal(st.status, 0);
    assert.equal(st.unknown, true);
  });

  test('S/U running items carry progress and stage; progress_text is read', async t => {
    const server = await fake(t, { flavour: 'U', generationMs: 1500, progressSteps: 10 });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const { taskId } = await client.releaseTask({ params: { prompt: 'x', batch_size: 1 }, files: {} }, { flavour: 'U' });
    await sleep(700);
    const [st] = await client.queryResult([taskId]);
    assert.equal(st.status, 0);
    assert.ok(st.progress !== undefined && st.progress > 0 && st.progress < 1, `progress ${st.progress}`);
    assert.match(st.stage ?? '', /Generating music|Decoding|Preparing/);
    assert.equal(typeof st.progressText, 'string');
  });

  test('failed jobs: W carries the traceback, S none', async t => {
    for (const flavour of ['W', 'S'] as const) {
      const server = await fake(t, { flavour, generationMs: 10, failNext: true });
      const client = new AceStepClient({ baseUrl: server.url });
      t.after(() => client.close());
      const { taskId } = await client.releaseTask({ params: { prompt: 'x' }, files: {} }, { flavour });
      await sleep(60);
      const [st] = await client.queryResult([taskId]);
      assert.equal(st.status, 2);
      if (flavour === 'W') assert.match(st.error ?? '', /Traceback[\s\S]*CUDA out of memory/);
      else assert.equal(st.error, undefined);
    }
  });

  // W takes uploads (S answers 500 to every multipart request: see editing.test.ts).
  test('multipart upload: src_audio and reference_audio bytes arrive intact', async t => {
    const dir = tempDir(t);
    const src = path.join(dir, 'my song.wav');
    const ref = path.join(dir, 'ref.mp3');
    const srcBytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31 + 7) % 256));
    const refBytes = Buffer.from('ID3 reference bytes \u00e9\r\n--not-a-boundary--\r\n');
    writeFileSync(src, srcBytes);
    writeFileSync(ref, refBytes);
    const server = await fake(t, { flavour: 'W', apiKey: 'kk' });
    const client = new AceStepClient({ baseUrl: server.url, apiKey: 'kk' });
    t.after(() => client.close());
    const ans = await client.releaseTask({ params: { prompt: 'cover it', task_type: 'cover', audio_cover_strength: 0.5, thinking: false }, files: { src_audio: src, reference_audio: ref } }, { flavour: 'W' });
    const job = server.jobs.find(j => j.id === ans.taskId)!;
    assert.ok(job.uploads.src_audio.data.equals(srcBytes));
    assert.equal(job.uploads.src_audio.filename, 'my song.wav');
    assert.ok(job.uploads.reference_audio.data.equals(refBytes));
    assert.equal(job.params.audio_cover_strength, '0.5');
    assert.equal(job.params.thinking, 'false');
    const req = server.requests.find(r => r.path === '/release_task')!;
    assert.match(String(req.headers['content-type']), /^multipart\/form-data; boundary=/);
    assert.equal(req.headers.authorization, 'Bearer kk');
  });

  test('a missing upload file is a disk error before anything is sent', async t => {
    const server = await fake(t, { flavour: 'W' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    await rejectsKind(client.releaseTask({ params: { prompt: 'x' }, files: { src_audio: '/nonexistent/file.wav' } }, { flavour: 'W' }), 'disk');
    assert.equal(server.requests.length, 0);
  });

  test('G: blocking release, only G\'s fields, warnings for the rest, url links', async t => {
    const server = await fake(t, { flavour: 'G', generationMs: 300 });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const { flavour } = await client.detectFlavour();
    assert.equal(flavour, 'G');
    const started = Date.now();
    const ans = await client.releaseTask({
      params: { prompt: 'ambient', lyrics: '[inst]', batch_size: 1, model: 'acestep-v15-base', use_cot_caption: true, bpm: 90 },
      files: {},
    }, { flavour });
    assert.ok(Date.now() - started >= 250, 'G answers only when done');
    assert.equal(ans.status, 'succeeded');
    assert.equal(ans.warnings.length, 1);
    assert.match(ans.warnings[0], /model, use_cot_caption/);
    const sent = JSON.parse(server.requests.find(r => r.path === '/release_task')!.body);
    assert.deepEqual(Object.keys(sent).sort(), ['batch_size', 'bpm', 'lyrics', 'prompt']);
    const [st] = await client.queryResult([ans.taskId]);
    assert.equal(st.status, 1);
    assert.equal(st.items.length, 1);
    assert.match(st.items[0].link, /^\/v1\/audio\?path=/);
    assert.ok(st.items[0].url);
    assert.equal(st.items[0].serverPath, st.items[0].file);
  });
});

for (const transport of ['auto', 'undici'] as const) describe(`downloads (${transport})`, () => {
  test('streams a take to disk, checked against Content-Length', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 20, audioBytes: 300_000 });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const [item] = await finishedItems(client, 'S', { prompt: 'x', batch_size: 1, audio_format: 'wav' });
    const dest = path.join(dir, 'out', 'take1.wav');
    const seen: number[] = [];
    const r = await client.download(item, dest, { transport, onProgress: p => seen.push(p.received) });
    assert.equal(r.bytes, 300_000);
    assert.equal(r.contentType, 'audio/wav');
    assert.ok(readFileSync(dest).equals(server.expectedBytes(item.serverPath!)));
    assert.equal(readFileSync(dest).subarray(0, 4).toString(), 'RIFF');
    assert.equal(seen.at(-1), 300_000);
    assert.deepEqual(listFiles(dir), [path.join('out', 'take1.wav')]);
  });

  test('a connection cut once in the middle: the retry succeeds', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', generationMs: 20, audioBytes: 1_000_000, cutDownloadAt: 400_000 });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const [item] = await finishedItems(client, 'W', { prompt: 'x', batch_size: 1 });
    const dest = path.join(dir, 'a.mp3');
    const r = await client.download(item, dest, { transport, retryDelayMs: () => 10 });
    assert.equal(r.attempts, 2);
    assert.ok(readFileSync(dest).equals(server.expectedBytes(item.serverPath!)));
    assert.deepEqual(listFiles(dir), ['a.mp3']);
  });

  test('cut every time: an error, and nothing left on disk', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', generationMs: 20, audioBytes: 500_000, cutDownloadAt: { bytes: 200_000, always: true } });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const [item] = await finishedItems(client, 'W', { prompt: 'x', batch_size: 1 });
    const dest = path.join(dir, 'a.mp3');
    await rejectsKind(client.download(item, dest, { transport, attempts: 3, retryDelayMs: () => 10 }), 'unreachable', e => {
      assert.match(e.message, /broke off|stopped/);
      assert.match(e.message, /3 tries/);
    });
    assert.deepEqual(listFiles(dir), []);
    assert.equal(existsSync(dest + '.part'), false);
  });

  test('404 on a file: not-found, no retries, nothing written', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    await rejectsKind(client.download('/v1/audio?path=%2Fnope.mp3', path.join(dir, 'x.mp3'), { transport }), 'not-found', e => assert.equal(e.serverMessage, 'Audio file not found: /nope.mp3'));
    assert.equal(server.requests.length, 1);
    assert.deepEqual(listFiles(dir), []);
  });

  test('the Authorization header goes only to the configured server', async t => {
    const dir = tempDir(t);
    const home = await fake(t, { flavour: 'W', apiKey: 'home-key' });
    const other = await fake(t, { flavour: 'W' });
    const client = new AceStepClient({ baseUrl: home.url, apiKey: 'home-key' });
    t.after(() => client.close());
    const homeLink = home.addFile('/app/.cache/acestep/tmp/api_audio/h.mp3', 1000);
    const otherLink = other.addFile('/tmp/o.mp3', 1000);
    await client.download(homeLink, path.join(dir, 'h.mp3'), { transport });
    await client.download(other.url + otherLink, path.join(dir, 'o.mp3'), { transport });
    assert.equal(home.requests[0].headers.authorization, 'Bearer home-key');
    assert.equal(other.requests[0].headers.authorization, undefined);
    assert.ok(readFileSync(path.join(dir, 'o.mp3')).equals(other.expectedBytes('/tmp/o.mp3')));
  });

  test('an unwritable destination is a disk error', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'file'), 'x');
    const server = await fake(t, { flavour: 'W' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const link = server.addFile('/app/a.mp3', 1000);
    await rejectsKind(client.download(link, path.join(dir, 'file', 'sub', 'a.mp3'), { transport }), 'disk');
  });
});

describe('downloads: answers the lean reader leaves to undici', () => {
  test('a chunked answer without Content-Length still downloads', async t => {
    const dir = tempDir(t);
    const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    payload.write('ID3', 0, 'latin1'); // a take must start like audio
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      res.write(payload.subarray(0, 70_000));
      setTimeout(() => res.end(payload.subarray(70_000)), 20);
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    t.after(() => new Promise<void>(r => server.close(() => r())));
    const client = new AceStepClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    t.after(() => client.close());
    const r = await client.download('/v1/audio?path=x.mp3', path.join(dir, 'c.mp3'));
    assert.equal(r.bytes, payload.length);
    assert.ok(readFileSync(path.join(dir, 'c.mp3')).equals(payload));
  });

  test('HTML instead of audio (a 200 from the wrong server) is a bad response, nothing kept', async t => {
    const dir = tempDir(t);
    const server = http.createServer((_req, res) => {
      const body = '<html><head><title>Router login</title></head></html>';
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    t.after(() => new Promise<void>(r => server.close(() => r())));
    const client = new AceStepClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    t.after(() => client.close());
    await rejectsKind(client.download('/v1/audio?path=x.mp3', path.join(dir, 'c.mp3')), 'bad-response', e => assert.match(e.message, /Router login/));
    assert.deepEqual(listFiles(dir), []);
  });
});
