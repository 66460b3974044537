// Small text helpers shared by the parser, the lints and the editor data: line splitting,
// ranges, edit distance and syllable counting. All linear in their input.
import type { Position, Range } from './types';

/** Splits on \r\n, \n and a lone \r (VS Code treats all three as line breaks). Always ≥ 1 line. */
export function splitLines(text: string): string[] {
  if (text.indexOf('\r') < 0) return text.split('\n');
  return text.split(/\r\n|\r|\n/);
}

export function pos(line: number, character: number): Position {
  return { line, character };
}

export function range(line: number, start: number, endLine: number, end: number): Range {
  return { start: { line, character: start }, end: { line: endLine, character: end } };
}

/** A range on a single line. */
export function lineRange(line: number, start: number, end: number): Range {
  return range(line, start, line, end);
}

/** The whole text of one line (without its terminator). */
export function fullLineRange(lines: readonly string[], line: number): Range {
  return lineRange(line, 0, lines[line]?.length ?? 0);
}

/** True when `p` lies inside `r` (both ends inclusive, as a cursor at the end still "touches"). */
export function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

/**
 * True for the white space that trim() removes and \s matches (ECMAScript white space and line terminators, the
 * BOM among them). The parser finds where a line's text starts with this and where it ends with trimEnd(), so the
 * two agree and a range never ends before it starts.
 */
export function isSpaceCode(c: number): boolean {
  if (c < 0xa0) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029
    || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Index of the first character that is not white space (isSpaceCode), or -1 for a blank line. */
export function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (!isSpaceCode(s.charCodeAt(i))) return i;
  }
  return -1;
}

/**
 * Edit distance counting an insertion, deletion, substitution or swap of two neighbours as one
 * step (optimal string alignment), with an early exit: returns `limit + 1` once it exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length > 64 || b.length > 64) return limit + 1; // suggestions are for short names only
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        d = Math.min(d, before[j - 2] + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length];
}

/**
 * The candidates closest to `word` (case-insensitive), best first, within a distance that grows
 * with the word's length (1 for short words, up to a third of the length).
 */
export function didYouMean(word: string, candidates: readonly string[], max = 3): string[] {
  const w = word.toLowerCase();
  if (!w || w.length > 64) return [];
  const limit = Math.max(1, Math.min(4, Math.floor(w.length / 3)));
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const lc = c.toLowerCase();
    let d = editDistance(w, lc, limit);
    // A prefix or containment also counts as close ("pre" → "Pre-Chorus" is not, "chorus2" is).
    if (d > limit && w.length >= 4 && (lc.startsWith(w) || w.startsWith(lc))) d = limit;
    if (d <= limit) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.length - y.c.length);
  return scored.slice(0, max).map(s => s.c);
}

// ---------------------------------------------------------------------------------------------
// Syllables

const VOWELS = new Set('aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœаеёиоуыэюяіїєαεηιουωάέήίόύώ');
/** ASCII vowels by char code (lower case). */
const ASCII_VOWEL = new Uint8Array(128);
for (const ch of 'aeiouy') ASCII_VOWEL[ch.charCodeAt(0)] = 1;

function isCjk(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) // hiragana, katakana
    || (c >= 0x3400 && c <= 0x9fff) // CJK ideographs
    || (c >= 0xac00 && c <= 0xd7af) // hangul syllables
    || (c >= 0xf900 && c <= 0xfaff);
}

function isSmallKana(c: number): boolean {
  // ぁぃぅぇぉっゃゅょゎ and their katakana twins do not make a syllable of their own
  const k = c >= 0x30a0 ? c - 0x60 : c;
  return k === 0x3041 || k === 0x3043 || k === 0x3045 || k === 0x3047 || k === 0x3049
    || k === 0x3063 || k === 0x3083 || k === 0x3085 || k === 0x3087 || k === 0x308e;
}

const MARK = /\p{M}/u;
const LETTER = /\p{L}/u;
const E = 101; // 'e'
const L = 108; // 'l'

/**
 * Estimates sung syllables of a line: vowel groups per word for alphabetic scripts (with the
 * English silent final "e"), one per character for Chinese, Japanese kana and Korean hangul.
 * Text in parentheses (backing vocals) is not counted. A rough but stable heuristic, one pass
 * over the characters without allocating.
 */
export function countSyllables(text: string): number {
  let total = 0;
  let depth = 0;
  // The current word: letters seen, vowel groups, whether the last letter was a vowel, and the
  // last two letters (lower-case char codes; -1 when none) with their vowel flags.
  let letters = 0, groups = 0, inVowel = false;
  let last = -1, prev = -1, prevVowel = false, lastVowel = false;
  const flush = () => {
    if (letters > 0) {
      // English silent final e ("fade", "stone"), but not "the", "be", "free" or "-le" ("fable").
      if (groups > 1 && last === E && prev !== -1 && !prevVowel && prev !== L) groups--;
      total += Math.max(1, groups);
    }
    letters = 0; groups = 0; inVowel = false; last = -1; prev = -1; prevVowel = false; lastVowel = false;
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c === 40 /* ( */) { flush(); depth++; continue; }
    if (c === 41 /* ) */) { flush(); if (depth > 0) depth--; continue; }
    if (depth > 0) continue;
    if (c === 39 /* ' */ || c === 0x2019) continue; // apostrophes stay inside the word
    let vowel: boolean;
    if (c < 128) {
      if (c >= 65 && c <= 90) c += 32;
      else if (c < 97 || c > 122) { flush(); continue; }
      vowel = ASCII_VOWEL[c] === 1;
    } else if (isCjk(c)) {
      flush();
      if (c < 0x3040 || c > 0x30ff || !isSmallKana(c)) total++;
      continue;
    } else {
      const ch = text[i];
      const lower = ch.toLowerCase();
      if (lower === ch.toUpperCase()) {
        // Uncased scripts. Combining marks (accents, vowel signs) belong to the word. In Arabic and
        // Hebrew vowels are mostly unwritten, and Thai and Lao write vowels as letters: about one
        // syllable per two letters. Other abugidas (Devanagari, Tamil, …): about one per letter.
        if (MARK.test(ch)) continue;
        if (!LETTER.test(ch)) { flush(); continue; }
        if ((c >= 0x0590 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) || (c >= 0x0e00 && c <= 0x0eff)) {
          if (letters === 0) { flush(); }
          letters++;
          if (letters % 2 === 1) groups++;
          inVowel = false; last = -1;
          continue;
        }
        flush();
        total++;
        continue;
      }
      vowel = VOWELS.has(lower);
      c = lower.charCodeAt(0);
    }
    letters++;
    if (vowel && !inVowel) groups++;
    inVowel = vowel;
    prev = last; prevVowel = lastVowel; last = c; lastVowel = vowel;
  }
  flush();
  return total;
}
