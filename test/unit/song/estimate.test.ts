import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateDuration, formatSeconds, lineSeconds, parseSong, tempoFactor } from '../../../src/core/song';
import { song, TEMPEST } from './helpers';

const LINE = 'counting every falling light'; // 8 syllables by the heuristic

describe('estimateDuration', () => {
  test('a sung line takes 3–5 s, longer when slow or wordy', () => {
    assert.equal(lineSeconds(8, 1), 4);
    assert.equal(lineSeconds(30, 1.25), 5);
    assert.equal(lineSeconds(2, 0.8), 3);
    assert.ok(tempoFactor(60) > tempoFactor(120) && tempoFactor(120) > tempoFactor(180));
    assert.equal(tempoFactor('auto'), 1);
    assert.equal(tempoFactor(undefined), 1);
  });

  test('intro/outro 8–30 s, instrumental sections 4–15 s, vocal sections lines plus 4–15 s around them', () => {
    const e = estimateDuration(parseSong(song(['bpm: 120'], ['[Intro]', '[Verse 1]', ...Array(16).fill(LINE), '[Guitar Solo]', '[Outro]'])));
    assert.deepEqual(e.sections.map(s => [s.name, s.seconds, s.min, s.max]), [
      ['Intro', 20, 8, 30],
      ['Verse 1', 74, 55, 95],
      ['Guitar Solo', 10, 4, 15],
      ['Outro', 20, 8, 30],
    ]);
    assert.equal(e.seconds, 125);
    assert.equal(e.min, 75);
    assert.equal(e.max, 170);
  });

  test('a short song (a jingle) gets a short intro, outro and room around its lines; a solo keeps its time', () => {
    // 2 lines = 8 s of singing: a quarter of the played time around them (full from 60 s of singing on).
    const e = estimateDuration(parseSong(song(['bpm: 120'], ['[Intro]', '[Verse 1]', LINE, LINE, '[Guitar Solo]', '[Outro]'])));
    assert.deepEqual(e.sections.map(s => [s.name, s.seconds, s.min, s.max]), [
      ['Intro', 5, 2, 8],
      ['Verse 1', 11, 7, 14],
      ['Guitar Solo', 10, 4, 15],
      ['Outro', 5, 2, 8],
    ]);
    assert.deepEqual([e.seconds, e.min, e.max], [30, 15, 45]);
    // Without any singing nothing shrinks.
    const played = estimateDuration(parseSong('[Intro]\n[Guitar Solo]\n[Outro]'));
    assert.deepEqual(played.sections.map(s => s.seconds), [20, 10, 20]);
  });

  test('an empty vocal section counts as instrumental; silence is short', () => {
    const e = estimateDuration(parseSong('[Chorus]\n[Silence]'));
    assert.deepEqual(e.sections.map(s => s.seconds), [10, 2]);
  });

  test('section ranges point at the source', () => {
    const e = estimateDuration(parseSong(TEMPEST));
    assert.deepEqual(e.sections.map(s => s.range.start.line), [11, 13, 18]);
    assert.deepEqual(e.sections[1].range.end, { line: 15, character: 34 });
  });

  test('slower songs need more time', () => {
    const body = ['[Verse]', ...Array(16).fill(LINE)];
    const slow = estimateDuration(parseSong(song(['bpm: 60'], body)));
    const fast = estimateDuration(parseSong(song(['bpm: 180'], body)));
    assert.ok(slow.seconds > fast.seconds);
  });

  test('rounded to 5 s and clamped to 10–600', () => {
    const tiny = estimateDuration(parseSong('[Silence]'));
    assert.equal(tiny.seconds, 10);
    assert.equal(tiny.min, 10);
    const huge = estimateDuration(parseSong(['[Verse]', ...Array(500).fill(LINE)].join('\n')));
    assert.equal(huge.seconds, 600);
    assert.equal(huge.max, 600);
    for (const e of [tiny, huge, estimateDuration(parseSong(TEMPEST))]) {
      assert.equal(e.seconds % 5, 0);
      assert.ok(e.min <= e.seconds && e.seconds <= e.max);
    }
  });

  test('no sections: a default span', () => {
    const e = estimateDuration(parseSong(song(['caption: ambient'], [])));
    assert.deepEqual([e.seconds, e.min, e.max, e.sections.length], [60, 30, 120, 0]);
  });

  test('formatSeconds', () => {
    assert.equal(formatSeconds(205), '3:25');
    assert.equal(formatSeconds(9), '0:09');
    assert.equal(formatSeconds(600), '10:00');
  });
});
