// Editor-support data, pure: completion items, hovers, document symbols and folding ranges. The
// VS Code adapters turn these into their own objects; the CLI and tests use them as plain data.
import { estimateDuration, formatSeconds } from './estimate';
import { parseSong } from './parse';
import {
  BASE_ONLY_TASKS, COMMON_KEY_NAMES, KEY_SPECS, LANGUAGE_NAMES, LANGUAGES, NEWER_AUDIO_FORMATS, resolveKey, SPEC_BY_KEY,
  TIME_SIGNATURE_NAMES, type KeySpec,
} from './schema';
import { lookupPerformanceTag, lookupSection, MODIFIERS, PERFORMANCE_TAGS, SECTION_NAMES } from './tags';
import { contains, fullLineRange } from './text';
import type { ParsedSong, Position, Range } from './types';
import { msg, text } from '../l10n';

export type CompletionKind = 'key' | 'value' | 'section' | 'modifier' | 'tag';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  insertText?: string;
  detail?: string;
  documentation?: string;
  /** Lower sorts first; items keep the given order otherwise. */
  sortText?: string;
  /** The text the item replaces: from the start of what is being typed to the cursor. */
  range?: Range;
}

export interface HoverInfo {
  markdown: string;
  range: Range;
}

export const MODEL_NAMES = ['acestep-v15-turbo', 'acestep-v15-base', 'acestep-v15-sft', 'acestep-v15-turbo-shift3'];

