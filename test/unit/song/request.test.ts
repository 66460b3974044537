import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseSong, toReleaseRequest } from '../../../src/core/song';
import { song, TEMPEST } from './helpers';

const base = path.resolve('/songs');

describe('toReleaseRequest', () => {
  test('the example song, under the server field names', () => {
    const r = toReleaseRequest(parseSong(TEMPEST), { baseDir: base });
    assert.deepEqual(r.params, {
      prompt: 'symphonic black metal, full string section and choir, blast beats, tremolo guitars, raspy male vocals',
      lyrics: '[Intro - orchestral]\n\n[Verse 1 - aggressive]\nThrough frozen wastelands we march on\nBeneath the vast and blackened sky\n\n[Chorus - anthemic]\nWE ARE THE TEMPEST (we are the night)',
      audio_duration: 210, bpm: 160, key_scale: 'D minor', time_signature: '4', vocal_language: 'en', thinking: true,
      batch_size: 1, audio_format: 'mp3',
    });
    assert.deepEqual(r.files, {});
  });

  test('batch_size and audio_format are always sent; options change the defaults', () => {
    const p = parseSong(song(['caption: x'], ['[Verse]', 'hello']));
    assert.deepEqual(toReleaseRequest(p, { baseDir: base }).params, { prompt: 'x', lyrics: '[Verse]\nhello', batch_size: 1, audio_format: 'mp3' });
    const o = toReleaseRequest(p, { baseDir: base, batchSize: 3, audioFormat: 'flac' }).params;
    assert.equal(o.batch_size, 3);
    assert.equal(o.audio_format, 'flac');
    const s = toReleaseRequest(parseSong(song(['batch_size: 2', 'audio_format: wav'], [])), { baseDir: base, batchSize: 4 }).params;
    assert.equal(s.batch_size, 2);
    assert.equal(s.audio_format, 'wav');
  });

  test('auto is omitted, instrumental sends [Instrumental], aliases use server names', () => {
    const p = parseSong(song(['prompt: ambient', 'bpm: auto', 'key_scale: auto', 'duration: auto', 'instrumental: true', 'vocal_language: ja'], ['[Verse]', 'ignored words']));
    assert.deepEqual(p.instrumental, true);
    assert.deepEqual(toReleaseRequest(p, { baseDir: base }).params, {
      prompt: 'ambient', lyrics: '[Instrumental]', vocal_language: 'ja', batch_size: 1, audio_format: 'mp3',
    });
    const empty = toReleaseRequest(parseSong(''), { baseDir: base }).params;
    assert.deepEqual(empty, { prompt: '', lyrics: '[Instrumental]', batch_size: 1, audio_format: 'mp3' });
  });

  test('seed sets use_random_seed false; -1 stays random', () => {
    const r = toReleaseRequest(parseSong(song(['seed: 42'], [])), { baseDir: base }).params;
    assert.equal(r.seed, 42);
    assert.equal(r.use_random_seed, false);
    const random = toReleaseRequest(parseSong(song(['seed: -1'], [])), { baseDir: base }).params;
    assert.equal('seed' in random, false);
    assert.equal('use_random_seed' in random, false);
  });

  test('advanced fields and files', () => {
    const p = parseSong(song([
      'caption: x', 'task_type: cover', 'src_audio: in/demo.wav', 'reference_audio: ../ref.mp3', 'audio_cover_strength: 0.6',
      'inference_steps: 12', 'guidance_scale: 5', 'model: acestep-v15-base', 'lm_temperature: 0.9', 'lm_top_k: 40',
      'infer_method: sde', 'shift: 2', 'use_adg: true', 'use_cot_caption: false', 'repainting_start: 1', 'time_signature: 3/4',
    ], ['[Verse]', 'words']));
    const r = toReleaseRequest(p, { baseDir: base });
    assert.deepEqual(r.files, { src_audio: path.resolve(base, 'in/demo.wav'), reference_audio: path.resolve(base, '../ref.mp3') });
    assert.equal(r.params.task_type, 'cover');
    assert.equal(r.params.audio_cover_strength, 0.6);
    assert.equal(r.params.inference_steps, 12);
    assert.equal(r.params.model, 'acestep-v15-base');
    assert.equal(r.params.lm_top_k, 40);
    assert.equal(r.params.infer_method, 'sde');
    assert.equal(r.params.use_cot_caption, false);
    assert.equal(r.params.time_signature, '3');
    assert.equal('src_audio' in r.params, false);
    assert.equal('title' in r.params, false);
  });

  test('invalid values are not sent', () => {
    const r = toReleaseRequest(parseSong(song(['bpm: 1000', 'key: J major', 'caption: x'], [])), { baseDir: base }).params;
    assert.equal('bpm' in r, false);
    assert.equal('key_scale' in r, false);
  });
});
