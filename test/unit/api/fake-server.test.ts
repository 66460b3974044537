// The fake server must answer byte for byte like the Python servers; these pin the exact shapes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { pyDumps, pyFloatRepr, f } from '../../server/pyjson';
import { payloadBytes } from '../../server/audio-payload';
import { fake, sleep } from './helpers';

async function raw(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get('content-type'), length: res.headers.get('content-length'), text: await res.text() };
}
const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
});

describe('Python JSON spelling', () => {
  test('floats print like repr()', () => {
    const cases: [number, string][] = [[5, '5.0'], [0.1, '0.1'], [1.5, '1.5'], [1e-5, '1e-05'], [1e16, '1e+16'], [123456.789, '123456.789'], [-0.25, '-0.25'], [0.0001, '0.0001'], [2.5e-7, '2.5e-07']];
    for (const [x, s] of cases) assert.equal(pyFloatRepr(x), s, String(x));
  });
  test('json.dumps spacing vs FastAPI compact, non-ASCII kept', () => {
    const v = { a: 1, b: [f(2), 'é"'], c: null, d: true };
    assert.equal(pyDumps(v), '{"a": 1, "b": [2.0, "é\\""], "c": null, "d": true}');
    assert.equal(pyDumps(v, true), '{"a":1,"b":[2.0,"é\\""],"c":null,"d":true}');
  });
});

