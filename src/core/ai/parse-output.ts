// extractSong: turns a language model's answer into the text of a .song file. Models wrap the song in
// code fences of every kind, talk before and after it, forget a `---`, put the lyrics under a `lyrics:`
// key, use the server's field names (`prompt:`) or write markdown headings instead of section tags.
// Each repair is listed in `notes`. An answer without any song is a refusal, empty or "no song".
import { parse as parseYaml } from 'yaml';
import { lookupPerformanceTag, lookupSection } from '../song/tags';
import { KEY_SYNONYMS, MISPLACED_KEYS, resolveKey } from '../song/schema';

export type ExtractFailureReason = 'refusal' | 'empty' | 'no-song';

export type ExtractResult =
  | { ok: true; text: string; notes: string[] }
  | { ok: false; reason: ExtractFailureReason; message: string };

export function extractSong(modelText: string): ExtractResult {
  let raw = String(modelText ?? '').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const notes: string[] = [];
  // Reasoning models think aloud first, drafts included; only the answer after the thinking counts.
  const withoutThinking = raw.replace(/<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi, '');
  if (withoutThinking !== raw) {
    raw = withoutThinking;
    notes.push("removed the model's reasoning");
  }
  if (raw.trim() === '') return { ok: false, reason: 'empty', message: 'the model answered with nothing' };
  const picked = pickCandidate(raw.split('\n'), notes);
  let lines = picked.bare ? dropPreface(picked.lines, notes) : picked.lines;
  const fm = repairFrontmatter(lines, notes);
  lines = fm.lines;
  let body = trimTrailingChatter(lines.slice(fm.bodyStart), notes);
  body = repairBody(body, notes);
  if (fm.lyrics !== undefined) body = placeLyrics(body, fm.lyrics, notes);
  const head = lines.slice(0, fm.bodyStart);
  const hasKeys = head.some(l => KEY_LINE.test(l));
  const hasTags = body.some(l => isTagLine(l));
  if (!hasKeys && !hasTags) return failure(raw);
  // One blank line between the frontmatter and the lyrics, like every hand-written .song.
  while (body.length && body[0].trim() === '') body.shift();
  return { ok: true, text: tidy(head.length && body.length ? [...head, '', ...body] : [...head, ...body]), notes };
}

function failure(raw: string): ExtractResult {
  const plain = raw.replace(/[’‘]/g, "'");
  const snippet = plain.trim().replace(/\s+/g, ' ').slice(0, 160);
  if (REFUSAL.test(plain)) return { ok: false, reason: 'refusal', message: `the model declined: "${snippet}"` };
  return { ok: false, reason: 'no-song', message: `the answer holds no song (no frontmatter and no section tags): "${snippet}"` };
}

const REFUSAL = new RegExp([
  String.raw`\bi\s*(?:can(?:not|'t)|am\s+(?:not\s+able|unable)|'m\s+(?:not\s+able|unable)|won't|will\s+not|must\s+decline)\b`,
  String.raw`\bi(?:'m| am) sorry\b`, String.raw`\bas an ai\b`,
  String.raw`\bagainst (?:my|the|our) (?:guidelines|polic(?:y|ies)|rules)\b`,
].join('|'), 'i');

// ---------------------------------------------------------------------------------------------
// Finding the song in the answer

interface Block {
  info: string;
  /** Line of the opening fence. */
  start: number;
  /** Line of the closing fence (or the last line when unclosed). */
  end: number;
  content: string[];
  closed: boolean;
}

const FENCE_OPEN = /^\s{0,3}(`{3,}|~{3,})\s*([^\s`~]*)[^`]*$/;

function findBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE_OPEN.exec(lines[i]);
    if (!m) continue;
    const fence = m[1];
    const close = new RegExp(`^\\s{0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j])) j++;
    blocks.push({ info: m[2].toLowerCase(), start: i, end: Math.min(j, lines.length - 1), content: lines.slice(i + 1, j), closed: j < lines.length });
    i = j;
  }
  return blocks;
}

interface Signals { frontmatter: boolean; tags: number; score: number }

