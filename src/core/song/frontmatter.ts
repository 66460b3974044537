// Finds the frontmatter block and reads it with the `yaml` package, keeping source ranges for every
// key and value so lints, hovers and quick fixes can point at them.
import { isMap, isPair, isScalar, parseDocument, type Node as YamlNode } from 'yaml';
import { checkValue } from './values';
import { resolveKey, SPEC_BY_KEY } from './schema';
import type { Frontmatter, FrontmatterEntry, ParamKey, Position, Range, SongParams } from './types';
import { range } from './text';
import { errorMessage } from '../util/error-message';

const DELIMITER = /^---[ \t]*$/;
/** Frontmatter larger than this is not parsed as YAML (a runaway unclosed block). */
const MAX_YAML_LINES = 2000;

/** Line 0 may carry a BOM; the opening delimiter is `---` on the first line. */
export function opensFrontmatter(lines: readonly string[]): boolean {
  const first = lines[0] ?? '';
  return DELIMITER.test(first.charCodeAt(0) === 0xfeff ? first.slice(1) : first);
}

/** Where the frontmatter ends: the closing line, or (unclosed) the guessed last YAML line. */
export function findClose(lines: readonly string[]): { closeLine: number | null; lastLine: number } {
  const limit = Math.min(lines.length, 1 + MAX_YAML_LINES * 5);
  for (let i = 1; i < limit; i++) if (DELIMITER.test(lines[i])) return { closeLine: i, lastLine: i - 1 };
  // Unclosed: the YAML most likely stops before the first section tag or the first blank line
  // that is followed by something which does not look like `key: value`.
  let last = 0;
  for (let i = 1; i < lines.length && i <= MAX_YAML_LINES; i++) {
    const t = lines[i].trimStart();
    if (t.startsWith('[')) break;
    if (t === '') {
      const next = lines[i + 1] ?? '';
      if (!/^[\w-]+\s*:/.test(next) && !/^\s/.test(next)) break;
    } else if (i > 1 && !/^[\w-]+\s*:/.test(t) && !/^\s/.test(lines[i]) && !t.startsWith('#')) {
      break;
    }
    last = i;
  }
  return { closeLine: null, lastLine: last };
}

/** Maps offsets of the joined YAML text (lines joined by \n) back to document positions. */
class OffsetMap {
  private readonly starts: number[] = [];
  constructor(private readonly firstLine: number, yamlLines: readonly string[]) {
    let off = 0;
    for (const l of yamlLines) { this.starts.push(off); off += l.length + 1; }
    this.total = Math.max(0, off - 1);
  }
  readonly total: number;
  at(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.total));
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid; else hi = mid - 1;
    }
    return { line: this.firstLine + lo, character: o - (this.starts[lo] ?? 0) };
  }
  span(a: number, b: number): Range {
    return { start: this.at(a), end: this.at(Math.max(a, b)) };
  }
}

export interface FrontmatterResult {
  frontmatter: Frontmatter | null;
  params: SongParams;
  bodyStartLine: number;
}

export function parseFrontmatter(lines: readonly string[]): FrontmatterResult {
  if (!opensFrontmatter(lines)) return { frontmatter: null, params: {}, bodyStartLine: 0 };
  const { closeLine, lastLine } = findClose(lines);
  const contentStart = 1;
  const contentEnd = lastLine;
  const yamlLines = lines.slice(contentStart, contentEnd + 1);
  const endLine = closeLine ?? Math.max(0, contentEnd);
  const fm: Frontmatter = {
    range: range(0, 0, endLine, lines[endLine]?.length ?? 0),
    openLine: 0,
    closeLine,
    contentStartLine: contentStart,
    contentEndLine: contentEnd,
    entries: [],
    errors: [],
    isMapping: true,
  };
  const params: SongParams = {};
  const bodyStartLine = closeLine !== null ? closeLine + 1 : contentEnd + 1;
  if (yamlLines.length === 0 || yamlLines.every(l => l.trim() === '' || l.trimStart().startsWith('#'))) {
    return { frontmatter: fm, params, bodyStartLine };
  }
  const map = new OffsetMap(contentStart, yamlLines);
  const source = yamlLines.join('\n');
  let doc;
  try {
    doc = parseDocument(source, { uniqueKeys: false, prettyErrors: false, strict: false });
  } catch (e) {
    fm.errors.push({ message: `YAML: ${errorMessage(e)}`, range: map.span(0, 0) });
    return { frontmatter: fm, params, bodyStartLine };
  }
  for (const err of doc.errors) {
    const [a, b] = err.pos ?? [0, 0];
    fm.errors.push({ message: firstLine(err.message), range: map.span(a, b) });
  }
  const contents = doc.contents;
  if (contents === null || contents === undefined) return { frontmatter: fm, params, bodyStartLine };
  if (!isMap(contents)) {
    fm.isMapping = false;
    return { frontmatter: fm, params, bodyStartLine };
  }
  const seen = new Set<ParamKey>();
  for (const item of contents.items) {
    if (!isPair(item)) continue;
    const keyNode = item.key as YamlNode | null;
    if (!keyNode || !isScalar(keyNode) || !keyNode.range) continue;
    const key = String(keyNode.value ?? '');
    const keyRange = map.span(keyNode.range[0], keyNode.range[1]);
    const valueNode = item.value as YamlNode | null;
    let valueRange: Range;
    let rawText = '';
    let raw: unknown = null;
    if (valueNode && valueNode.range) {
      valueRange = map.span(valueNode.range[0], valueNode.range[1]);
      rawText = source.slice(valueNode.range[0], valueNode.range[1]);
      raw = safeJson(valueNode);
    } else {
      const after = keyNode.range[2] ?? keyNode.range[1];
      const colon = source.indexOf(':', after);
      const at = colon >= 0 && colon - after < 4 ? colon + 1 : after;
      valueRange = map.span(at, at);
    }
    const resolved = resolveKey(key);
    const entry: FrontmatterEntry = {
      key, canonical: resolved?.canonical ?? null, isAlias: resolved?.isAlias ?? false,
      keyRange, valueRange, rawText, raw, value: undefined, duplicate: false,
    };
    if (resolved) {
      const spec = SPEC_BY_KEY.get(resolved.canonical)!;
      const checked = checkValue(spec, raw);
      entry.value = checked.value;
      if (checked.issue) entry.issue = checked.issue;
      if (seen.has(resolved.canonical)) entry.duplicate = true;
      seen.add(resolved.canonical);
      if (checked.value !== undefined) (params as Record<string, unknown>)[resolved.canonical] = checked.value;
      else delete (params as Record<string, unknown>)[resolved.canonical];
    }
    fm.entries.push(entry);
  }
  return { frontmatter: fm, params, bodyStartLine };
}

function safeJson(node: YamlNode): unknown {
  try {
    return node.toJSON();
  } catch {
    return undefined;
  }
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).trim();
}
