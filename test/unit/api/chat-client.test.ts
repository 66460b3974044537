// The client's side of a chat completions endpoint (flavour C): detection without generating, the request built
// from a job's request, both answer forms, and every way the answer can be wrong.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AceStepClient, AceStepError, refusalFor } from '../../../src/core/api';
import { chatRequest, readChatContent } from '../../../src/core/api/chat-request';
import { decodeDataUrl } from '../../../src/core/api/chat';
import { fake } from './helpers';

const chatUrl = (base: string) => `${base}/v1/chat/completions`;
const body = (extra: Record<string, unknown> = {}) =>
  chatRequest({ params: { prompt: 'dream pop', lyrics: '[Verse]\nla la', audio_duration: 30, audio_format: 'mp3', ...extra }, files: {} }, { stream: false }).body;

async function rejects(p: Promise<unknown>, kind: string, re?: RegExp): Promise<AceStepError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AceStepError, String(e));
    assert.equal(e.kind, kind, e.message);
    if (re) assert.match(e.message, re);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('chat completions: the request', () => {
  test('caption in a <prompt> tag, lyrics byte-exact in `lyrics`, musical fields in audio_config, one take, the model always named', () => {
    const { body: b, warnings } = chatRequest({
      params: { prompt: 'a\nb', lyrics: '[Verse]\r\nx </lyrics> y', bpm: 90, key_scale: 'A minor', time_signature: '3', vocal_language: 'nl', audio_duration: 61, audio_format: 'wav', batch_size: 3, seed: 7, use_random_seed: false, thinking: true, lm_temperature: 0.7, inference_steps: 12, shift: 3 },
      files: {},
    }, { stream: true, take: 2 });
    assert.deepEqual(b.messages, [{ role: 'user', content: '<prompt>a\nb</prompt>' }]);
    assert.equal(b.lyrics, '[Verse]\r\nx </lyrics> y');
    assert.deepEqual(b.audio_config, { bpm: 90, key_scale: 'A minor', time_signature: '3', vocal_language: 'nl', duration: 61, format: 'wav' });
    assert.equal(b.batch_size, 1);
    assert.equal(b.seed, 9);
    assert.equal(b.model, 'acestep/acestep-v15-turbo');
    assert.equal(b.temperature, 0.7);
    assert.equal(b.thinking, true);
    assert.equal(b.stream, true);
    assert.deepEqual(warnings, ['The chat completions endpoint does not take inference_steps, shift; not sent.']);
  });

  test('instrumental, a description (sample mode), a named model, audio parts source first; a caption with </prompt> is refused', () => {
    assert.deepEqual(body({ lyrics: '[Instrumental]' }).audio_config, { duration: 30, format: 'mp3', instrumental: true });
    const d = chatRequest({ params: { prompt: '', lyrics: '', sample_query: 'a sad waltz', model: 'acestep-v15-base' }, files: {} }, { stream: false }).body;
    assert.equal(d.sample_mode, true);
    assert.deepEqual(d.messages, [{ role: 'user', content: 'a sad waltz' }]);
    assert.equal(d.model, 'acestep/acestep-v15-base');
    const a = chatRequest({ params: { prompt: 'x', task_type: 'cover' }, files: {} }, {
      stream: false, audio: [{ field: 'reference_audio', base64: 'UkVG', format: 'mp3' }, { field: 'src_audio', base64: 'U1JD', format: 'wav' }],
    }).body;
    const parts = (a.messages as { content: { type: string; input_audio?: { data: string } }[] }[])[0].content;
    assert.deepEqual(parts.map(p => p.input_audio?.data ?? p.type), ['text', 'U1JD', 'UkVG']);
    assert.throws(() => body({ prompt: 'x </prompt> y' }), (e: unknown) => e instanceof AceStepError && e.kind === 'unsupported');
  });

  test('refusals: extract/lego/complete, and audio that is not a cover or repaint source', () => {
    assert.match(refusalFor({ params: { task_type: 'extract' }, files: { src_audio: '/a.wav' } }, 'C')!.message, /cannot do the task "extract"/);
    assert.match(refusalFor({ params: {}, files: { reference_audio: '/r.wav' } }, 'C')!.message, /only as the source of a cover or a repaint/);
    assert.match(refusalFor({ params: { task_type: 'cover' }, files: { reference_audio: '/r.wav' } }, 'C')!.message, /only as the source/);
    assert.equal(refusalFor({ params: { task_type: 'cover' }, files: { src_audio: '/s.wav', reference_audio: '/r.wav' } }, 'C'), undefined);
    assert.equal(refusalFor({ params: {}, files: {} }, 'C'), undefined);
  });

  test('the answer\'s text read back: caption, BPM, duration, key, lyrics', () => {
    const c = readChatContent('Generating music...\n\n## Metadata\n**Caption:** pop\n**BPM:** 120\n**Duration:** 30.0s\n**Key:** C major\n**Time Signature:** 4\n\n## Lyrics\n[Verse]\nhi');
    assert.deepEqual(c, { caption: 'pop', bpm: 120, duration: 30, keyscale: 'C major', timesignature: '4', lyrics: '[Verse]\nhi' });
  });
});

