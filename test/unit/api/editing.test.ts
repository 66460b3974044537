// Edits (a source take, a task) per server flavour: what the test server does with them, as the real servers'
// code does (test/server/flavours.ts names the lines), and what the client sends: uploads byte for byte, paths
// in JSON through a hand-off where the server takes no uploads, a refusal before anything is sent otherwise.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AceStepClient, AceStepError, refusalFor, seedNote, type Flavour } from '../../../src/core/api';
import { kindForStatus } from '../../../src/core/api/errors';
import { httpError } from '../../../src/core/api/classify';
import { fake, tempDir } from './helpers';

const LYRICS = '[Verse]\nline one\nline two\r\nkept as is\n';

/** A hand-written multipart body (not the client's), to see what the server does with the form branch. */
function rawMultipart(fields: Record<string, string>, file?: { name: string; data: Buffer }) {
  const b = 'XyZboundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${file.name}"; filename="a.wav"\r\n\r\n`), file.data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${b}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${b}` };
}

describe('the test server: editing per flavour', () => {
  test('S answers every multipart or form /release_task with a plain-text HTTP 500 (its TypeError)', async t => {
    const server = await fake(t, { flavour: 'S' });
    const mp = rawMultipart({ prompt: 'x', task_type: 'cover' }, { name: 'src_audio', data: Buffer.from('RIFF') });
    for (const [body, ct] of [[mp.body, mp.contentType], [Buffer.from('prompt=x&src_audio_path=%2Fa.wav'), 'application/x-www-form-urlencoded']] as const) {
      const res = await fetch(`${server.url}/release_task`, { method: 'POST', body, headers: { 'content-type': ct } });
      assert.equal(res.status, 500);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(await res.text(), 'Internal Server Error');
    }
    assert.equal(server.jobs.length, 0);
  });

  test('JSON path fields: S and U read them as server paths, W ignores them; W and U take multipart', async t => {
    for (const flavour of ['S', 'U', 'W'] as Flavour[]) {
      const server = await fake(t, { flavour, generationMs: 10 });
      const res = await fetch(`${server.url}/release_task`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'x', task_type: 'repaint', src_audio_path: '/app/inputs/a.wav', ref_audio_path: '/app/inputs/r.wav', repainting_start: -5, repainting_end: 0 }),
      });
      assert.equal(res.status, 200, flavour);
      const task = server.jobs[0].task;
      if (flavour === 'W') assert.equal(task.srcAudio, undefined);
      else {
        assert.deepEqual(task.srcAudio, { serverPath: '/app/inputs/a.wav' }, flavour);
        assert.deepEqual(task.referenceAudio, { serverPath: '/app/inputs/r.wav' }, flavour);
      }
      assert.equal(task.repaintingStart, -5);
      if (flavour !== 'S') {
        const mp = rawMultipart({ prompt: 'x', task_type: 'cover' }, { name: 'ctx_audio', data: Buffer.from('RIFF') });
        const r2 = await fetch(`${server.url}/release_task`, { method: 'POST', body: mp.body, headers: { 'content-type': mp.contentType } });
        assert.equal(r2.status, 200, flavour);
        assert.ok((server.jobs[1].task.srcAudio as { upload: { data: Buffer } }).upload.data.equals(Buffer.from('RIFF')));
      }
    }
  });

  test('G drops uploads and task fields: a cover runs as text to music, and "succeeds"', async t => {
    const server = await fake(t, { flavour: 'G', generationMs: 10 });
    const mp = rawMultipart({ prompt: 'x', task_type: 'cover', audio_cover_strength: '0.3', instruction: 'Extract the BASS track from the audio:' }, { name: 'src_audio', data: Buffer.from('RIFF') });
    const res = await fetch(`${server.url}/release_task`, { method: 'POST', body: mp.body, headers: { 'content-type': mp.contentType } });
    assert.equal(res.status, 200);
    const task = server.jobs[0].task;
    assert.equal(task.srcAudio, undefined);
    assert.equal(task.audioCoverStrength, undefined);
    assert.equal(task.instruction, 'Fill the audio semantic mask based on the given conditions:');
  });

  test('the instruction: TASK_INSTRUCTIONS verbatim on W and S, filled from track_name / track_classes on U, the client\'s own kept', async t => {
    const cases: [Flavour, Record<string, unknown>, string][] = [
      ['S', { task_type: 'extract' }, 'Extract the {TRACK_NAME} track from the audio:'],
      ['W', { task_type: 'lego' }, 'Generate the {TRACK_NAME} track based on the audio context:'],
      ['S', { task_type: 'repaint' }, 'Repaint the mask area based on the given conditions:'],
      ['U', { task_type: 'extract', track_name: 'vocals' }, 'Extract the VOCALS track from the audio:'],
      ['U', { task_type: 'extract' }, 'Extract the track from the audio:'],
      ['U', { task_type: 'complete', track_classes: ['drums', 'bass'] }, 'Complete the input track with DRUMS | BASS:'],
      ['S', { task_type: 'extract', instruction: 'Extract the vocals track from the audio:' }, 'Extract the vocals track from the audio:'],
    ];
    for (const [flavour, fields, expected] of cases) {
      const server = await fake(t, { flavour, generationMs: 10 });
      await fetch(`${server.url}/release_task`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'x', ...fields }) });
      assert.equal(server.jobs[0].task.instruction, expected, `${flavour} ${JSON.stringify(fields)}`);
    }
  });

  test('seeds: W, S and G ignore seed (random seed_value); U honours it with use_random_seed false', async t => {
    for (const flavour of ['W', 'S', 'G', 'U'] as Flavour[]) {
      const server = await fake(t, { flavour, generationMs: 10 });
      await fetch(`${server.url}/release_task`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'x', batch_size: 1, seed: 42, use_random_seed: false }) });
      if (flavour === 'U') assert.deepEqual(server.jobs[0].seeds, [42]);
      else assert.notDeepEqual(server.jobs[0].seeds, [42], flavour);
    }
  });
});

