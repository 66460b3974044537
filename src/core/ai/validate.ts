// Checks of a model-written song before it reaches the user: the linter as a `validate` function for
// writeSong, structural gaps the linter does not treat as problems (a missing frontmatter, choruses left
// empty, "repeat chorus" shortcuts), and the linter's own safe quick fixes applied automatically.
import { analyzeSong, parseSong, type Severity, type SongDiagnostic, type TextEdit } from '../song';

export interface ValidatorOptions {
  /** Severities reported as problems (default error and warning). */
  severities?: readonly Severity[];
  /** Codes reported whatever their severity (default: stacked-modifiers, syllables, duration-too-long). */
  alsoCodes?: readonly string[];
  /** Codes never reported (default file-not-found: a written song has no folder yet). */
  ignore?: readonly string[];
}

/** `line 12: stacked-modifiers: 2 modifiers in one tag; …` */
export function formatDiagnostic(d: Pick<SongDiagnostic, 'code' | 'message' | 'range'>): string {
  return `line ${d.range.start.line + 1}: ${d.code}: ${d.message}`;
}

/** The linter as writeSong's `validate`: the findings a model should fix, one line each. */
export function songValidator(options: ValidatorOptions = {}): (songText: string) => { errors: string[] } {
  const severities = new Set(options.severities ?? ['error', 'warning']);
  const also = new Set(options.alsoCodes ?? ['stacked-modifiers', 'syllables', 'duration-too-long']);
  const ignore = options.ignore ?? ['file-not-found'];
  return songText => {
    const { diagnostics } = analyzeSong(songText, { disabled: ignore });
    return { errors: diagnostics.filter(d => severities.has(d.severity) || also.has(d.code)).map(formatDiagnostic) };
  };
}

/** Vocal sections that must have lines when they appear in a song with vocals. */
const MUST_SING = new Set(['Verse', 'Pre-Chorus', 'Chorus', 'Post-Chorus', 'Final Chorus', 'Bridge', 'Hook', 'Refrain', 'Rap']);
/** "(Repeat chorus)", "Repeat 2x", "x2", "Chorus x2": a shortcut for a person, sung as words by the model. */
const REPEAT = /^\(?\s*(?:repeat\b[^()]*|(?:chorus|hook|verse|refrain)\s*(?:[x×]\s*\d+|\d+\s*[x×])|[x×]\s*\d+|\d+\s*[x×])\s*\)?\s*[.:]?$/i;
const isRepeatShortcut = (line: string) => REPEAT.test(line) && line.split(/\s+/).length <= 5;

/** Gaps in a song's shape that make the model's draft incomplete, as `line N: …` messages. */
export function songGaps(songText: string): string[] {
  const parsed = parseSong(songText);
  const gaps: string[] = [];
  if (!parsed.frontmatter) {
    gaps.push('line 1: no frontmatter: start with a --- line, the title, caption, duration, bpm, key, time_signature and language keys, and a closing ---');
  }
  if (parsed.params.instrumental === true) return gaps;
  const tagged = parsed.sections.filter(s => s.tag);
  if (parsed.sungLineCount === 0 && tagged.length === 0) {
    gaps.push(`line ${parsed.bodyStartLine + 1}: no lyrics: write the complete lyrics with section tags, or set instrumental: true`);
    return gaps;
  }
  if (parsed.sungLineCount > 0 && tagged.length === 0) {
    gaps.push(`line ${parsed.bodyStartLine + 1}: the lyrics have no section tags: mark the parts with [Verse 1], [Chorus], [Bridge] and so on`);
  }
  if (parsed.sungLineCount > 0) {
    for (const s of tagged) {
      const sung = s.lines.some(l => l.kind === 'lyric' || l.kind === 'uppercase' || l.kind === 'backing');
      if (!sung && s.known && MUST_SING.has(s.baseName)) {
        gaps.push(`line ${s.range.start.line + 1}: [${s.name}] has no lines: write it out in full (a repeated chorus is written again)`);
      }
    }
  }
  for (const s of parsed.sections) {
    for (const l of s.lines) {
      if ((l.kind === 'lyric' || l.kind === 'backing' || l.kind === 'uppercase') && isRepeatShortcut(l.text)) {
        gaps.push(`line ${l.line + 1}: "${l.text}" would be sung as words: write the repeated lines out instead`);
      }
    }
  }
  return gaps;
}

/** Codes whose preferred quick fix is safe to apply without asking. */
export const AUTOFIX_CODES: readonly string[] = [
  'frontmatter-unclosed', 'key-alias', 'key-spelling', 'value-spelling', 'unclosed-tag', 'out-of-range',
  'caption-metadata', 'duration-too-short',
];

/**
 * Applies the linter's preferred quick fixes for `codes` (a few passes, since one fix can reveal another).
 * Returns the new text and the titles of the fixes applied.
 */
export function autofixSong(songText: string, codes: readonly string[] = AUTOFIX_CODES): { text: string; applied: string[] } {
  const wanted = new Set(codes);
  const applied: string[] = [];
  let text = songText;
  for (let pass = 0; pass < 3; pass++) {
    const { diagnostics } = analyzeSong(text, { disabled: ['file-not-found'] });
    const chosen: { edits: TextEdit[]; title: string }[] = [];
    for (const d of diagnostics) {
      if (!wanted.has(d.code)) continue;
      const fix = d.fixes?.find(f => f.isPreferred);
      if (fix) chosen.push({ edits: fix.edits, title: fix.title });
    }
    if (!chosen.length) break;
    const next = applyFixes(text, chosen, applied);
    if (next === text) break;
    text = next;
  }
  return { text, applied };
}

function applyFixes(text: string, fixes: { edits: TextEdit[]; title: string }[], applied: string[]): string {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  const offset = (p: { line: number; character: number }) => (starts[p.line] ?? text.length) + p.character;
  const taken: [number, number][] = [];
  const edits: { a: number; b: number; t: string }[] = [];
  for (const fix of fixes) {
    const spans = fix.edits.map(e => ({ a: offset(e.range.start), b: offset(e.range.end), t: e.newText }));
    const clash = spans.some(s => taken.some(([a, b]) => s.a < b && s.b > a || (s.a === s.b && s.a >= a && s.a <= b) || (a === b && a >= s.a && a <= s.b)));
    if (clash) continue;
    for (const s of spans) { taken.push([s.a, s.b]); edits.push(s); }
    applied.push(fix.title);
  }
  let out = text;
  for (const e of edits.sort((x, y) => y.a - x.a || y.b - x.b)) out = out.slice(0, e.a) + e.t + out.slice(e.b);
  return out;
}