describe('fake server bytes', () => {
  test('envelope, key order, health per flavour', async t => {
    const w = await fake(t, { flavour: 'W' });
    const u = await fake(t, { flavour: 'U' });
    const h = await raw(w.url + '/health');
    assert.equal(h.type, 'application/json');
    assert.match(h.text, /^\{"data":\{"status":"ok","service":"ACE-Step API","version":"1\.0"\},"code":200,"error":null,"timestamp":\d{13},"extra":null\}$/);
    const hu = await raw(u.url + '/health');
    assert.match(hu.text, /^\{"data":\{"status":"ok","service":"ACE-Step API","version":"1\.0","models_initialized":false,"llm_initialized":false,"loaded_model":"acestep-v15-turbo",/);
  });

  test('errors: {"detail"} JSON, plain-text 500, 422 for a missing query field', async t => {
    const s = await fake(t, { flavour: 'S', apiKey: 'k', queueFull: true });
    const detail = '{"detail":"Missing Authorization header"}';
    assert.deepEqual(await raw(s.url + '/v1/stats'), { status: 401, type: 'application/json', length: String(detail.length), text: detail });
    assert.equal((await raw(s.url + '/release_task', post({ prompt: 'x' }, { authorization: 'Bearer k' }))).text, '{"detail":"Server busy: queue is full"}');
    const bad = await raw(s.url + '/release_task', post({ prompt: 'x', lm_backend: 'foo' }, { authorization: 'k' }));
    assert.deepEqual([bad.status, bad.type, bad.text], [500, 'text/plain; charset=utf-8', 'Internal Server Error']);
    const missing = await raw(s.url + '/v1/audio', { headers: { authorization: 'Bearer k' } });
    assert.equal(missing.status, 422);
    assert.equal(missing.text, '{"detail":[{"type":"missing","loc":["query","path"],"msg":"Field required","input":null}]}');
    const ai = await raw(s.url + '/query_result', post({ task_id_list: [], ai_token: 'nope' }, { authorization: 'Bearer k' }));
    assert.equal(ai.text, '{"detail":"Invalid ai_token"}');
  });

  test('query_result: result is a json.dumps string; unknown ids "[]"; stats floats', async t => {
    const s = await fake(t, { flavour: 'S', generationMs: 30 });
    const rel = JSON.parse((await raw(s.url + '/release_task', post({ prompt: 'x', batch_size: 1, bpm: 100 }))).text);
    assert.deepEqual(Object.keys(rel.data), ['task_id', 'status', 'queue_position']);
    await sleep(60);
    const q = await raw(s.url + '/query_result', post({ task_id_list: JSON.stringify([rel.data.task_id, 'zzz']) }));
    const body = JSON.parse(q.text);
    assert.deepEqual(Object.keys(body.data[0]), ['task_id', 'result', 'status', 'progress_text']);
    assert.match(body.data[0].result, /^\[\{"file": "\/v1\/audio\?path=%2Fapp%2F\.cache%2Facestep%2Ftmp%2Fapi_audio%2F[^"]+\.mp3", "wave": "", "status": 1, "create_time": \d{10}, "env": "development", "prompt": "x", "lyrics": "", "metas": \{"bpm": 100, "duration": "N\/A", "genres": "N\/A", "keyscale": "N\/A", "timesignature": "N\/A", "prompt": "x", "lyrics": ""\}, "generation_info": /);
    assert.match(body.data[0].result, /"progress": 1\.0, "stage": "succeeded"\}\]$/);
    assert.deepEqual(body.data[1], { task_id: 'zzz', result: '[]', status: 0 }); // no progress_text for unknown ids
    const st = await raw(s.url + '/v1/stats');
    assert.match(st.text, /"avg_job_seconds":0\.03\d*\}/);
  });

  test('G: url with quote_plus, raw file path, status 1 first-key order', async t => {
    const g = await fake(t, { flavour: 'G', generationMs: 10, outputDir: '/app/gradio_outputs/api 1' });
    const rel = JSON.parse((await raw(g.url + '/release_task', post({ caption: 'x', batch_size: 1 }))).text);
    assert.deepEqual(rel.data, { task_id: rel.data.task_id, status: 'succeeded' });
    const q = JSON.parse((await raw(g.url + '/query_result', post({ task_id_list: [rel.data.task_id] }))).text);
    assert.deepEqual(Object.keys(q.data[0]), ['task_id', 'status', 'result']);
    assert.match(q.data[0].result, /^\[\{"file": "\/app\/gradio_outputs\/api 1\/[^"]+\.mp3", "url": "\/v1\/audio\?path=%2Fapp%2Fgradio_outputs%2Fapi\+1%2F[^"]+", "status": 1, "create_time": \d+\}\]$/);
    assert.equal((await raw(g.url + '/v1/stats')).status, 404);
  });

  test('failed jobs per flavour: W a traceback, S stage only, U stage and error null, G an HTTP 500', async t => {
    const failedItem = async (flavour: 'W' | 'S' | 'U') => {
      const s = await fake(t, { flavour, generationMs: 5, failNext: true });
      const rel = JSON.parse((await raw(s.url + '/release_task', post({ prompt: 'x', batch_size: 1 }))).text);
      await sleep(30);
      const q = JSON.parse((await raw(s.url + '/query_result', post({ task_id_list: [rel.data.task_id] }))).text);
      assert.equal(q.data[0].status, 2);
      return q.data[0].result as string;
    };
    assert.match(await failedItem('W'), /^\[\{"file": "", "wave": "", "status": 2, "create_time": \d{10}, "env": "development", "error": "Traceback \(most recent call last\):\\n.*CUDA out of memory\. Tried to allocate 2\.00 GiB\\n"\}\]$/);
    assert.match(await failedItem('S'), /^\[\{"file": "", "wave": "", "status": 2, "create_time": \d{10}, "env": "development", "progress": 0\.0, "stage": "failed"\}\]$/);
    assert.match(await failedItem('U'), /^\[\{"file": "", "wave": "", "status": 2, "create_time": \d{10}, "env": "development", "progress": 0\.0, "stage": "failed", "error": null\}\]$/);
    const g = await fake(t, { flavour: 'G', generationMs: 5, failNext: true });
    const rel = await raw(g.url + '/release_task', post({ prompt: 'x', batch_size: 1 }));
    assert.deepEqual([rel.status, rel.text], [500, '{"detail":"Music generation failed: CUDA out of memory. Tried to allocate 2.00 GiB"}']);
  });

  test('models, format without the LM and missing audio differ per flavour', async t => {
    const w = await fake(t, { flavour: 'W', apiKey: 'k', lmLoaded: false });
    const s = await fake(t, { flavour: 'S', apiKey: 'k', lmLoaded: false });
    const g = await fake(t, { flavour: 'G', apiKey: 'k', lmLoaded: false });
    const key = { authorization: 'Bearer k' };
    assert.equal((await raw(w.url + '/v1/models')).status, 401);
    assert.match((await raw(w.url + '/v1/models', { headers: key })).text, /^\{"data":\{"models":\[\{"name":"acestep-v15-turbo","is_default":true\}\],"default_model":"acestep-v15-turbo"\},"code":200,/);
    assert.match((await raw(s.url + '/v1/models')).text, /^\{"object":"list","data":\[\{"id":"acestep\/acestep-v15-turbo","name":"ACE-Step acestep-v15-turbo","created":\d+,/);
    // G answers a soft error before it even checks the key; the others check the key, then answer 503.
    assert.match((await raw(g.url + '/format_input', post({ prompt: 'x' }))).text, /^\{"data":null,"code":500,"error":"LLM not initialized","timestamp":\d{13},"extra":null\}$/);
    assert.equal((await raw(w.url + '/format_input', post({ prompt: 'x' }))).status, 401);
    const off = await raw(w.url + '/format_input', post({ prompt: 'x' }, key));
    assert.deepEqual([off.status, off.text], [503, '{"detail":"LLM not initialized. Set ACESTEP_INIT_LLM=true in .env to enable."}']);
    const missing = (server: { url: string }, p: string) => raw(`${server.url}/v1/audio?path=${encodeURIComponent(p)}`, { headers: key });
    assert.equal((await missing(w, '/x/none.mp3')).text, '{"detail":"Audio file not found: /x/none.mp3"}');
    assert.equal((await missing(s, '/x/none.mp3')).text, '{"detail":"Access denied: path outside allowed directory"}');
    assert.equal((await missing(s, s.options.outputDir + '/none.mp3')).text, '{"detail":"Audio file not found"}');
  });

  test('audio: content type by extension, Content-Length, valid headers', async t => {
    const s = await fake(t, { flavour: 'W' });
    for (const [file, type, magic] of [['/a/x.wav', 'audio/wav', 'RIFF'], ['/a/x.mp3', 'audio/mpeg', 'ID3'], ['/a/x.flac', 'audio/flac', 'fLaC']]) {
      const link = s.addFile(file, 5000);
      const res = await fetch(s.url + link);
      const buf = Buffer.from(await res.arrayBuffer());
      assert.equal(res.headers.get('content-type'), type);
      assert.equal(res.headers.get('content-length'), '5000');
      assert.equal(buf.subarray(0, magic.length).toString('latin1'), magic);
      assert.ok(buf.equals(payloadBytes({ path: file, size: 5000, ext: file.split('.').pop()! })));
    }
  });

  test('restart forgets jobs and keeps the port; down refuses', async t => {
    const s = await fake(t, { flavour: 'S', generationMs: 5000 });
    const port = s.port;
    const rel = JSON.parse((await raw(s.url + '/release_task', post({ prompt: 'x' }))).text);
    await s.restart();
    assert.equal(s.port, port);
    const q = JSON.parse((await raw(s.url + '/query_result', post({ task_id_list: [rel.data.task_id] }))).text);
    assert.deepEqual(q.data[0], { task_id: rel.data.task_id, result: '[]', status: 0 });
    await s.setOptions({ down: true });
    await assert.rejects(fetch(s.url + '/health'));
    await s.setOptions({ down: false });
    assert.equal((await raw(s.url + '/health')).status, 200);
  });

  test('U: the first job loads the models and blocks the server meanwhile', async t => {
    const u = await fake(t, { flavour: 'U', modelLoadMs: 400, generationMs: 50 });
    await raw(u.url + '/release_task', post({ prompt: 'x' }));
    const t0 = Date.now();
    const h = JSON.parse((await raw(u.url + '/health')).text);
    assert.ok(Date.now() - t0 >= 300, '/health waited for the model load');
    assert.equal(h.data.models_initialized, true);
  });

  test('the CLI prints "listening <url>" and exits cleanly on SIGTERM', async () => {
    const cli = path.resolve(__dirname, '../../server/fake-acestep-cli.js');
    const child = spawn(process.execPath, [cli, '--flavour', 'G', '--port', '0', '--generation-ms', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', d => {
        out += d;
        const m = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', code => reject(new Error(`exited ${code}`)));
    });
    const h = JSON.parse((await raw(url + '/health')).text);
    assert.equal(h.data.service, 'ACE-Step Gradio API');
    const code = await new Promise<number | null>(resolve => { child.on('exit', c => resolve(c)); child.kill('SIGTERM'); });
    assert.equal(code, 0);
  });
});