/** Where the cursor is, in frontmatter terms: null when outside the frontmatter. */
function inFrontmatter(parsed: ParsedSong, line: number): boolean {
  const fm = parsed.frontmatter;
  if (!fm || line < fm.contentStartLine) return false;
  if (fm.closeLine !== null) return line < fm.closeLine;
  // Unclosed: the line right after the guessed end is where the next key is being typed,
  // unless it is already a tag.
  return line <= fm.contentEndLine || (line === fm.contentEndLine + 1 && !/^\s*\[/.test(parsed.lines[line] ?? ''));
}

/** The replaced span: from `from` to the cursor on the cursor's line. */
function span(position: Position, from: number): Range {
  return { start: { line: position.line, character: Math.min(from, position.character) }, end: position };
}

export function completionsAt(input: string | ParsedSong, position: Position): CompletionItem[] {
  const parsed = typeof input === 'string' ? parseSong(input) : input;
  const lineText = parsed.lines[position.line];
  if (lineText === undefined) return [];
  const character = Math.max(0, Math.min(position.character, lineText.length));
  const at = { line: position.line, character };
  const prefix = lineText.slice(0, character);
  if (inFrontmatter(parsed, position.line)) return frontmatterCompletions(parsed, at, prefix);
  if (position.line < parsed.bodyStartLine) return [];
  const open = /^(\s*\[\s*)([^\]]*)$/.exec(prefix);
  if (!open) return [];
  const after = lineText.slice(prefix.length);
  const close = after.includes(']') ? '' : ']';
  const typed = open[2];
  const sep = /^(.*?(?:\s[-–—]\s|:\s))/.exec(typed);
  if (sep) {
    const tail = typed.slice(sep[1].length);
    const lastComma = tail.lastIndexOf(',');
    let from = open[1].length + sep[1].length + (lastComma >= 0 ? lastComma + 1 : 0);
    while (from < prefix.length && prefix[from] === ' ') from++;
    const range = span(at, from);
    return MODIFIERS.map((m, i) => ({ label: m, kind: 'modifier', insertText: m + close, sortText: pad(i), range }));
  }
  const range = span(at, open[1].length);
  const sections: CompletionItem[] = SECTION_NAMES.map((s, i) => ({
    label: s.name, kind: 'section', insertText: s.name + close, detail: msg('section ({0})', s.category), documentation: text(s.doc),
    sortText: pad(i), range,
  }));
  const tags: CompletionItem[] = PERFORMANCE_TAGS.map((t, i) => ({
    label: t.name, kind: 'tag', insertText: t.name + close, detail: msg('performance tag'), documentation: text(t.doc),
    sortText: pad(100 + i), range,
  }));
  return [...sections, ...tags];
}

const pad = (i: number) => String(i).padStart(3, '0');

function frontmatterCompletions(parsed: ParsedSong, at: Position, prefix: string): CompletionItem[] {
  const kv = /^([\w-]+)(\s*:\s*)(.*)$/.exec(prefix);
  if (kv) {
    const resolved = resolveKey(kv[1]);
    const spec = resolved ? SPEC_BY_KEY.get(resolved.canonical) : undefined;
    const range = span(at, kv[1].length + kv[2].length);
    return spec ? valueCompletions(parsed, spec).map(c => ({ ...c, range })) : [];
  }
  if (/^\s/.test(prefix) || prefix.includes(':')) return [];
  const taken = new Set<string>();
  for (const e of parsed.frontmatter?.entries ?? []) if (e.canonical && e.keyRange.start.line !== at.line) taken.add(e.canonical);
  const range = span(at, 0);
  return KEY_SPECS.filter(s => !taken.has(s.key)).map((s, i) => ({
    label: s.key, kind: 'key' as const, insertText: `${s.key}: `, detail: msg('{0}, default {1}', s.type, text(s.serverDefault)),
    documentation: text(s.doc), sortText: pad(i), range,
  }));
}

function valueCompletions(parsed: ParsedSong, spec: KeySpec): CompletionItem[] {
  const v = (label: string, detail?: string, documentation?: string): CompletionItem =>
    ({ label, kind: 'value', ...(detail ? { detail } : {}), ...(documentation ? { documentation } : {}) });
  const auto = spec.auto ? [v('auto', msg('let the model decide'))] : [];
  switch (spec.key) {
    case 'key': return [...COMMON_KEY_NAMES.map(k => v(k)), ...auto];
    case 'language': return LANGUAGES.map(code => v(code, LANGUAGE_NAMES[code]));
    case 'time_signature': return [...['4', '3', '6', '2'].map(t => v(t, TIME_SIGNATURE_NAMES[t])), ...auto];
    case 'duration': {
      const est = estimateDuration(parsed);
      return [v(String(est.seconds), msg('recommended for these lyrics ({0})', formatSeconds(est.seconds))), ...auto];
    }
    case 'model': return MODEL_NAMES.map(m => v(m));
    case 'batch_size': return ['1', '2', '4'].map(n => v(n));
    case 'tracks': return (spec.values ?? []).map(x => v(x, msg('track name')));
    default: break;
  }
  if (spec.type === 'boolean') return [v('true'), v('false')];
  if (spec.type === 'enum' && spec.values) {
    return spec.values.map(x => v(x,
      (NEWER_AUDIO_FORMATS as readonly string[]).includes(x) ? msg('recent servers only')
        : (BASE_ONLY_TASKS as readonly string[]).includes(x) ? msg('base models only') : undefined));
  }
  return auto;
}

// ---------------------------------------------------------------------------------------------
// Hover

export function keyMarkdown(spec: KeySpec, written?: string): string {
  const head = written && written !== spec.key ? msg('**{0}** (written as `{1}`, a server alias)', spec.key, written) : `**${spec.key}**`;
  const parts = [head, '', text(spec.doc), ''];
  const code = (x: string | number) => `\`${x}\``;
  if ((spec.type === 'enum' || spec.type === 'list') && spec.values && spec.values.length <= 12) parts.push(msg('Values: {0}', [...spec.values, ...(spec.auto ? ['auto'] : [])].map(code).join(', ')));
  else if (spec.min !== undefined && spec.max !== undefined) parts.push(spec.auto ? msg('Range: {0}–{1}, or `auto`', spec.min, spec.max) : msg('Range: {0}–{1}', spec.min, spec.max));
  else if (spec.type === 'boolean') parts.push(msg('Values: {0}', '`true`, `false`'));
  parts.push(msg('Server default: {0}', text(spec.serverDefault)));
  if (spec.server) parts.push(msg('Sent as {0}', code(spec.server)));
  return parts.join('\n\n').replace(/\n\n\n\n/g, '\n\n');
}

export function hoverAt(parsed: ParsedSong, position: Position): HoverInfo | null {
  for (const e of parsed.frontmatter?.entries ?? []) {
    const onKey = contains(e.keyRange, position);
    if (!onKey && !contains(e.valueRange, position)) continue;
    if (!e.canonical) return { markdown: msg('**{0}**: not a .song key', e.key), range: e.keyRange };
    const spec = SPEC_BY_KEY.get(e.canonical)!;
    let md = keyMarkdown(spec, e.key);
    if (!onKey && e.value !== undefined) md += `\n\n${msg('Value: {0}', `\`${describeValue(e.canonical, e.value)}\``)}`;
    return { markdown: md, range: onKey ? e.keyRange : e.valueRange };
  }
  if (position.line < parsed.bodyStartLine) return null;
  const section = parsed.sections.find(s => s.tag && contains(s.tag.range, position));
  if (section?.tag) {
    const est = estimateDuration(parsed).sections.find(s => s.range.start.line === section.range.start.line);
    const info = lookupSection(section.tag.head);
    const sung = section.lines.filter(l => l.kind === 'lyric' || l.kind === 'uppercase' || l.kind === 'backing').length;
    const lines = [`**${section.name}**`, ''];
    if (info) lines.push(text(info.doc), '');
    if (est) lines.push(sung === 1 ? msg('≈ {0} s ({1}–{2} s), 1 sung line', est.seconds, est.min, est.max) : msg('≈ {0} s ({1}–{2} s), {3} sung lines', est.seconds, est.min, est.max, sung));
    if (section.modifiers.length) lines.push('', msg('Modifiers: {0}', section.modifiers.join(', ')));
    return { markdown: lines.join('\n'), range: section.tag.range };
  }
  const tag = parsed.tags.find(t => contains(t.tag.range, position));
  if (tag) {
    const known = lookupPerformanceTag(tag.tag.inner);
    return { markdown: msg('**[{0}]**: performance tag', tag.tag.inner) + (known ? `\n\n${text(known.doc)}` : ''), range: tag.tag.range };
  }
  return null;
}

function describeValue(key: string, value: unknown): string {
  if (key === 'duration' && typeof value === 'number') return `${value} s (${formatSeconds(value)})`;
  if (key === 'time_signature' && typeof value === 'string') return TIME_SIGNATURE_NAMES[value] ?? value;
  if (key === 'language' && typeof value === 'string') return `${value} (${LANGUAGE_NAMES[value] ?? value})`;
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Outline: document symbols (the frontmatter with its keys, then the sections) and folding ranges
// (frontmatter, sections, runs of comment lines).
export type SymbolKind = 'frontmatter' | 'key' | 'section';

export interface SongSymbol {
  name: string;
  detail: string;
  kind: SymbolKind;
  /** The whole extent (frontmatter block, section from tag to last line). */
  range: Range;
  /** The part to highlight and reveal (the key, the tag). */
  selectionRange: Range;
  children: SongSymbol[];
}

export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

export function documentSymbols(parsed: ParsedSong): SongSymbol[] {
  const out: SongSymbol[] = [];
  const fm = parsed.frontmatter;
  if (fm) {
    const children: SongSymbol[] = fm.entries.map(e => ({
      name: e.key,
      detail: e.rawText.length > 60 ? `${e.rawText.slice(0, 57)}…` : e.rawText,
      kind: 'key' as const,
      range: { start: e.keyRange.start, end: e.valueRange.end.line >= e.keyRange.end.line ? maxEnd(e.keyRange, e.valueRange) : e.keyRange.end },
      selectionRange: e.keyRange,
      children: [],
    }));
    const title = typeof parsed.params.title === 'string' && parsed.params.title.trim() ? parsed.params.title.trim() : msg('frontmatter');
    out.push({ name: title, detail: msg('frontmatter'), kind: 'frontmatter', range: fm.range, selectionRange: fullLineRange(parsed.lines, 0), children });
  }
  for (const s of parsed.sections) {
    const sung = s.lines.reduce((n, l) => n + (l.kind === 'lyric' || l.kind === 'uppercase' || l.kind === 'backing' ? 1 : 0), 0);
    out.push({
      name: s.tag ? `[${s.name}]` : msg('(untagged lines)'),
      detail: sung === 0 ? '' : sung === 1 ? msg('1 line') : msg('{0} lines', sung),
      kind: 'section',
      range: s.range,
      selectionRange: s.tag ? s.tag.range : { start: s.range.start, end: s.range.start },
      children: [],
    });
  }
  return out;
}

function maxEnd(a: Range, b: Range): Range['end'] {
  if (b.end.line > a.end.line || (b.end.line === a.end.line && b.end.character > a.end.character)) return b.end;
  return a.end;
}

export function foldingRanges(parsed: ParsedSong): FoldingRange[] {
  const out: FoldingRange[] = [];
  const fm = parsed.frontmatter;
  if (fm && fm.range.end.line > fm.range.start.line) out.push({ startLine: fm.range.start.line, endLine: fm.range.end.line, kind: 'region' });
  for (const s of parsed.sections) {
    if (s.range.end.line > s.range.start.line) out.push({ startLine: s.range.start.line, endLine: s.range.end.line });
  }
  // Runs of two or more comment lines.
  let runStart = -1;
  const lines = parsed.lines;
  for (let i = parsed.bodyStartLine; i <= lines.length; i++) {
    const isComment = i < lines.length && /^\s*#/.test(lines[i]);
    if (isComment) { if (runStart < 0) runStart = i; continue; }
    if (runStart >= 0 && i - 1 > runStart) out.push({ startLine: runStart, endLine: i - 1, kind: 'comment' });
    runStart = -1;
  }
  return out;
}
