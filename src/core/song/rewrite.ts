// Whole-song rewrites used by "Format Song with the LM" and the player's "Use these settings": set frontmatter
// values (keeping every other line, comment and the line endings) and replace the lyrics body.
import { stringify } from 'yaml';
import { parseSong } from './parse';
import type { ParamKey } from './types';

/** YAML for one scalar, quoted only when it has to be. */
function yamlScalar(value: string | number | boolean): string {
  return typeof value === 'string' ? stringify(value, { lineWidth: 0 }).trimEnd() : String(value);
}

/**
 * Sets frontmatter keys (canonical names). An existing entry (or its alias) gets its value replaced in place;
 * a missing one is added before the closing `---`; a song without frontmatter gets one.
 */
export function setFrontmatterValues(text: string, values: Partial<Record<ParamKey, string | number | boolean>>): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const parsed = parseSong(text);
  const lines = text.split(/\r?\n/);
  const entries = Object.entries(values).filter(([, v]) => v !== undefined) as [ParamKey, string | number | boolean][];
  if (!entries.length) return text;
  const fm = parsed.frontmatter;
  if (!fm || fm.closeLine === null) {
    const bom = parsed.hasBom ? '\uFEFF' : '';
    const block = ['---', ...entries.map(([k, v]) => `${k}: ${yamlScalar(v)}`), '---'].join(eol);
    return bom + block + eol + text.replace(/^\uFEFF/, '');
  }
  const added: string[] = [];
  // Replace from the bottom up so earlier ranges stay valid.
  const edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[] = [];
  for (const [key, value] of entries) {
    const entry = [...fm.entries].reverse().find(e => e.canonical === key);
    if (entry) edits.push({ range: entry.valueRange, text: yamlScalar(value) });
    else added.push(`${key}: ${yamlScalar(value)}`);
  }
  for (const { range: { start, end: rawEnd }, text: value } of edits.sort((a, b) => b.range.start.line - a.range.start.line)) {
    // A range ending at the start of a line ends, for our purpose, at the end of the line before.
    const end = rawEnd.character === 0 && rawEnd.line > start.line ? { line: rawEnd.line - 1, character: lines[rawEnd.line - 1].length } : rawEnd;
    // A value spanning several lines (a block scalar) becomes a one-line value on the key's line.
    const merged = lines[start.line].slice(0, start.character) + value + lines[end.line].slice(end.character);
    lines.splice(start.line, end.line - start.line + 1, merged);
  }
  lines.splice(fm.closeLine, 0, ...added);
  return lines.join(eol);
}

/** Replaces everything after the frontmatter with `lyrics`. */
export function replaceBody(text: string, lyrics: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const parsed = parseSong(text);
  const lines = text.split(/\r?\n/);
  const head = lines.slice(0, parsed.bodyStartLine);
  const body = lyrics.replace(/\r?\n/g, eol).replace(/\s+$/, '');
  return [...head, ...(body ? [body] : []), ''].join(eol);
}