describe('the client: edits per flavour', () => {
  const setup = (t: Parameters<typeof tempDir>[0]) => {
    const dir = tempDir(t);
    const src = path.join(dir, 'take 1.wav');
    writeFileSync(src, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256)));
    return { dir, src };
  };

  test('multipart keeps text byte for byte: LF stays LF, CRLF stays CRLF (FormData would send CRLF)', async t => {
    const { src } = setup(t);
    const server = await fake(t, { flavour: 'W' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const caption = 'line\nbreak, café ♪';
    await client.releaseTask({ params: { prompt: caption, lyrics: LYRICS, lm_negative_prompt: 'a\nb', task_type: 'cover' }, files: { src_audio: src } }, { flavour: 'W' });
    const job = server.jobs[0];
    assert.equal(job.params.lyrics, LYRICS);
    assert.equal(job.params.prompt, caption);
    assert.equal(job.params.lm_negative_prompt, 'a\nb');
    const raw = server.requests.find(r => r.path === '/release_task')!.body;
    assert.ok(raw.includes(`\r\n\r\n${LYRICS}\r\n--`), 'the lyrics bytes arrive unchanged');
  });

  test('S: the file goes through the hand-off and its path in JSON; without a hand-off, refused before sending', async t => {
    const { src } = setup(t);
    const server = await fake(t, { flavour: 'S', generationMs: 10 });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const handedOver: string[] = [];
    const handOff = async (field: string, file: string) => { handedOver.push(`${field}:${file}`); return `/app/inputs/${path.basename(file)}`; };
    await client.releaseTask({ params: { prompt: 'x', lyrics: LYRICS, task_type: 'repaint', repainting_start: 4, repainting_end: 8 }, files: { src_audio: src } }, { flavour: 'S', handOff });
    assert.deepEqual(handedOver, [`src_audio:${src}`]);
    const req = server.requests.find(r => r.path === '/release_task')!;
    assert.match(String(req.headers['content-type']), /^application\/json/);
    assert.deepEqual(server.jobs[0].task.srcAudio, { serverPath: '/app/inputs/take 1.wav' });
    assert.equal(server.jobs[0].params.lyrics, LYRICS);

    const before = server.requests.length;
    await assert.rejects(client.releaseTask({ params: { prompt: 'x', task_type: 'cover' }, files: { src_audio: src } }, { flavour: 'S' }), (e: AceStepError) => {
      assert.equal(e.kind, 'unsupported');
      assert.match(e.message, /upstream standalone API \(early 2026\)[\s\S]*HTTP 500[\s\S]*passes the file paths twice[\s\S]*Create Docker Setup[\s\S]*newer ACE-Step server or the Docker wrapper/);
      return true;
    });
    assert.equal(server.requests.length, before, 'nothing sent');
  });

  test('G: editing is refused with "Editing needs the standalone API", nothing sent', async t => {
    const { src } = setup(t);
    const server = await fake(t, { flavour: 'G' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    for (const req of [{ params: { prompt: 'x' }, files: { src_audio: src } }, { params: { prompt: 'x', task_type: 'extract' }, files: {} }]) {
      await assert.rejects(client.releaseTask(req, { flavour: 'G' }), (e: AceStepError) => e.kind === 'unsupported' && /^Editing needs the standalone API/.test(e.message));
    }
    assert.equal(server.requests.length, 0);
  });

  test('refusalFor: what each server kind refuses', () => {
    const edit = { params: { task_type: 'repaint' }, files: { src_audio: '/a.wav' } };
    const plain = { params: { prompt: 'x' }, files: {} };
    assert.equal(refusalFor(edit, 'W'), undefined);
    assert.equal(refusalFor(edit, 'U'), undefined);
    assert.equal(refusalFor(edit, 'S', true), undefined);
    assert.equal(refusalFor(edit, 'S')?.switchToApi, false);
    assert.equal(refusalFor(edit, 'G')?.switchToApi, true);
    for (const f of ['W', 'S', 'U', 'G'] as Flavour[]) assert.equal(refusalFor(plain, f), undefined, f);
  });

  test('seedNote: said where the server ignores a fixed seed, not where it honours it or no seed is asked', () => {
    const fixed = { params: { seed: 7, use_random_seed: false }, files: {} };
    assert.match(seedNote(fixed, 'W') ?? '', /ignores seed 7/);
    assert.match(seedNote(fixed, 'G') ?? '', /cannot be made again from its seed/);
    assert.equal(seedNote(fixed, 'U'), undefined);
    assert.equal(seedNote({ params: { seed: 7 }, files: {} }, 'S'), undefined);
  });

  test('"500 LLM init failed" is the missing LM, like the 503', () => {
    assert.equal(kindForStatus(500, 'LLM init failed: model path not found'), 'lm-unavailable');
    assert.equal(kindForStatus(500, 'CUDA out of memory'), 'server');
    const e = httpError({ baseUrl: 'http://x', secrets: [] }, '/format_input', { status: 500, text: '{"detail":"LLM init failed: no checkpoint"}' });
    assert.equal(e.kind, 'lm-unavailable');
  });
});

describe('limitsOf: what Check Server and the CLI say a server kind cannot do', () => {
  test('seeds ignored on W, S, G; editing: the Gradio API cannot, S only through the inputs folder; U: nothing', async () => {
    const { limitsOf } = await import('../../../src/core/api');
    assert.deepEqual(limitsOf('U'), {});
    assert.deepEqual(Object.keys(limitsOf('W')), ['seeds']);
    assert.match(limitsOf('S').editing ?? '', /inputs folder/);
    assert.match(limitsOf('G').editing ?? '', /needs the standalone API/);
    for (const f of ['W', 'S', 'G'] as Flavour[]) assert.match(limitsOf(f).seeds ?? '', /ignores seed/);
  });
});
