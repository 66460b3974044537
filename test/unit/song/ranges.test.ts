// Ranges are never inverted: every range the parser, the lints and the editor data produce starts at or before
// its end, whatever white space the lines hold. (A line holding a vertical tab once got a range ending before it
// started: the start skipped only space, tab and BOM, while the end was found with trimEnd, which strips every
// kind of white space.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  analyzeSong, completionsAt, documentSymbols, hoverAt, parseSong, type Position, type Range,
} from '../../../src/core/song';
import { firstNonSpace, isSpaceCode } from '../../../src/core/song/text';
import { assertProperty } from '../property';
import { rangeInside } from './helpers';

/** Every character String.prototype.trim removes: ECMAScript white space and line terminators (but \n and \r). */
const SPACES = [
  '\t', '\v', '\f', ' ', '\u00a0', '\u1680', '\u2000', '\u2001', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f',
  '\u205f', '\u3000', '\ufeff',
];

const isPosition = (p: unknown): p is Position =>
  !!p && typeof p === 'object' && typeof (p as Position).line === 'number' && typeof (p as Position).character === 'number';
const isRange = (r: unknown): r is Range => !!r && typeof r === 'object' && isPosition((r as Range).start) && isPosition((r as Range).end);

/** Every range anywhere inside `value`, with the path that leads to it. */
function rangesIn(value: unknown, at = '', seen = new Set<object>(), out: Array<{ at: string; range: Range }> = []) {
  if (!value || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (isRange(value)) out.push({ at, range: value });
  for (const [k, v] of Object.entries(value)) rangesIn(v, `${at}.${k}`, seen, out);
  return out;
}

function assertRangesOrdered(text: string): void {
  const analysis = analyzeSong(text, { baseDir: '/x', fileExists: () => false });
  const { parsed } = analysis;
  const found = [
    ...rangesIn(parsed, 'parsed'),
    ...rangesIn(analysis.diagnostics, 'diagnostics'),
    ...rangesIn(analysis.estimate, 'estimate'),
    ...rangesIn(documentSymbols(parsed), 'symbols'),
  ];
  parsed.lines.forEach((l, line) => {
    for (const character of [0, firstNonSpace(l) < 0 ? 0 : firstNonSpace(l), l.length]) {
      found.push(...rangesIn(completionsAt(parsed, { line, character }), `completions ${line}:${character}`));
      found.push(...rangesIn(hoverAt(parsed, { line, character }), `hover ${line}:${character}`));
    }
  });
  for (const { at, range } of found) {
    assert.ok(rangeInside(parsed.lines, range), `${at}: ${JSON.stringify(range)} is inverted or outside ${JSON.stringify(text)}`);
  }
}

test('isSpaceCode is exactly the white space trim() removes and \\s matches', () => {
  for (let c = 0; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    assert.equal(isSpaceCode(c), /\s/.test(ch), `U+${c.toString(16).padStart(4, '0')}`);
    assert.equal(isSpaceCode(c), ch.trim() === '', `U+${c.toString(16).padStart(4, '0')} and trim()`);
  }
});

test('a line of white space of any kind is blank, and text after it starts where the white space ends', () => {
  for (const space of SPACES) {
    for (const line of [space, ` ${space}`, `${space} `, `\t${space}\t`]) {
      const parsed = parseSong(`[Verse]\n${line}\nla la\n`);
      const l = parsed.sections[0]!.lines.find(x => x.line === 1);
      assert.equal(l?.kind, 'blank', JSON.stringify(line));
      assertRangesOrdered(`[Verse]\n${line}\nla la\n`);
    }
    const parsed = parseSong(`[Verse]\n ${space}la la${space} \n`);
    const l = parsed.sections[0]!.lines.find(x => x.line === 1)!;
    assert.equal(l.text, 'la la', JSON.stringify(space));
    assert.deepEqual([l.range.start.character, l.range.end.character], [2, 7], JSON.stringify(space));
  }
});

test('the vertical tab found by the fuzz test: " \\v" no longer gets an inverted range', () => {
  for (const text of [' \v', '[Verse]\n \v', '[Verse]\n\t\v\f\n[Chorus]\v\n \v(ooh)\v', '---\ncaption: x\n---\n \v']) {
    assertRangesOrdered(text);
  }
  const parsed = parseSong('[Verse]\n\v[Chorus]\v\n');
  assert.deepEqual(parsed.sections.map(s => s.tag?.head), ['Verse', 'Chorus']);
});

const piece = fc.constantFrom(...SPACES, ' ', '\t', '[', ']', 'Verse', 'Chorus - soft', '#', '(', ')', 'la', 'LA', ':', '-', '---', 'key: Am');
const lineText = fc.array(piece, { maxLength: 8 }).map(p => p.join(''));
const songText = fc.array(fc.tuple(lineText, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 12 })
  .map(ls => ls.map(([l, e]) => l + e).join(''));

test('every range starts at or before its end, whatever white space the lines hold (property)', () => {
  assertProperty(fc.property(songText, text => { assertRangesOrdered(text); }), { numRuns: 300 });
});
