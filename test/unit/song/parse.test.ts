import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSong } from '../../../src/core/song';
import { song, TEMPEST } from './helpers';

describe('parseSong: frontmatter', () => {
  test('reads the example song', () => {
    const p = parseSong(TEMPEST);
    assert.deepEqual(p.params, {
      title: 'Tempest of the Night',
      caption: 'symphonic black metal, full string section and choir, blast beats, tremolo guitars, raspy male vocals',
      duration: 210, bpm: 160, key: 'D minor', time_signature: '4', language: 'en', thinking: true, batch_size: 1,
    });
    assert.equal(p.frontmatter?.closeLine, 10);
    assert.equal(p.bodyStartLine, 11);
    const bpm = p.frontmatter!.entries.find(e => e.key === 'bpm')!;
    assert.deepEqual(bpm.keyRange, { start: { line: 4, character: 0 }, end: { line: 4, character: 3 } });
    assert.deepEqual(bpm.valueRange, { start: { line: 4, character: 5 }, end: { line: 4, character: 8 } });
    assert.equal(bpm.rawText, '160');
    assert.equal(bpm.raw, 160);
  });

  test('no frontmatter means body only', () => {
    const p = parseSong('[Verse]\nhello there my friend\n');
    assert.equal(p.frontmatter, null);
    assert.equal(p.bodyStartLine, 0);
    assert.equal(p.sections.length, 1);
    assert.equal(p.lyrics, '[Verse]\nhello there my friend');
  });

  test('BOM and CRLF', () => {
    const text = '\uFEFF---\r\ncaption: lo-fi\r\nbpm: 80\r\n---\r\n[Verse]\r\nsoft rain on the window\r\n';
    const p = parseSong(text);
    assert.equal(p.hasBom, true);
    assert.equal(p.params.caption, 'lo-fi');
    assert.equal(p.params.bpm, 80);
    assert.equal(p.lyrics, '[Verse]\nsoft rain on the window');
    assert.deepEqual(p.frontmatter!.entries[1].valueRange, { start: { line: 2, character: 5 }, end: { line: 2, character: 7 } });
  });

  test('aliases map to canonical keys', () => {
    const p = parseSong(song(['prompt: jazz', 'key_scale: F# minor', 'vocal_language: de', 'audio_duration: 90', 'timesignature: 3/4', 'dit_model: acestep-v15-base', 'format: true'], ['la la la la la la']));
    assert.deepEqual(p.params, { caption: 'jazz', key: 'F# minor', language: 'de', duration: 90, time_signature: '3', model: 'acestep-v15-base', use_format: true });
    assert.ok(p.frontmatter!.entries.every(e => e.isAlias));
  });

  test('auto values and normalised spellings', () => {
    const p = parseSong(song(['duration: auto', 'bpm: auto', 'key: Dm', 'time_signature: 6/8', 'language: EN'], []));
    assert.deepEqual(p.params, { duration: 'auto', bpm: 'auto', key: 'D minor', time_signature: '6', language: 'en' });
  });

  test('invalid values are left out of params but kept as entries with an issue', () => {
    const p = parseSong(song(['bpm: 400', 'key: J major', 'batch_size: two'], []));
    assert.deepEqual(p.params, {});
    assert.deepEqual(p.frontmatter!.entries.map(e => e.issue?.code), ['out-of-range', 'invalid-value', 'invalid-value']);
  });

  test('YAML errors carry ranges inside the frontmatter', () => {
    const p = parseSong(song(['caption: [unclosed', 'bpm: 120'], ['hi']));
    assert.ok(p.frontmatter!.errors.length > 0);
    for (const e of p.frontmatter!.errors) assert.ok(e.range.start.line >= 1 && e.range.end.line <= 3);
  });

  test('unclosed frontmatter stops before the first tag', () => {
    const p = parseSong('---\ncaption: rock\nbpm: 120\n[Verse]\nla la la\n');
    assert.equal(p.frontmatter!.closeLine, null);
    assert.equal(p.frontmatter!.contentEndLine, 2);
    assert.equal(p.params.bpm, 120);
    assert.equal(p.sections[0].name, 'Verse');
  });

  test('a multi-line caption keeps its text', () => {
    const p = parseSong(song(['caption: |', '  dark ambient,', '  slow drones', 'bpm: 70'], []));
    assert.equal(p.params.caption, 'dark ambient,\nslow drones\n');
  });
});