function signals(lines: readonly string[]): Signals {
  let keys = 0, styleKey = false, tags = 0;
  for (const l of lines) {
    const k = keyOf(l);
    if (k) {
      keys++;
      if (k.canonical === 'caption') styleKey = true;
    } else if (isTagLine(l) || headingToTag(l.trim())) {
      tags++;
    }
  }
  const frontmatter = keys >= 2 || styleKey;
  return { frontmatter, tags, score: (frontmatter ? 3 : 0) + Math.min(tags, 6) };
}

function pickCandidate(lines: string[], notes: string[]): { lines: string[]; bare: boolean } {
  const scored = findBlocks(lines).map(b => ({ b, s: signals(b.content) }));
  // The richest block wins (a later one on a tie: models put the final version last); a ```song block
  // beats any other.
  const songs = scored.filter(x => x.b.info === 'song' && x.s.score > 0);
  let best: (typeof scored)[number] | undefined;
  for (const x of songs.length ? songs : scored) if (x.s.score > 0 && (!best || x.s.score >= best.s.score)) best = x;
  if (!best) return { lines, bare: true };

  let chosen = best.b.content;
  const used: [number, number][] = [[best.b.start, best.b.end]];
  if (best.s.frontmatter && best.s.tags === 0) {
    // Frontmatter in one block, lyrics in the next block or right after it.
    const after = best.b.end;
    const next = scored.find(x => x.b.start > after && x.s.tags > 0 && !x.s.frontmatter);
    const nextFence = scored.find(x => x.b.start > after)?.b.start ?? lines.length;
    const tail = lines.slice(after + 1, nextFence);
    if (signals(tail).tags > 0) {
      chosen = [...chosen, '', ...tail];
      used.push([after + 1, nextFence - 1]);
      notes.push('joined the frontmatter block with the lyrics written after it');
    } else if (next) {
      chosen = [...chosen, '', ...next.b.content];
      used.push([next.b.start, next.b.end]);
      notes.push('joined the frontmatter and the lyrics from two code blocks');
    }
  } else if (best.s.tags > 0 && !best.s.frontmatter) {
    const before = best.b.start;
    const prev = scored.filter(x => x.b.end < before && x.s.frontmatter && x.s.tags === 0).pop();
    if (prev) {
      chosen = [...prev.b.content, '', ...chosen];
      used.push([prev.b.start, prev.b.end]);
      notes.push('joined the frontmatter and the lyrics from two code blocks');
    }
  }
  if (!best.b.closed) notes.push('the song block was never closed; took everything after its opening fence');
  const outside = lines.some((l, i) => l.trim() !== '' && !used.some(([a, b]) => i >= a && i <= b));
  if (outside) notes.push('removed the text around the song block');
  return { lines: chosen, bare: false };
}

/** Bare answers: drops the talk before the first line that belongs to a song. */
function dropPreface(lines: string[], notes: string[]): string[] {
  const start = lines.findIndex((l, i) => {
    const t = l.trim();
    if (t === '---') {
      const next = lines.slice(i + 1).find(x => x.trim() !== '');
      return next !== undefined && !!keyOf(next);
    }
    return !!keyOf(l) || isTagLine(l) || !!headingToTag(t);
  });
  if (start <= 0) return lines;
  const dropped = lines.slice(0, start).filter(l => l.trim() !== '');
  if (dropped.length) notes.push(`removed the text before the song ("${clip(dropped[0])}")`);
  return lines.slice(start);
}

const CHATTER = new RegExp([
  String.raw`^(?:\*\*|__)?\s*(?:notes?|explanation|production notes?|tips?|why these choices|about (?:this|the) song)\b[^:]{0,30}:`,
  String.raw`^(?:let me know|i hope|hope you|feel free|would you like|do you want|want me to|enjoy|happy to|i can (?:also|adjust|change|make|tweak)|i've|i have (?:written|created|made|kept)|this (?:song|track|version|arrangement)|here'?s|here is|sure|certainly|of course)\b`,
].join('|'), 'i');

const SENTENCE_END = /[.!?:)\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}]$/u;

