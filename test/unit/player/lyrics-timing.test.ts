import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeLineAt, linesFromLrc, lrcPathFor } from '../../../src/core/player/lyrics-timing';
import { parseToWebview } from '../../../src/core/player/protocol';

test('LRC lines become timed lines; the sung line at a moment; the .lrc beside the take', () => {
  const lines = linesFromLrc('[00:12.50]neon lights\n[00:03.00]we drive\nnot a line\n[01:02.25]hold on\n', 70);
  assert.deepEqual(lines, [
    { start: 3, end: 12.5, text: 'we drive' }, { start: 12.5, end: 62.25, text: 'neon lights' }, { start: 62.25, end: 70, text: 'hold on' },
  ]);
  assert.equal(activeLineAt(lines, 1), -1);
  assert.equal(activeLineAt(lines, 3), 0);
  assert.equal(activeLineAt(lines, 12.49), 0);
  assert.equal(activeLineAt(lines, 12.5), 1);
  assert.equal(activeLineAt(lines, 69), 2);
  assert.equal(activeLineAt(lines, 71), -1);
  assert.equal(lrcPathFor('/songs/out/night_take1.mp3'), '/songs/out/night_take1.lrc');
});

test('the lyricsTiming message is checked like every other', () => {
  const ok = { type: 'lyricsTiming', takeId: 'j:0', lines: [{ start: 1, end: 2, text: 'a', extra: 1 }] };
  assert.deepEqual(parseToWebview(ok), { type: 'lyricsTiming', takeId: 'j:0', lines: [{ start: 1, end: 2, text: 'a' }] });
  for (const bad of [{ ...ok, takeId: '' }, { ...ok, lines: [{ start: 2, end: 1, text: 'a' }] }, { ...ok, lines: [{ start: NaN, end: 1, text: 'a' }] }, { ...ok, lines: 'x' }]) {
    assert.equal(parseToWebview(bad), null);
  }
});
