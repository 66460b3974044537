// The test server's /v1/chat/completions against upstream's adapter (acestep/openrouter_adapter.py) and its
// hosted-only server (openrouter/openrouter_api_server.py): what each answers, faults included.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fake } from './helpers';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

const tagged = (extra: Record<string, unknown> = {}) => ({
  model: 'acestep/acestep-v15-turbo', messages: [{ role: 'user', content: '<prompt>dream pop</prompt>' }], lyrics: '[Verse]\nla la', ...extra,
});

describe('the test server: chat completions', () => {
  test('mounted (S): one blocking answer with the first take as a data URL, the text from the job', async t => {
    const server = await fake(t, { flavour: 'S', generationMs: 20, audioBytes: 4096 });
    const res = await post(server.url, tagged({ batch_size: 2, audio_config: { duration: 30, bpm: 90, format: 'wav' } }));
    assert.equal(res.status, 200);
    const body = await res.json() as { object: string; choices: { message: { content: string; audio: { audio_url: { url: string } }[] }; finish_reason: string }[] };
    assert.equal(body.object, 'chat.completion');
    const msg = body.choices[0].message;
    assert.match(msg.content, /\*\*Caption:\*\* dream pop/);
    assert.match(msg.content, /\*\*BPM:\*\* 90/);
    assert.match(msg.content, /## Lyrics\n\[Verse\]\nla la/);
    assert.equal(msg.audio.length, 1, 'only the batch\'s first take comes back');
    assert.match(msg.audio[0].audio_url.url, /^data:audio\/wav;base64,/);
    assert.equal(Buffer.from(msg.audio[0].audio_url.url.split(',')[1], 'base64').subarray(0, 4).toString(), 'RIFF');
    const job = server.jobs[0];
    assert.equal(job.batchSize, 2);
    assert.equal(job.params.prompt, 'dream pop');
    assert.equal(job.params.audio_duration, 30);
  });

  test('mounted: open even with a key; model required (400); nothing to sing (400); wrong method 405; W has no route', async t => {
    const server = await fake(t, { flavour: 'U', generationMs: 10, apiKey: 'k' });
    assert.equal((await post(server.url, tagged())).status, 200);
    const noModel = await post(server.url, { messages: [{ role: 'user', content: 'x' }] });
    assert.equal(noModel.status, 400);
    assert.match(((await noModel.json()) as { detail: string }).detail, /^Invalid request format: .*model/s);
    const empty = await post(server.url, { model: 'm', messages: [{ role: 'user', content: '   ' }] });
    assert.equal(empty.status, 400);
    assert.match(((await empty.json()) as { detail: string }).detail, /No valid prompt/);
    assert.equal((await fetch(`${server.url}/v1/chat/completions`)).status, 405);
    const w = await fake(t, { flavour: 'W' });
    assert.equal((await post(w.url, tagged())).status, 404);
  });

  test('untagged text: lyrics-like text is the lyrics, other text the LM\'s sample query (fails without the LM: 500 with the traceback)', async t => {
    const server = await fake(t, { flavour: 'S', generationMs: 10, lmLoaded: false });
    const res = await post(server.url, { model: 'm', messages: [{ role: 'user', content: 'a song about the sea' }] });
    assert.equal(res.status, 500);
    assert.match(((await res.json()) as { detail: string }).detail, /Traceback[\s\S]*LLM is not initialized/);
    assert.equal(server.jobs[0].params.sample_query, 'a song about the sea');
    await post(server.url, { model: 'm', messages: [{ role: 'user', content: '[Verse]\nwaves' }] });
    assert.equal(server.jobs[1].params.lyrics, '[Verse]\nwaves');
  });

  test('streaming: first chunk, heartbeats, text, audio, stop, [DONE]; a failed job ends with an Error text and finish_reason error', async t => {
    const server = await fake(t, { flavour: 'S', generationMs: 120, chatHeartbeatMs: 30, audioBytes: 2048 });
    const text = await (await post(server.url, tagged({ stream: true }))).text();
    const events = text.split('\n\n').filter(Boolean);
    assert.equal(events.at(-1), 'data: [DONE]');
    const chunks = events.slice(0, -1).map(e => JSON.parse(e.slice(6)));
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: 'Generating music' });
    assert.ok(chunks.some(c => c.choices[0].delta.content === '.'), 'heartbeats');
    assert.ok(chunks.some(c => c.choices[0].delta.audio?.[0].audio_url.url.startsWith('data:audio/mpeg;base64,')));
    assert.equal(chunks.at(-1).choices[0].finish_reason, 'stop');
    await server.setOptions({ failNext: true });
    const failed = await (await post(server.url, tagged({ stream: true }))).text();
    assert.match(failed, /"content": ?"\\n\\nError: Traceback/);
    assert.match(failed, /"finish_reason": ?"error"/);
  });

  test('the hosted-only server (C): Bearer key, unwrapped /health, /api/v1/models, 422 for a bad body, nothing else', async t => {
    const server = await fake(t, { flavour: 'C', generationMs: 10, apiKey: 'secret' });
    const health = await (await fetch(`${server.url}/health`)).json() as Record<string, unknown>;
    assert.deepEqual(health, { status: 'ok', service: 'ACE-Step OpenRouter API', version: '1.0' });
    assert.equal((await post(server.url, tagged())).status, 401);
    assert.equal((await post(server.url, tagged(), { authorization: 'Bearer wrong' })).status, 401);
    const ok = await post(server.url, { messages: [{ role: 'user', content: '<prompt>x</prompt>' }], audio_config: { format: 'wav' } }, { authorization: 'Bearer secret' });
    assert.equal(ok.status, 200);
    const url = ((await ok.json()) as { choices: { message: { audio: { audio_url: { url: string } }[] } }[] }).choices[0].message.audio[0].audio_url.url;
    assert.match(url, /^data:audio\/mpeg;base64,/, 'always labelled audio/mpeg');
    assert.equal((await post(server.url, '{"messages": 3}', { authorization: 'Bearer secret' })).status, 422);
    assert.equal((await fetch(`${server.url}/release_task`, { method: 'POST' })).status, 404);
    assert.equal((await fetch(`${server.url}/api/v1/models`, { headers: { authorization: 'Bearer secret' } })).status, 200);
  });

  test('input audio: base64 parts become the source of a cover; undecodable ones are dropped silently', async t => {
    const server = await fake(t, { flavour: 'S', generationMs: 10 });
    const wav = Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt ');
    const content = [{ type: 'text', text: '<prompt>jazz</prompt>' }, { type: 'input_audio', input_audio: { data: wav.toString('base64'), format: 'wav' } }];
    assert.equal((await post(server.url, { model: 'm', messages: [{ role: 'user', content }], task_type: 'cover' })).status, 200);
    assert.deepEqual(server.jobs[0].uploads.src_audio?.data, wav);
    const bad = [{ type: 'text', text: '<prompt>jazz</prompt>' }, { type: 'input_audio', input_audio: { data: 'abcde', format: 'wav' } }];
    assert.equal((await post(server.url, { model: 'm', messages: [{ role: 'user', content: bad }], task_type: 'cover' })).status, 200);
    assert.equal(server.jobs[1].uploads.src_audio, undefined);
  });
});
