// Test helpers for the .song core: applying edits, checking ranges, building songs.
import assert from 'node:assert/strict';
import { splitLines, type Range, type SongDiagnostic, type TextEdit } from '../../../src/core/song';

/** Offset of a position in text whose lines are split like the core splits them. */
function offsetOf(text: string, line: number, character: number): number {
  const re = /\r\n|\r|\n/g;
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const m = re.exec(text);
    if (!m) throw new Error(`line ${line} out of range`);
    offset = m.index + m[0].length;
  }
  return offset + character;
}

/** Applies non-overlapping edits (any order) and returns the new text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const withOffsets = edits.map(e => ({
    a: offsetOf(text, e.range.start.line, e.range.start.character),
    b: offsetOf(text, e.range.end.line, e.range.end.character),
    t: e.newText,
  })).sort((x, y) => y.a - x.a || y.b - x.b);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.a) + e.t + out.slice(e.b);
  return out;
}

/** True when the range lies inside the document (and start ≤ end). */
export function rangeInside(lines: readonly string[], r: Range): boolean {
  const ok = (l: number, c: number) => Number.isInteger(l) && Number.isInteger(c) && l >= 0 && l < lines.length
    && c >= 0 && c <= lines[l].length;
  if (!ok(r.start.line, r.start.character) || !ok(r.end.line, r.end.character)) return false;
  return r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
}

export function assertDiagnosticsInside(text: string, diagnostics: readonly SongDiagnostic[]): void {
  const lines = splitLines(text);
  for (const d of diagnostics) {
    assert.ok(rangeInside(lines, d.range), `${d.code} range outside the document: ${JSON.stringify(d.range)}`);
    for (const f of d.fixes ?? []) {
      for (const e of f.edits) assert.ok(rangeInside(lines, e.range), `${d.code} fix edit outside: ${JSON.stringify(e.range)}`);
    }
  }
}

export function codes(diagnostics: readonly SongDiagnostic[]): string[] {
  return diagnostics.map(d => d.code);
}

/** A song from frontmatter lines and body lines. */
export function song(frontmatter: string[] | null, body: string[]): string {
  const fm = frontmatter ? ['---', ...frontmatter, '---'] : [];
  return [...fm, ...body].join('\n');
}

export const TEMPEST = song([
  'title: Tempest of the Night',
  'caption: symphonic black metal, full string section and choir, blast beats, tremolo guitars, raspy male vocals',
  'duration: 210',
  'bpm: 160',
  'key: D minor',
  'time_signature: 4',
  'language: en',
  'thinking: true',
  'batch_size: 1',
], [
  '[Intro - orchestral]',
  '',
  '[Verse 1 - aggressive]',
  'Through frozen wastelands we march on',
  'Beneath the vast and blackened sky',
  '',
  "# a writer's note: lines starting with # are comments, stripped before submission",
  '[Chorus - anthemic]',
  'WE ARE THE TEMPEST (we are the night)',
]);

const VERSE = [
  'Through frozen wastelands we march on',
  'Beneath the vast and blackened sky',
  'The ancient ones have called our names',
  'As mortal kingdoms fade and die',
];

/** A realistic song of about `lines` lines (frontmatter included). */
export function bigSong(lines: number): string {
  const out = ['---', 'title: Big', 'caption: epic rock, choir', 'bpm: 140', 'key: E minor', 'duration: 240', '---'];
  let n = 0;
  while (out.length < lines) {
    n++;
    const kind = n % 4 === 1 ? `Verse ${(n >> 2) % 9 + 1}` : n % 4 === 2 ? 'Pre-Chorus' : n % 4 === 3 ? 'Chorus - anthemic' : 'Bridge';
    out.push(`[${kind}]`);
    if (n % 7 === 0) out.push('# a note to self');
    for (const l of VERSE) out.push(n % 4 === 3 ? l.toUpperCase() : l);
    if (n % 5 === 0) out.push('(oh oh oh)');
    out.push('');
  }
  return out.slice(0, lines).join('\n');
}
