// Style adapters (/v1/lora/*) and lyrics timing (/v1/transcribe): the client calls against the test server,
// which answers them like current upstream (U) and with 404 everywhere else.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AceStepClient, AceStepError, isAudioNotOnServer, isMissingTranscriptionKey, type Flavour } from '../../../src/core/api';
import { fake, sleep } from './helpers';

async function oneTake(client: AceStepClient, flavour: Flavour, lyrics: string): Promise<string> {
  const { taskId } = await client.releaseTask({ params: { prompt: 'pop', lyrics, audio_duration: 30 }, files: {} }, { flavour });
  for (;;) {
    const [st] = await client.queryResult([taskId]);
    if (st.status === 1) return st.items[0].serverPath!;
    await sleep(30);
  }
}

describe('LoRA routes', () => {
  test('U: load, status, scale, toggle and unload as its code answers them', async t => {
    const server = await fake(t, { flavour: 'U', generationMs: 20, loraAdapters: ['/loras/city-pop'] });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const o = { flavour: 'U' as const };
    // Before the first job the models are not loaded: the routes answer 500 "Model not initialized".
    await assert.rejects(client.loraStatus(o), (e: AceStepError) => e.status === 500 && /Model not initialized/.test(e.message));
    await oneTake(client, 'U', 'hello');
    assert.deepEqual((await client.loraStatus(o)).loaded, false);
    await assert.rejects(client.loraLoad({ path: '/loras/missing' }, o), (e: AceStepError) => e.kind === 'bad-request' && /LoRA path not found: \/loras\/missing/.test(e.message));
    assert.match(await client.loraLoad({ path: '/loras/city-pop' }, o), /LoRA loaded from \/loras\/city-pop/);
    assert.match(await client.loraScale(0.6, o), /scale/);
    const st = await client.loraStatus(o);
    assert.equal(st.loaded, true);
    assert.equal(st.active, true);
    assert.equal(st.scale, 0.6);
    await assert.rejects(client.loraScale(1.5, o), (e: AceStepError) => e.kind === 'bad-request' && !server.requests.some(r => r.body.includes('1.5')));
    await client.loraToggle(false, o);
    assert.equal((await client.loraStatus(o)).active, false);
    assert.match(await client.loraUnload(o), /unloaded/);
    assert.match(await client.loraUnload(o), /No LoRA adapter loaded/); // a warning the server counts as success
    assert.equal((await client.loraStatus(o)).loaded, false);
  });

  test('U: the routes need the API key in the header', async t => {
    const server = await fake(t, { flavour: 'U', apiKey: 'k1' });
    const res = await fetch(`${server.url}/v1/lora/status`);
    assert.equal(res.status, 401);
  });

  for (const flavour of ['W', 'S', 'G'] as const) {
    test(`${flavour}: the routes do not exist (404), and the client refuses before asking, naming the server kind`, async t => {
      const server = await fake(t, { flavour });
      for (const p of ['/v1/lora/status', '/v1/transcribe']) {
        const res = await fetch(`${server.url}${p}`, { method: p.endsWith('status') ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, body: p.endsWith('status') ? undefined : '{}' });
        assert.equal(res.status, 404, p);
      }
      const client = new AceStepClient({ baseUrl: server.url });
      t.after(() => client.close());
      const before = server.requests.length;
      await assert.rejects(client.loraLoad({ path: '/x' }, { flavour }), (e: AceStepError) => e.kind === 'not-found' && /LoRA/.test(e.message) && /(Docker wrapper|upstream standalone API \(early 2026\)|Gradio)/.test(e.message));
      await assert.rejects(client.transcribe({ audioPath: '/x.mp3' }, { flavour }), (e: AceStepError) => /cannot time lyrics/.test(e.message));
      assert.equal(server.requests.length, before);
    });
  }
});

describe('/v1/transcribe', () => {
  test('U without the server\'s own OPENAI_API_KEY: HTTP 400 naming it', async t => {
    const server = await fake(t, { flavour: 'U', generationMs: 20 });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const e = await client.transcribe({ audioPath: '/nowhere.mp3' }, { flavour: 'U' }).then(() => undefined, (x: unknown) => x);
    assert.ok(isMissingTranscriptionKey(e), String(e));
  });

  test('U with the key: words, LRC and lyrics of a take on the server; a path it does not have is "not on the server"', async t => {
    const server = await fake(t, { flavour: 'U', generationMs: 20, transcriptionKey: true });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const path = await oneTake(client, 'U', '[verse]\nneon lights are calling\nwe drive into the night\n[chorus]\nhold on');
    const tr = await client.transcribe({ audioPath: path, language: 'en' }, { flavour: 'U' });
    assert.equal(tr.lyricsText, 'neon lights are calling\nwe drive into the night\nhold on\n');
    const lrc = tr.lrcText.split('\n').filter(Boolean);
    assert.equal(lrc.length, 3);
    assert.match(lrc[0], /^\[\d\d:\d\d\.\d\d\]neon lights are calling$/);
    assert.ok(tr.words.length >= 10 && tr.words.every(w => w.end >= w.start));
    const body = JSON.parse(server.requests.at(-1)!.body);
    assert.deepEqual(body, { audio_path: path, language: 'en' });
    const gone = await client.transcribe({ audioPath: '/app/gone.mp3' }, { flavour: 'U' }).then(() => undefined, (x: unknown) => x);
    assert.ok(isAudioNotOnServer(gone), String(gone));
  });
});
