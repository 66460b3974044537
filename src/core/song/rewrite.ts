// Whole-song rewrites used by "Format Song with the LM", the player's "Use these settings" and the chat tools:
// set frontmatter values and replace the lyrics body. Values come from servers and models, so they are data:
// the `yaml` library renders each one (always on one line, quoted where needed) and reads the result back, and
// only the bytes of the values being set change; every other byte (comments, order, quoting, line endings,
// the body) stays as it was.
import { isMap, isPair, isScalar, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { parseSong } from './parse';
import { resolveKey } from './schema';
import { splitLines } from './text';
import type { ParamKey } from './types';
import { yamlPair, yamlValue, type YamlValue } from './yaml-value';
import { msg } from '../l10n';

type Value = YamlValue;

const PARSE = { uniqueKeys: false, prettyErrors: false, strict: false } as const;

/** Why a song's frontmatter cannot be written safely. */
export class FrontmatterWriteError extends Error {}

interface Edit { from: number; to: number; text: string }

/**
 * Sets frontmatter keys (canonical names). The entry in effect (the last one, or its alias) gets its value
 * replaced in place; a missing key is added before the closing `---`; a song without frontmatter gets one.
 * Throws FrontmatterWriteError when the frontmatter is unclosed or not `key: value` lines, or when the result
 * would not read back as exactly these values with every other key unchanged.
 */
export function setFrontmatterValues(text: string, values: Partial<Record<ParamKey, Value>>): string {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined) as [ParamKey, Value][];
  if (!entries.length) return text;
  const parsed = parseSong(text);
  const fm = parsed.frontmatter;
  if (!fm) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const block = entries.map(([k, v]) => yamlPair(k, v)).join(eol);
    const bom = parsed.hasBom ? '\uFEFF' : '';
    return `${bom}---${eol}${block}${eol}---${eol}${text.replace(/^\uFEFF/, '')}`;
  }
  if (fm.closeLine === null) throw new FrontmatterWriteError(msg('the frontmatter has no closing --- line; add it, then try again'));

  // The YAML as the song parser reads it (lines joined by \n), with a map back to offsets in `text`.
  const lines = splitLines(text);
  const starts = lineStarts(text);
  const yamlLines = lines.slice(1, fm.closeLine);
  const source = yamlLines.join('\n');
  const yamlStarts: number[] = [];
  let off = 0;
  for (const l of yamlLines) { yamlStarts.push(off); off += l.length + 1; }
  const toText = (o: number): number => {
    let i = yamlStarts.length - 1;
    while (i > 0 && yamlStarts[i] > o) i--;
    return starts[1 + i] + (o - (yamlStarts[i] ?? 0));
  };

  const before = parseDocument(source, PARSE);
  const contents = before.contents;
  if (contents !== null && contents !== undefined && !isMap(contents)) {
    throw new FrontmatterWriteError(msg('the frontmatter must be key: value lines; fix it, then try again'));
  }
  const pairs = isMap(contents) ? contents.items.filter(isPair) : [];
  const edits: Edit[] = [];
  const added: [ParamKey, Value][] = [];
  const expected = topLevel(before);
  for (const [key, value] of entries) {
    const index = findLastIndex(pairs, p => keyOf(p.key) !== undefined && resolveKey(keyOf(p.key)!)?.canonical === key);
    if (index < 0) { added.push([key, value]); expected.push([key, value]); continue; }
    const pair = pairs[index];
    const keyNode = pair.key as YamlNode;
    const colon = source.indexOf(':', keyNode.range![1]);
    const valueNode = pair.value as YamlNode | null;
    let end = colon + 1;
    if (valueNode?.range && !(isScalar(valueNode) && valueNode.value === null)) {
      end = Math.max(end, valueNode.range[1]);
      while (end > colon + 1 && (source[end - 1] === '\n')) end--;
    }
    edits.push({ from: toText(colon + 1), to: toText(end), text: ` ${yamlValue(value)}` });
    expected[index] = [expected[index][0], value];
  }
  if (added.length) {
    const firstKey = pairs[0]?.key as YamlNode | undefined;
    const column = firstKey?.range ? firstKey.range[0] - source.lastIndexOf('\n', firstKey.range[0] - 1) - 1 : 0;
    const at = starts[fm.closeLine];
    const eol = text.slice(starts[fm.closeLine - 1], at).match(/(\r\n|\r|\n)$/)?.[0] ?? '\n';
    edits.push({ from: at, to: at, text: added.map(([k, v]) => ' '.repeat(column) + yamlPair(k, v) + eol).join('') });
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);

  // Read the result back: exactly the values asked for, every other key as it was, no new YAML errors.
  const after = parseSong(out);
  const afterLines = after.lines.slice(1, after.frontmatter?.closeLine ?? 1);
  const check = parseDocument(afterLines.join('\n'), PARSE);
  const close = after.frontmatter?.closeLine ?? null;
  const bodyKept = close !== null && out.slice(lineStarts(out)[close]) === text.slice(starts[fm.closeLine]);
  if (!bodyKept || check.errors.length > before.errors.length
    || !sameEntries(topLevel(check), expected)) {
    throw new FrontmatterWriteError(msg('cannot set {0} in this song\'s frontmatter without changing other keys; check its YAML, then try again', entries.map(([k]) => k).join(', ')));
  }
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  const re = /\r\n|\r|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

function keyOf(node: unknown): string | undefined {
  return isScalar(node) && node.range ? String(node.value ?? '') : undefined;
}

function findLastIndex<T>(items: readonly T[], test: (t: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}

/** The top-level pairs of a document as [key, value] in order (keys that are not scalars read as undefined). */
function topLevel(doc: Document.Parsed): [string | undefined, unknown][] {
  const contents = doc.contents;
  if (!isMap(contents)) return [];
  return contents.items.filter(isPair).map(p => {
    let value: unknown;
    try { value = (p.value as YamlNode | null)?.toJSON() ?? null; } catch { value = undefined; }
    return [keyOf(p.key), value];
  });
}

function sameEntries(a: [string | undefined, unknown][], b: [string | undefined, unknown][]): boolean {
  return a.length === b.length && a.every(([k, v], i) => k === b[i][0] && same(v, b[i][1]));
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
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
