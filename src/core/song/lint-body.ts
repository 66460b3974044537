// Lints of the caption and of the lyrics body: missing caption, metadata hidden in the caption,
// section tags, modifiers, syllables, instrumental consistency.
import { findEntry, insertFrontmatterLine, type Collector, type LintOptions } from './lint-support';
import { isDescriptiveTag, PERFORMANCE_TAG_LIST, SECTION_NAME_LIST } from './tags';
import { didYouMean, lineRange } from './text';
import { yamlValue } from './yaml-value';
import { msg, orList } from '../l10n';
import { normaliseKeyName, normaliseTimeSignature } from './values';
import type { FrontmatterEntry, ParsedSong, Position, Range, SongFix, TagInfo, TextEdit } from './types';

interface CaptionFinding {
  key: 'bpm' | 'key' | 'time_signature';
  value: string;
  /** Offsets in the caption's source text. */
  start: number;
  end: number;
  what: string;
}

const BPM_PATTERNS = [
  /\b(?:at\s+)?(\d{2,3})\s*-?\s*bpm\b/gi,
  /\bbpm\s*[:=]?\s*(\d{2,3})\b/gi,
  /\b(?:at\s+)?(?:a\s+)?tempo\s*(?:of\s*)?[:=]?\s*(\d{2,3})\b/gi,
];
// The note letter must be a capital so that "a minor detail" is not read as a key.
const KEY_PATTERNS = [
  /\b(?:in\s+)?(?:the\s+)?(?:key\s+of\s+)?([A-G](?:#|b|♯|♭)?)[ -]?([Mm]ajor|[Mm]inor|MAJOR|MINOR)\b/g,
  /\b(?:in\s+)?(?:the\s+)?key\s+(?:of\s+)?([A-G](?:#|b|♯|♭)?m?)(?![\w#♯♭])/g,
];
const TIME_PATTERN = /\b(?:in\s+)?(2\/4|3\/4|4\/4|6\/8)(?:\s+time(?:\s+signature)?|\s+meter)?(?![\d/])/g;

/** Finds tempo, key and time signature written into the caption's source text. */
export function findCaptionMetadata(source: string): CaptionFinding[] {
  if (source.length > 20000) return [];
  const found: CaptionFinding[] = [];
  const overlaps = (a: number, b: number) => found.some(f => a < f.end && b > f.start);
  const scan = (re: RegExp, fn: (m: RegExpExecArray) => CaptionFinding | null) => {
    re.lastIndex = 0;
    for (let m = re.exec(source); m; m = re.exec(source)) {
      const f = fn(m);
      if (f && !overlaps(f.start, f.end)) found.push(f);
      if (m[0].length === 0) re.lastIndex++;
    }
  };
  for (const re of BPM_PATTERNS) {
    scan(re, m => ({ key: 'bpm', value: m[1], start: m.index, end: m.index + m[0].length, what: msg('the tempo') }));
  }
  for (const re of KEY_PATTERNS) {
    scan(re, m => {
      const k = normaliseKeyName(m[2] ? `${m[1]} ${m[2].toLowerCase()}` : m[1]);
      return k ? { key: 'key', value: k, start: m.index, end: m.index + m[0].length, what: msg('the key') } : null;
    });
  }
  scan(TIME_PATTERN, m => ({
    key: 'time_signature', value: normaliseTimeSignature(m[1]) ?? '4', start: m.index, end: m.index + m[0].length,
    what: msg('the time signature'),
  }));
  return found.sort((a, b) => a.start - b.start);
}

/** Widens a removal so that no dangling separator is left: ", 120 bpm" or "120 bpm, ". */
function removalSpan(source: string, start: number, end: number): [number, number] {
  let a = start;
  while (a > 0 && (source[a - 1] === ' ' || source[a - 1] === '\t')) a--;
  if (a > 0 && (source[a - 1] === ',' || source[a - 1] === ';')) return [a - 1, end];
  let b = end;
  while (b < source.length && (source[b] === ' ' || source[b] === '\t')) b++;
  if (source[b] === ',' || source[b] === ';') {
    b++;
    while (b < source.length && source[b] === ' ') b++;
    return [start, b];
  }
  return [a, end];
}

/** Maps an offset inside an entry's raw value text to a document position. */
function offsetToPosition(entry: FrontmatterEntry, offset: number): Position {
  const text = entry.rawText;
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  if (nl < 0) return { line: entry.valueRange.start.line, character: entry.valueRange.start.character + offset };
  let lines = 0;
  for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === 10) lines++;
  return { line: entry.valueRange.start.line + lines, character: offset - nl - 1 };
}

function entryRange(entry: FrontmatterEntry, a: number, b: number): Range {
  return { start: offsetToPosition(entry, a), end: offsetToPosition(entry, b) };
}

export function lintCaption(parsed: ParsedSong, out: Collector): void {
  const entry = findEntry(parsed, 'caption');
  const caption = parsed.params.caption;
  if (!entry || caption === undefined || caption.trim() === '') {
    if (!out.enabled('caption-missing')) return;
    out.add({
      severity: 'warning', code: 'caption-missing',
      range: entry ? entry.keyRange : lineRange(0, 0, parsed.lines[0].length),
      message: msg('no caption: describe the style (genre, mood, instruments, vocals); it matters more than anything else'),
      ...(entry ? {} : { fixes: [{ title: msg('Add a caption'), edits: [insertFrontmatterLine(parsed, 'caption: ')] }] }),
    });
    return;
  }
  if (!out.enabled('caption-metadata') || !entry.rawText) return;
  const taken = new Set<string>();
  for (const f of findCaptionMetadata(entry.rawText)) {
    const [a, b] = removalSpan(entry.rawText, f.start, f.end);
    const phrase = entry.rawText.slice(f.start, f.end).trim();
    const removal: TextEdit = { range: entryRange(entry, a, b), newText: '' };
    const current = parsed.params[f.key];
    const edits: TextEdit[] = [removal];
    let title = msg('Move {0} to {1}: {2}', f.what, f.key, f.value);
    let disagrees: string | undefined;
    if (current === undefined && !findEntry(parsed, f.key) && !taken.has(f.key)) {
      edits.push(insertFrontmatterLine(parsed, `${f.key}: ${f.value}`));
      taken.add(f.key);
    } else if (current !== undefined && String(current) !== f.value) {
      title = msg('Remove "{0}" from the caption', phrase);
      disagrees = `${f.key}: ${String(current)}`;
    } else {
      title = msg('Remove "{0}" from the caption', phrase);
    }
    const fix: SongFix = { title, edits, isPreferred: true };
    out.add({
      severity: 'warning', code: 'caption-metadata', range: entryRange(entry, f.start, f.end),
      message: disagrees
        ? msg('"{0}" in the caption: set {1} with {2} instead (and it disagrees with {3})', phrase, f.what, f.key, disagrees)
        : msg('"{0}" in the caption: set {1} with {2} instead', phrase, f.what, f.key),
      fixes: [fix],
    });
  }
}

export function lintBody(parsed: ParsedSong, options: LintOptions, out: Collector): void {
  lintInstrumental(parsed, out);
  const range = options.syllableRange ?? { min: 6, max: 10 };
  const tooFew = Math.floor(range.min / 2);
  const tooMany = Math.ceil(range.max * 1.5);
  const checkSyllables = out.enabled('syllables');
  for (const s of parsed.sections) {
    if (s.tag) lintTag(parsed, s.tag, !s.known, out);
    if (!checkSyllables) continue;
    for (const l of s.lines) {
      const n = l.syllables;
      if (n === undefined || n === 0) continue;
      if (n > tooMany) {
        out.addLazy('information', 'syllables', () => ({ range: l.range,
          message: msg('{0} syllables: hard to sing in one breath (aim for {1}–{2}); split the line', n, range.min, range.max) }));
      } else if (n < tooFew) {
        out.addLazy('information', 'syllables', () => ({ range: l.range,
          message: n === 1
            ? msg('1 syllable: very short next to the {0}–{1} that sings best', range.min, range.max)
            : msg('{0} syllables: very short next to the {1}–{2} that sings best', n, range.min, range.max) }));
      }
    }
  }
  for (const t of parsed.tags) lintTag(parsed, t.tag, false, out);
}

function lintTag(parsed: ParsedSong, tag: TagInfo, unknown: boolean, out: Collector): void {
  if (!tag.closed) {
    out.add({ severity: 'warning', code: 'unclosed-tag', range: tag.range, message: msg('the tag is missing its closing ]'),
      fixes: [{ title: msg('Add ]'), isPreferred: true, edits: [{ range: { start: tag.range.end, end: tag.range.end }, newText: ']' }] }] });
  }
  if (tag.inner === '') {
    out.add({ severity: 'warning', code: 'empty-tag', range: tag.range, message: msg('empty tag') });
    return;
  }
  if (unknown && tag.head !== '' && out.enabled('unknown-section')) {
    const plain = tag.number === undefined && tag.modifiers.length === 0;
    const candidates = plain ? [...SECTION_NAME_LIST, ...PERFORMANCE_TAG_LIST] : SECTION_NAME_LIST;
    const suggestions = isDescriptiveTag(tag.head) ? [] : didYouMean(tag.head, candidates);
    if (suggestions.length) {
      out.add({ severity: 'warning', code: 'unknown-section', range: tag.headRange,
        message: msg('unknown section "{0}"; did you mean {1}?', tag.head, orList(suggestions)),
        fixes: suggestions.map((s, i) => ({ title: msg('Change to {0}', s), isPreferred: i === 0, edits: [{ range: tag.headRange, newText: s }] })) });
    } else {
      out.add({ severity: 'information', code: 'unknown-section', range: tag.headRange,
        message: msg('"{0}" is not a known section or tag; the model reads it as free text', tag.head) });
    }
  }
  if (tag.modifiers.length > 1 && tag.modifiersRange) {
    const n = tag.modifiers.length;
    out.add({
      severity: n > 2 ? 'warning' : 'information', code: 'stacked-modifiers', range: tag.modifiersRange,
      message: msg('{0} modifiers in one tag; keep one and put the rest of the style in the caption', n),
      fixes: [{
        title: msg('Keep "{0}" and move the rest to the caption', tag.modifiers[0]),
        edits: [{ range: tag.modifiersRange, newText: tag.modifiers[0] }, ...appendToCaption(parsed, tag.modifiers.slice(1))],
      }],
    });
  }
}

/** Edits that add `words` (those not in it yet) to the end of the caption, creating the caption if needed. */
export function appendToCaption(parsed: ParsedSong, words: readonly string[]): TextEdit[] {
  const entry = findEntry(parsed, 'caption');
  const current = typeof parsed.params.caption === 'string' ? parsed.params.caption.trim() : '';
  const lower = current.toLowerCase();
  const add = [...new Set(words.map(w => w.trim()).filter(w => w !== '' && !lower.includes(w.toLowerCase())))];
  if (!add.length) return [];
  if (!entry) return [insertFrontmatterLine(parsed, `caption: ${yamlValue(add.join(', '))}`)];
  const r = entry.valueRange;
  if (current === '') return [{ range: r, newText: (entry.rawText === '' ? ' ' : '') + yamlValue(add.join(', ')) }];
  const endLine = r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line;
  if (endLine === r.start.line) return [{ range: r, newText: yamlValue(`${current}, ${add.join(', ')}`) }];
  // A block scalar (`caption: >` and indented lines): the words go at the end of its last line.
  let last = endLine;
  while (last > r.start.line && parsed.lines[last].trim() === '') last--;
  const at = parsed.lines[last].trimEnd().length;
  return [{ range: lineRange(last, at, at), newText: `, ${add.join(', ')}` }];
}

function lintInstrumental(parsed: ParsedSong, out: Collector): void {
  const flag = parsed.params.instrumental;
  if (flag === true && parsed.sungLineCount > 0) {
    const entry = findEntry(parsed, 'instrumental');
    if (entry) out.add({ severity: 'warning', code: 'instrumental-with-lyrics', range: entry.keyRange,
      message: parsed.sungLineCount === 1
        ? msg('instrumental is true, so the 1 sung line will not be sent')
        : msg('instrumental is true, so the {0} sung lines will not be sent', parsed.sungLineCount) });
  }
  if (flag !== true && !parsed.instrumental && parsed.sungLineCount === 0) {
    const first = parsed.sections.find(s => s.tag)?.tag;
    if (!first) return;
    out.add({
      severity: 'warning', code: 'no-lyrics', range: first.range,
      message: msg('no sung lines: write lyrics, or set instrumental: true for a song without vocals'),
      fixes: [{ title: msg('Set instrumental: true'), isPreferred: true, edits: [instrumentalEdit(parsed)] }],
    });
  }
}

function instrumentalEdit(parsed: ParsedSong): TextEdit {
  const entry = findEntry(parsed, 'instrumental');
  if (entry) return { range: entry.valueRange, newText: 'true' };
  return insertFrontmatterLine(parsed, 'instrumental: true');
}
