// parseSong: one linear pass over the text. Never throws; every range it produces lies inside
// the document. The result is plain data shared by the lints, the estimate, the request builder
// and the editor features.
import { parseFrontmatter } from './frontmatter';
import { lookupPerformanceTag, lookupSection, parseTagLine } from './tags';
import { countSyllables, firstNonSpace, lineRange, splitLines } from './text';
import type { LineKind, ParsedSong, Range, Section, SongLine, TagInfo } from './types';

/** What the server reads as "no vocals". */
const INSTRUMENTAL_BODIES = /^\[(instrumental|inst)\]$/i;

export function parseSong(text: string): ParsedSong {
  try {
    return parseUnsafe(typeof text === 'string' ? text : String(text ?? ''));
  } catch {
    // Defensive: a parser bug must never take the editor down. Fall back to "body only".
    const lines = splitLines(typeof text === 'string' ? text : '');
    return {
      lines, hasBom: false, frontmatter: null, bodyStartLine: 0, params: {}, sections: [], lyrics: '',
      instrumental: true, sungLineCount: 0, tags: [],
    };
  }
}

function classify(trimmed: string): LineKind {
  if (trimmed === '') return 'blank';
  const c = trimmed.charCodeAt(0);
  if (c === 35 /* # */) return 'comment';
  if (c === 40 /* ( */ && trimmed.charCodeAt(trimmed.length - 1) === 41 /* ) */ && !hasTextOutsideParens(trimmed)) {
    return 'backing';
  }
  return isUppercase(trimmed) ? 'uppercase' : 'lyric';
}

function hasTextOutsideParens(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(') depth++;
    else if (ch === ')') { if (depth > 0) depth--; }
    else if (depth === 0 && ch !== ' ' && ch !== '\t') return true;
  }
  return false;
}

/** At least two letters outside parentheses, and none of them lower case. */
function isUppercase(s: string): boolean {
  let letters = 0;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40 /* ( */) { depth++; continue; }
    if (c === 41 /* ) */) { if (depth > 0) depth--; continue; }
    if (depth > 0) continue;
    if (c < 128) {
      if (c >= 97 && c <= 122) return false;
      if (c >= 65 && c <= 90) letters++;
      continue;
    }
    const ch = s[i];
    const lo = ch.toLowerCase();
    if (lo === ch.toUpperCase()) continue; // not a cased letter
    if (ch === lo) return false;
    letters++;
  }
  return letters >= 2;
}

function newSection(tag: TagInfo | undefined, line: number, lineLength: number): Section {
  if (!tag) {
    return {
      name: '', baseName: '', modifiers: [], known: false, category: 'vocal',
      range: lineRange(line, 0, lineLength), lines: [],
    };
  }
  const known = lookupSection(tag.head);
  return {
    name: tag.inner,
    baseName: known ? known.name : tag.head,
    number: tag.number,
    modifiers: tag.modifiers,
    known: !!known,
    category: known ? known.category : 'unknown',
    tag,
    range: { start: tag.range.start, end: tag.range.end },
    lines: [],
  };
}

/**
 * A body line. One exists per line of the song, so it is kept small (a huge song has millions): the range is
 * made when asked for, from the line and the two columns.
 */
class BodyLine implements SongLine {
  constructor(
    readonly line: number, readonly kind: LineKind, readonly text: string,
    private readonly start: number, private readonly end: number, readonly syllables?: number,
  ) {}
  get range(): Range { return lineRange(this.line, this.start, this.end); }
}

function parseUnsafe(text: string): ParsedSong {
  const lines = splitLines(text);
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const { frontmatter, params, bodyStartLine } = parseFrontmatter(lines);
  const sections: Section[] = [];
  const tags: ParsedSong['tags'] = [];
  const submitted: string[] = [];
  let current: Section | undefined;
  let lastContentLine = -1;
  let sung = 0;

  const closeCurrent = () => {
    if (current && lastContentLine >= current.range.start.line) {
      current.range = { start: current.range.start, end: { line: lastContentLine, character: lines[lastContentLine].length } };
    }
  };

  for (let i = bodyStartLine; i < lines.length; i++) {
    const raw = lines[i];
    const start = firstNonSpace(raw);
    if (start < 0) {
      if (current) current.lines.push(new BodyLine(i, 'blank', '', 0, raw.length));
      submitted.push('');
      continue;
    }
    const trimmedEnd = raw.trimEnd();
    const trimmed = trimmedEnd.slice(start);
    let tag: TagInfo | null = null;
    if (trimmed.charCodeAt(0) === 91 /* [ */) tag = parseTagLine(raw, i);
    if (tag) {
      submitted.push(trimmed);
      const isSection = !!lookupSection(tag.head)
        || !(tag.number === undefined && tag.modifiers.length === 0 && lookupPerformanceTag(tag.inner));
      if (isSection) {
        closeCurrent();
        current = newSection(tag, i, raw.length);
        sections.push(current);
        lastContentLine = i;
        continue;
      }
      tags.push({ line: i, tag });
      if (!current) { current = newSection(undefined, i, raw.length); sections.push(current); }
      current.lines.push(new BodyLine(i, 'tag', trimmed, start, trimmedEnd.length));
      lastContentLine = i;
      continue;
    }
    const kind = classify(trimmed);
    if (kind !== 'comment') submitted.push(trimmed);
    if (!current) {
      if (kind === 'comment') continue; // comments before the first tag belong to no section
      current = newSection(undefined, i, raw.length);
      sections.push(current);
    }
    const line: SongLine = new BodyLine(i, kind, trimmed, start, trimmedEnd.length,
      kind === 'lyric' || kind === 'uppercase' ? countSyllables(trimmed) : undefined);
    if (kind === 'lyric' || kind === 'uppercase' || kind === 'backing') sung++;
    current.lines.push(line);
    if (kind !== 'comment') lastContentLine = i;
  }
  closeCurrent();

  const lyrics = joinTrimmed(submitted);
  const instrumental = params.instrumental === true || lyrics === '' || INSTRUMENTAL_BODIES.test(lyrics);
  return { lines, hasBom, frontmatter, bodyStartLine, params, sections, lyrics, instrumental, sungLineCount: sung, tags };
}

/** Joins lines, dropping leading/trailing blank lines and collapsing runs of blank lines to one. */
function joinTrimmed(lines: string[]): string {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a] === '') a++;
  while (b > a && lines[b - 1] === '') b--;
  const out: string[] = [];
  let blank = false;
  for (let i = a; i < b; i++) {
    const l = lines[i];
    if (l === '') { if (!blank) out.push(''); blank = true; continue; }
    blank = false;
    out.push(l.charCodeAt(0) === 0xfeff ? l.slice(1) : l);
  }
  return out.join('\n');
}