/** Cuts a closing paragraph of talk ("I hope you enjoy…", "Notes:", a `---` rule) after the last tag. */
function trimTrailingChatter(body: string[], notes: string[]): string[] {
  for (let i = 0; i < body.length; i++) {
    const t = body[i].trim().replace(/[’‘]/g, "'");
    const paragraphStart = i === 0 || body[i - 1].trim() === '';
    if (!paragraphStart || t === '') continue;
    const rule = /^(?:-{3,}|\*{3,}|_{3,})$/.test(t);
    const talk = CHATTER.test(t) && (/^(?:\*\*|__)?\s*\w[\w ]*:/.test(t) || /[`*]/.test(t)
      || /^(?:enjoy|have fun|cheers)\b/i.test(t) || (t.split(/\s+/).length >= 4 && SENTENCE_END.test(t)));
    if (!rule && !talk) continue;
    if (body.slice(i + 1).some(l => isTagLine(l))) continue;
    notes.push(`removed the text after the song ("${clip(rule ? body.slice(i + 1).find(l => l.trim() !== '') ?? t : t)}")`);
    return body.slice(0, i);
  }
  return body;
}

function clip(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

// ---------------------------------------------------------------------------------------------
// Frontmatter

/** `key: value`, also in markdown dress: `**Title:** x`, `- **bpm**: 120`. */
const KEY_LINE = /^\s*(?:[-*]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z0-9_ -]{0,30}?)(?:\*\*|__)?\s*:(?:\*\*|__)?(?:\s+(.*)|\s*)$/;

interface KeyInfo {
  /** The key as written (without markdown). */
  written: string;
  /** The .song key it should be, or 'lyrics' for the misplaced lyrics key. */
  canonical: string;
  value: string;
  /** True when the line is not plain YAML (markdown bold, a list dash, spaces or capitals in the key). */
  dressed: boolean;
}

function keyOf(line: string): KeyInfo | null {
  if (/^\s/.test(line)) return null;
  const m = KEY_LINE.exec(line);
  if (!m) return null;
  const written = m[1].trim();
  const lower = written.toLowerCase().replace(/[\s-]+/g, '_');
  let canonical: string | undefined = resolveKey(written)?.canonical ?? resolveKey(lower)?.canonical;
  if (!canonical && (lower === 'lyrics' || lower === 'lyric')) canonical = 'lyrics';
  if (!canonical && Object.prototype.hasOwnProperty.call(KEY_SYNONYMS, lower)) canonical = KEY_SYNONYMS[lower];
  if (!canonical && lower === 'description') canonical = 'caption';
  if (!canonical && Object.prototype.hasOwnProperty.call(MISPLACED_KEYS, lower)) canonical = lower;
  if (!canonical) return null;
  const plainKey = /^[a-z_][a-z0-9_]*$/i.test(written) && !/[*_]{2}/.test(line.slice(0, line.indexOf(':') + 3));
  const dressed = !plainKey || /^\s*[-*]\s/.test(line);
  return { written, canonical, value: (m[2] ?? '').trim(), dressed };
}

/** Any plain YAML key line, known to .song or not (`mood: dark`). */
const YAML_KEY = /^[A-Za-z_][\w-]*:(?:\s|$)/;

interface FrontmatterRepair {
  lines: string[];
  /** First line of the body (0 when there is no frontmatter). */
  bodyStart: number;
  /** The text of a `lyrics:` key, moved out of the frontmatter. */
  lyrics?: string;
}

function repairFrontmatter(input: string[], notes: string[]): FrontmatterRepair {
  const lines = [...input];
  while (lines.length && lines[0].trim() === '') lines.shift();
  if (!lines.length) return { lines, bodyStart: 0 };
  const open = 0;
  if (lines[0].trim() !== '---') {
    if (!keyOf(lines[0])) return { lines, bodyStart: 0 };
    lines.unshift('---');
    notes.push('added the missing opening ---');
  } else {
    lines[0] = '---';
  }
  // Walk the YAML until its closing line, or until a line that can only be lyrics.
  let close = -1, end = open;
  for (let i = open + 1; i < lines.length; i++) {
    const l = lines[i];
    const t = l.trim();
    if (t === '---' || t === '...') { close = i; break; }
    if (t === '' || /^\s/.test(l) || keyOf(l) || YAML_KEY.test(l) || /^\s*-\s/.test(l)) { if (t !== '') end = i; continue; }
    if (t.startsWith('#') && !headingToTag(t)) { end = i; continue; }
    break;
  }
  if (close < 0) {
    if (end === open) {
      lines.shift();
      return { lines, bodyStart: 0 };
    }
    lines.splice(end + 1, 0, '---');
    close = end + 1;
    notes.push('added the missing closing ---');
  } else {
    lines[close] = '---';
  }
  const { yaml, lyrics } = repairEntries(lines.slice(open + 1, close), notes);
  const out = ['---', ...yaml, '---', ...lines.slice(close + 1)];
  return { lines: out, bodyStart: yaml.length + 2, lyrics };
}

interface Entry { info: KeyInfo | null; lines: string[] }

/** Groups YAML lines into entries (a key line and its indented continuation). */
function entries(yaml: string[]): Entry[] {
  const out: Entry[] = [];
  for (const l of yaml) {
    const info = keyOf(l);
    const continuation = out.length > 0 && (l.trim() === '' || /^\s/.test(l) || (/^\s*-\s/.test(l) && !info));
    if (continuation) out[out.length - 1].lines.push(l);
    else out.push({ info, lines: [l] });
  }
  return out;
}

function repairEntries(yaml: string[], notes: string[]): { yaml: string[]; lyrics?: string } {
  const list = entries(yaml);
  const present = new Set(list.filter(e => e.info && e.info.written === e.info.canonical).map(e => e.info!.canonical));
  const out: string[] = [];
  let lyrics: string | undefined;
  let dressed = 0;
  const renamed: string[] = [];
  const quoted: string[] = [];
  for (const e of list) {
    const info = e.info;
    if (!info) { out.push(...e.lines); continue; }
    if (info.canonical === 'lyrics') {
      lyrics = yamlString(['lyrics: ' + info.value, ...e.lines.slice(1)]) ?? '';
      notes.push(lyrics.trim() ? 'moved the lyrics: key out of the frontmatter into the body' : 'removed an empty lyrics: key');
      continue;
    }
    let key = info.written;
    if (info.dressed) dressed++;
    if (info.canonical !== info.written && !present.has(info.canonical)) {
      renamed.push(`${info.written} to ${info.canonical}`);
      key = info.canonical;
      present.add(key);
    } else if (info.dressed) {
      key = info.canonical;
    }
    let value = info.value;
    if (key === 'caption' && /^\[.*\]$/.test(value)) value = value.slice(1, -1).split(',').map(v => v.trim().replace(/^["']|["']$/g, '')).filter(Boolean).join(', ');
    if ((key === 'caption' || key === 'title') && needsQuotes(value)) {
      value = JSON.stringify(value);
      quoted.push(key);
    }
    if (key !== info.written || value !== info.value || info.dressed) out.push(value ? `${key}: ${value}` : `${key}:`, ...e.lines.slice(1));
    else out.push(...e.lines);
  }
  if (dressed) notes.push(`rewrote ${dressed} markdown-styled key line${dressed === 1 ? '' : 's'} as plain YAML`);
  if (renamed.length) notes.push(`renamed ${renamed.join(', ')}`);
  if (quoted.length) notes.push(`quoted the ${quoted.join(' and ')} so that YAML reads it whole`);
  return { yaml: out, lyrics };
}

/** Plain YAML scalars cannot hold `: ` or ` #`, nor start with an indicator character. */
function needsQuotes(value: string): boolean {
  if (value === '' || /^["']/.test(value) || /^[|>]/.test(value)) return false;
  return /:\s/.test(value) || /\s#/.test(value) || /^[[\]{}&*!%@`,?-]\s?/.test(value) && !/^-?\d/.test(value);
}

function yamlString(entryLines: string[]): string | undefined {
  try {
    const v = parseYaml(entryLines.join('\n')) as { lyrics?: unknown } | null;
    const lyrics = v?.lyrics;
    if (typeof lyrics === 'string') return lyrics;
    if (Array.isArray(lyrics)) return lyrics.map(String).join('\n');
    if (lyrics === null || lyrics === undefined) return '';
  } catch {
    // Not valid YAML: fall back to the raw continuation lines.
  }
  const rest = entryLines.slice(1);
  const indent = Math.min(...rest.filter(l => l.trim() !== '').map(l => l.length - l.trimStart().length));
  return rest.map(l => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

function placeLyrics(body: string[], lyrics: string, notes: string[]): string[] {
  if (!lyrics.trim()) return body;
  if (body.some(l => l.trim() !== '')) {
    notes.push('dropped the lyrics: key because the body already holds the lyrics');
    return body;
  }
  return repairBody(lyrics.replace(/\r\n?/g, '\n').split('\n'), notes);
}

// ---------------------------------------------------------------------------------------------
// Body

function isTagLine(line: string): boolean {
  const t = line.trim();
  if (!/^\[[^\]]+\]$/.test(t)) return false;
  const inner = t.slice(1, -1).trim();
  const head = inner.split(/\s+[-–—]\s+|\s*:\s+/)[0].replace(/\s*\d{1,3}$/, '');
  return !!lookupSection(head) || !!lookupPerformanceTag(inner) || /^[A-Z][\w -]{1,30}$/.test(inner);
}

/**
 * `## Chorus`, `**Verse 1:**`, `Verse 2 (whispered):`, `(Chorus)`, `### [Bridge]` → `[Chorus]`, … Only lines
 * with some heading dress (#, bold, a trailing colon, parentheses) and a known section name qualify, so a
 * lyric line is never turned into a tag; only the first modifier is kept.
 */
export function headingToTag(line: string): string | null {
  let s = line.trim();
  let dressed = false;
  const md = /^#{1,6}\s+(.*?)\s*#*$/.exec(s);
  if (md) { s = md[1]; dressed = true; }
  for (let round = 0; round < 2; round++) {
    const bold = /^(\*\*|__|\*|_)(.+?)\1$/.exec(s);
    if (bold) { s = bold[2].trim(); dressed = true; }
    if (s.endsWith(':')) { s = s.slice(0, -1).trim(); dressed = true; }
  }
  if (/^\[.*\]$/.test(s)) {
    if (!dressed) return null;
    s = s.slice(1, -1).trim();
  } else if (/^\(.*\)$/.test(s)) {
    s = s.slice(1, -1).trim();
    dressed = true;
  }
  if (!dressed) return null;
  const m = /^([A-Za-z][A-Za-z -]*?)(?:\s+(\d{1,2}))?(?:\s*\(([^()]{1,40})\)|\s+[-–—:]\s+(.{1,40}))?(?:\s*[x×]\s*\d)?$/.exec(s);
  if (!m) return null;
  const section = lookupSection(m[1].trim());
  if (!section) return null;
  const modifier = (m[3] ?? m[4] ?? '').split(',')[0].trim();
  return `[${section.name}${m[2] ? ` ${m[2]}` : ''}${modifier ? ` - ${modifier}` : ''}]`;
}

function repairBody(body: string[], notes: string[]): string[] {
  let unwrapped = 0, converted = 0, plain = 0;
  const out = body.map(l => {
    const t = l.trim();
    if (t === '' || t.startsWith('[') && t.endsWith(']')) return l;
    const bold = /^(\*\*|__|\*|_)\s*(\[[^\]]+\])\s*\1$/.exec(t);
    if (bold) { unwrapped++; return bold[2]; }
    const tag = headingToTag(t);
    if (tag) { converted++; return tag; }
    // A whole lyric line in bold or italics: the asterisks would reach the model as text.
    const emphasis = /^(\*\*|__|\*)(?=\S)(.+?)(?<=\S)\1$/.exec(t);
    if (emphasis && !/[*_]{2}/.test(emphasis[2])) { plain++; return emphasis[2]; }
    return l;
  });
  if (unwrapped) notes.push(`removed markdown emphasis around ${unwrapped} tag${unwrapped === 1 ? '' : 's'}`);
  if (converted) notes.push(`turned ${converted} heading${converted === 1 ? '' : 's'} into section tags`);
  if (plain) notes.push(`removed markdown emphasis from ${plain} lyric line${plain === 1 ? '' : 's'}`);
  return out;
}

/** Trailing spaces off, runs of blank lines down to one, no blank lines at either end, one final newline. */
function tidy(lines: string[]): string {
  const out: string[] = [];
  for (const l of lines) {
    const t = l.replace(/\s+$/, '');
    if (t === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(t);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}
