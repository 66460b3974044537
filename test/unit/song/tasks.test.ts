import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { completionsAt, hoverAt, lintSong, parseSong, toReleaseRequest } from '../../../src/core/song';
import { AudioLengthCache, readAudioLength } from '../../../src/core/song/audio-length';
import { wavBuffer } from '../../../src/core/player/wav';
import { applyEdits, codes, song } from './helpers';
import { tempDir } from '../api/helpers';

const base = path.resolve('/songs');
const lint = (fm: string[], length?: number) => lintSong(parseSong(song(fm, ['[Verse]', 'hello there my friend'])),
  { baseDir: base, ...(length !== undefined ? { audioLength: () => length } : {}) });
const find = (fm: string[], code: string, length?: number) => lint(fm, length).find(d => d.code === code);

describe('tasks in the .song', () => {
  test('track and tracks are filled into the instruction; instruction overrides; text2music sends none', () => {
    const req = (fm: string[]) => toReleaseRequest(parseSong(song(['caption: x', 'src_audio: a.wav', ...fm], [])), { baseDir: base }).params;
    assert.equal(req(['task_type: extract', 'track: vocals']).instruction, 'Extract the VOCALS track from the audio:');
    assert.equal(req(['task_type: lego', 'track: backing vocals']).instruction, 'Generate the BACKING_VOCALS track based on the audio context:');
    assert.equal(req(['task_type: complete', 'tracks: [drums, bass]']).instruction, 'Complete the input track with DRUMS | BASS:');
    assert.equal(req(['task_type: complete', 'tracks: drums, Bass']).instruction, 'Complete the input track with DRUMS | BASS:');
    assert.equal(req(['task_type: complete']).instruction, 'Complete the input track:');
    assert.equal(req(['task_type: extract', 'track: vocals', 'instruction: Do it']).instruction, 'Do it');
    const plain = req([]);
    assert.ok(!('instruction' in plain) && !('track' in plain) && !('tracks' in plain));
    assert.equal(codes(lint(['instruction: Do it', 'task_type: cover', 'src_audio: a.wav'])).includes('unknown-key'), false);
  });

  test('required inputs, unknown tracks with did-you-mean, base model, thinking where the LM is skipped', () => {
    assert.ok(find(['task_type: extract', 'src_audio: a.wav'], 'task-needs-track'));
    assert.equal(find(['task_type: extract', 'src_audio: a.wav', 'track: drums'], 'task-needs-track'), undefined);
    const bad = find(['task_type: lego', 'src_audio: a.wav', 'track: bas'], 'unknown-track')!;
    assert.match(bad.message, /did you mean bass/);
    const text = song(['task_type: lego', 'src_audio: a.wav', 'track: bas'], []);
    assert.match(applyEdits(text, lintSong(parseSong(text)).find(d => d.code === 'unknown-track')!.fixes![0]!.edits), /track: bass/);
    const list = find(['task_type: complete', 'src_audio: a.wav', 'tracks: [drums, gitar]'], 'unknown-track')!;
    assert.match(list.message, /gitar.*guitar/);
    assert.equal(list.fixes![0]!.edits[0]!.newText, '[drums, guitar]');
    const turbo = find(['task_type: extract', 'src_audio: a.wav', 'track: vocals', 'dit_model: acestep-v15-turbo'], 'task-needs-base-model')!;
    assert.equal(turbo.fixes![0]!.edits[0]!.newText, 'acestep-v15-base');
    assert.equal(find(['task_type: extract', 'src_audio: a.wav', 'track: vocals', 'model: acestep-v15-base'], 'task-needs-base-model'), undefined);
    assert.ok(find(['task_type: repaint', 'src_audio: a.wav', 'thinking: true'], 'thinking-skipped'));
    assert.ok(find(['task_type: cover', 'src_audio: a.wav', 'thinking: true'], 'thinking-skipped'));
    assert.equal(find(['task_type: lego', 'src_audio: a.wav', 'track: bass', 'thinking: true'], 'thinking-skipped'), undefined);
    assert.ok(find(['track: bass'], 'unused-param'), 'track without extract or lego');
  });

  test('a range outside the source extends it: negative start, end past the length; start past the end warns', () => {
    const fm = (a: string, b: string) => ['task_type: repaint', 'src_audio: a.wav', `repainting_start: ${a}`, `repainting_end: ${b}`];
    assert.equal(codes(lint(fm('-10', '0'))).includes('out-of-range'), false);
    assert.match(find(fm('-10', '0'), 'repaint-extends')!.message, /10 s of silence is added before/);
    assert.match(find(fm('170', '210'), 'repaint-extends', 180)!.message, /30 s of silence/);
    assert.equal(find(fm('170', '210'), 'repaint-extends'), undefined, 'no length: no lint');
    assert.equal(find(fm('40', '52'), 'repaint-extends', 180), undefined);
    assert.ok(find(fm('190', '210'), 'repaint-past-source', 180));
  });

  test('completion and hover for the new keys', () => {
    const text = song(['task_type: extract', 'track: '], []);
    const items = completionsAt(text, { line: 2, character: 7 }).map(c => c.label);
    assert.ok(items.includes('backing_vocals') && items.includes('woodwinds'));
    const t2 = song(['tracks: '], []);
    assert.ok(completionsAt(t2, { line: 1, character: 8 }).some(c => c.label === 'drums'));
    const hover = hoverAt(parseSong(song(['repainting_start: -5'], [])), { line: 1, character: 3 })!;
    assert.match(hover.markdown, /padded with silence/);
  });

  test('the length of a source: WAV header, FLAC STREAMINFO, MP3 Info header; cached by mtime', async t => {
    const dir = tempDir(t);
    const wav = path.join(dir, 'a.wav');
    writeFileSync(wav, wavBuffer({ sampleRate: 8000, channels: 1, durationSec: 3 }));
    assert.equal(await readAudioLength(wav), 3);
    const flac = Buffer.alloc(64);
    flac.write('fLaC', 0, 'latin1');
    flac[4] = 0x80; flac[7] = 34; // last block, STREAMINFO, 34 bytes
    const rate = 44100; const samples = 44100 * 7;
    flac[18] = rate >> 12; flac[19] = (rate >> 4) & 0xff; flac[20] = ((rate & 0xf) << 4) | 0x02;
    flac[21] = 0xf0; flac.writeUInt32BE(samples, 22);
    writeFileSync(path.join(dir, 'a.flac'), flac);
    assert.equal(await readAudioLength(path.join(dir, 'a.flac')), 7);
    const mp3 = Buffer.alloc(600);
    mp3[0] = 0xff; mp3[1] = 0xfb; mp3[2] = 0x90; mp3[3] = 0x00; // MPEG-1 Layer III, 128 kbps, 44.1 kHz, stereo
    mp3.write('Info', 4 + 32, 'latin1'); mp3.writeUInt32BE(1, 40); mp3.writeUInt32BE(1000, 44);
    writeFileSync(path.join(dir, 'a.mp3'), mp3);
    assert.ok(Math.abs((await readAudioLength(path.join(dir, 'a.mp3')))! - 1000 * 1152 / 44100) < 1e-9);
    writeFileSync(path.join(dir, 'raw.mp3'), Buffer.from([0xff, 0xfb, 0x90, 0, 0, 0, 0, 0]));
    assert.equal(await readAudioLength(path.join(dir, 'raw.mp3')), undefined, 'no header that counts the frames: skipped');
    let reads = 0; let told = 0;
    const cache = new AudioLengthCache(() => { told++; }, async f => { reads++; return readAudioLength(f); });
    assert.equal(cache.lengthOf(wav), undefined, 'the first ask starts a background read');
    await new Promise(r => setTimeout(r, 50));
    assert.equal(cache.lengthOf(wav), 3);
    assert.equal(cache.lengthOf(wav), 3);
    assert.equal(reads, 1);
    assert.equal(told, 1);
  });
});