describe('parseSong: body', () => {
  test('sections, numbers, modifiers and line kinds', () => {
    const p = parseSong(song(null, [
      '[Intro - orchestral]', '', '[Verse 2 - whispered, soft]', 'walking through the empty streets',
      'WE ARE THE CHAMPIONS (champions)', '(ooh ooh)', '# note', '[whispered]', '[Pre Chorus]', 'rise',
    ]));
    assert.deepEqual(p.sections.map(s => [s.name, s.baseName, s.number, s.modifiers, s.known]), [
      ['Intro - orchestral', 'Intro', undefined, ['orchestral'], true],
      ['Verse 2 - whispered, soft', 'Verse', 2, ['whispered', 'soft'], true],
      ['Pre Chorus', 'Pre-Chorus', undefined, [], true],
    ]);
    assert.deepEqual(p.sections[1].lines.map(l => l.kind), ['lyric', 'uppercase', 'backing', 'comment', 'tag']);
    assert.equal(p.tags.length, 1);
    assert.equal(p.tags[0].tag.inner, 'whispered');
    assert.deepEqual(p.sections[1].range, { start: { line: 2, character: 0 }, end: { line: 7, character: 11 } });
    assert.equal(p.sungLineCount, 4);
  });

  test('comments are stripped from the submitted lyrics', () => {
    const p = parseSong(TEMPEST);
    assert.equal(p.lyrics, [
      '[Intro - orchestral]', '', '[Verse 1 - aggressive]', 'Through frozen wastelands we march on',
      'Beneath the vast and blackened sky', '', '[Chorus - anthemic]', 'WE ARE THE TEMPEST (we are the night)',
    ].join('\n'));
    assert.equal(p.instrumental, false);
  });

  test('lines before the first tag form an untagged section', () => {
    const p = parseSong('just a line\nanother line\n[Chorus]\nyes');
    assert.equal(p.sections[0].name, '');
    assert.equal(p.sections[0].tag, undefined);
    assert.equal(p.sections[0].lines.length, 2);
  });

  test('instrumental: empty body, only comments, [Instrumental], or the flag', () => {
    assert.equal(parseSong(song(['caption: x'], [])).instrumental, true);
    assert.equal(parseSong(song(['caption: x'], ['# only a comment', ''])).instrumental, true);
    assert.equal(parseSong(song(['caption: x'], ['[Instrumental]'])).instrumental, true);
    assert.equal(parseSong(song(['caption: x', 'instrumental: true'], ['[Verse]', 'words'])).instrumental, true);
    assert.equal(parseSong(song(['caption: x'], ['[Verse]', 'words'])).instrumental, false);
  });

  test('syllables are counted without the backing part', () => {
    const p = parseSong('[Verse]\nWE ARE THE TEMPEST (we are the night)\n月光洒在窗台上');
    assert.deepEqual(p.sections[0].lines.map(l => l.syllables), [5, 7]);
  });

  test('tag ranges and unclosed tags', () => {
    const p = parseSong('  [Chorus - big\n[Verse 1]');
    const t = p.sections[0].tag!;
    assert.equal(t.closed, false);
    assert.deepEqual(t.range, { start: { line: 0, character: 2 }, end: { line: 0, character: 15 } });
    assert.deepEqual(t.headRange, { start: { line: 0, character: 3 }, end: { line: 0, character: 9 } });
    assert.deepEqual(p.sections[1].tag!.headRange, { start: { line: 1, character: 1 }, end: { line: 1, character: 6 } });
  });

  test('text after a tag makes the line a lyric', () => {
    const p = parseSong('[Verse] first line here');
    assert.equal(p.sections[0].tag, undefined);
    assert.equal(p.sections[0].lines[0].kind, 'lyric');
  });
});