describe('chat completions: the client', () => {
  test('detection: a chat URL is flavour C without /health or generation (GET answers 405); models from the /v1/models beside it', async t => {
    const server = await fake(t, { flavour: 'S' });
    const client = new AceStepClient({ baseUrl: chatUrl(server.url) });
    t.after(() => client.close());
    const info = await client.detectFlavour();
    assert.equal(info.flavour, 'C');
    assert.equal(info.hasStats, false);
    assert.deepEqual(info.models.map(m => m.id), ['acestep/acestep-v15-turbo']);
    assert.deepEqual(server.requests.map(r => `${r.method} ${r.path}`), ['GET /v1/chat/completions', 'GET /v1/models']);
    assert.equal(server.jobs.length, 0);
    const w = await fake(t, { flavour: 'W' });
    const none = new AceStepClient({ baseUrl: chatUrl(w.url) });
    t.after(() => none.close());
    await rejects(none.detectFlavour(), 'not-found', /no chat completions endpoint/);
  });

  test('blocking and streaming answers give the same take; the key goes as Bearer', async t => {
    const server = await fake(t, { flavour: 'C', generationMs: 80, chatHeartbeatMs: 20, audioBytes: 3000, apiKey: 'k1' });
    const client = new AceStepClient({ baseUrl: chatUrl(server.url), apiKey: 'k1' });
    t.after(() => client.close());
    const plain = await client.chat(body());
    let alive = 0;
    const streamed = await client.chat({ ...body(), stream: true }, { onAlive: () => alive++ });
    for (const a of [plain, streamed]) {
      assert.equal(a.audio.length, 1);
      assert.equal(a.audio[0].bytes.length, 3000);
      assert.equal(a.audio[0].bytes.subarray(0, 3).toString(), 'ID3');
    }
    assert.ok(alive >= 2, `heartbeats seen: ${alive}`);
    assert.equal(server.requests.at(-1)?.headers.authorization, 'Bearer k1');
    const bad = new AceStepClient({ baseUrl: chatUrl(server.url), apiKey: 'nope' });
    t.after(() => bad.close());
    const e = await rejects(bad.chat(body()), 'auth', /Invalid API key/);
    assert.doesNotMatch(e.message, /nope/);
  });

  test('server errors: a failed job (500 traceback, or the stream\'s Error text), 503, 429, 504 and a stream cut short', async t => {
    const server = await fake(t, { flavour: 'S', generationMs: 30, chatHeartbeatMs: 10, failNext: 2 });
    const client = new AceStepClient({ baseUrl: chatUrl(server.url) });
    t.after(() => client.close());
    await rejects(client.chat(body()), 'server', /CUDA out of memory/);
    const e = await rejects(client.chat({ ...body(), stream: true }), 'server', /server failed.*RuntimeError: Music generation failed: CUDA out of memory/);
    assert.match(e.serverMessage ?? '', /^Traceback/);
    await server.setOptions({ queueFull: true });
    await rejects(client.chat(body()), 'queue-full');
    await server.setOptions({ queueFull: false, chatTimeoutMs: 20, generationMs: 500 });
    await rejects(client.chat(body()), 'server', /HTTP 504.*Generation timeout/);
    await server.setOptions({ chatStreamCutAfterMs: 10 });
    await rejects(client.chat({ ...body(), stream: true }), 'unreachable');
    const u = await fake(t, { flavour: 'U', modelLoadMs: 1000 });
    const uc = new AceStepClient({ baseUrl: chatUrl(u.url) });
    t.after(() => uc.close());
    await rejects(uc.chat(body()), 'server', /HTTP 503.*Model not initialized/);
  });

  test('garbage: audio that is not base64, a take larger than the limit, no audio at all', async t => {
    const server = await fake(t, { flavour: 'S', generationMs: 5, chatHeartbeatMs: 10, audioBytes: 200_000, chatAudio: 'invalid-base64' });
    const client = new AceStepClient({ baseUrl: chatUrl(server.url) });
    t.after(() => client.close());
    await rejects(client.chat(body()), 'bad-response', /not valid base64/);
    await rejects(client.chat({ ...body(), stream: true }), 'bad-response', /not valid base64/);
    await server.setOptions({ chatAudio: null });
    await rejects(client.chat(body(), { maxAudioBytes: 50_000 }), 'bad-response', /larger than a take may be/);
    await rejects(client.chat({ ...body(), stream: true }, { maxAudioBytes: 50_000 }), 'bad-response', /larger than a take may be/);
    await server.setOptions({ chatAudio: 'missing' });
    assert.deepEqual((await client.chat(body())).audio, []);
    assert.throws(() => decodeDataUrl('data:audio/mpeg,abc', 10), /not a base64 data URL/);
  });
});
