// Input checks of the language model tools: models send strings for numbers, unknown keys, nothing at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkGenerateInput, checkJobStatusInput, checkSwitchModeInput, checkValidateInput, songFromFields,
} from '../../../src/core/ai/tool-input';
import { analyzeSong, parseSong } from '../../../src/core/song';

test('validate: path, text or nothing', () => {
  assert.deepEqual(checkValidateInput({ path: ' songs/a.song ' }), { ok: true, value: { path: 'songs/a.song' } });
  assert.deepEqual(checkValidateInput({ text: '---\n---\n' }), { ok: true, value: { text: '---\n---\n' } });
  assert.deepEqual(checkValidateInput({}), { ok: true, value: {} });
  assert.deepEqual(checkValidateInput(undefined), { ok: true, value: {} });
  assert.deepEqual(checkValidateInput({ path: '' }), { ok: true, value: {} }, 'an empty string counts as missing');
});

test('validate: bad input gets one actionable message', () => {
  const both = checkValidateInput({ path: 'a.song', text: 'x' });
  assert.equal(both.ok, false);
  assert.match((both as { error: string }).error, /either "path" or "text", not both/);
  assert.match((checkValidateInput({ path: 42 }) as { error: string }).error, /"path" must be a string/);
  assert.match((checkValidateInput({ file: 'a.song' }) as { error: string }).error, /unknown key "file"/);
  assert.match((checkValidateInput('a.song') as { error: string }).error, /must be a JSON object/);
  assert.match((checkValidateInput([1]) as { error: string }).error, /not an array/);
});

test('generate: a path, fields, or the open editor', () => {
  assert.deepEqual(checkGenerateInput({ path: 'x/y.song' }), { ok: true, value: { kind: 'path', path: 'x/y.song' } });
  assert.deepEqual(checkGenerateInput({}), { ok: true, value: { kind: 'active' } });
  const r = checkGenerateInput({ caption: 'lo-fi hip hop, mellow', lyrics: '[Verse 1]\nla', bpm: '85', duration: 'auto', time_signature: '4/4', batch_size: 2, instrumental: 'false' });
  assert.deepEqual(r, { ok: true, value: { kind: 'fields', fields: { caption: 'lo-fi hip hop, mellow', lyrics: '[Verse 1]\nla', bpm: 85, duration: 'auto', time_signature: '4', batch_size: 2, instrumental: false } } });
  assert.deepEqual(checkGenerateInput({ caption: 'ambient drone', instrumental: true }), { ok: true, value: { kind: 'fields', fields: { caption: 'ambient drone', instrumental: true } } });
});

test('generate: every problem of a bad call is named, with hints', () => {
  const err = (x: unknown) => { const r = checkGenerateInput(x); assert.equal(r.ok, false, JSON.stringify(x)); return (r as { error: string }).error; };
  assert.match(err({ path: 'a.txt' }), /must name a \.song file/);
  assert.match(err({ path: 'a.song', caption: 'x' }), /either "path" or the song's fields/);
  assert.match(err({ lyrics: '[Verse]\nla' }), /"caption" is required/);
  assert.match(err({ caption: 'rock' }), /"lyrics" is required .* or set "instrumental": true/);
  const many = err({ caption: 'rock', lyrics: 'la', bpm: 999, duration: 'long', genre: 'rock', batch_size: 20, time_signature: 5 });
  assert.match(many, /"bpm" must be between 30 and 300 \(got 999\)/);
  assert.match(many, /"duration" must be a number or "auto"/);
  assert.match(many, /unknown key "genre" \(put the genre in "caption"\)/);
  assert.match(many, /"batch_size" must be between 1 and 8/);
  assert.match(many, /"time_signature" must be 2, 3, 4 or 6/);
  assert.match(err({ caption: 'x', lyrics: '---\ntitle: a\n---\n[Verse]\nla' }), /holds a whole \.song file/);
  assert.match(err({ caption: 'x', lyrics: 'la', bpm: 95.5 }), /"bpm" must be a whole number/);
});

test('songFromFields writes a .song the linter reads back', () => {
  const text = songFromFields({
    title: 'Harbour Lights: Part 2', caption: 'indie folk, warm acoustic guitar, soft male vocal', lyrics: '[Verse 1]\nThe ferry leaves at seven every night\n\n[Chorus]\nHold the harbour lights\n',
    duration: 120, bpm: 96, key: 'A minor', time_signature: '4', language: 'en', batch_size: 2,
  });
  assert.equal(text, [
    '---', 'title: "Harbour Lights: Part 2"', 'caption: indie folk, warm acoustic guitar, soft male vocal', 'duration: 120', 'bpm: 96',
    'key: A minor', 'time_signature: 4', 'language: en', 'batch_size: 2', '---', '', '[Verse 1]', 'The ferry leaves at seven every night', '',
    '[Chorus]', 'Hold the harbour lights', '',
  ].join('\n'));
  const parsed = parseSong(text);
  assert.equal(parsed.params.title, 'Harbour Lights: Part 2');
  assert.equal(parsed.params.time_signature, '4');
  assert.equal(parsed.params.batch_size, 2);
  assert.ok(!analyzeSong(text).diagnostics.some(d => d.severity === 'error'));
  assert.equal(songFromFields({ caption: 'ambient', instrumental: true }), '---\ncaption: ambient\ninstrumental: true\n---\n');
});

test('job status and switch mode inputs', () => {
  assert.deepEqual(checkJobStatusInput({}), { ok: true, value: {} });
  assert.deepEqual(checkJobStatusInput({ jobId: ' abc ' }), { ok: true, value: { jobId: 'abc' } });
  assert.match((checkJobStatusInput({ id: 'x' }) as { error: string }).error, /unknown key "id" \(the only key is "jobId"\)/);
  assert.deepEqual(checkSwitchModeInput({ mode: 'API' }), { ok: true, value: { mode: 'api' } });
  assert.deepEqual(checkSwitchModeInput({ mode: 'gradio' }), { ok: true, value: { mode: 'gradio' } });
  assert.match((checkSwitchModeInput({ mode: 'turbo' }) as { error: string }).error, /"mode" must be "api" .* or "gradio" .*, not "turbo"/);
  assert.match((checkSwitchModeInput({}) as { error: string }).error, /"mode" must be/);
});
