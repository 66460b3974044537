import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFormatResult, changedValues, mergeLyrics } from '../../../src/core/ai/format-merge';
import { parseSong } from '../../../src/core/song';

const SONG = [
  '---',
  'title: Night Drive',
  '# the tempo is fixed by the drummer',
  'caption: synthwave, neon',
  'bpm: 100',
  'time_signature: 4',
  "key: 'A minor'",
  '---',
  '# a note about the song',
  '',
  '[Verse]',
  '  Neon rivers in the night',
  '# sing this softly',
  'We run we run',
  '',
  '[Chorus]',
  'Hold on',
  '',
].join('\n');

test('the LM giving back the same values and lyrics changes nothing (comments, quotes and all)', () => {
  const lyrics = '[Verse]\nNeon rivers in the night\nWe run we run\n\n[Chorus]\nHold on';
  const out = applyFormatResult(SONG, { caption: 'synthwave, neon', bpm: 100, time_signature: '4', key: 'A minor', language: undefined as never }, lyrics);
  assert.equal(out, SONG);
});

test('only the values the LM changed are rewritten; time_signature stays a bare number', () => {
  const changed = changedValues(parseSong(SONG), { caption: 'synthwave, neon, warm bass', bpm: 100, time_signature: '3', key: 'A minor' });
  assert.deepEqual(changed, { caption: 'synthwave, neon, warm bass', time_signature: 3 });
  const out = applyFormatResult(SONG, { caption: 'synthwave, neon, warm bass', bpm: 100, time_signature: '4', key: 'A minor' }, undefined);
  assert.equal(out, SONG.replace('caption: synthwave, neon', 'caption: synthwave, neon, warm bass'));
});

test('changed lyrics are merged line by line: comments stay in place, kept lines keep their indentation', () => {
  const lyrics = '[Verse]\nNeon rivers in the night\nWe run, we run\n\n[Chorus]\nHold on\nHold on tight';
  const out = applyFormatResult(SONG, {}, lyrics);
  const body = out.split('\n').slice(8).join('\n');
  assert.equal(body, [
    '# a note about the song',
    '',
    '[Verse]',
    '  Neon rivers in the night',
    '# sing this softly',
    'We run, we run',
    '',
    '[Chorus]',
    'Hold on',
    'Hold on tight',
    '',
  ].join('\n'));
  assert.ok(out.startsWith(SONG.split('\n').slice(0, 8).join('\n')), 'the frontmatter is untouched');
});

test('mergeLyrics drops removed lines but never a comment, and appends what the LM added at the end', () => {
  assert.deepEqual(mergeLyrics(['# c1', 'a', '# c2', 'b', 'c'], 'a\nc\nd'), ['# c1', 'a', '# c2', 'c', 'd']);
  assert.deepEqual(mergeLyrics(['a', '# end'], 'x'), ['x', '# end']);
});
