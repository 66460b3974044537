// The frontmatter of a model's answer made into YAML a .song can carry: keys in markdown dress
// (`**Title:** x`), server field names (`prompt:`), a forgotten `---`, lyrics under a `lyrics:` key. Each
// repair is listed in `notes`. Used by extractSong (parse-output.ts).
import { parse as parseYaml } from 'yaml';
import { KEY_SYNONYMS, MISPLACED_KEYS, resolveKey } from '../song/schema';
import { headingToTag } from './repair-body';

/** `key: value`, also in markdown dress: `**Title:** x`, `- **bpm**: 120`. */
export const KEY_LINE = /^\s*(?:[-*]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z0-9_ -]{0,30}?)(?:\*\*|__)?\s*:(?:\*\*|__)?(?:\s+(.*)|\s*)$/;

interface KeyInfo {
  /** The key as written (without markdown). */
  written: string;
  /** The .song key it should be, or 'lyrics' for the misplaced lyrics key. */
  canonical: string;
  value: string;
  /** True when the line is not plain YAML (markdown bold, a list dash, spaces or capitals in the key). */
  dressed: boolean;
}

export function keyOf(line: string): KeyInfo | null {
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

export interface FrontmatterRepair {
  lines: string[];
  /** First line of the body (0 when there is no frontmatter). */
  bodyStart: number;
  /** The text of a `lyrics:` key, moved out of the frontmatter. */
  lyrics?: string;
}

export function repairFrontmatter(input: string[], notes: string[]): FrontmatterRepair {
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
