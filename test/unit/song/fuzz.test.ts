// Property tests: the parser, the lints, the estimate and the editor data never throw and never
// point outside the document, whatever the input.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertProperty } from '../property';
import {
  analyzeSong, completionsAt, documentSymbols, foldingRanges, hoverAt, parseSong, splitLines, toReleaseRequest,
} from '../../../src/core/song';
import { applyEdits, assertDiagnosticsInside, bigSong, rangeInside } from './helpers';

const FRAGMENTS = [
  '---', '--- ', '----', '...', '', ' ', '\t', 'caption: rock, 120 bpm, in A minor, 3/4', 'prompt: x', 'bpm: 120', 'bpm: auto',
  'bpm:', 'key: Dm', 'key: "F# minor"', 'key: [a, b]', 'time_signature: 6/8', 'duration: 3:30', 'duration: -5',
  'language: EN', 'thinking: yes', 'task_type: cover', 'src_audio: a.wav', 'caption: |', '  multi', 'foo: {a: 1',
  '[Verse 1 - soft, whispered]', '[Chorus', '[]', '[Chrous]', '[whispered]', '[Intro - a - b - c]', '# comment',
  '  # indented comment', '(ooh ooh)', 'WE ARE THE NIGHT (night)', 'la la la', '🎸🎶 emoji line 🎤', '月光洒在窗台上',
  '\uFEFF---', 'key: \u0000', 'constructor: x', '__proto__: y', 'toString:', 'language: constructor', '"unbalanced', ': colon first', '- list item', '&anchor x', '*alias', '!!binary x',
];

const line = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);
const eol = fc.constantFrom('\n', '\r\n', '\r');
const songText = fc.tuple(fc.boolean(), fc.array(fc.tuple(line, eol), { maxLength: 40 }))
  .map(([bom, ls]) => (bom ? '\uFEFF' : '') + ls.map(([l, e]) => l + e).join(''));
const anyText = fc.oneof(songText, fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }));

function checkAll(text: string): void {
  const lines = splitLines(text);
  const { parsed, diagnostics, estimate } = analyzeSong(text, { baseDir: '/x', fileExists: () => false });
  assertDiagnosticsInside(text, diagnostics);
  for (const s of parsed.sections) {
    assert.ok(rangeInside(lines, s.range), 'section range');
    if (s.tag) assert.ok(rangeInside(lines, s.tag.range) && rangeInside(lines, s.tag.headRange), 'tag range');
    for (const l of s.lines) assert.ok(rangeInside(lines, l.range), 'line range');
  }
  for (const e of parsed.frontmatter?.entries ?? []) {
    assert.ok(rangeInside(lines, e.keyRange) && rangeInside(lines, e.valueRange), `entry ${e.key}`);
  }
  for (const e of parsed.frontmatter?.errors ?? []) assert.ok(rangeInside(lines, e.range), 'yaml error range');
  if (parsed.frontmatter) assert.ok(rangeInside(lines, parsed.frontmatter.range), 'frontmatter range');
  for (const s of estimate.sections) assert.ok(rangeInside(lines, s.range), 'estimate range');
  assert.ok(estimate.seconds >= 10 && estimate.seconds <= 600 && estimate.min <= estimate.seconds && estimate.seconds <= estimate.max);
  for (const s of documentSymbols(parsed)) {
    assert.ok(rangeInside(lines, s.range) && rangeInside(lines, s.selectionRange), 'symbol');
    for (const c of s.children) assert.ok(rangeInside(lines, c.range) && rangeInside(lines, c.selectionRange), 'child symbol');
  }
  for (const f of foldingRanges(parsed)) assert.ok(f.startLine >= 0 && f.endLine < lines.length && f.startLine < f.endLine);
  toReleaseRequest(parsed, { baseDir: '/x' });
  // Every fix applies cleanly and the result parses again.
  const fixes = diagnostics.flatMap(d => d.fixes ?? []);
  for (const f of fixes.slice(0, 20)) analyzeSong(applyEdits(text, f.edits));
}

describe('robustness (fast-check)', () => {
  test('never throws, every range inside the document', () => {
    assertProperty(fc.property(anyText, text => { checkAll(text); }), { numRuns: 1500 });
  });

  test('completion and hover anywhere', () => {
    assertProperty(fc.property(songText, fc.nat(), fc.nat(), (text, l, c) => {
      const parsed = parseSong(text);
      const line = l % parsed.lines.length;
      const character = c % (parsed.lines[line].length + 1);
      for (const item of completionsAt(parsed, { line, character })) {
        if (item.range) assert.ok(rangeInside(parsed.lines, item.range), 'completion range');
      }
      const h = hoverAt(parsed, { line, character });
      if (h) assert.ok(rangeInside(parsed.lines, h.range));
    }), { numRuns: 1000 });
  });

  test('hostile shapes: huge lines, unbalanced ---, only delimiters, 100k lines', () => {
    const cases = [
      '',
      '\uFEFF',
      '---',
      '---\n',
      '---\n---',
      '---\n---\n---\n---',
      '---\n' + 'caption: x\n'.repeat(5000),
      '---\n' + 'la la la\n'.repeat(30000),
      '[' + 'a'.repeat(200000),
      'x'.repeat(500000),
      '---\ncaption: ' + 'word, '.repeat(50000) + '\n---\n',
      '\t[\tVerse\t]\t\n\t# c\n',
      '\r\r\r\n\n\r',
      bigSong(100000),
    ];
    for (const text of cases) checkAll(text);
  });

  test('100k lines analyse in well under a second', () => {
    const text = bigSong(100000);
    const t0 = performance.now();
    analyzeSong(text);
    assert.ok(performance.now() - t0 < 3000);
  });
});
